"""The figures people's mediation reports, computed by sifa.stats.engine from
the KPI declarations in kpis.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.timezone import localdate

from sifa.cases.models import Case
from sifa.kit import registry as kpi_registry
from sifa.mediation.kpis import KPIS
from sifa.mediation.models import Dispute
from sifa.stats import engine
from sifa.stats.periods import Period

from .factories import agreement_data, make_dispute, mediator, profile, session_data, step, to_agreed, to_mediating

pytestmark = pytest.mark.django_db

Y = localdate().year


def kpi(key):
    return kpi_registry.kpi(f"mediation.{key}")


def test_declared_once_with_definitions():
    keys = {k.key for k in kpi_registry.kpis("mediation")}
    assert keys == {k.key for k in KPIS}
    assert dict(kpi_registry.kpi_lines())["mediation"] == "人民调解"
    for k in KPIS:
        assert len(k.definition) > 20 and k.definition.endswith("。"), k.key
        assert {d.key for d in k.dimensions} == {"dispute_type", "source", "committee", "office", "month"}
    rate = kpi("success_rate")
    assert "调解成功件数 ÷ 调解纠纷数（成功＋终止）" in rate.definition and "达成协议或终止之日" in rate.definition


def bulk(orgs, users, *, succeeded: int, failed: int, on: date):
    """Mediated disputes without going through the services, for volume."""
    bureau = orgs.bureau
    cases = [
        Case(
            code=f"359901TJ{on.year}{i:06d}X",
            case_type="mediation",
            bureau=bureau,
            owner_org=orgs.committee_a,
            org_path=orgs.committee_a.path,
            status="archived",
            title=f"纠纷{i}",
            opened_on=on,
            closed_on=on,
            outcome="success" if i < succeeded else "failed",
            year=on.year,
            seq=i + 1,
        )
        for i in range(succeeded + failed)
    ]
    Case.objects.bulk_create(cases, batch_size=1000)
    made = Case.objects.filter(case_type="mediation", year=on.year).order_by("seq")
    Dispute.objects.bulk_create(
        [
            Dispute(
                case=c,
                source="application",
                source_group="application",
                dispute_type="02",
                dispute_type_top="02",
                accepted_on=on,
                result="success" if c.outcome == "success" else "failed",
                outcome_on=on,
                agreement_form="written" if c.outcome == "success" else "",
            )
            for c in made
        ],
        batch_size=1000,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh bulk rows have no planner statistics yet (autovacuum would gather them).
        with connection.cursor() as cur:
            cur.execute("ANALYZE cases_case")
            cur.execute("ANALYZE mediation_dispute")


def test_success_rate_3237_of_3302_reads_98_03(orgs, users):
    bulk(orgs, users, succeeded=3237, failed=65, on=date(2025, 6, 15))
    fig = engine.compute(kpi("success_rate"), orgs.bureau, Period.year(2025))
    assert (fig.numerator, fig.denominator, fig.display) == (3237, 3302, "98.03%")
    assert engine.compute(kpi("mediated"), orgs.bureau, Period.year(2025)).display == "3,302件"
    # Scoped to who asks: office B sees none of office A's disputes.
    assert engine.compute(kpi("success_rate"), orgs.bureau, Period.year(2025), users.office_b).value is None


@pytest.fixture
def scenario(orgs, users):
    """This year: committee A — 2 written (one confirmed, one visited and performed),
    1 oral on the spot, 1 terminated, 1 still mediating, 1 not accepted, 1 risk defused;
    committee B — 1 written. Last year: committee A — 1 written."""
    profile(orgs.committee_a)
    team = [mediator(orgs.committee_a, "张调解", user=users.mediator_a)]
    team_b = [mediator(orgs.committee_b, "林调解")]
    n = iter(range(100))

    def new(actor=users.office_a, org=orgs.committee_a, **kw):
        i = next(n)
        return make_dispute(actor, org, parties=[{"role": "applicant", "name": f"甲{i}"}, {"role": "respondent", "name": f"乙{i}"}], **kw)

    a1 = to_agreed(users.office_a, new(amount_in_dispute="10000"), team, agreement_amount="3000")
    step(users.office_a, a1, "apply_confirmation", {"court": "测试区人民法院", "applied_on": localdate()})
    step(users.office_a, a1, "court_accept", {"decision": "accepted", "court_on": localdate(), "court_case_number": "（2026）测01民特1号"})
    step(users.office_a, a1, "court_decide", {"decision": "confirmed", "court_on": localdate()})
    a2 = to_agreed(users.office_a, new(dispute_type="0102", source="court"), team, agreement_amount="1500.50")
    step(
        users.office_a,
        a2,
        "record_visit",
        {"visit_on": localdate(), "method": "phone", "visited": "甲", "performance": "performed", "satisfaction": "satisfied"},
    )
    oral = to_mediating(users.office_a, new(source="initiative"), team)
    step(users.office_a, oral, "record_session", session_data())
    step(users.office_a, oral, "succeed", {"agreement_form": "oral", "agreement_content": "当场道歉。", "agreed_on": localdate(), "performed_on_spot": True})
    failed = to_mediating(users.office_a, new(), team)
    step(users.office_a, failed, "terminate", {"termination_reason": "no_agreement", "routes_told": True})
    to_mediating(users.office_a, new(), team)
    refused = new()
    step(users.office_a, refused, "not_accept", {"not_accepted_reason": "party_refuses"}, reason="拒绝")
    risky = new()
    step(users.office_a, risky, "flag_risk", {"risk_kind": "criminal", "risk_level": "major", "risk_persons": 4, "risk_note": "扬言报复"})
    step(users.office_a, risky, "resolve_risk", {"risk_status": "defused"})
    to_agreed(users.office_b, new(actor=users.office_b, org=orgs.committee_b), team_b)
    last_year = date(Y - 1, 5, 6)
    old = new(opened_on=last_year)
    to_mediating(users.office_a, old, team, on=last_year)
    step(users.office_a, old, "record_session", session_data(on=last_year), on=last_year)
    step(users.office_a, old, "succeed", agreement_data(on=last_year, agreement_amount="800"), on=last_year)


def value(key, org, period=None, user=None):
    return engine.compute(kpi(key), org, period or Period.year(Y), user).value


def test_every_figure(orgs, users, scenario):
    b = orgs.bureau
    from decimal import Decimal

    expected = {
        "received": 8,
        "accepted": 6,
        "mediated": 5,
        "succeeded": 4,
        "success_rate": Decimal("80.00"),
        "oral_agreements": 1,
        "written_agreements": 3,
        "agreement_amount": Decimal("7500.50"),
        "disputed_amount": Decimal("10000.00"),
        "confirmation_applied": 1,
        "confirmed": 1,
        "performance_rate": Decimal("50.00"),
        "followup_rate": Decimal("25.00"),
        "prevented_criminal": 1,
        "prevented_criminal_persons": 4,
        "open_risks": 0,  # the one flagged dispute was defused
    }
    got = {k.key.split(".", 1)[1]: engine.compute(k, b, Period.year(Y)).value for k in KPIS}
    assert got == expected
    assert engine.compute(kpi("agreement_amount"), b, Period.year(Y)).display == "7,500.50元"


def test_breakdowns(orgs, users, scenario):
    from sifa.mediation.kpis import DIMS

    dims = {d.key: d for d in DIMS}
    y = Period.year(Y)
    by_type = {r["label"]: r["value"] for r in engine.breakdown(kpi("succeeded"), orgs.bureau, y, dims["dispute_type"]) if r["value"]}
    assert by_type == {"邻里纠纷": 3, "婚姻家庭纠纷": 1}  # the sub-type 赡养纠纷 counts under its category
    by_source = {r["label"]: r["value"] for r in engine.breakdown(kpi("received"), orgs.bureau, y, dims["source"])}
    assert by_source == {"申请调解": 6, "主动调解": 1, "委托移送调解": 1}
    by_committee = {r["label"]: r["value"] for r in engine.breakdown(kpi("success_rate"), orgs.bureau, y, dims["committee"])}
    assert by_committee == {"A调委会": engine.ratio(3, 4), "B调委会": engine.ratio(1, 1)}
    by_office = {r["label"]: r["value"] for r in engine.breakdown(kpi("received"), orgs.bureau, y, dims["office"])}
    assert by_office["A司法所"] == 7 and by_office["B司法所"] == 1 and by_office["C司法所"] == 0
    months = engine.breakdown(kpi("received"), orgs.bureau, y, dims["month"])
    assert sum(r["value"] for r in months) == 8 and len(months) == 12
    cells = engine.cases_behind(kpi("success_rate"), orgs.bureau, y, users.leader, part="denominator", dim=dims["committee"], dim_key=orgs.committee_a.pk)
    assert cells.count() == 4


def test_year_on_year(orgs, users, scenario):
    cmp = engine.compare(kpi("succeeded"), orgs.bureau, Period.year(Y))
    assert (cmp.current.value, cmp.previous_year.value, cmp.yoy["text"]) == (4, 1, "增长300.00%")
    rate = engine.compare(kpi("success_rate"), orgs.bureau, Period.year(Y))
    assert rate.previous_year.display == "100.00%" and rate.yoy["text"] == "-20.00个百分点"


def test_office_scope(orgs, users, scenario):
    assert value("received", orgs.bureau, user=users.office_b) == 1
    assert value("received", orgs.office_a) == 7
    assert value("succeeded", orgs.bureau, user=users.mediator_a) == 3
