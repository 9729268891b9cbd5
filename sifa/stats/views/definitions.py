"""口径设置: the bureau's statistics administrator picks, per KPI, which of its
declared definitions (and which rounding) the bureau's figures use (choices.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from sifa.accounts.roles import MANAGE_STATS, has_cap
from sifa.common.errors import DomainError
from sifa.kit.kpis import ROUNDINGS

from .. import choices
from ..describe import definition
from ..selectors import line_label


@login_required
def definitions(request):
    user = request.user
    if not has_cap(user, MANAGE_STATS) or choices.bureau_for_setting(user) is None:
        raise Http404()
    status, error = 200, None
    if request.method == "POST":
        p = request.POST
        try:
            choices.set_choice(user, p.get("kpi", ""), variant=p.get("variant", ""), rounding=p.get("rounding", ""), reason=p.get("reason", ""))
        except DomainError as exc:
            status, error = 400, {"kpi": p.get("kpi", ""), "message": exc.message}
        else:
            messages.success(request, "统计口径已保存，此后计算的数据均按新口径；已印发的报告不受影响。")
            return redirect("stats:definitions")
    groups: dict[str, list] = {}
    for r in choices.rows_for(user):
        r["definition"] = definition(r["effective"])
        groups.setdefault(line_label(r["kpi"].line), []).append(r)
    return render(
        request,
        "stats/definitions.html",
        {
            "groups": list(groups.items()),
            "roundings": list(ROUNDINGS.items()),
            "bureau": choices.bureau_for_setting(user),
            "error": error,
            "breadcrumbs": [("统计口径设置", None)],
        },
        status=status,
    )
