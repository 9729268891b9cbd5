"""A form posted after the session ended survives the new sign-in (issue 18 item 2).

When a POST reaches a page that needs a signed-in user but the session is gone
(idle, 12 h, ended elsewhere), its fields are kept on the SERVER, never in the
browser of a shared office PC, under a random key, for ``SIFA_FORMKEEP_SECONDS``
and for the user whose session it was (known from the signed ``sifa_idle``
cookie, see idle.py). The login page is given ``next=<form page>?sifa_restore=<key>``;
once that user is fully signed in (password, second factor) the form page
claims the content (one use) and idle.js fills the inputs by name. Anyone else
who signs in gets nothing and the content is discarded.

Never kept: the CSRF token, passwords and one-time codes, and files (the user
is told to choose them again). A post larger than ``MAX_BYTES`` is not kept."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone

PARAM = "sifa_restore"
MAX_BYTES = 200_000
MAX_FIELDS = 500
PER_USER = 3  # the newest few per user: two tabs posting after a timeout both survive
_SECRET_NAMES = {"csrfmiddlewaretoken", "token", "otp_token", "otp_device"}


class KeptForm(models.Model):
    key = models.CharField(primary_key=True, max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Where the content goes back: the page that showed the form, and the form's action.
    page = models.CharField(max_length=2000)
    action = models.CharField(max_length=2000)
    fields = models.JSONField(default=dict)
    had_files = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "accounts"
        verbose_name = "登录前暂存的表单"
        verbose_name_plural = verbose_name


def _kept_field(name: str) -> bool:
    lowered = name.lower()
    return "password" not in lowered and lowered.rsplit("-", 1)[-1] not in _SECRET_NAMES


def _same_site_page(request) -> str | None:
    """The page that showed the form (the Referer, same host only), so a form
    posting to another URL is restored where it was typed."""
    ref = request.META.get("HTTP_REFERER", "")
    if not ref:
        return None
    parts = urlsplit(ref)
    if parts.netloc != request.get_host():
        return None
    login = resolve_url(settings.LOGIN_URL)
    if parts.path.startswith(login):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _with_param(url: str, key: str | None) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    if key:
        query.append((PARAM, key))
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def keep(request, user_pk: int) -> tuple[str, str | None]:
    """Keep the POST's fields for ``user_pk``. Returns (page to come back to,
    key or None when nothing was kept)."""
    page = _same_site_page(request) or request.get_full_path()
    fields = {name: request.POST.getlist(name) for name in request.POST if _kept_field(name)}
    fields = {name: values for name, values in fields.items() if any(v != "" for v in values)}
    had_files = bool(request.FILES)
    size = len(json.dumps(fields, ensure_ascii=False).encode())
    if not (fields or had_files) or size > MAX_BYTES or len(fields) > MAX_FIELDS:
        return _with_param(page, None), None
    now = timezone.now()
    purge_expired()
    older = KeptForm.objects.filter(user_id=user_pk).order_by("-created_at").values_list("pk", flat=True)[PER_USER - 1 :]
    KeptForm.objects.filter(pk__in=list(older)).delete()
    key = secrets.token_urlsafe(24)
    KeptForm.objects.create(
        key=key,
        user_id=user_pk,
        page=page[:2000],
        action=request.path[:2000],
        fields=fields,
        had_files=had_files,
        expires_at=now + timedelta(seconds=settings.SIFA_FORMKEEP_SECONDS),
    )
    return _with_param(page, key), key


def purge_expired() -> None:
    # Content past its time is deleted, not merely ignored (run at every sign-in).
    KeptForm.objects.filter(expires_at__lte=timezone.now()).delete()


def pending(key: str) -> KeptForm | None:
    if not key:
        return None
    return KeptForm.objects.filter(pk=key, expires_at__gt=timezone.now()).first()


def discard_unless_owner(next_url: str, user) -> str:
    """At sign-in: content kept for someone else is deleted, and the key taken
    off the address the new user is sent to."""
    key = dict(parse_qsl(urlsplit(next_url).query)).get(PARAM)
    if not key:
        return next_url
    row = pending(key)
    if row is not None and row.user_id == user.pk:
        return next_url
    KeptForm.objects.filter(pk=key).delete()
    return _with_param(next_url, None)


def claim(key: str, user) -> dict | None:
    """The kept content for ``user`` (once), or None. Content of another user
    is deleted, never shown."""
    row = pending(key)
    if row is None:
        return None
    taken = KeptForm.objects.filter(pk=row.pk).delete()[0]
    if not taken or row.user_id != user.pk:
        return None
    return {"action": row.action, "fields": row.fields, "files": row.had_files}


def after_anonymous(request, response, owner: int | None = None):
    """Response phase for a request without a signed-in user: a POST (or an
    htmx call) that a page answered with "sign in first". ``owner``: the user
    whose session this request has just ended (else the cookie says)."""
    if response.status_code not in (301, 302) or not response.has_header("Location"):
        return response
    login = resolve_url(settings.LOGIN_URL)
    if urlsplit(response["Location"]).path != login:
        return response
    from . import idle

    if request.method == "POST":
        if owner is None:
            info = idle.read_cookie(request)
            if info is None:
                return response
            owner = info[0]
        return login_redirect(request, owner)
    if idle.is_htmx(request) or idle.is_background(request):
        return signed_out_answer(idle.signed_out_reason(request) or idle.ELSEWHERE)
    return response


def login_redirect(request, user_pk: int):
    """Keep this POST for ``user_pk`` and send the browser to the login page
    (htmx: by HX-Redirect) with the way back to the form."""
    from django.http import HttpResponseRedirect

    from . import idle

    page, _key = keep(request, user_pk)
    url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}"
    if idle.is_htmx(request):
        answer = HttpResponse(status=204)
        answer["HX-Redirect"] = url
        return answer
    return HttpResponseRedirect(url)


def signed_out_answer(reason: str):
    """For a poll or an htmx fragment: nothing to swap (204), and a header idle.js
    reads to say the user was signed out, so no login page lands inside a page."""
    from . import idle

    answer = HttpResponse(status=204)
    answer[idle.SIGNED_OUT_HEADER] = reason
    return answer
