"""Demo data of 填报 for the demo district bureau: six indicators the platform does
not run (公证, 司法鉴定, 律师事务所, 执业律师, 普法宣传活动, 法律顾问服务), defined by the
statistics administrator ``tongji``; last year's figures filled by the bureau's
section staff and locked; every quarter of 普法宣传活动 up to the last one ended
filled by the offices and locked, except that last quarter: 东湖司法所 (``office_a``)
has still to fill it, 西山司法所's waits for review. All through the services, so
the audit log tells the same story. Figures are fictional. Idempotent."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from sifa.accounts.roles import Role

from . import services, spans
from .choices import Level, PeriodKind
from .models import Filing, Indicator

INDICATORS = [
    # key, name, unit, period kind, level, theme, definition, (low, high) per filing
    (
        "notarization",
        "办理公证",
        "件",
        PeriodKind.YEAR,
        Level.BUREAU,
        "public_service",
        "本年度辖区公证机构办结的公证事项件数，以出具公证书为准。",
        (2000, 4000),
    ),
    ("forensic", "司法鉴定", "件", PeriodKind.YEAR, Level.BUREAU, "public_service", "本年度辖区司法鉴定机构完成并出具意见书的鉴定业务件数。", (500, 1200)),
    ("law_firms", "律师事务所", "家", PeriodKind.YEAR, Level.BUREAU, "public_service", "年末辖区内执业的律师事务所家数（含分所）。", (20, 45)),
    ("lawyers", "执业律师", "人", PeriodKind.YEAR, Level.BUREAU, "public_service", "年末辖区内持有执业证的律师人数（含公职律师、公司律师）。", (250, 520)),
    (
        "publicity_events",
        "普法宣传活动",
        "场",
        PeriodKind.QUARTER,
        Level.OFFICE,
        "rule_of_law",
        "本季度司法所组织或参与的普法宣传活动场次（法治讲座、宣传摊点、送法进村居等）。",
        (8, 30),
    ),
    (
        "adviser_services",
        "法律顾问服务",
        "次",
        PeriodKind.YEAR,
        Level.BUREAU,
        "public_service",
        "本年度村（居）法律顾问提供法律咨询、法治讲座、审核合同等服务的次数。",
        (1200, 2400),
    ),
]


def _filler(ctx, org):
    """Someone of ``org`` who fills its figures (the demo's section staff or office staff)."""
    from sifa.accounts.models import User

    user = User.objects.filter(org=org, role__in=[Role.SECTION, Role.OFFICE], is_active=True).order_by("id").first()
    if user is None:
        # 南桥司法所 has no login of its own otherwise.
        user = ctx.user("office_c", "赵所员", Role.OFFICE, org)
    return user


def _backdate(filing: Filing, days_after_end: int, reviewed: bool) -> None:
    """Seeded today, a past period's figure reads as filled on time: its times are moved
    to a few days after the period (the audit log keeps the real seeding time)."""
    at = timezone.make_aware(datetime.combine(filing.round.end + timedelta(days=days_after_end), time(10, 0)))
    fields = {"filled_at": at, "submitted_at": at}
    if reviewed:
        fields["reviewed_at"] = at + timedelta(days=2)
    Filing.objects.filter(pk=filing.pk).update(**fields)


def seed(ctx) -> int:
    bureau = ctx.orgs.get("bureau")
    if bureau is None or Indicator.objects.filter(bureau=bureau).exists():
        return 0
    rng = random.Random(20261206)  # its own, so the lines' demo stories stay as they were
    tongji = ctx.users.get("tongji") or ctx.user("tongji", "周统计", Role.STATISTICIAN, bureau)
    today = ctx.today
    made = 0
    for key, name, unit, kind, level, theme, definition, (low, high) in INDICATORS:
        values = {"key": key, "name": name, "unit": unit, "period_kind": kind, "level": level, "definition": definition}
        ind = services.create_indicator(tongji, values | {"theme": theme, "kpi_key": "", "live_from": None, "due_days": 10, "is_active": True})
        made += 1
        periods = spans.in_year(kind, today.year - 1) + [p for p in spans.in_year(kind, today.year) if p.end < today]
        last = periods[-1]
        for period in periods:
            rnd, n = services.open_round(tongji, ind.pk, period)
            made += 1 + n
            for i, filing in enumerate(rnd.filings.select_related("org", "round").order_by("org__path")):
                if period == last and level == Level.OFFICE and i == 0:
                    continue  # office_a's: still to fill
                value = rng.randint(low, high)
                services.save_filing(_filler(ctx, filing.org), filing.pk, value=value, note="", submit=True)
                waits = period == last and level == Level.OFFICE and i == 1
                if not waits:
                    services.lock_filing(tongji, filing.pk)
                _backdate(filing, 3 + i, reviewed=not waits)
    return made
