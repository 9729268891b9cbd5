"""Importing the mediation ledger (人民调解台账): 10,000 rows all or nothing,
errors named by row, column and problem in Chinese, imported disputes in the
state the workflow would have left them in and counted by the KPIs exactly
like disputes worked in the system."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.cases import codes
from sifa.cases.choices import Channel, EventKind
from sifa.cases.models import Case, CaseEvent, Party
from sifa.deadlines.models import Deadline
from sifa.kit import registry as kpi_registry
from sifa.ledgers.models import ImportJob, JobStatus
from sifa.mediation.models import Dispute
from sifa.stats import engine
from sifa.stats.periods import Period

from . import ledgerdata as L
from .factories import make_dispute, mediator, to_agreed

pytestmark = pytest.mark.django_db

YEARS = (2024, 2025)
COUNTED = (
    "received",
    "accepted",
    "mediated",
    "succeeded",
    "oral_agreements",
    "written_agreements",
    "agreement_amount",
    "disputed_amount",
)
RATES = {"success_rate": ("succeeded", "mediated"), "performance_rate": ("performed", "succeeded"), "followup_rate": ("visited", "succeeded")}


def _upload(client, data: bytes, name: str = "人民调解台账.xlsx") -> ImportJob:
    resp = client.post(reverse("ledgers:import_start"), {"case_type": "mediation", "file": L.upload(name, data)})
    assert resp.status_code == 302, re.findall(r"(?:invalid-feedback|alert)[^>]*>([^<]*)", resp.content.decode())
    return ImportJob.objects.latest("id")


def _commit(client, job: ImportJob) -> ImportJob:
    assert client.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    return job


def expected_moves(rows: list[dict], year: int, org_names: set[str]) -> dict:
    """What the rows add to each counted figure of ``year``, worked out from the rows themselves."""
    out = Counter()
    amount, disputed = Decimal(0), Decimal(0)
    for r in rows:
        if r["org"] not in org_names:
            continue
        result = r.get("result")
        if r["opened_on"].year == year:
            out["received"] += 1
            disputed += Decimal(r["amount_in_dispute"] or 0)
        accepted = r.get("accepted_on") or (r["opened_on"] if result else None)
        if accepted and accepted.year == year:
            out["accepted"] += 1
        if result and r["outcome_on"].year == year:
            out["mediated"] += 1
            if result == "调解成功":
                out["succeeded"] += 1
                out["oral_agreements" if r["agreement_form"] == "口头协议" else "written_agreements"] += 1
                amount += Decimal(r.get("agreement_amount") or 0)
                out["performed"] += r.get("performance") == "履行完毕"
                out["visited"] += bool(r.get("visit_on"))
    return dict(out) | {"agreement_amount": amount, "disputed_amount": disputed}


def figures(org, year: int) -> dict:
    period = Period.year(year)
    out = {}
    for key in (*COUNTED, *RATES):
        f = engine.compute(kpi_registry.kpi(f"mediation.{key}"), org, period)
        out[key] = f.value
        if key in RATES:
            out[f"{key}.num"], out[f"{key}.den"] = f.numerator, f.denominator
    return out


def analyze() -> None:
    """Fresh bulk rows have no planner statistics until autovacuum gathers them
    (about a minute after a large import in production); gather them now."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("cases_case", "mediation_dispute", "cases_party", "cases_caseevent", "deadlines_deadline"):
                cur.execute(f"ANALYZE {table}")


@pytest.fixture
def existing(orgs, users):
    """Disputes worked in the system before the import (so the KPIs do not start at zero)."""
    team = [mediator(orgs.committee_a, "张调解")]
    for i, on in enumerate((date(2024, 6, 3), date(2025, 3, 4), date(2025, 9, 9))):
        case = make_dispute(
            users.office_a, orgs.committee_a, opened_on=on, parties=[{"role": "applicant", "name": f"原{i}"}, {"role": "respondent", "name": f"对{i}"}]
        )
        to_agreed(users.office_a, case, team, on=on, agreement_amount="500")


def test_ten_thousand_rows_one_bad_commits_nothing_then_all(orgs, users, client_for, existing):
    c = client_for(users.staff)  # the bureau's section staff: every committee of the bureau
    rows = [L.row(i, "A调委会" if i % 3 else "B调委会", years=YEARS) for i in range(10_000)]
    scopes = {orgs.bureau: {"A调委会", "B调委会"}, orgs.office_a: {"A调委会"}, orgs.office_b: {"B调委会"}}
    before = {(org, y): figures(org, y) for org in scopes for y in YEARS}
    cases_before, disputes_before = Case.all_objects.count(), Dispute.objects.count()

    bad = dict(rows[7529], dispute_type="宠物纠纷")  # spreadsheet row 7,531 (row 1 is the header)
    job = _upload(c, L.xlsx([*rows[:7529], bad, *rows[7530:]]))
    assert job.status == JobStatus.INVALID and job.error_count == 1
    [[number, column, message]] = job.errors
    assert (number, column) == (7531, "纠纷类型") and message.startswith("“宠物纠纷”不在字典“纠纷类型”中"), message
    assert Case.all_objects.count() == cases_before and Dispute.objects.count() == disputes_before
    page = c.get(reverse("ledgers:import_job", args=[job.pk])).content.decode()
    assert "第7531行" in page and "纠纷类型" in page and "宠物纠纷" in page
    assert c.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 400  # an invalid job cannot be committed
    assert Case.all_objects.count() == cases_before

    job = _upload(c, L.xlsx(rows), "人民调解台账-修正.xlsx")
    assert job.status == JobStatus.VALIDATED and job.row_count == 10_000, job.errors[:5]
    job = _commit(c, job)
    assert job.status == JobStatus.DONE and job.created_count == 10_000, job.message
    analyze()

    imported = Case.objects.filter(case_type="mediation", channel=Channel.IMPORT)
    assert imported.count() == 10_000 and Dispute.objects.filter(case__in=imported).count() == 10_000
    found = list(imported.values_list("code", "opened_on"))
    assert len({code for code, _ in found}) == 10_000
    assert all(codes.is_valid(code) and code.startswith(f"359901TJ{opened.year}") for code, opened in found)
    events = CaseEvent.objects.filter(case__in=imported)
    assert events.count() == 10_000 and set(events.values_list("kind", flat=True)) == {EventKind.IMPORTED}
    assert set(events.values_list("label", flat=True)) == {f"由 {users.staff.display_name} 从台账 人民调解台账-修正.xlsx 导入"}
    assert Party.objects.filter(case__in=imported).count() == 20_000
    by_status = Counter(imported.values_list("status", flat=True))
    plan = Counter(L.kind_of(i) for i in range(10_000))
    assert by_status == {
        "archived": plan["archived_written"] + plan["archived_oral"] + plan["archived_visited"] + plan["archived_failed"],
        "agreed": plan["agreed"],
        "terminated": plan["terminated"],
        "accepted": plan["accepted"],
        "registered": plan["registered"],
    }
    # Open disputes got the clocks of the step that put them in their state; closed ones none.
    clocks = Counter(Deadline.objects.filter(case__in=imported).values_list("key", flat=True))
    written_agreed = sum(1 for i in range(10_000) if L.kind_of(i) == "agreed" and rows[i]["agreement_form"] == "书面调解协议书")
    assert clocks == {"mediation_term": plan["accepted"], "followup": plan["agreed"], "confirmation_window": written_agreed}
    assert not imported.filter(status="archived", next_due__isnull=False).exists()
    assert imported.filter(status__in=["accepted", "agreed"], next_due__isnull=True).count() == 0

    # The KPIs moved by exactly what was imported, for the bureau and each office, in both years.
    for (org, year), was in before.items():
        now, moves = figures(org, year), expected_moves(rows, year, scopes[org])
        for key in COUNTED:
            assert now[key] == was[key] + moves.get(key, 0), (org.name, year, key)
        for key, (num, den) in RATES.items():
            n = was[f"{key}.num"] + moves.get(num, 0)
            d = was[f"{key}.den"] + moves.get(den, 0)
            assert (now[f"{key}.num"], now[f"{key}.den"], now[key]) == (n, d, engine.ratio(n, d)), (org.name, year, key)
    assert AuditEntry.objects.filter(action="ledger.import", result="ok", detail__rows=10_000).exists()


# --- smaller imports ----------------------------------------------------------------------------------


def _row(**kw) -> dict:
    base = {
        "title": "甲与乙邻里纠纷",
        "opened_on": date(2025, 3, 2),
        "org": "A调委会",
        "source": "当事人申请",
        "dispute_type": "邻里纠纷",
        "applicant.name": "甲",
        "applicant.id_number": L.id_number(1),
        "applicant.phone": "13800001111",
        "respondent.name": "乙",
    }
    return {k: v for k, v in (base | kw).items() if v is not None}


def test_every_problem_is_named_by_row_column_and_reason(orgs, users, client_for):
    c = client_for(users.office_a)
    bad_id = L.id_number(2)[:-1] + ("0" if L.id_number(2)[-1] != "0" else "1")
    rows = [
        _row(org="B调委会"),  # 2: another office's committee
        _row(org="A司法所"),  # 3: not a mediation organisation
        _row(**{"applicant.id_number": bad_id}),  # 4
        _row(**{"respondent.name": None}),  # 5: both sides are required
        _row(result="调解成功", outcome_on=date(2025, 3, 5)),  # 6: success without the form of agreement
        _row(result="调解不成"),  # 7: outcome without its date
        _row(result="调解不成", outcome_on=date(2025, 3, 5), agreement_amount="100"),  # 8
        _row(closed_on=date(2025, 4, 1)),  # 9: archived without an outcome
        _row(result="调解成功", outcome_on=date(2025, 3, 5), agreement_form="书面调解协议书", closed_on=date(2025, 4, 1)),  # 10: §31
        _row(accepted_on=date(2025, 3, 1)),  # 11: accepted before registered
        _row(source="路过"),  # 12
        _row(opened_on="2025-02-30"),  # 13
        _row(result="调解成功", outcome_on=date(2025, 3, 5), agreement_form="书面调解协议书", visit_on=date(2025, 3, 1)),  # 14
    ]
    job = _upload(c, L.xlsx(rows))
    assert job.status == JobStatus.INVALID and Case.objects.count() == 0 and Dispute.objects.count() == 0
    got = {r: (col, msg) for r, col, msg in job.errors}
    assert got[2][0] == "调解组织" and "B调委会" in got[2][1] and "不在您可登记的范围内" in got[2][1]
    assert got[3] == ("调解组织", "“A司法所”不是人民调解委员会或调解工作室，请填写调解组织。")
    assert got[4] == ("申请人证件号码", "身份证号码校验位不正确，请核对。")
    assert got[5] == ("被申请人姓名", "必填，不能为空。")
    assert got[6][0] == "协议形式" and "调解成功的须填写协议形式" in got[6][1]
    assert got[7][0] == "调解结果日期" and "须填写调解结果日期" in got[7][1]
    assert got[8] == ("协议涉及金额", "只有调解成功的纠纷才填写“协议涉及金额”。")
    assert got[9][0] == "结案归档日期" and "须有调解结果" in got[9][1]
    assert got[10][0] == "结案归档日期" and "人民调解法第三十一条" in got[10][1]
    assert got[11] == ("受理日期", "受理日期早于登记日期。")
    assert got[12][0] == "案件来源" and got[12][1].startswith("“路过”不是可选值")
    assert got[13] == ("登记日期", "日期“2025-02-30”不存在。")
    assert got[14] == ("回访日期", "回访日期不能早于达成协议日期。")
    assert job.error_count == len(rows)


def test_roles_that_may_not_import_change_nothing(orgs, users, client_for):
    data = L.xlsx([_row()])
    for user in (users.leader, users.mediator_a, users.lawyer, users.auditor):
        resp = client_for(user).post(reverse("ledgers:import_start"), {"case_type": "mediation", "file": L.upload("a.xlsx", data)})
        assert resp.status_code == 404, user.username
    assert ImportJob.objects.count() == 0 and Case.objects.count() == 0


# The same dispute, once worked through the system (B调委会) and once imported (A调委会).
PAIRS = [
    (  # written agreement, followed up, performed, archived
        {"opened_on": date(2025, 3, 2), "accepted_on": date(2025, 3, 2), "result": "调解成功", "outcome_on": date(2025, 3, 5)}
        | {"agreement_form": "书面调解协议书", "agreement_amount": "3000", "amount_in_dispute": "10000"}
        | {"performance": "履行完毕", "visit_on": date(2025, 3, 20), "closed_on": date(2025, 4, 1)},
        "written_archived",
    ),
    (
        {"opened_on": date(2025, 5, 6), "accepted_on": date(2025, 5, 6), "result": "调解成功", "outcome_on": date(2025, 5, 6)}
        | {"agreement_form": "口头协议", "performance": "履行完毕", "closed_on": date(2025, 5, 10), "dispute_type": "赡养纠纷"},
        "oral_archived",
    ),
    (
        {"opened_on": date(2025, 6, 1), "accepted_on": date(2025, 6, 1), "result": "调解不成", "outcome_on": date(2025, 6, 3), "closed_on": date(2025, 6, 5)},
        "terminated_archived",
    ),
    (
        {"opened_on": date(2025, 7, 1), "accepted_on": date(2025, 7, 1), "result": "调解成功", "outcome_on": date(2025, 7, 2)}
        | {"agreement_form": "书面调解协议书", "agreement_amount": "500"},
        "agreed",
    ),
    ({"opened_on": date(2025, 8, 1), "accepted_on": date(2025, 8, 2)}, "accepted"),
    ({"opened_on": date(2025, 9, 1), "amount_in_dispute": "8000", "source": "人民法院委托移送"}, "registered"),
]


def _work(users, orgs, row: dict, shape: str):
    """The dispute of ``row`` worked through the real services in committee B."""
    from .factories import agreement_data, session_data, step, to_mediating

    actor, team = users.office_b, [mediator(orgs.committee_b, f"林调解{shape}")]
    source = {"当事人申请": "application", "人民法院委托移送": "court"}[row.get("source", "当事人申请")]
    dtype = {"邻里纠纷": "02", "赡养纠纷": "0102"}[row.get("dispute_type", "邻里纠纷")]
    case = make_dispute(actor, orgs.committee_b, opened_on=row["opened_on"], source=source, dispute_type=dtype, amount_in_dispute=row.get("amount_in_dispute"))
    if shape == "registered":
        return case
    accepted, outcome = row["accepted_on"], row.get("outcome_on")
    if shape == "accepted":
        step(actor, case, "accept", on=accepted)
        return case
    to_mediating(actor, case, team, on=accepted)
    if shape == "terminated_archived":
        step(actor, case, "terminate", {"termination_reason": "no_agreement", "routes_told": True}, on=outcome)
    else:
        step(actor, case, "record_session", session_data(on=outcome), on=outcome)
        form = "oral" if row["agreement_form"] == "口头协议" else "written"
        on_spot = shape == "oral_archived"
        data = agreement_data(form=form, on=outcome, agreement_amount=row.get("agreement_amount"), performed_on_spot=on_spot)
        step(actor, case, "succeed", data, on=outcome)
    if row.get("visit_on"):
        visit = {"visit_on": row["visit_on"], "method": "phone", "visited": "甲", "performance": "performed", "satisfaction": "satisfied"}
        step(actor, case, "record_visit", visit, on=row["visit_on"])
    if row.get("closed_on"):
        step(actor, case, "archive", on=row["closed_on"])
    return case


def test_imported_disputes_count_exactly_like_disputes_worked_in_the_system(orgs, users, client_for):
    from sifa.mediation.kpis import DIMS, KPIS

    worked = {shape: _work(users, orgs, row, shape) for row, shape in PAIRS}
    job = _upload(client_for(users.office_a), L.xlsx([_row(title=f"导入-{shape}", **row) for row, shape in PAIRS]))
    assert job.status == JobStatus.VALIDATED, job.errors
    job = _commit(client_for(users.office_a), job)
    assert job.status == JobStatus.DONE, job.message
    imported = {c.title.removeprefix("导入-"): c for c in Case.objects.filter(channel=Channel.IMPORT)}

    def open_clocks(case):
        return sorted(Deadline.objects.filter(case=case, completed_on__isnull=True, cancelled=False).values_list("key", "due_date"))

    for _row_data, shape in PAIRS:
        a, b = imported[shape], worked[shape]
        b.refresh_from_db()
        assert (a.status, a.outcome, a.closed_on, a.opened_on) == (b.status, b.outcome, b.closed_on, b.opened_on), shape
        assert open_clocks(a) == open_clocks(b) and a.next_due == b.next_due, shape
        da, db = Dispute.objects.get(pk=a.pk), Dispute.objects.get(pk=b.pk)
        for field in ("source_group", "dispute_type_top", "accepted_on", "result", "outcome_on", "agreement_form", "agreement_amount", "performance"):
            assert getattr(da, field) == getattr(db, field), (shape, field)
        assert (da.visit_count > 0) == (db.visit_count > 0), shape
    # Every KPI, broken down by committee: the imported committee reads exactly like the worked one.
    committee = next(d for d in DIMS if d.key == "committee")
    for k in KPIS:
        by_org = {r["label"]: (r["numerator"], r["denominator"], r["value"]) for r in engine.breakdown(k, orgs.bureau, Period.year(2025), committee)}
        assert by_org.get("A调委会") == by_org.get("B调委会"), k.key
    assert engine.compute(kpi_registry.kpi("mediation.received"), orgs.committee_a, Period.year(2025)).value == len(PAIRS)
