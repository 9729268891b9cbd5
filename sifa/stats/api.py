"""/api/v1/stats/: the KPI catalogue and any KPI for an organisation and
period, with its definition, 同比/环比 and optionally a breakdown. Same scope
as the dashboard: figures count only cases the caller may see."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.common.errors import DomainError
from sifa.kit import registry

from . import engine
from .choices import effective_one
from .describe import definition, period_rule
from .exports import resolve
from .overview import overview
from .selectors import kpi_keys_for, kpis_for, line_label, may_see


def _num(v: Decimal | None):
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def _kpi_info(k) -> dict:
    return {
        "key": k.key,
        "label": k.label,
        "unit": k.unit,
        "line": k.line,
        "line_label": line_label(k.line),
        "is_ratio": k.is_ratio,
        "definition": definition(k),
        "period_rule": period_rule(k),
        "source": k.source,
        "dimensions": [{"key": d.key, "label": d.label} for d in k.dimensions],
    }


def _figure(f: engine.Figure) -> dict:
    return {"value": _num(f.value), "numerator": _num(f.numerator), "denominator": _num(f.denominator), "display": f.display}


KPI_INFO = inline_serializer(
    "KpiInfo",
    {
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "unit": serializers.CharField(),
        "line": serializers.CharField(),
        "line_label": serializers.CharField(),
        "is_ratio": serializers.BooleanField(),
        "definition": serializers.CharField(),
        "period_rule": serializers.CharField(),
        "source": serializers.CharField(),
    },
)

PERIOD_PARAMS = [
    OpenApiParameter("org", int, description="机构ID（默认：本人可见范围的顶层机构）"),
    OpenApiParameter("kind", str, enum=["year", "half", "quarter", "month", "custom"], description="期间类型，默认 year"),
    OpenApiParameter("year", int),
    OpenApiParameter("part", int, description="半年 1-2、季度 1-4、月份 1-12"),
    OpenApiParameter("start", str, description="自定义期间起（YYYY-MM-DD）"),
    OpenApiParameter("end", str, description="自定义期间止（YYYY-MM-DD）"),
    OpenApiParameter("dim", str, description="分组维度（如 office、month），可选"),
]


class KpiList(APIView):
    @extend_schema(operation_id="stats_kpi_list", summary="指标目录（含口径）", responses={200: KPI_INFO})
    def get(self, request):
        if not may_see(request.user):
            raise Http404()
        return Response({"results": [_kpi_info(k) for k in kpis_for(request.user)]})


class KpiValue(APIView):
    @extend_schema(operation_id="stats_kpi_value", summary="某机构某期间的指标值（含口径、同比、环比）", parameters=PERIOD_PARAMS, responses={200: dict})
    def get(self, request, key):
        user = request.user
        if not may_see(user):
            raise Http404()
        kpi = registry.find_kpi(key)
        if kpi is None or kpi.key not in kpi_keys_for(user):
            raise Http404()
        org, period = resolve(user, {k: request.query_params.get(k) for k in ("org", "kind", "year", "part", "start", "end")})
        kpi = effective_one(kpi, org)  # as the chosen organisation's bureau defines it
        dim_key = request.query_params.get("dim")
        dim = None
        if dim_key:
            dim = next((d for d in kpi.dimensions if d.key == dim_key), None)
            if dim is None:
                raise DomainError(f"该指标没有“{dim_key}”分组，可选：{'、'.join(d.key for d in kpi.dimensions)}。", field="dim")
        # The figures and the breakdown in one pass (overview.py).
        cmps, views = overview([kpi], org, period, user, breakdowns=[(dim, [kpi])] if dim else [])
        cmp = cmps[kpi.key]
        body = {
            "kpi": _kpi_info(kpi),
            "org": {"id": org.pk, "name": org.name},
            "period": {"kind": period.kind, "label": period.label, "start": period.start, "end": period.end},
            **_figure(cmp.current),
            "definition": definition(kpi),
            "yoy": {"period": cmp.previous_year.period.label, **_figure(cmp.previous_year), "change": _change(cmp.yoy)},
            "pop": {"period": cmp.previous_period.period.label, **_figure(cmp.previous_period), "change": _change(cmp.pop)},
        }
        if dim is not None:
            body["breakdown"] = {
                "dimension": {"key": dim.key, "label": dim.label},
                "rows": [
                    {
                        "key": r["key"].isoformat() if hasattr(r["key"], "isoformat") else r["key"],
                        "label": str(r["label"]),
                        "value": _num(r["value"]),
                        "numerator": _num(r["numerator"]),
                        "denominator": _num(r["denominator"]),
                        "display": r["display"],
                    }
                    for r in views[0][kpi.key]
                ],
            }
        return Response(body)


def _change(ch: dict) -> dict:
    return {"delta": _num(ch.get("delta")), "pct": _num(ch.get("pct")), "text": ch.get("text")}


api_urlpatterns = [
    path("stats/", KpiList.as_view(), name="stats-kpis"),
    path("stats/<str:key>/", KpiValue.as_view(), name="stats-kpi"),
]
