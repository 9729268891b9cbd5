"""API plumbing shared by every line: error mapping and base permissions."""

from __future__ import annotations

from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status_code)
    if isinstance(exc, ParseError):
        # DRF's text quotes the parser's English exception; say it in Chinese, once for every route.
        return Response({"detail": "请求内容无法解析：应为有效的 JSON（或表单）格式。", "code": "parse_error"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, UnsupportedMediaType):
        body = {"detail": f"不支持的请求内容类型“{exc.args[0] if exc.args else ''}”，请使用 application/json。", "code": "unsupported_media_type"}
        return Response(body, status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
    if isinstance(exc, Http404):
        return Response({"detail": "未找到。"}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
