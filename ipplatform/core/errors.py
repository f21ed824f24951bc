"""Error pages in Chinese: JSON for /api/ paths, HTML pages elsewhere; Django's English default messages replaced."""

from __future__ import annotations

import re

from django.http import JsonResponse
from django.shortcuts import render

_DJANGO_NOT_FOUND = re.compile(r"^No (.+) matches the given query\.?$")


def chinese_message(exc, default: str) -> str:
    """The exception's message when it is the platform's own (Chinese); Django's English defaults translated."""
    text = str(exc or "").strip()
    if not text or text.startswith(("Resolver404", "{")) or "'tried'" in text or "'path'" in text:
        return default
    if _DJANGO_NOT_FOUND.match(text):
        return "未找到该记录：它不存在或已被删除"
    if text.isascii():
        return default
    return text


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    message = chinese_message(exception, "您访问的页面或记录不存在。")
    if is_api(request):
        return JsonResponse({"error": message}, status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "404.html", {"exception": message}, status=404)


def forbidden(request, exception=None):
    message = chinese_message(exception, "您的角色或数据范围不包含该内容。")
    if is_api(request):
        return JsonResponse({"error": message}, status=403, json_dumps_params={"ensure_ascii": False})
    return render(request, "403.html", {"exception": message}, status=403)


def bad_request(request, exception=None):
    message = chinese_message(exception, "请求无效。")
    if is_api(request):
        return JsonResponse({"error": message}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "400.html", {"exception": message}, status=400)


def server_error(request):
    if is_api(request):
        return JsonResponse(
            {"error": "服务器内部错误，错误已记录"}, status=500, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "500.html", status=500)


def uri_too_long(request):
    message = "网址过长（超过4096个字符），请缩短检索式或筛选条件后重试。"
    if is_api(request):
        return JsonResponse({"error": message}, status=414, json_dumps_params={"ensure_ascii": False})
    return render(request, "414.html", {"exception": message}, status=414)
