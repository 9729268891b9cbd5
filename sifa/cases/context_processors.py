from __future__ import annotations

from django.urls import reverse

from sifa.kit import menu


def frame(request):
    """What the page frame needs: the menu for this user and the due-deadline count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from sifa.accounts.roles import SEE_CASES, has_cap
    from sifa.deadlines.selectors import bell_count  # core-to-core, lazily to keep start-up light

    return {
        # The root address is the desk too (首页 lives at cases:home).
        "menu_groups": menu.for_user(user, reverse("cases:home") if request.path == "/" else request.path),
        # None hides the bell: the administrator roles see no case data, and the
        # deadline list it links to answers them 404.
        "deadline_bell": bell_count(user) if has_cap(user, SEE_CASES) else None,
    }
