"""Page guards for the administration pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from sifa.audit.services import refused

from .roles import has_cap


def require_cap(capability: str):
    """Signed-in users whose role has ``capability`` get the page; everyone else
    gets the same 404 as a page that does not exist (they need not learn it
    does), and the refusal is audited."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not has_cap(request.user, capability):
                refused("page.access", actor=request.user, object_type="page", object_repr=request.path[:200], reason="角色无此权限")
                raise Http404()
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate
