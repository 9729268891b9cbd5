"""统计报表 in a line's layout (``kit.kpis.StatReturn``): the table for the chosen
organisation and period, with 上年同期 and 同比, each value linked to the cases
behind it; ``?by=<dimension>`` adds the same rows by office, month, lawyer …;
``?format=xlsx`` downloads exactly what the page shows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from sifa.audit.services import record, refused
from sifa.ledgers.jobs import XLSX
from sifa.ledgers.permissions import can_export
from sifa.ledgers.views import _disposition

from .. import returns as returning
from ..forms import period_params
from .common import chooser


@login_required
def stat_return(request, key):
    form, org, period = chooser(request)
    user = request.user
    ret = returning.get(user, key)
    rows = returning.table(user, ret, org, period)
    dims = returning.dimensions(ret)
    by = request.GET.get("by") or ""
    crossed = returning.cross(user, ret, org, period, by) if by else None
    params = period_params(org, period)
    if request.GET.get("format") == "xlsx":
        name = f"{org.name}{period.label}{ret.label}.xlsx"
        if not can_export(user):
            refused("ledger.export", actor=user, reason="角色无导出权限", detail={"kind": "stats.return", "return": ret.key})
            return render(request, "stats/error.html", {"message": "您的角色不能导出数据。"}, status=403)
        content = returning.build_xlsx(user, ret, org, period, rows, crossed)
        detail = {"kind": "stats.return", "label": name, "rows": len(rows), "return": ret.key, "org": org.name, "period": period.label}
        record("ledger.export", actor=user, detail=detail | ({"by": crossed["dim"].key} if crossed else {}))
        resp = HttpResponse(content, content_type=XLSX)
        resp["Content-Disposition"] = _disposition(name)
        return resp
    here = reverse("stats:return", args=[ret.key])
    return render(
        request,
        "stats/return.html",
        {
            "form": form,
            "ret": ret,
            "org": org,
            "period": period,
            "rows": rows,
            "line_name": returning.line_name(ret),
            "crossed": crossed,
            "dims": [(d, here + "?" + urlencode(params | {"by": d.key}), d.key == by) for d in dims],
            "plain_url": here + "?" + urlencode(params),
            "export_url": here + "?" + urlencode(params | ({"by": by} if crossed else {}) | {"format": "xlsx"}) if can_export(user) else "",
            "columns": returning.COLUMNS,
            "breadcrumbs": [("统计报表", reverse("stats:table") + "?" + urlencode(params)), (ret.label, None)],
        },
    )
