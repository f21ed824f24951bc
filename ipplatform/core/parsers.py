"""Request parsers for the API (settings.REST_FRAMEWORK[\"DEFAULT_PARSER_CLASSES\"]); no views imported here."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    """JSON request bodies: an object, or a Chinese 400 (a list, a number or malformed JSON never reaches a view)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError("请求体不是有效的JSON")
        if not isinstance(data, dict):
            raise ParseError(f"请求体应为JSON对象（{{...}}），收到{type(data).__name__}")
        return data
