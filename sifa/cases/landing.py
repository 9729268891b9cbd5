"""Where each role lands after signing in: where its work is, as its ``RoleSpec.landing``
declares (the leader's overview 指挥中心, the audit administrator's audit log, a
display account's wall 大屏); everyone else starts on their desk (首页), which stays
one click away for all."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse

from sifa.accounts.roles import wall_only
from sifa.kit import registry

# Set at sign-in, taken by the first visit to the desk (the sign-in's own redirect).
SESSION_KEY = "sifa_landing"


@receiver(user_logged_in, dispatch_uid="sifa.cases.landing")
def _mark_landing(sender, request, user, **kwargs):
    # Only the sign-in form (a POST; not a test's or a tool's force_login). A sign-in that
    # asked for a page (?next=…) goes there, and later visits to the desk stay on it.
    if request is None or request.method != "POST" or not hasattr(request, "session"):
        return
    if not (request.GET.get("next") or request.POST.get("next")):
        request.session[SESSION_KEY] = True


def landing_url(request) -> str | None:
    """The page to land on instead of the desk, once, right after signing in. A display
    account has no desk: the wall is all it may see, so it always lands there."""
    first = request.session.pop(SESSION_KEY, False)
    if not (first or wall_only(request.user)):
        return None
    name = landing_name(getattr(request.user, "role", ""))
    if not name:
        return None
    try:
        return reverse(name)
    except NoReverseMatch:  # the app is not installed
        return None


def landing_name(role: str) -> str:
    """The URL name ``role`` lands on after signing in ("": the desk)."""
    spec = registry.role(role)
    return spec.landing if spec else ""
