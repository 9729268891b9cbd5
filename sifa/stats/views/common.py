"""Shared bits of the statistics pages: the scope, the org/period chooser."""

from __future__ import annotations

from django.http import Http404

from ..forms import PeriodForm
from ..selectors import require, scope_orgs


def chooser(request, *, kinds=None):
    """(form, org, period) from the query string, within the user's scope."""
    user = request.user
    require(user)
    root, orgs = scope_orgs(user)
    if root is None:
        raise Http404()
    if request.GET.get("org") and not orgs.filter(pk=request.GET["org"] if str(request.GET["org"]).isdigit() else 0).exists():
        raise Http404("未找到该机构。")  # another office answers like a missing one
    data = request.GET if any(k in request.GET for k in ("org", "kind", "year", "part", "start", "end")) else None
    form = PeriodForm(data, orgs=orgs, root=root, kinds=kinds)
    return form, form.chosen_org(), form.period()
