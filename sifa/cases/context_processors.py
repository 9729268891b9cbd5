from __future__ import annotations

from sifa.common import menu


def frame(request):
    """What the page frame needs: the menu for this user and the due-deadline count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from sifa.deadlines.selectors import bell_count  # core-to-core, lazily to keep start-up light

    return {
        "menu_groups": menu.for_user(user, request.path),
        "deadline_bell": bell_count(user),
    }
