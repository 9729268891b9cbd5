from __future__ import annotations

from django.urls import reverse

from sifa.kit import menu


def frame(request):
    """What the page frame needs: the menu for this user and the due-deadline count.
    Worked out once per request: a view that renders more than one template with
    the request (a page and its fragments) asks for it again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    kept = getattr(request, "_sifa_frame", None)
    if kept is not None and kept[0] == user.pk:
        return kept[1]
    from sifa.accounts.roles import SEE_CASES, has_cap
    from sifa.deadlines.selectors import frame_bell_count  # core-to-core, lazily to keep start-up light

    out = {
        # The root address is the desk too (首页 lives at cases:home).
        "menu_groups": menu.for_user(user, reverse("cases:home") if request.path == "/" else request.path),
        # None hides the bell: the administrator roles see no case data, and the
        # deadline list it links to answers them 404. The count is a copy at most
        # deadlines.selectors.BELL_MAX_AGE seconds old (it is on every page).
        "deadline_bell": frame_bell_count(user) if has_cap(user, SEE_CASES) else None,
    }
    request._sifa_frame = (user.pk, out)
    return out
