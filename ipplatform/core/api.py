"""API conventions shared by every app: Chinese JSON errors (never an HTML 500 page for bad input)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import chinese_message
from .inputs import InputError, clean_text
from .models import IPCEntry
from .scopes import scope_of

__all__ = ["InputError", "exception_handler", "MeView", "IPCView", "Text", "ResponseSerializer", "clean_body"]
# (InputError lives in core.inputs, which has no DRF)


class Text(serializers.CharField):
    """A text field of an API request: max_length is required (tests/core/test_api_text_bounds.py walks every
    serializer), and the value is cleaned as page input is (core.inputs.clean_text: control characters removed, NFC,
    line breaks kept only where `multiline`); too long is a Chinese 400 naming the field, never a database error."""

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.multiline = multiline

    def clean(self, value, *, field: str) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InputError(f"{self.label or field}应为文本（收到{type(value).__name__}）", field=field)
        return clean_text(
            value, field=field, label=self.label or field, max_length=self.max_length, multiline=self.multiline
        )

    def to_internal_value(self, data):
        return self.clean(data, field=self.field_name)


class ResponseSerializer(serializers.Serializer):
    """The shape of a response (documentation only): every field read-only, so none is taken for request input."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


def clean_body(request, serializer_class) -> dict:
    """The request body as the views read it (one value per key, as request.data.get gives) with every text field that
    `serializer_class` declares cleaned by its Text field (a list of texts item by item). Other values pass as sent:
    the services parse them with their own Chinese messages."""
    data = request.data
    body = {key: data.get(key) for key in data.keys()}
    for name, field in serializer_class().fields.items():
        value = body.get(name)
        if value in (None, ""):
            continue
        if isinstance(field, Text):
            body[name] = field.clean(value, field=name)
        elif isinstance(field, serializers.ListField) and isinstance(field.child, Text):
            items = data.getlist(name) if hasattr(data, "getlist") else value if isinstance(value, list) else [value]
            body[name] = [field.child.clean(item, field=name) for item in items]
    return body


def exception_handler(exc, context):
    if isinstance(exc, InputError):
        return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        return Response({"error": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return Response({"error": chinese_message(exc, "未找到")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response({"error": chinese_message(exc, "无权访问")}, status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"error": str(response.data["detail"])}
    return response


class MeView(APIView):
    @extend_schema(
        summary="当前用户及其数据范围",
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "role": serializers.CharField(),
                "organization": serializers.CharField(allow_null=True),
                "scope": serializers.CharField(),
                "region_prefix": serializers.CharField(),
            },
        ),
    )
    def get(self, request):
        scope = scope_of(request.user)
        return Response(
            {
                "username": request.user.username,
                "role": request.user.role,
                "organization": request.user.organization.name if request.user.organization else None,
                "scope": scope.level,
                "region_prefix": scope.region_prefix,
            }
        )


class IPCView(APIView):
    permission_classes: list = []

    @extend_schema(
        summary="IPC分类号含义（中文、英文）",
        responses=inline_serializer(
            "IPC",
            {
                "code": serializers.CharField(),
                "level": serializers.CharField(),
                "parent": serializers.CharField(),
                "title_zh": serializers.CharField(),
                "title_en": serializers.CharField(),
                "children": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    def get(self, request, code: str):
        entry = IPCEntry.objects.filter(code=code.upper()).first()
        if entry is None:
            raise Http404(f"IPC分类号“{code}”不存在")
        children = list(IPCEntry.objects.filter(parent=entry.code).values_list("code", flat=True)[:500])
        return Response(
            {
                "code": entry.code,
                "level": entry.level,
                "parent": entry.parent,
                "title_zh": entry.title_zh,
                "title_en": entry.title_en,
                "children": children,
            }
        )
