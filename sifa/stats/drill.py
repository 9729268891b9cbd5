"""The cases behind a number (drill-down): which KPI, organisation, period,
part (numerator / denominator) and breakdown cell a link names, resolved
within the user's scope. Used by the drill-down page and by its export."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from sifa.common.errors import DomainError
from sifa.kit import registry
from sifa.kit.kpis import KPI, Dimension

from . import engine
from .choices import effective_one
from .describe import definition
from .forms import PeriodForm
from .periods import Period
from .selectors import kpi_keys_for, line_label, scope_orgs


@dataclass
class DrillTarget:
    kpi: KPI
    org: object
    period: Period
    part: str
    dim: Dimension | None
    key: object
    key_label: str

    @property
    def description(self) -> str:
        part = ""
        if self.kpi.is_ratio:
            part = f"（{self.kpi.numerator.label if self.part == 'numerator' else self.kpi.denominator.label}）"
        cell = f"，{self.dim.label}：{self.key_label}" if self.dim else ""
        return f"{line_label(self.kpi.line)}·{self.kpi.label}{part}，{self.org.name}，{self.period.label}{cell}"

    @property
    def definition(self) -> str:
        return definition(self.kpi)


def resolve(user, params) -> tuple[DrillTarget, object]:
    """(target, queryset of the cases behind it) — scoped to ``user``."""
    kpi = registry.find_kpi(params.get("kpi", ""))
    if kpi is None or kpi.key not in kpi_keys_for(user):
        raise Http404("未找到该指标。")
    root, orgs = scope_orgs(user)
    if root is None:
        raise Http404()
    org_param = str(params.get("org") or "")
    if org_param and not (org_param.isdigit() and orgs.filter(pk=int(org_param)).exists()):
        raise Http404("未找到该机构。")  # another office answers like a missing one
    form = PeriodForm(params, orgs=orgs, root=root)
    if not form.is_valid():
        raise DomainError("统计期间或机构参数不正确：" + "；".join(str(e) for errs in form.errors.values() for e in errs))
    org, period = form.chosen_org(), form.period()
    if params.get("org") and str(org.pk) != str(params.get("org")):
        raise Http404("未找到该机构。")
    kpi = effective_one(kpi, org)  # as the organisation's bureau defines it (choices.py)
    part = "denominator" if params.get("side") == "denominator" and kpi.is_ratio else "numerator"
    dim, key, key_label = None, None, ""
    if params.get("dim"):
        dim = next((d for d in kpi.dimensions if d.key == params.get("dim")), None)
        if dim is None:
            raise DomainError("该指标没有这种分组方式。")
        key = params.get("key")
        if key in (None, "None"):
            key = None
        elif dim.kind == "org":
            if not str(key).isdigit():
                raise DomainError("机构参数不正确。")
            key = int(key)
        elif dim.kind == "month" and (len(str(key)) < 7 or not str(key)[:4].isdigit()):
            raise DomainError("月份参数不正确。")
        key_label = _key_label(kpi, dim, org, period, key)
    qs = engine.cases_behind(kpi, org, period, user, part=part, dim=dim, dim_key=key)
    return DrillTarget(kpi, org, period, part, dim, key, key_label), qs


def _key_label(kpi, dim, org, period, key) -> str:
    if dim.kind == "month":
        return f"{str(key)[:4]}年{int(str(key)[5:7])}月"
    if dim.kind == "office":
        if key == "self":
            return f"{org.name}（本级）"
        child = next((c for c in engine._children(org) if f"c{c.pk}" == str(key)), None)
        return child.name if child else str(key)
    if dim.kind == "org":
        from sifa.orgs.models import Org

        found = Org.objects.filter(pk=key).first()
        return found.name if found else "—"
    labels = dim.labels() if dim.labels else {}
    return str(labels.get(key, key if key not in (None, "") else "未填写"))


def source_cases(user, params):
    """For the ledger export of a drill-down (source "kpi")."""
    target, qs = resolve(user, params)
    return qs.order_by("-opened_on", "-id"), target.description
