"""Daily KPI facts (docs/adr/0021): which measures roll up, who reads them, marks at
every write, and stats_verify proving them equal to the live computation."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from sifa.cases import services
from sifa.cases.tests.factories import make_case
from sifa.cases.tests.testline import KEY
from sifa.kit import registry
from sifa.kit.kpis import OFFICE
from sifa.ledgers.tests.testledger import test_ledger  # noqa: F401 (fixture)
from sifa.ledgers.tests.util import row, upload, xlsx_bytes
from sifa.stats import engine, facts, periods, rollups
from sifa.stats.models import DailyFact, DirtyCase, MonthlyFact
from sifa.stats.overview import overview
from sifa.stats.periods import Period

from .kpis import CLOSED, RECEIVED, SUCCESS, SUSPENDED

pytestmark = pytest.mark.django_db


def _kpis(keys=("testline.received", "testline.success", "testline.success_rate", "testline.closed", "testline.suspended")):
    return [registry.kpi(k) for k in keys]


def _live(kpis, org, periods):
    """The same figures computed from the rows (the facts serve nobody)."""
    from unittest import mock

    with mock.patch.object(facts, "served", return_value=[]):
        return {k: f.value for k, f in engine.compute_many(kpis, org, periods).items()}


# --- which measures -------------------------------------------------------------------------------


def test_additive_measures_roll_up_and_the_others_stay_live(test_kpis):
    for m in (RECEIVED, CLOSED, SUCCESS, SUSPENDED):
        assert rollups.rolled(m)
    by_key = {}
    for k in registry.kpis():
        for kk in [k] + [k.with_choice(v.key) for v in k.variants]:
            for side, m in (("n", kk.numerator), ("d", kk.denominator)):
                if m is not None:
                    by_key[f"{kk.key}:{kk.chosen}:{side}"] = m
    live = {key for key, m in by_key.items() if not rollups.rolled(m)}
    rolled = set(by_key) - live
    # Stocks, distinct cases over many rows a case has, rows of no case, dated through another case or table.
    for key in ("correction.on_register::n", "resettlement.managed::n", "litigation.appearance_rate::n", "legal_aid.consultations::n"):
        if key in by_key:
            assert key in live, key
    for key in ("hotline.handovers::n", "legal_aid.subsidy_paid::n"):
        if key in by_key:
            assert key in live, key
    for key in ("mediation.succeeded::n", "reconsideration.correction_rate:decided:d", "legal_aid.fees_waived::n"):
        if key in by_key:
            assert key in rolled, key
    # Every variant has its own facts: a bureau choosing another definition picks other facts.
    assert len({rollups.measure_key(m) for m in by_key.values()}) > 1
    assert all(rollups.measure_key(m) in rollups.catalogue() for key, m in by_key.items() if key in rolled)


def test_measure_key_is_the_definition_not_the_words():
    from dataclasses import replace

    assert rollups.measure_key(replace(SUCCESS, label="别的名字", unit="宗")) == rollups.measure_key(SUCCESS)
    assert rollups.measure_key(replace(SUCCESS, date_field="opened_on")) != rollups.measure_key(SUCCESS)


# --- who reads the facts --------------------------------------------------------------------------


def test_one_function_decides_who_reads_the_facts(orgs, users):
    from sifa.cases.selectors import _restricted_for, _spec

    # A whole subtree of every line: the facts.
    assert facts.use_facts(None, orgs.bureau)
    assert facts.use_facts(users.leader, orgs.bureau)
    assert facts.use_facts(users.leader, orgs.office_a)
    # An office sees its whole subtree unless a restricted line is hidden from it.
    assert facts.use_facts(users.office_a, orgs.office_a) == (not _restricted_for(_spec(users.office_a)))
    # Narrower: only assigned cases, only some lines, part of the subtree asked for, nothing.
    assert not facts.use_facts(users.mediator_a, orgs.committee_a)
    assert not facts.use_facts(users.lawyer, orgs.legal_aid)
    assert not facts.use_facts(users.staff, orgs.bureau)
    assert not facts.use_facts(users.office_a, orgs.bureau)
    assert not facts.use_facts(users.other_leader, orgs.bureau)
    assert not facts.use_facts(users.sysadmin, orgs.bureau)


def test_fresh_install_computes_live_and_built_facts_are_read(orgs, users, test_kpis):
    case = make_case(users.office_a, orgs.office_a, opened_on=date(2026, 3, 5))
    period = Period.year(2026)
    kpi = registry.kpi("testline.received")
    assert facts.served([kpi.numerator], orgs.bureau, users.leader) == []  # nothing built: live
    assert engine.compute_many([kpi], orgs.bureau, [period], users.leader)[(kpi.key, period)].value == 1
    rollups.run()
    assert facts.served([kpi.numerator], orgs.bureau, users.leader) == [kpi.numerator]
    # Proof the facts are what the leader reads: one fact changed by hand changes the figure.
    # A year is whole months: its figure is the monthly facts'; a period starting on the
    # 5th takes March's days from the daily facts and the months after from the monthly.
    key = rollups.measure_key(kpi.numerator)
    MonthlyFact.objects.filter(measure=key, org=orgs.office_a, month=date(2026, 3, 1)).update(value=7)
    assert engine.compute_many([kpi], orgs.bureau, [period], users.leader)[(kpi.key, period)].value == 7
    odd = Period(date(2026, 3, 5), date(2026, 12, 31))
    assert engine.compute_many([kpi], orgs.bureau, [odd], users.leader)[(kpi.key, odd)].value == 1
    DailyFact.objects.filter(measure=key, org=orgs.office_a).update(value=3)
    assert engine.compute_many([kpi], orgs.bureau, [odd], users.leader)[(kpi.key, odd)].value == 3
    cmps, (offices,) = overview([kpi], orgs.bureau, period, users.leader, breakdowns=[(OFFICE, [kpi])])
    assert cmps[kpi.key].current.value == 7
    assert {r["key"]: r["value"] for r in offices[kpi.key]}[f"c{orgs.office_a.pk}"] == 7
    # A mediator (assigned cases only) is computed live from the rows.
    assert facts.served([kpi.numerator], orgs.committee_a, users.mediator_a) == []
    assert case.pk


# --- marks and stats_verify -------------------------------------------------------------------------


def _mixed_day(orgs, users, client_for):
    """Register, steps, an import, an edit moving a date, soft delete and restore."""
    today = timezone.localdate()
    a = make_case(users.office_a, orgs.office_a, opened_on=today - timedelta(days=3))
    b = make_case(users.office_a, orgs.committee_a, opened_on=today - timedelta(days=2))
    c = make_case(users.office_b, orgs.office_b, opened_on=today - timedelta(days=1))
    services.transition(a.handler, a, "accept", on=today - timedelta(days=2))
    services.transition(a.handler, a, "close", data={"agreement": "x"}, on=today - timedelta(days=1))
    services.transition(b.handler, b, "accept", on=today - timedelta(days=1))
    services.update_case(users.office_b, c.pk, expected_version=None, opened_on=today - timedelta(days=5))
    services.soft_delete(users.office_a, b.pk, reason="录入重复")
    services.restore(users.office_a, b.pk)
    services.soft_delete(users.office_a, a.pk, reason="录入错误")
    client = client_for(users.office_a)
    opened = (today - timedelta(days=4)).isoformat()
    rows = [row(i, "A司法所", opened=opened, closed=opened, result="成功") for i in range(3)]
    resp = client.post(reverse("ledgers:import_start"), {"case_type": KEY, "file": upload("台账.xlsx", xlsx_bytes(rows))})
    assert resp.status_code == 302, resp.content.decode()[-3000:]
    from sifa.ledgers.models import ImportJob

    job = ImportJob.objects.latest("id")
    assert not job.errors, job.errors
    from sifa.ledgers import imports

    imports.commit(users.office_a, job.pk)
    return a, b, c


def test_after_a_day_of_mixed_activity_the_facts_equal_the_rows(orgs, users, client_for, test_kpis, test_ledger):  # noqa: F811 (the fixture)
    before = make_case(users.office_a, orgs.office_a, opened_on=timezone.localdate() - timedelta(days=5))
    rollups.run()
    assert DailyFact.objects.exists() and not DirtyCase.objects.exists()
    a, b, c = _mixed_day(orgs, users, client_for)
    marked = set(DirtyCase.objects.values_list("case_id", flat=True))
    assert {a.pk, b.pk, c.pk} <= marked and len(marked) == 6  # three registered, three imported
    assert before.pk not in marked
    out = StringIO()
    call_command("stats_verify", "--from", (timezone.localdate() - timedelta(days=30)).isoformat(), stdout=out)
    assert "一致" in out.getvalue()
    assert not DirtyCase.objects.exists()
    # The figures a leader reads (facts) are the live ones.
    period = Period(timezone.localdate() - timedelta(days=30), timezone.localdate())
    kpis = _kpis()
    got = {k: f.value for k, f in engine.compute_many(kpis, orgs.bureau, [period], users.leader).items()}
    assert facts.served([k.numerator for k in kpis], orgs.bureau, users.leader)
    assert got == _live(kpis, orgs.bureau, [period])
    assert got[("testline.received", period)] == 6  # 3 registered (one deleted) + 3 imported + the one before
    assert str(got[("testline.received", period)]) == "6"  # a count reads as one, not "6.00"
    # The edit moved c's opening day: nothing of it is left on the old day.
    key = rollups.measure_key(RECEIVED)
    assert not DailyFact.objects.filter(measure=key, org=orgs.office_b, day=timezone.localdate() - timedelta(days=1)).exists()
    assert DailyFact.objects.get(measure=key, org=orgs.office_b, day=timezone.localdate() - timedelta(days=5)).value == 1


def test_a_rebuild_a_few_organisations_at_a_time_builds_the_same_facts(orgs, users, test_kpis):
    """The rebuild goes by groups of organisations (memory bounded at any size): one
    organisation per group gives the facts and footprints of one group for all."""
    from sifa.stats.models import CaseFootprint

    for org, day in ((orgs.office_a, 5), (orgs.office_a, 6), (orgs.office_b, 6), (orgs.committee_a, 7)):
        make_case(users.office_a if org != orgs.office_b else users.office_b, org, opened_on=date(2026, 3, day))
    chunks = rollups.org_chunks(1)
    assert len(chunks) >= 3 and all(len(c) == 1 for c in chunks)
    assert len(rollups.org_chunks()) == 1

    def built():
        return (
            sorted(DailyFact.objects.values_list("org_id", "case_type", "measure", "day", "value", "rows")),
            sorted((f.case_id, f.org_id, tuple(f.days)) for f in CaseFootprint.objects.all()),
            sorted(MonthlyFact.objects.values_list("org_id", "case_type", "measure", "month", "value", "rows")),
        )

    whole = rollups.rebuild()
    at_once = built()
    assert rollups.rebuild(chunk_cases=1) == whole
    assert built() == at_once and at_once[0] and len(at_once[1]) == 4
    call_command("stats_verify", "--from", "2026-03-01", "--to", "2026-03-31", stdout=StringIO())


def test_stats_verify_names_an_altered_fact(orgs, users, test_kpis):
    make_case(users.office_a, orgs.office_a, opened_on=date(2026, 3, 5))
    make_case(users.office_b, orgs.office_b, opened_on=date(2026, 3, 6))
    rollups.run()
    call_command("stats_verify", "--from", "2026-03-01", "--to", "2026-03-31", stdout=StringIO())
    key = rollups.measure_key(RECEIVED)
    DailyFact.objects.filter(measure=key, org=orgs.office_b, day=date(2026, 3, 6)).update(value=2, rows=2)
    err = StringIO()
    with pytest.raises(CommandError, match="2处"):  # the day's fact, and the office's total for the period
        call_command("stats_verify", "--from", "2026-03-01", "--to", "2026-03-31", stdout=StringIO(), stderr=err)
    text = err.getvalue()
    assert "testline.received" in text and "B司法所" in text and "2026-03-06" in text
    assert "A司法所" not in text
    assert "2026-03-01至2026-03-31合计" in text
    # Only office A's subtree: its facts are right.
    call_command("stats_verify", "--from", "2026-03-01", "--to", "2026-03-31", "--org", "A司法所", stdout=StringIO())
    # A fact with no rows behind it is named as well.
    DailyFact.objects.filter(measure=key, org=orgs.office_b).update(day=date(2026, 3, 9))
    with pytest.raises(CommandError):
        call_command("stats_verify", "--from", "2026-03-01", "--to", "2026-03-31", stdout=StringIO(), stderr=StringIO())
    rollups.rebuild()
    call_command("stats_verify", "--from", "2026-03-01", "--to", "2026-03-31", stdout=StringIO())
    # A monthly fact (what a year's figure is read from) is checked against the rows too,
    # also from a period that only touches its month.
    MonthlyFact.objects.filter(measure=key, org=orgs.office_b, month=date(2026, 3, 1)).update(value=5)
    err = StringIO()
    with pytest.raises(CommandError, match="1处"):
        call_command("stats_verify", "--from", "2026-03-20", "--to", "2026-04-10", stdout=StringIO(), stderr=err)
    assert "2026年03月（月汇总）" in err.getvalue() and "B司法所" in err.getvalue() and "5.00" in err.getvalue()


def test_a_period_is_its_whole_months_and_the_days_at_its_edges():
    assert periods.whole_months(date(2026, 1, 1), date(2026, 12, 31)) == (date(2026, 1, 1), date(2026, 12, 1))
    assert periods.whole_months(date(2026, 2, 1), date(2026, 2, 28)) == (date(2026, 2, 1), date(2026, 2, 1))
    assert periods.whole_months(date(2024, 2, 1), date(2024, 2, 28)) is None  # a leap year's February has 29 days
    assert periods.whole_months(date(2026, 3, 5), date(2026, 3, 31)) is None
    assert periods.split(date(2025, 12, 20), date(2026, 2, 10)) == (
        (date(2026, 1, 1), date(2026, 1, 1)),
        [(date(2025, 12, 20), date(2025, 12, 31)), (date(2026, 2, 1), date(2026, 2, 10))],
    )
    assert periods.split(date(2026, 3, 5), date(2026, 3, 9)) == (None, [(date(2026, 3, 5), date(2026, 3, 9))])


def test_figures_from_the_facts_equal_the_rows_for_any_period(orgs, users, test_kpis):
    """Periods cut anywhere (whole months, edges on both sides, inside one month,
    across a year) read from the monthly and daily facts what the rows give."""
    import random
    from unittest import mock

    from sifa.cases.models import Case

    rnd = random.Random(19)
    for i in range(40):
        opened = date(2025, 11, 1) + timedelta(days=rnd.randrange(200))
        case = make_case(users.office_a if i % 2 else users.office_b, orgs.office_a if i % 2 else orgs.office_b, opened_on=opened)
        if i % 3 == 0:  # closed, before the facts are first built (the build reads the rows)
            Case.all_objects.filter(pk=case.pk).update(closed_on=opened + timedelta(days=rnd.randrange(40)), outcome="success")
    rollups.run()
    kpis = _kpis()
    periods = [
        Period.year(2026),
        Period(date(2025, 12, 1), date(2026, 2, 28)),
        Period(date(2025, 12, 17), date(2026, 3, 3)),
        Period(date(2026, 2, 3), date(2026, 2, 20)),
        Period(date(2026, 1, 1), date(2026, 4, 12)),
        Period(date(2025, 11, 9), date(2026, 5, 31)),
        Period(date(2025, 11, 1), date(2026, 5, 31)),
    ]
    assert facts.served([k.numerator for k in kpis], orgs.bureau, users.leader)
    got = {k: f.value for k, f in engine.compute_many(kpis, orgs.bureau, periods, users.leader).items()}
    assert got == _live(kpis, orgs.bureau, periods)
    assert got[("testline.received", periods[-1])] == 40
    for p in periods:
        by_office = engine.measure_breakdowns([RECEIVED], orgs.bureau, p, OFFICE, users.leader)[RECEIVED]
        with mock.patch.object(facts, "served", return_value=[]):
            assert by_office == engine.measure_breakdowns([RECEIVED], orgs.bureau, p, OFFICE, users.leader)[RECEIVED]


def test_stats_verify_sees_a_case_whose_path_left_its_organisation(orgs, users, test_kpis):
    from sifa.cases.models import Case

    case = make_case(users.office_a, orgs.office_a, opened_on=date(2026, 3, 5))
    rollups.run()
    Case.all_objects.filter(pk=case.pk).update(org_path=orgs.office_b.path)  # no service, no mark
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("stats_verify", "--from", "2026-03-01", "--to", "2026-03-31", stdout=StringIO(), stderr=err)
    assert "B司法所" in err.getvalue() and "A司法所" in err.getvalue()


def test_bad_arguments_are_refused_in_chinese(orgs):
    with pytest.raises(CommandError, match="日期格式"):
        call_command("stats_verify", "--from", "2026-13-01")
    with pytest.raises(CommandError, match="找不到机构"):
        call_command("stats_verify", "--org", "没有这个机构")
    with pytest.raises(CommandError, match="正整数"):
        call_command("stats_rollup", "--limit", "0")


def test_a_change_while_the_worker_reads_keeps_its_mark(orgs, users, test_kpis, monkeypatch):
    case = make_case(users.office_a, orgs.office_a, opened_on=date(2026, 3, 5))
    rollups.run()
    services.update_case(users.office_a, case.pk, expected_version=None, title="改名")
    real = rollups.footprints

    def meanwhile(ids, cat=None):
        rollups.mark([case.pk])  # another write to the case after the worker read its mark
        return real(ids, cat)

    monkeypatch.setattr(rollups, "footprints", meanwhile)
    rollups.run()
    assert DirtyCase.objects.filter(case_id=case.pk).exists()  # left for the next run
    monkeypatch.setattr(rollups, "footprints", real)
    rollups.run()
    assert not DirtyCase.objects.exists()


def test_dashboard_says_until_when(orgs, users, client_for, test_kpis):
    make_case(users.office_a, orgs.office_a)
    rollups.run()
    page = client_for(users.leader).get(reverse("stats:dashboard")).content.decode()
    assert "数据截至" in page
    page = client_for(users.mediator_a).get(reverse("stats:dashboard"))
    assert "数据截至" not in page.content.decode()


def test_the_task_does_what_the_command_does(orgs, users, test_kpis):
    from sifa.stats.tasks import rollup_task

    make_case(users.office_a, orgs.office_a, opened_on=date(2026, 3, 5))
    result = rollup_task.enqueue()  # the immediate backend in tests
    assert result.return_value == {"processed": 0, "pending": 0, "rebuilt": True}
    assert DailyFact.objects.filter(measure=rollups.measure_key(RECEIVED), org=orgs.office_a, day=date(2026, 3, 5)).exists()
