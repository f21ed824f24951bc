"""OpenAPI schema hooks: every operation documents the platform's error answers (Chinese JSON `{"error": ...}`)."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "中文错误说明"},
        "field": {"type": "string"},
        "position": {"type": "integer"},
        "line": {"type": "integer"},
    },
    "required": ["error"],
}
ERRORS = {
    "400": "输入无效（说明哪里错了）",
    "401": "未登录",
    "403": "无权访问（角色或数据范围）",
    "404": "不存在",
    "405": "不支持的请求方法",
    "406": "不支持的响应格式",
    "414": "网址过长",
    "415": "不支持的请求体格式",
    "429": "请求过于频繁",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the shared error schema and the error responses to every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    ref = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in ERRORS.items():
                operation["responses"].setdefault(
                    code, {"content": {"application/json": {"schema": ref}}, "description": description}
                )
    return result
