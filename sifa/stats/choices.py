"""Definitions a bureau can set (口径设置): where practice differs, a KPI declares
its variants (``kit.kpis.Variant``) and the bureau's statistics administrator picks
one, and the rounding, for the bureau and everything under it.

The nearest setting above an organisation decides, so a district's figures follow
the district's choice and a city's totals the city's: a city's figure is computed
from the cases (never by adding its districts' rates), so mixed choices can never
mix definitions in one number. A choice applies to whatever is computed from then
on; an issued report keeps the figures and definitions it was issued with.
"""

from __future__ import annotations

from django.db import transaction

from sifa.accounts.roles import MANAGE_STATS, has_cap
from sifa.audit.services import record, refused
from sifa.common.errors import DomainError, PermissionRefused
from sifa.kit import registry
from sifa.kit.kpis import KPI, ROUNDINGS

from .models import KPIChoice


def _ancestor_paths(org) -> list[str]:
    ids = org.ancestor_ids
    return ["/" + "/".join(str(i) for i in ids[: n + 1]) + "/" for n in range(len(ids))]


def settings_for(org) -> dict[str, KPIChoice]:
    """{kpi key: the choice in force at ``org``} (the nearest setting above it wins)."""
    if org is None:
        return {}
    rows = KPIChoice.objects.filter(org__path__in=_ancestor_paths(org)).select_related("org")
    out: dict[str, KPIChoice] = {}
    for row in sorted(rows, key=lambda r: len(r.org.path)):
        out[row.kpi] = row
    return out


def effective(kpis, org, chosen: dict | None = None) -> list[KPI]:
    """The KPIs as ``org``'s bureau defines them (from the declared ones, so applying
    twice gives the same)."""
    chosen = settings_for(org) if chosen is None else chosen
    out = []
    for k in kpis:
        c = chosen.get(k.key)
        out.append((registry.find_kpi(k.key) or k).with_choice(c.variant, c.rounding) if c else k)
    return out


def effective_one(kpi: KPI, org) -> KPI:
    return effective([kpi], org)[0]


def bureau_for_setting(user):
    """The organisation whose definitions ``user`` sets: their own bureau."""
    from sifa.orgs.selectors import bureau_of

    return bureau_of(user.org) if getattr(user, "org_id", None) else None


def set_choice(user, kpi_key: str, *, variant: str = "", rounding: str = "", reason: str = "") -> KPIChoice | None:
    """Set (or, with the declared variant and rounding, clear) the bureau's definition of
    one KPI. Audited with before and after; refused with nothing changed otherwise."""
    org = bureau_for_setting(user)
    kpi = registry.find_kpi(kpi_key)
    try:
        if not has_cap(user, MANAGE_STATS) or org is None:
            raise PermissionRefused("只有统计管理员可以设置统计口径。")
        if kpi is None:
            raise DomainError("没有这个指标。", field="kpi")
        if variant and variant not in {v.key for v in kpi.variants}:
            raise DomainError("“口径”不是该指标可选的口径。", field="variant")
        if rounding and rounding not in ROUNDINGS:
            raise DomainError("“取舍规则”只能是四舍五入或截尾。", field="rounding")
        reason = (reason or "").strip()
        if not reason:
            raise DomainError("请填写“调整理由”。", field="reason")
        if len(reason) > 200:
            raise DomainError("“调整理由”不能超过200字。", field="reason")
    except DomainError as exc:
        refused("stats.kpi_choice", actor=user, reason=exc.message, detail={"kpi": kpi_key})
        raise
    if rounding == kpi.rounding:
        rounding = ""
    with transaction.atomic():  # the refusal above is recorded outside it, so it stays
        before = KPIChoice.objects.select_for_update().filter(org=org, kpi=kpi_key).first()
        was = {"variant": before.variant, "rounding": before.rounding} if before else {"variant": "", "rounding": ""}
        now = {"variant": variant, "rounding": rounding}
        if was == now:
            return before
        detail = {"kpi": kpi_key, "label": kpi.label, "before": _describe(kpi, **was), "after": _describe(kpi, **now), "reason": reason}
        record("stats.kpi_choice", actor=user, obj=org, detail=detail)
        if not variant and not rounding:
            before.delete()
            return None
        row, _ = KPIChoice.objects.update_or_create(org=org, kpi=kpi_key, defaults={**now, "reason": reason, "set_by": user})
        return row


def _describe(kpi: KPI, *, variant: str, rounding: str) -> str:
    chosen = kpi.with_choice(variant, rounding)
    name = chosen.variant_name or "默认口径"
    return f"{name}，{ROUNDINGS[chosen.rounding]}"


def rows_for(user) -> list[dict]:
    """The settings page: every KPI with variants or a rate, what is in force and the options."""
    org = bureau_for_setting(user)
    chosen = settings_for(org)
    out = []
    for k in registry.kpis():
        if not (k.variants or k.is_ratio):
            continue
        c = chosen.get(k.key)
        eff = effective([k], org, chosen)[0]
        out.append(
            {
                "kpi": k,
                "effective": eff,
                "setting": c,
                "own": c is not None and c.org_id == getattr(org, "pk", None),
                "options": k.variant_options(),
                "rounding": eff.rounding,
            }
        )
    return out
