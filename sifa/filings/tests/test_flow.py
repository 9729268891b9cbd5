"""The life of a filled figure: defined by the statistics administrator, a round
opened for every office, filled and submitted by each office, returned with a
reason, submitted again, locked — and what each refusal leaves (nothing changed,
one refused audit entry)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sifa.audit.models import AuditEntry
from sifa.common.errors import Conflict, DomainError, PermissionRefused
from sifa.filings import selectors, services
from sifa.filings.models import Filing, Indicator, Round
from sifa.stats.periods import Period

from .conftest import BASE, define, open_q

pytestmark = pytest.mark.django_db


def state() -> tuple:
    """Everything a refused action must leave as it was."""
    return (
        sorted(Indicator.objects.values_list("pk", "name", "unit", "period_kind", "level", "version", "is_active")),
        Round.objects.count(),
        sorted(Filing.objects.values_list("pk", "status", "value", "note", "version", "return_reason")),
        AuditEntry.objects.filter(result="ok").count(),
    )


def refused_count(action: str) -> int:
    return AuditEntry.objects.filter(action=action, result="refused").count()


def filing_of(org, rnd) -> Filing:
    return Filing.objects.get(org=org, round=rnd)


def test_define_open_fill_return_resubmit_lock_and_the_figure(orgs, users, stats_users):
    ind = define(stats_users.tongji, key="publicity")
    assert (ind.bureau, ind.key, ind.created_by) == (orgs.bureau, "publicity", stats_users.tongji)
    rnd, made = open_q(stats_users.tongji, ind, 2026, 1)
    # One filing per office of the bureau (not the neighbouring bureau's), due 10 days after the quarter.
    assert made == 3 and rnd.label == "2026年第一季度"
    assert set(rnd.filings.values_list("org", flat=True)) == {orgs.office_a.pk, orgs.office_b.pk, orgs.office_c.pk}
    assert set(rnd.filings.values_list("due_on", flat=True)) == {date(2026, 4, 10)}
    # Opening again changes nothing.
    before = state()
    assert open_q(stats_users.tongji, ind, 2026, 1) == (rnd, 0)
    assert state() == before

    a, b = filing_of(orgs.office_a, rnd), filing_of(orgs.office_b, rnd)
    services.save_filing(users.office_a, a.pk, value="12", note="草稿")
    a.refresh_from_db()
    assert (a.status, a.value, a.note, a.filled_by) == ("pending", Decimal("12"), "草稿", users.office_a)
    services.save_filing(users.office_a, a.pk, value="15", note="含送法进村6场", submit=True)
    services.save_filing(users.office_b, b.pk, value="1,020", submit=True)
    a.refresh_from_db()
    assert a.status == "submitted" and a.value == Decimal("15") and a.submitted_at is not None

    services.return_filing(stats_users.tongji, a.pk, "请核对场次，含线上活动")
    a.refresh_from_db()
    assert (a.status, a.return_reason, a.reviewed_by) == ("returned", "请核对场次，含线上活动", stats_users.tongji)
    services.save_filing(users.office_a, a.pk, value="14", note="已去除线上活动", submit=True)
    services.lock_filing(stats_users.tongji, a.pk)
    services.lock_filing(stats_users.tongji, b.pk)
    a.refresh_from_db()
    assert (a.status, a.value, a.return_reason) == ("locked", Decimal("14"), "")

    fig = selectors.figures(orgs.bureau, Period.quarter(2026, 1))
    assert [(f.key, f.value, f.display, f.filled, f.expected, f.note) for f in fig] == [
        ("publicity", Decimal("1034"), "1,034场", 2, 3, "填报，2/3个单位已审核")
    ]
    assert fig[0].definition == "本季度司法所组织的普法宣传活动场次。（填报数据）" and fig[0].theme == "rule_of_law"
    # An office's own figure is its own filing.
    assert selectors.figures(orgs.office_a, Period.quarter(2026, 1))[0].display == "14场"

    # Unlocking needs a reason and sends it back to the office for a correction.
    with pytest.raises(DomainError, match="解锁原因"):
        services.unlock_filing(stats_users.tongji, a.pk, " ")
    services.unlock_filing(stats_users.tongji, a.pk, "区局核查发现少报")
    a.refresh_from_db()
    assert (a.status, a.return_reason) == ("returned", "区局核查发现少报")
    assert selectors.figures(orgs.bureau, Period.quarter(2026, 1))[0].value == Decimal("1020")

    actions = list(AuditEntry.objects.filter(result="ok", action__startswith="filings.").values_list("action", flat=True))
    for action in ("filings.indicator_create", "filings.round_open", "filings.save", "filings.submit", "filings.return", "filings.lock", "filings.unlock"):
        assert action in actions, action
    assert actions.count("filings.submit") == 3 and actions.count("filings.lock") == 2
    entry = AuditEntry.objects.filter(action="filings.return").get()
    assert entry.detail["reason"] == "请核对场次，含线上活动" and entry.object_id == str(a.pk)


def test_refused_actions_change_nothing_and_are_audited(orgs, users, stats_users):
    ind = define(stats_users.tongji)
    rnd, _ = open_q(stats_users.tongji, ind)
    a, b = filing_of(orgs.office_a, rnd), filing_of(orgs.office_b, rnd)
    services.save_filing(users.office_b, b.pk, value="9", submit=True)
    services.lock_filing(stats_users.tongji, b.pk)
    before = state()

    from django.http import Http404

    # Another office's filing is missing to office_a (and the attempt is audited).
    with pytest.raises(Http404):
        services.save_filing(users.office_a, b.pk, value="3")
    assert refused_count("filings.access") == 1
    # A locked filing cannot be changed, not even by its own office.
    with pytest.raises(DomainError, match="已锁定"):
        services.save_filing(users.office_b, b.pk, value="10", submit=True)
    # A bad figure names the field.
    for raw, says in (("-1", "不小于0"), ("abc", "不小于0"), ("NaN", "不小于0"), ("1.5", "整数"), ("1e13", "过大")):
        with pytest.raises(DomainError, match=says) as exc:
            services.save_filing(users.office_a, a.pk, value=raw)
        assert exc.value.field == "value"
    with pytest.raises(DomainError, match="上报前请填写"):
        services.save_filing(users.office_a, a.pk, value="", submit=True)
    # Only the statistics administrator defines, opens and reviews.
    with pytest.raises(PermissionRefused):
        define(users.staff, name="办理公证")
    with pytest.raises(PermissionRefused):
        define(users.leader, name="办理公证")
    with pytest.raises(PermissionRefused):
        services.lock_filing(users.staff, a.pk)
    with pytest.raises(PermissionRefused):
        services.open_round(users.office_a, ind.pk, Period.quarter(2026, 2))
    # The neighbouring bureau's administrator does not see this bureau's indicator.
    with pytest.raises(Http404):
        services.open_round(stats_users.other, ind.pk, Period.quarter(2026, 2))
    with pytest.raises(Http404):
        services.update_indicator(stats_users.other, ind.pk, BASE | {"name": "改名"})
    # A return needs a reason; nothing submitted cannot be locked.
    with pytest.raises(DomainError, match="尚未上报"):
        services.lock_filing(stats_users.tongji, a.pk)
    assert state() == before
    assert (refused_count("filings.save"), refused_count("filings.submit"), refused_count("filings.indicator_create")) == (5, 2, 2)
    assert (refused_count("filings.lock"), refused_count("filings.round_open"), refused_count("filings.access")) == (2, 1, 3)


def test_submitted_filing_waits_for_review_and_a_return_needs_a_reason(orgs, users, stats_users):
    ind = define(stats_users.tongji)
    rnd, _ = open_q(stats_users.tongji, ind)
    a = filing_of(orgs.office_a, rnd)
    services.save_filing(users.office_a, a.pk, value="3", submit=True)
    before = state()
    with pytest.raises(DomainError, match="等待审核"):
        services.save_filing(users.office_a, a.pk, value="4")
    with pytest.raises(DomainError, match="退回原因") as exc:
        services.return_filing(stats_users.tongji, a.pk, "")
    assert exc.value.field == "reason"
    with pytest.raises(DomainError, match="尚未上报|已上报|不能"):
        services.unlock_filing(stats_users.tongji, a.pk, "x")
    assert state() == before


def test_a_stale_form_is_a_conflict(orgs, users, stats_users):
    ind = define(stats_users.tongji)
    rnd, _ = open_q(stats_users.tongji, ind)
    a = filing_of(orgs.office_a, rnd)
    services.save_filing(users.office_a, a.pk, value="3", expected_version=1)
    before = state()
    with pytest.raises(Conflict):
        services.save_filing(users.office_a, a.pk, value="4", expected_version=1)
    assert state() == before


def test_indicator_rules_name_the_field(orgs, stats_users):
    define(stats_users.tongji, key="notary", name="办理公证", unit="件", period_kind="year", level="bureau")
    before = state()
    for over, field in (
        ({"name": ""}, "name"),
        ({"name": "办理公证"}, "name"),
        ({"key": "notary", "name": "新指标"}, "key"),
        ({"key": "公证", "name": "新指标"}, "key"),
        ({"theme": "nowhere"}, "theme"),
        ({"period_kind": "decade"}, "period_kind"),
        ({"definition": " "}, "definition"),
        ({"kpi_key": "no.such"}, "kpi_key"),
        ({"due_days": 400}, "due_days"),
    ):
        with pytest.raises(DomainError) as exc:
            define(stats_users.tongji, **over)
        assert exc.value.field == field, over
    assert state() == before
    # An empty code is made from the id; the same name is fine in another bureau.
    ind = define(stats_users.tongji, name="司法鉴定")
    assert ind.key == f"tb{ind.pk}"
    assert define(stats_users.other, key="notary", name="办理公证").bureau == orgs.other_bureau


def test_editing_an_indicator_with_rounds_keeps_period_and_level(orgs, users, stats_users):
    ind = define(stats_users.tongji)
    open_q(stats_users.tongji, ind)
    before = state()
    with pytest.raises(DomainError) as exc:
        services.update_indicator(stats_users.tongji, ind.pk, BASE | {"period_kind": "year"})
    assert exc.value.field == "period_kind"
    assert state() == before
    services.update_indicator(stats_users.tongji, ind.pk, BASE | {"name": "普法活动", "due_days": 15}, expected_version=1)
    ind.refresh_from_db()
    assert (ind.name, ind.due_days, ind.version) == ("普法活动", 15, 2)
    assert AuditEntry.objects.get(action="filings.indicator_update", result="ok").detail["fields"] == ["due_days", "name"]


def test_rounds_of_a_stopped_indicator_or_the_future_are_refused(orgs, stats_users):
    ind = define(stats_users.tongji)
    before = state()
    with pytest.raises(DomainError, match="尚未开始"):
        open_q(stats_users.tongji, ind, 2099, 1)
    with pytest.raises(DomainError, match="季度"):
        services.open_round(stats_users.tongji, ind.pk, Period.year(2026))
    services.update_indicator(stats_users.tongji, ind.pk, BASE | {"is_active": False})
    with pytest.raises(DomainError, match="停用"):
        open_q(stats_users.tongji, ind)
    assert state()[1:3] == before[1:3]


def test_a_bureau_level_indicator_is_filled_by_the_bureau_staff(orgs, users, stats_users):
    ind = define(stats_users.tongji, name="办理公证", unit="件", period_kind="year", level="bureau")
    rnd, made = services.open_round(stats_users.tongji, ind.pk, Period.year(2025))
    f = rnd.filings.get()
    assert made == 1 and f.org == orgs.bureau and f.due_on == date(2026, 1, 10)
    from django.http import Http404

    with pytest.raises(Http404):
        services.save_filing(users.office_a, f.pk, value="1")
    services.save_filing(users.staff, f.pk, value="3126", submit=True)
    assert [x.pk for x in selectors.my_filings(users.staff)] == [f.pk]
    assert list(selectors.my_filings(users.office_a)) == []


def test_overdue_is_shown_until_submitted(orgs, users, stats_users):
    ind = define(stats_users.tongji)
    rnd, _ = open_q(stats_users.tongji, ind, 2026, 1)
    a = filing_of(orgs.office_a, rnd)
    assert a.shown_status(date(2026, 4, 10))[1] == "待填报"
    assert a.shown_status(date(2026, 4, 11))[1] == "逾期"
    services.save_filing(users.office_a, a.pk, value="2", submit=True)
    a.refresh_from_db()
    assert a.shown_status(date(2026, 4, 11))[1] == "已上报"
