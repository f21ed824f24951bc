"""API conventions shared by every app: Chinese JSON errors (never an HTML 500 page for bad input)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler as drf_exception_handler

from .errors import chinese_message
from .inputs import InputError
from .models import IPCEntry
from .scopes import scope_of


__all__ = ["InputError", "exception_handler", "MeView", "IPCView"]  # InputError lives in core.inputs (no DRF there)


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
    @extend_schema(summary="当前用户及其数据范围", responses=inline_serializer("Me", {
        "username": serializers.CharField(), "role": serializers.CharField(), "organization": serializers.CharField(allow_null=True),
        "scope": serializers.CharField(), "region_prefix": serializers.CharField()}))
    def get(self, request):
        scope = scope_of(request.user)
        return Response({
            "username": request.user.username, "role": request.user.role,
            "organization": request.user.organization.name if request.user.organization else None,
            "scope": scope.level, "region_prefix": scope.region_prefix,
        })


class IPCView(APIView):
    permission_classes: list = []

    @extend_schema(summary="IPC分类号含义（中文、英文）", responses=inline_serializer("IPC", {
        "code": serializers.CharField(), "level": serializers.CharField(), "parent": serializers.CharField(),
        "title_zh": serializers.CharField(), "title_en": serializers.CharField(), "children": serializers.ListField(child=serializers.CharField())}))
    def get(self, request, code: str):
        entry = IPCEntry.objects.filter(code=code.upper()).first()
        if entry is None:
            raise Http404(f"IPC分类号“{code}”不存在")
        children = list(IPCEntry.objects.filter(parent=entry.code).values_list("code", flat=True)[:500])
        return Response({"code": entry.code, "level": entry.level, "parent": entry.parent, "title_zh": entry.title_zh,
                         "title_en": entry.title_en, "children": children})
