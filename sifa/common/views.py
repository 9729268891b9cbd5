"""Error pages and the health check. Error pages never show internals."""

import sys

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template import loader


def _err(request, status, title, message):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, f"errors/{status}.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _err(request, 400, "请求有误", "请求的内容无法处理，请检查后重试。")


def permission_denied(request, exception=None):
    # Views raise PermissionDenied with a Chinese sentence when they have one.
    message = str(exception) if exception is not None and str(exception) else "您的角色无权执行此操作。"
    return _err(request, 403, "无权访问", message)


def page_not_found(request, exception=None):
    return _err(request, 404, "未找到", "您要找的页面或记录不存在，或不在您的访问范围内。")


def server_error(request):
    # Django calls this while handling the exception, so it is still at hand: a
    # database that went away before any view ran (session, user) gets the 503 page too.
    from .middleware import database_unavailable_response, is_database_unavailable

    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        return database_unavailable_response(request, exc)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "系统暂时出错，请稍后重试。"}, status=500)
    from django.http import HttpResponseServerError

    html = loader.get_template("errors/500.html").render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(html)


def healthz(request):
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:  # noqa: BLE001 - report, don't crash
        return JsonResponse({"status": "database unavailable"}, status=503)
