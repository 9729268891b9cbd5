"""The figures of 社区矫正, made of people worked through their steps and of an
imported register: each count chosen here is what the statistics engine gives
back (the path of the dashboard, the figures page and the annual report), a
sealed minor is counted, and an office's officer counts only their office.
在册 and 累计列管 are stocks (``Measure.stock``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from sifa.cases import procedures
from sifa.cases.models import Procedure
from sifa.cases.services import today, transition
from sifa.common.docgen import read_text
from sifa.kit import registry
from sifa.ledgers.tests.util import id_number
from sifa.stats import engine
from sifa.stats.periods import Period
from sifa.stats.report import builder

from .. import kpis
from ..choices import Category
from ..kpis import FIGURES, KPIS, REPORT
from ..services import register_inquiry
from .conftest import MINOR, receive, supervise
from .test_ledger import import_people, person

pytestmark = pytest.mark.django_db
D = date


def on_register(org, day, user=None) -> int:
    """期末在册 at the end of ``day``, as the engine counts the KPI."""
    return int(engine.measure_value(kpis.ON_REGISTER, org, Period(day, day), user))


def figures(org, period, user=None) -> dict:
    """{short key: Figure}"""
    got = engine.compute_many(KPIS, org, [period], user)
    return {k.key.removeprefix("correction."): got[(k.key, period)] for k in KPIS}


def counts(org, period, user=None) -> dict:
    return {key: int(f.numerator) for key, f in figures(org, period, user).items() if not f.kpi.is_ratio}


def by(key, dim, org, period, user=None) -> dict:
    k = registry.kpi(f"correction.{key}")
    d = next(x for x in k.dimensions if x.key == dim)
    return {r["key"]: int(r["numerator"]) for r in engine.breakdown(k, org, period, d, user) if r["numerator"]}


def test_every_figure_computes_on_an_empty_database_with_every_breakdown(orgs, users):
    assert REPORT is not None and REPORT.line == "correction"
    keys = {k.key for k in KPIS}
    assert {k.key for k in registry.kpis("correction")} == keys
    for key, dim in FIGURES:  # the figures page names declared KPIs and their own breakdowns
        assert key in keys and dim in {d.key for d in registry.kpi(key).dimensions}, (key, dim)
    year = Period.year(2025)
    figs = engine.compute_many(KPIS, orgs.bureau, [year], users.leader)
    for k in KPIS:
        assert k.definition and "社区矫正法" in k.source, k.key
        assert figs[(k.key, year)].numerator == 0, k.key
        assert k.denominator is None or figs[(k.key, year)].display == "—", k.key
        for dim in k.dimensions:
            assert all(r["numerator"] == 0 for r in engine.breakdown(k, orgs.bureau, year, dim, users.leader)), (k.key, dim.key)
    assert on_register(orgs.bureau, D(2025, 12, 31), users.leader) == 0


def test_the_reoffence_rates_denominator_is_a_setting():
    assert kpis.BASE == "managed" and registry.kpi("correction.reoffence_rate").denominator == kpis.MANAGED
    with override_settings(SIFA_CORRECTION_REOFFENCE_BASE="received"):
        assert kpis.reoffence_base() == "received"
    with override_settings(SIFA_CORRECTION_REOFFENCE_BASE="nonsense"), pytest.raises(ImproperlyConfigured, match="managed"):
        kpis.reoffence_base()


def test_the_figures_count_what_the_steps_recorded(officer, officer_b, orgs, users, client_for):
    t = today()
    period = Period.custom(t - timedelta(days=400), t)
    # p1: reported on time, two 训诫 and a 警告, a short leave and electronic monitoring.
    p1 = supervise(officer, receive(officer, orgs.office_a, effective_on=t - timedelta(days=60), name="甲"), on=t - timedelta(days=55))
    # p2: reported 15 days after the judgment took effect (late), 提请治安管理处罚 and 提请撤销缓刑, lost contact once.
    p2 = receive(officer, orgs.office_a, effective_on=t - timedelta(days=60), id_number=id_number(2), name="乙")
    p2 = supervise(officer, p2, on=t - timedelta(days=45))
    # p3: received, not yet reported (not on the register).
    receive(officer, orgs.office_a, effective_on=t - timedelta(days=3), id_number=id_number(3), name="丙")
    # p4: a parolee of office B, terminated for re-offending.
    p4 = receive(officer_b, orgs.office_b, category=Category.PAROLE, effective_on=t - timedelta(days=30), id_number=id_number(4), name="丁")
    p4 = supervise(officer_b, p4, on=t - timedelta(days=28))
    # p5: released at the end of the term.
    eff = t - timedelta(days=200)
    p5 = supervise(officer, receive(officer, orgs.office_a, effective_on=eff, term_days=190, id_number=id_number(5), name="戊"), on=eff + timedelta(days=3))

    for kind in ("admonish", "admonish", "warn"):
        transition(officer, p1, "sanction", data={"kind": kind, "facts": "未按规定报告"})
    for kind in ("penalty", "revoke_probation"):
        transition(officer, p2, "sanction", data={"kind": kind, "facts": "违反监督管理规定"})
    transition(
        officer, p1, "apply", data={"kind": "leave", "start": t + timedelta(days=1), "end": t + timedelta(days=3), "destination": "福州市", "purpose": "探亲"}
    )
    procedures.take_step(officer, Procedure.objects.get(case=p1, key="leave"), "approve_office", data={"opinion": "同意"})
    transition(officer, p1, "apply", data={"kind": "monitor", "purpose": "未经批准离开", "monitor_case": "left", "months": 3})
    monitor = Procedure.objects.get(case=p1, key="monitor")
    procedures.take_step(officer, monitor, "forward", data={})
    procedures.take_step(users.leader, Procedure.objects.get(pk=monitor.pk), "approve", data={"opinion": "同意"})
    procedures.take_step(users.leader, Procedure.objects.get(pk=monitor.pk), "renew", data={"months": 2})  # a renewal is not a second person
    transition(officer, p2, "lose_contact", data={"circumstances": "电话关机"})
    transition(officer, p2, "found", data={"search": "已联系返回"})
    transition(officer_b, p4, "terminate", data={"kind": "revoke_parole", "reoffended": True})
    transition(officer, p5, "summarize", data={"personal_summary": "遵纪守法", "appraisal": "表现良好"})
    transition(officer, p5, "release", data={"kind": "expiry", "notified_court": True, "notified_procuratorate": True, "notified_police": True})
    first = register_inquiry(
        officer,
        owner_org=orgs.office_a,
        parties=[{"name": "己", "id_number": id_number(8)}],
        entruster="court",
        entruster_name="测试区人民法院",
        crime="盗窃罪",
        proposed_category=Category.PROBATION,
    )
    register_inquiry(
        officer,
        owner_org=orgs.office_a,
        parties=[{"name": "庚", "id_number": id_number(9)}],
        entruster="procuratorate",
        entruster_name="测试区人民检察院",
        crime="诈骗罪",
        proposed_category=Category.PROBATION,
    )
    transition(officer, first, "issue", data={"opinion": "suitable", "opinion_text": "适宜社区矫正"})

    got = counts(orgs.bureau, period, users.leader)
    assert got == {
        "received": 5,
        "on_register": 2,  # 甲 and 乙: reported, not ended by the period's end (today)
        "managed": 4,  # everyone reported in the period (the period began before any of them)
        "reported": 4,
        "declared": 4,
        "released": 1,
        "terminated": 1,
        "assessments": 2,
        "assessments_issued": 1,
        "sanctions": 5,
        "admonished": 2,
        "warned": 1,
        "penalty_proposed": 1,
        "probation_revocations": 1,
        "parole_revocations": 0,
        "imprisonments": 0,
        "monitored": 1,
        "approvals": 2,
        "lost": 1,
        "reoffended": 1,
    }
    figs = figures(orgs.bureau, period, users.leader)
    assert figs["report_on_time_rate"].display == "75.00%"  # 3 of 4 within ten days
    assert figs["reoffence_rate"].display == "25.00%"  # 1 ÷ 4 累计列管
    assert on_register(orgs.bureau, t, users.leader) == 2  # 甲 and 乙
    assert on_register(orgs.bureau, t - timedelta(days=50), users.leader) == 2  # 甲 and 戊 (乙 reported later)
    # Breakdowns: by kind, by office.
    assert by("sanctions", "kind", orgs.bureau, period, users.leader) == {"admonish": 2, "warn": 1, "penalty": 1, "revoke_probation": 1}
    assert by("approvals", "kind", orgs.bureau, period, users.leader) == {"leave": 1, "monitor": 1}
    assert by("terminated", "termination_kind", orgs.bureau, period, users.leader) == {"revoke_parole": 1}
    assert by("received", "category", orgs.bureau, period, users.leader) == {"probation": 4, "parole": 1}
    assert by("received", "office", orgs.bureau, period, users.leader) == {f"c{orgs.office_a.pk}": 4, f"c{orgs.office_b.pk}": 1}
    assert by("sanctions", "category", orgs.bureau, period, users.leader) == {"probation": 5}
    # An office's officer counts their own office only.
    mine = counts(orgs.bureau, period, officer_b)
    assert (mine["received"], mine["terminated"], mine["sanctions"], mine["assessments"]) == (1, 1, 0, 0)
    assert on_register(orgs.bureau, t, officer_b) == 0
    # The annual report's paragraph and the line's figures page.
    text = read_text(builder.build(users.leader, orgs.bureau, period))
    assert "新接收社区矫正对象5人" in text and "训诫2次、警告1次" in text and "再犯罪率25.00%" in text and "期末在册2人" in text
    page = client_for(users.staff).get(reverse("stats:line", args=["correction"]))
    assert page.status_code == 200 and "社区矫正统计" in page.content.decode()


def test_a_sealed_minor_counts_in_the_figures(officer, orgs, users):
    t = today()
    minor = supervise(officer, receive(officer, orgs.office_a, id_number=MINOR, name="小明"))
    assert minor.is_sealed
    period = Period.custom(t - timedelta(days=30), t)
    assert counts(orgs.bureau, period, users.leader)["received"] == 1
    assert on_register(orgs.bureau, t, users.leader) == 1


# 福州市司法局2022年工作总结 (seed 001) reports the year's correction work as 接收 3638,
# 解除 3920, 在册 4465. Scaled down 1 : 500 that is 7, 8 and 9. A year of imported records
# built to match: the figures give back exactly those numbers, and those of the year before.
Y = 2025


def _cohort_2024(n: int, org: str, **cells) -> dict:
    """Received in 2024, reported and declared; a two-year term unless ``cells`` say otherwise."""
    return (
        person(
            n,
            org,
            接收日期="2024-04-03",
            **{"判决/裁定/决定生效日期": "2024-04-01", "矫正期限起日": "2024-04-01", "矫正期限止日": "2026-03-31"},
            报到日期="2024-04-05",
            入矫宣告日期="2024-04-08",
        )
        | cells
    )


def _released(on: str, kind: str = "矫正期满") -> dict:
    return {"矫正期限止日": on if kind == "矫正期满" else "2026-03-31", "解除/终止日期": on, "解除类型": kind}


def test_a_year_of_imported_records_gives_the_figures_the_seeds_publish(users, orgs):
    rows = []
    # Released in 2025 (8): the 2024 cohort, one pardoned, one on the year's last day.
    released_on = ["2025-01-15", "2025-02-28", "2025-04-30", "2025-06-30", "2025-08-31", "2025-10-31", "2025-12-31"]
    rows += [_cohort_2024(n, "A司法所" if n % 2 else "B司法所", **_released(on)) for n, on in enumerate(released_on, start=1)]
    rows.append(_cohort_2024(8, "B司法所", **_released("2025-07-01", "赦免")))
    # Still on the register at the end of 2025 from 2024 (4): three open, one released in January 2026.
    rows += [_cohort_2024(n, "A司法所") for n in (9, 10, 11)]
    rows.append(_cohort_2024(12, "A司法所", **_released("2026-01-10", "赦免")))
    # Received in 2025 (7): five under supervision, one not yet reported, one terminated (re-offended).
    rows += [person(n, "A司法所" if n < 16 else "B司法所", 接收日期=f"2025-03-0{n - 10}") for n in (13, 14, 15, 16, 17)]
    rows.append(
        person(
            18,
            "B司法所",
            接收日期="2025-12-20",
            **{"判决/裁定/决定生效日期": "2025-12-15", "矫正期限起日": "2025-12-15", "矫正期限止日": "2026-12-14"},
            报到日期=None,
            入矫宣告日期=None,
            管理等级=None,
        )
    )
    rows.append(person(19, "A司法所", 接收日期="2025-03-05", **{"解除/终止日期": "2025-11-20", "终止类型": "撤销缓刑", "矫正期间重新犯罪": "是"}))
    import_people(users.staff, rows)

    year, before = Period.year(Y), Period.year(Y - 1)
    got = counts(orgs.bureau, year, users.leader)
    assert (got["received"], got["released"], got["terminated"], got["reoffended"]) == (7, 8, 1, 1)
    assert on_register(orgs.bureau, year.end, users.leader) == 9
    assert (got["reported"], got["declared"]) == (6, 6)
    assert figures(orgs.bureau, year, users.leader)["reoffence_rate"].display == "5.56%"  # 1 ÷ 18 累计列管 (12 at the start + 6 reported), half-up
    assert figures(orgs.bureau, year, users.leader)["on_register"].numerator == 9
    assert by("released", "release_kind", orgs.bureau, year, users.leader) == {"expiry": 7, "pardon": 1}
    # The office breakdown adds up: A received 13–15 and 19, B 16–18.
    assert by("received", "office", orgs.bureau, year, users.leader) == {f"c{orgs.office_a.pk}": 4, f"c{orgs.office_b.pk}": 3}
    # The year before: 12 received, nobody left, all 12 on the register at its end.
    prev = counts(orgs.bureau, before, users.leader)
    assert (prev["received"], prev["released"], prev["terminated"]) == (12, 0, 0)
    assert on_register(orgs.bureau, before.end, users.leader) == 12
    # The stock and the flows agree: 在册 at the end = at the start + reported − left.
    assert on_register(orgs.bureau, year.end) == 12 + got["reported"] - got["released"] - got["terminated"]
    # The same through the comparison the annual report uses (同比).
    cmp = engine.compare(registry.kpi("correction.received"), orgs.bureau, year, users.leader)
    assert (cmp.current.numerator, cmp.previous_year.numerator) == (Decimal(7), Decimal(12))
