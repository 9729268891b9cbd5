"""The idle warning's figures and a kept form's content for includes/idle.html."""

from django import template
from django.conf import settings

from sifa.accounts import formkeep, idle

register = template.Library()


@register.simple_tag(takes_context=True)
def idle_state(context):
    """Seconds left before the idle logout, and the form content kept for this
    user across their sign-in (claimed here, once: only a page that is really
    rendered for a fully signed-in user takes it)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return None
    restored = None
    key = request.GET.get(formkeep.PARAM)
    if key and request.method == "GET":
        restored = formkeep.claim(key, user)
    limit, warn = settings.SESSION_COOKIE_AGE, settings.SIFA_SESSION_WARN_SECONDS
    return {
        "remaining": idle.remaining(request.session),
        "limit_minutes": limit // 60,
        "idle_minutes": (limit - warn) // 60,
        "warn_minutes": warn // 60,
        "limit": settings.SESSION_COOKIE_AGE,
        "warn": settings.SIFA_SESSION_WARN_SECONDS,
        "restored": restored,
    }
