"""The figures the bureau reports, from bulk-created rows (valid codes, the line's
own records), with their definitions printed beside them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from sifa.cases import codes
from sifa.cases.models import Case
from sifa.kit import registry
from sifa.reconsideration.choices import FY_KEY, YS_KEY, Outcome
from sifa.reconsideration.models import Application, Suit, SuitHearing, SuitJudgment
from sifa.stats import engine
from sifa.stats.periods import Period

from .factories import accepted, heard, make_application, step

pytestmark = pytest.mark.django_db
YEAR = Period.year(2026)


def bulk_cases(bureau, case_type: str, letters: str, rows: list[dict], start_seq: int = 1) -> list[Case]:
    """Case rows with valid codes, built in one INSERT."""
    made = []
    for i, row in enumerate(rows):
        seq = start_seq + i
        opened = row.get("opened_on", date(2026, 3, 1))
        made.append(
            Case(
                code=codes.build(bureau.region_code, letters, opened.year, seq),
                case_type=case_type,
                bureau=bureau,
                owner_org=bureau,
                org_path=bureau.path,
                status=row.get("status", "closed"),
                title=f"批量案件{seq}",
                opened_on=opened,
                closed_on=row.get("closed_on"),
                outcome=row.get("outcome", ""),
                year=opened.year,
                seq=seq,
            )
        )
    return Case.objects.bulk_create(made)


def fy_rows(bureau, outcomes: list[str], *, category="penalty_fine", respondent="market", on_time=True, **app):
    cases = bulk_cases(
        bureau,
        FY_KEY,
        "FY",
        [{"outcome": o, "closed_on": date(2026, 5, 10)} for o in outcomes],
        start_seq=Case.all_objects.filter(case_type=FY_KEY).count() + 1,
    )
    Application.objects.bulk_create(
        [
            Application(
                case=c,
                respondent_agency=respondent,
                category=category,
                contested_act="行为",
                request="请求",
                accepted_on=date(2026, 3, 5),
                procedure="ordinary",
                concluded_on_time=on_time,
                **app,
            )
            for c in cases
        ]
    )
    return cases


def figure(key, org, user=None):
    return engine.compute(registry.kpi(key), org, YEAR, user)


def test_correction_rate_12_of_67_reads_17_91(orgs, users, client_for):
    """A district's report: "审结67件，纠错率17.91%" — over every concluded case (the default)."""
    corrective = ["change", "revoke", "partial_revoke", "confirm_illegal", "confirm_invalid", "order_perform"] * 2
    others = (["uphold"] * 40) + (["dismiss_claim"] * 11)
    fy_rows(orgs.bureau, corrective + others)
    # Concluded, but not with a decision on the merits: in 审结, so in the denominator.
    fy_rows(orgs.bureau, ["dismiss_application", "mediation", "terminate", "terminate", "not_accepted", "abandoned"])
    f = figure("reconsideration.correction_rate", orgs.bureau)
    assert (f.numerator, f.denominator, f.display) == (12, 67, "17.91%")
    assert figure("reconsideration.correction_rate", orgs.bureau, users.leader).display == "17.91%"
    assert figure("reconsideration.correction_rate", orgs.bureau, users.office_a).value is None  # nothing visible to an office
    assert figure("reconsideration.concluded", orgs.bureau).value == 67
    assert figure("reconsideration.not_accepted", orgs.bureau).value == 1
    page = client_for(users.leader).get(reverse("stats:line", args=["reconsideration"]) + "?year=2026").content.decode()
    assert "17.91%" in page and "12 / 67" in page and "÷ 审结案件数 × 100%" in page


def test_mediation_withdrawal_and_on_time_rates(orgs):
    fy_rows(orgs.bureau, ["mediation"], on_time=True)
    fy_rows(orgs.bureau, ["terminate"], termination_reason="withdrawn", on_time=True)
    fy_rows(orgs.bureau, ["terminate"], termination_reason="settled", on_time=False)
    fy_rows(orgs.bureau, ["terminate"], termination_reason="criminal_measures", on_time=True)
    fy_rows(orgs.bureau, ["uphold", "revoke", "uphold", "uphold"], on_time=True)
    f = figure("reconsideration.mediation_withdrawal_rate", orgs.bureau)
    assert (f.numerator, f.denominator, f.display) == (3, 8, "37.50%")
    f = figure("reconsideration.on_time_rate", orgs.bureau)
    assert (f.numerator, f.denominator, f.display) == (7, 8, "87.50%")


def test_received_and_accepted_by_category_and_respondent(orgs, users):
    make_application(users.staff, received_on=date(2026, 3, 2), category="licensing", respondent_agency="housing")
    make_application(users.staff, received_on=date(2026, 3, 2))
    a = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    heard(users, a, date(2026, 3, 5))
    step(users.staff, a, "decide", date(2026, 4, 1), kind="change", summary="x")
    assert figure("reconsideration.received", orgs.bureau).value == 3
    assert figure("reconsideration.accepted", orgs.bureau).value == 1
    kpi = registry.kpi("reconsideration.received")
    by_cat = {r["label"]: r["value"] for r in engine.breakdown(kpi, orgs.bureau, YEAR, kpi.dimensions[0])}
    assert by_cat["罚款"] == 2 and by_cat["行政许可"] == 1
    by_resp = {r["label"]: r["value"] for r in engine.breakdown(kpi, orgs.bureau, YEAR, kpi.dimensions[1])}
    assert by_resp["区市场监督管理局"] == 2 and by_resp["区住房和城乡建设局"] == 1
    concluded = registry.kpi("reconsideration.concluded")
    from sifa.reconsideration.kpis import OUTCOME

    by_outcome = {r["key"]: r["value"] for r in engine.breakdown(concluded, orgs.bureau, YEAR, OUTCOME)}
    assert by_outcome[Outcome.CHANGE] == 1 and figure("reconsideration.correction_rate", orgs.bureau).display == "100.00%"


def test_appearance_rate_1285_of_1323_reads_97_12(orgs, users, client_for):
    """A city's report: "出庭1285件，开庭数量1323件", 97.12% (truncated): counted by case."""
    cases = bulk_cases(orgs.bureau, YS_KEY, "YS", [{"status": "in_trial"} for _ in range(1323)])
    Suit.objects.bulk_create([Suit(case=c, defendant_agency="market", court="测试区人民法院", contested_act="x", cause="行政处罚") for c in cases])
    rows = []
    for i, c in enumerate(cases):
        rows.append(SuitHearing(case=c, instance="first", held_on=date(2026, 1, 5) + timedelta(days=i % 300), head_attended=i >= 38))
        if i >= 1273:  # heard a second time without the head: still one case, and in the numerator
            rows.append(SuitHearing(case=c, instance="first", held_on=date(2026, 11, 5), head_attended=False))
    SuitHearing.objects.bulk_create(rows)
    f = figure("litigation.appearance_rate", orgs.bureau)
    assert (f.numerator, f.denominator, f.display) == (1285, 1323, "97.12%")
    assert figure("litigation.hearings", orgs.bureau).value == 1373
    page = client_for(users.staff).get(reverse("stats:line", args=["reconsideration"]) + "?year=2026").content.decode()
    assert "97.12%" in page and "1285 / 1323" in page and "出庭率 = 行政机关负责人出庭应诉的案件数 ÷ 开庭审理的案件数" in page
    # Counted by hearing (the other definition a bureau may choose): 1,285 of 1,373 hearings.
    by_hearing = registry.kpi("litigation.appearance_rate").with_choice("hearings")
    f = engine.compute(by_hearing, orgs.bureau, YEAR)
    assert (f.numerator, f.denominator, f.display) == (1285, 1373, "93.59%")


def test_loss_rate_counts_first_instance_judgments_only(orgs):
    cases = bulk_cases(orgs.bureau, YS_KEY, "YS", [{"status": "closed"} for _ in range(8)])
    Suit.objects.bulk_create([Suit(case=c, defendant_agency="hrss", court="法院", contested_act="x", cause="工伤认定") for c in cases])
    kinds = ["dismiss_claim"] * 4 + ["revoke", "confirm_illegal"]
    rows = [SuitJudgment(case=cases[i], instance="first", kind=k, judged_on=date(2026, 4, 1), served_on=date(2026, 4, 2)) for i, k in enumerate(kinds)]
    rows += [
        SuitJudgment(case=cases[6], instance="first", kind="withdrawn", judged_on=date(2026, 4, 1), served_on=date(2026, 4, 1)),  # a ruling
        SuitJudgment(case=cases[7], instance="second", kind="amend_loss", judged_on=date(2026, 4, 1), served_on=date(2026, 4, 1)),  # second instance
    ]
    SuitJudgment.objects.bulk_create(rows)
    f = figure("litigation.loss_rate", orgs.bureau)
    assert (f.numerator, f.denominator, f.display) == (2, 6, "33.33%")
    assert figure("litigation.first_instance_judgments", orgs.bureau).value == 6
    assert figure("litigation.cases", orgs.bureau).value == 8


def test_every_kpi_has_a_definition():
    for kpi in registry.kpis(FY_KEY) + registry.kpis(YS_KEY):
        assert kpi.definition and kpi.unit in ("件", "次", "%")
        if kpi.is_ratio:
            assert "÷" in kpi.definition
    # ADR 0014: 纠错率 rounds half-up (12 ÷ 67 → 17.91 either way); 出庭率 is published truncated.
    assert registry.kpi("litigation.appearance_rate").rounding == "down"
    assert engine.kpi_ratio(registry.kpi("reconsideration.correction_rate"), 12, 67) == Decimal("17.91")
    assert engine.kpi_ratio(registry.kpi("litigation.appearance_rate"), 1285, 1323) == Decimal("97.12")
