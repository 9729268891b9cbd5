"""API plumbing shared by every line: error mapping and base permissions."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from django import forms
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
        return Response(body | (exc.extra or {}), status=exc.status_code)
    if isinstance(exc, ParseError):
        # DRF's text quotes the parser's English exception; say it in Chinese, once for every route.
        return Response({"detail": "请求内容无法解析：应为有效的 JSON（或表单）格式。", "code": "parse_error"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, UnsupportedMediaType):
        body = {"detail": f"不支持的请求内容类型“{exc.args[0] if exc.args else ''}”，请使用 application/json。", "code": "unsupported_media_type"}
        return Response(body, status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
    if isinstance(exc, Http404):
        return Response({"detail": "未找到。"}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)


# --- a page's Django form behind a JSON API -------------------------------------------------------------


def _form_value(value):
    """A form's initial value as the page would submit it."""
    if value is None:
        return ""
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


_TRUTH = {"true": True, "1": True, "on": True, "false": False, "0": False, "off": False, "": False}


def bind_form(form_class, request, **kwargs):
    """``form_class`` bound to the JSON body over the form's starting values (an
    edit keeps what is not sent, a new record takes the form's defaults) and
    validated: the API refuses exactly what the page refuses, and a bad value
    raises a DomainError naming the field (400)."""
    from .forms import first_error

    try:
        data = request.data
    except ParseError:
        raise DomainError("请求内容不是有效的 JSON。") from None
    if not isinstance(data, dict):
        raise DomainError("请求内容应为 JSON 对象。")
    blank = form_class(None, **kwargs)
    values = {name: _form_value(blank[name].initial) for name in blank.fields}
    for name, value in data.items():
        field = blank.fields.get(name)
        if field is None:
            continue
        if isinstance(field, forms.BooleanField):
            value = _TRUTH.get(str(value).lower()) if isinstance(value, (bool, int, str)) else None
            if value is None:
                raise DomainError(f"{field.label}：应为 true 或 false。", field=name)
        elif value is None:
            value = ""
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        elif not isinstance(value, str):
            raise DomainError(f"{field.label}：应为文字或数字。", field=name)
        values[name] = value
    form = form_class(values, **kwargs)
    if not form.is_valid():
        raise first_error(form)
    return form


class labelled_errors:
    """A service's DomainError, worded as the page shows it: beside the field's label."""

    def __init__(self, form):
        self.form = form

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, DomainError) and exc.field in self.form.fields:
            label = str(self.form.fields[exc.field].label)
            if label not in exc.message:
                exc.message = f"{label}：{exc.message}"
                exc.args = (exc.message,)
        return False
