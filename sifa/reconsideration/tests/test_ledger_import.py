"""Importing the two ledgers (台账): all or nothing, every error named by row,
column and problem; imported cases land in the states the workflow reaches, with
the clocks it would have started, and move the KPIs by exactly what was imported."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sifa.cases.choices import Channel, EventKind
from sifa.cases.models import Case, CaseEvent, Party
from sifa.deadlines import calendar
from sifa.deadlines.models import Deadline
from sifa.kit import registry
from sifa.ledgers.models import ImportJob, JobStatus
from sifa.reconsideration.choices import FY_KEY, YS_KEY
from sifa.reconsideration.models import Application, Suit, SuitHearing, SuitJudgment
from sifa.stats import engine
from sifa.stats.periods import Period

from .factories import accepted, fresh, heard, make_suit, step
from .ledgerdata import commit, fy_row, imported, upload, xlsx_bytes, ys_row

pytestmark = pytest.mark.django_db
Y2025 = Period.year(2025)

FY_KPI_KEYS = (
    "reconsideration.received",
    "reconsideration.accepted",
    "reconsideration.not_accepted",
    "reconsideration.concluded",
    "reconsideration.correction_rate",
    "reconsideration.mediation_withdrawal_rate",
    "reconsideration.on_time_rate",
)
YS_KPI_KEYS = ("litigation.cases", "litigation.hearings", "litigation.appearance_rate", "litigation.first_instance_judgments", "litigation.loss_rate")


def figures(org, keys) -> dict:
    """(numerator, denominator) of each KPI for 2025."""
    out = {}
    for key in keys:
        f = engine.compute(registry.kpi(key), org, Y2025)
        out[key] = (int(f.numerator), None if f.denominator is None else int(f.denominator))
    return out


def moved(before: dict, after: dict) -> dict:
    return {k: (after[k][0] - before[k][0], None if after[k][1] is None else after[k][1] - before[k][1]) for k in after}


KIND_CYCLE = [
    "open",
    "review",
    "not_accepted",
    "abandoned",
    "revoke",
    "change",
    "confirm_illegal",
    "order_perform",
    "uphold",
    "uphold",
    "dismiss_claim",
    "dismiss_application",
    "mediation",
    "withdrawn",
    "settled",
    "criminal",
]


def fy_rows(n: int) -> tuple[list[dict], dict]:
    """n rows received in 2025 (concluded in 2025), and the counts a clerk would tally by hand."""
    rows, kinds = [], []
    for i in range(n):
        kind = KIND_CYCLE[i % len(KIND_CYCLE)]
        late = kind == "uphold" and i % 3 == 0
        simplified = kind == "revoke" and i % 2 == 0
        rows.append(fy_row(i, kind, date(2025, 1 + i % 8, 1 + i % 28), late=late, simplified=simplified))
        kinds.append((kind, late))
    count = lambda *names: sum(1 for k, _ in kinds if k in names)  # noqa: E731
    corrective = count("revoke", "change", "confirm_illegal", "order_perform")
    decided = corrective + count("uphold", "dismiss_claim")
    concluded = decided + count("dismiss_application", "mediation", "withdrawn", "settled", "criminal")
    late = sum(1 for k, lt in kinds if lt)
    expected = {
        "reconsideration.received": (n, None),
        "reconsideration.accepted": (n - count("open", "not_accepted", "abandoned"), None),
        "reconsideration.not_accepted": (count("not_accepted"), None),
        "reconsideration.concluded": (concluded, None),
        "reconsideration.correction_rate": (corrective, concluded),  # over 审结 (the default definition)
        "reconsideration.mediation_withdrawal_rate": (count("mediation", "withdrawn", "settled"), concluded),
        "reconsideration.on_time_rate": (concluded - late, concluded),
    }
    return rows, expected


def _worked_in_the_system(users):
    """Cases worked through the services before the import (they must keep counting)."""
    a = accepted(users, date(2025, 3, 3))
    heard(users, a, date(2025, 3, 10))
    step(users.staff, a, "decide", date(2025, 4, 1), kind="revoke", summary="事实不清。")
    b = accepted(users, date(2025, 5, 5))
    step(users.staff, b, "terminate", date(2025, 5, 20), termination_reason="withdrawn", note="申请人撤回。")


def test_few_hundred_rows_one_bad_commits_nothing_then_all_and_kpis_move_exactly(orgs, users, client_for):
    _worked_in_the_system(users)
    c = client_for(users.staff)
    before = figures(orgs.bureau, FY_KPI_KEYS)
    cases_before, apps_before, parties_before = Case.all_objects.count(), Application.objects.count(), Party.objects.count()
    rows, expected = fy_rows(320)
    bad = dict(rows[205])  # spreadsheet row 207 (row 1 is the header)
    assert bad["结案方式"] == "终止"
    del bad["终止理由"]
    rows_with_error = [*rows[:205], bad, *rows[206:]]
    job = upload(c, FY_KEY, rows_with_error)
    assert job.status == JobStatus.INVALID
    assert job.errors == [[207, "终止理由", "结案方式为“终止”的，须填写终止理由。"]]
    assert (Case.all_objects.count(), Application.objects.count(), Party.objects.count()) == (cases_before, apps_before, parties_before)
    page = c.get(reverse("ledgers:import_job", args=[job.pk])).content.decode()
    assert "第207行" in page and "终止理由" in page
    assert c.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 400  # an invalid job cannot be committed
    assert Case.all_objects.count() == cases_before and figures(orgs.bureau, FY_KPI_KEYS) == before

    job = imported(c, FY_KEY, rows, "行政复议台账-修正.xlsx")
    assert job.created_count == 320
    new = Case.objects.filter(case_type=FY_KEY, channel=Channel.IMPORT)
    assert new.count() == 320 and Application.objects.count() == apps_before + 320
    assert Party.objects.filter(case__in=new, role="applicant").count() == 320
    assert CaseEvent.objects.filter(case__in=new, kind=EventKind.IMPORTED).count() == 320
    after = figures(orgs.bureau, FY_KPI_KEYS)
    assert moved(before, after) == expected
    # 纠错率 itself: the system's cases (one revoked, one withdrawn: both 审结) plus the imported ones.
    num, den = after["reconsideration.correction_rate"]
    assert (num, den) == (1 + expected["reconsideration.correction_rate"][0], 2 + expected["reconsideration.correction_rate"][1])
    assert engine.compute(registry.kpi("reconsideration.correction_rate"), orgs.bureau, Y2025).value == engine.ratio(num, den)


def test_imported_cases_are_stored_as_the_workflow_leaves_them(orgs, users, client_for):
    c = client_for(users.staff)
    opened = date(2025, 6, 2)
    rows = [
        fy_row(1, "open", opened),
        fy_row(2, "review", opened, **{"发送答复通知日期": date(2025, 6, 6), "延长审理期限（日）": 20}),
        fy_row(3, "not_accepted", opened),
        fy_row(4, "revoke", opened, **{"是否纠错": "是", "文号": "测司行复〔2025〕第41号"}),
        fy_row(5, "uphold", opened, late=True, **{"是否纠错": "否"}),
        fy_row(6, "withdrawn", opened, **{"中止天数": 40}),
        fy_row(7, "withdrawn", opened, late=True, **{"中止天数": 40}),
        fy_row(8, "withdrawn", opened, late=True),
    ]
    imported(c, FY_KEY, rows)
    by_name = {Party.objects.get(case=x, role="applicant").name: x for x in Case.objects.filter(case_type=FY_KEY)}
    new, review, refused, revoked, upheld, paused, paused_late, late = (by_name[f"申请人{i}"] for i in range(1, 9))
    assert (new.status, new.closed_on, new.outcome) == ("received", None, "")
    assert (review.status, review.application.accepted_on, review.application.procedure) == ("reviewing", date(2025, 6, 4), "ordinary")
    assert (refused.status, refused.outcome, refused.closed_on) == ("not_accepted", "not_accepted", date(2025, 6, 7))
    assert (revoked.status, revoked.outcome, revoked.doc_number) == ("closed", "revoke", "测司行复〔2025〕第41号")
    assert revoked.application.concluded_on_time is True and upheld.application.concluded_on_time is False
    # Concluded 75 days after acceptance: late, unless 40 days of 中止 stopped the 60-day clock.
    assert paused.application.concluded_on_time is True and paused.application.termination_reason == "withdrawn"
    assert paused_late.application.concluded_on_time is True and late.application.concluded_on_time is False
    assert CaseEvent.objects.get(case=paused, kind=EventKind.IMPORTED).data["suspended_days"] == 40
    assert new.title == "申请人1不服区市场监督管理局罚款" and new.handler == users.staff and new.owner_org == orgs.bureau
    # Clocks: an open case has its review clock from receipt; one under review its decision clock
    # from acceptance, extended by 20 days, and its reply clock from the copy; closed cases none.
    review_dl = Deadline.objects.get(case=new, key="review")
    assert (review_dl.start_date, review_dl.due_date) == (opened, calendar.add_workdays(opened, 5))
    decision = Deadline.objects.get(case=review, key="decision")
    assert decision.start_date == date(2025, 6, 4) and decision.due_date == calendar.compute_due(date(2025, 6, 4), 80, "day").due
    assert Deadline.objects.get(case=review, key="review").completed_on == date(2025, 6, 4)
    assert Deadline.objects.get(case=review, key="copy").completed_on == date(2025, 6, 6)
    assert Deadline.objects.get(case=review, key="reply").is_open
    assert fresh(review).next_due == Deadline.objects.filter(case=review, completed_on__isnull=True).order_by("due_date").first().due_date
    assert not Deadline.objects.filter(case__in=[refused, revoked, upheld, paused]).exists()
    # The 文号 counter moved past the imported number: the next 文号 the system issues is 第42号.
    from sifa.cases.models import Counter

    assert Counter.objects.get(key=f"doc:{orgs.bureau.pk}:FY:2025").value == 41


def test_same_case_imported_or_worked_counts_the_same(orgs, users, client_for):
    """A case decided in the system and the same case from the ledger give the same figures."""
    case = accepted(users, date(2025, 3, 3), on=date(2025, 3, 5))
    heard(users, case, date(2025, 3, 10))
    step(users.staff, case, "decide", date(2025, 3, 25), kind="change", summary="x")
    worked = figures(orgs.bureau, FY_KPI_KEYS)
    Case.all_objects.filter(pk=case.pk).update(is_deleted=True)
    assert figures(orgs.bureau, FY_KPI_KEYS)["reconsideration.received"] == (0, None)
    imported(client_for(users.staff), FY_KEY, [fy_row(1, "change", date(2025, 3, 3))])
    assert figures(orgs.bureau, FY_KPI_KEYS) == worked
    a = Application.objects.get(case__channel=Channel.IMPORT)
    b = Application.objects.get(case=case)
    fields = ("respondent_agency", "category", "accepted_on", "procedure", "concluded_on_time", "termination_reason", "is_inaction")
    assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}
    assert (a.case.status, a.case.outcome, a.case.closed_on) == (b.case.status, b.case.outcome, b.case.closed_on)


def test_every_cross_column_rule_names_row_and_column(orgs, users, client_for):
    c = client_for(users.staff)
    d = date(2025, 4, 1)
    rows = [
        fy_row(1, "revoke", d, **{"是否纠错": "否"}),  # row 2
        fy_row(2, "open", d, **{"结案日期": date(2025, 5, 1)}),  # row 3
        fy_row(3, "not_accepted", d, **{"受理日期": date(2025, 4, 2)}),  # row 4
        fy_row(4, "uphold", d, **{"受理日期": None, "审理程序": None}),  # row 5
        fy_row(5, "order_perform", d, **{"复议事项类别": "罚款"}),  # row 6
        fy_row(6, "review", d, **{"审理程序": "简易程序", "延长审理期限（日）": 10}),  # row 7
        fy_row(7, "uphold", d, **{"文号": "测试行复〔2025〕第1号"}),  # row 8
        fy_row(8, "uphold", d, **{"文号": "测试行复〔2025〕第1号"}),  # row 9
        fy_row(9, "uphold", d, **{"被申请人": "区外星人管理局"}),  # row 10
        fy_row(10, "review", d, **{"受理日期": date(2025, 3, 1)}),  # row 11
    ]
    job = upload(c, FY_KEY, rows)
    assert job.status == JobStatus.INVALID and Case.objects.count() == 0
    by_row = {r: (col, msg) for r, col, msg in job.errors}
    assert by_row[2] == ("是否纠错", "结案方式“撤销”属于纠错，“是否纠错”应填“是”。")
    assert by_row[3] == ("结案方式", "填写了结案日期，须同时填写结案方式。")
    assert by_row[4] == ("受理日期", "结案方式为“不予受理”的申请未受理，不应填写受理日期。")
    assert by_row[5] == ("受理日期", "结案方式为“维持”的案件已受理，须填写受理日期。")
    assert by_row[6][0] == "结案方式" and "只适用于申请履行法定职责" in by_row[6][1]
    assert by_row[7] == ("延长审理期限（日）", "简易程序案件的审理期限不能延长（第六十二条）；已转为普通程序的，审理程序请填“普通程序”。")
    assert 8 not in by_row and by_row[9] == ("文号", "文号“测试行复〔2025〕第1号”与第8行重复。")
    assert by_row[10][0] == "被申请人" and "区外星人管理局" in by_row[10][1]
    assert by_row[11] == ("受理日期", "受理日期早于收到申请日期。")


def test_litigation_ledger_moves_hearings_appearance_and_loss_exactly(orgs, users, client_for):
    c = client_for(users.staff)
    worked = make_suit(users.staff, served_on=date(2025, 2, 3))
    step(users.staff, worked, "file_defence", date(2025, 2, 10), summary="答辩")
    step(users.staff, worked, "record_hearing", date(2025, 3, 3), held_on=date(2025, 3, 3), head_attended=True, head_name="李局长", head_title="局长")
    before = figures(orgs.bureau, YS_KPI_KEYS)
    # 出庭率 counts cases (the default definition): a case heard in 2025 counts once, and in
    # the numerator when its head attended any of its hearings.
    rows, hearings, heard, attended, judgments, losses = [], 0, 0, 0, 0, 0
    for i in range(120):
        opened = date(2025, 1 + i % 6, 2 + i % 20)
        held = [(opened + timedelta(days=40), i % 4 != 0)] + ([(opened + timedelta(days=70), True)] if i % 5 == 0 else [])
        kind = ["判决驳回原告诉讼请求", "判决撤销或部分撤销", "裁定准予撤诉", "判决确认违法"][i % 4]
        first = (kind, opened + timedelta(days=90)) if i % 6 else None
        closed = opened + timedelta(days=120) if first and i % 2 else None
        lost = first is not None and kind in ("判决撤销或部分撤销", "判决确认违法")
        rows.append(ys_row(i, opened, hearings=held, first=first, closed=closed, **({"是否败诉": "是"} if lost else {})))
        hearings += len(held)
        heard += 1
        attended += any(a for _, a in held)
        if first and kind.startswith("判决"):
            judgments += 1
            losses += kind in ("判决撤销或部分撤销", "判决确认违法")
    bad = list(rows)
    bad[57] = dict(rows[57], 负责人是否出庭="是、否、是")  # three answers for one or two hearings
    job = upload(c, YS_KEY, bad)
    assert job.status == JobStatus.INVALID and len(job.errors) == 1
    row, column, message = job.errors[0]
    assert (row, column) == (59, "负责人是否出庭") and "请逐次填写或只填一项" in message
    assert Suit.objects.count() == 1 and SuitHearing.objects.count() == 1

    imported(c, YS_KEY, rows)
    assert moved(before, figures(orgs.bureau, YS_KPI_KEYS)) == {
        "litigation.cases": (120, None),
        "litigation.hearings": (hearings, None),
        "litigation.appearance_rate": (attended, heard),
        "litigation.first_instance_judgments": (judgments, None),
        "litigation.loss_rate": (losses, judgments),
    }
    by_number = {c.suit.court_case_number: c for c in Case.objects.filter(case_type=YS_KEY, channel=Channel.IMPORT).select_related("suit")}
    closed, withdrawn, judged, in_trial = (by_number[f"（2025）测0101行初{i}号"] for i in (1, 2, 4, 6))
    assert (closed.status, closed.outcome) == ("closed", "revoke") and SuitJudgment.objects.get(case=closed).is_loss
    assert not Deadline.objects.filter(case=closed).exists()
    # Judged, appeal period running (15 days from service); a withdrawal ruling cannot be appealed.
    appeal = Deadline.objects.get(case=judged, key="appeal")
    assert judged.status == "judged" and (appeal.amount, appeal.start_date) == (15, SuitJudgment.objects.get(case=judged).served_on)
    assert Deadline.objects.get(case=judged, key="defence").completed_on == judged.suit.defence_filed_on
    assert withdrawn.status == "judged" and not Deadline.objects.filter(case=withdrawn, key="appeal").exists()
    assert in_trial.status == "in_trial" and in_trial.ys_hearings.count() == 1  # defence filed, heard, not judged


def test_appeal_rows_put_hearings_and_judgments_in_their_instance(orgs, users, client_for):
    c = client_for(users.staff)
    o = date(2025, 1, 6)
    rows = [
        ys_row(
            1,
            o,
            instance="二审",
            hearings=[(date(2025, 2, 10), True), (date(2025, 6, 10), False)],
            first=("判决撤销或部分撤销", date(2025, 3, 1)),
            later=("驳回上诉，维持原裁判", date(2025, 7, 1)),
            closed=date(2025, 7, 20),
            **{"是否败诉": "是"},
        ),
        ys_row(2, o, instance="二审", first=("判决驳回原告诉讼请求", date(2025, 3, 1))),  # appealed, waiting
        ys_row(3, o, first=("判决撤销或部分撤销", date(2025, 3, 1)), later=("改判（行政机关胜诉）", date(2025, 7, 1))),
        ys_row(4, o, first=("判决驳回原告诉讼请求", date(2025, 3, 1)), **{"是否败诉": "是"}),
        ys_row(5, o, instance="再审", first=("判决驳回原告诉讼请求", date(2025, 3, 1)), closed=date(2025, 9, 1)),
    ]
    job = upload(c, YS_KEY, rows)
    assert {(r, col) for r, col, _ in job.errors} == {(4, "审级"), (5, "是否败诉"), (6, "二审（再审）裁判结果")}
    imported(c, YS_KEY, rows[:2])
    one, two = (Case.objects.get(suit__court_case_number=f"（2025）测0101行初{i}号") for i in (1, 2))
    assert [(h.instance, h.head_attended) for h in one.ys_hearings.order_by("held_on")] == [("first", True), ("second", False)]
    assert [(j.instance, j.kind) for j in one.ys_judgments.order_by("judged_on")] == [("first", "revoke"), ("second", "dismiss_appeal")]
    assert (one.status, one.outcome) == ("closed", "dismiss_appeal")
    assert two.status == "in_trial" and Deadline.objects.get(case=two, key="appeal").completed_on is not None


def test_only_the_lines_staff_may_import(orgs, users, client_for):
    rows = [fy_row(1, "uphold", date(2025, 3, 3))]
    data = xlsx_bytes(list(rows[0]), rows)
    from django.core.files.uploadedfile import SimpleUploadedFile

    for user in (users.office_a, users.leader, users.staff_other_line, users.mediator_a):
        c = client_for(user)
        page = c.get(reverse("ledgers:import_start"))
        assert "行政复议案件台账" not in page.content.decode()
        resp = c.post(reverse("ledgers:import_start"), {"case_type": FY_KEY, "file": SimpleUploadedFile("a.xlsx", data)})
        assert resp.status_code in (400, 403, 404), user.username
        assert c.get(reverse("ledgers:template", args=[FY_KEY])).status_code == 404, user.username
    assert ImportJob.objects.count() == 0 and Case.objects.count() == 0


def test_template_offers_the_dictionaries_and_its_example_row_is_skipped(orgs, users, client_for):
    c = client_for(users.staff)
    resp = c.get(reverse("ledgers:template", args=[FY_KEY]))
    assert resp.status_code == 200
    wb = load_workbook(BytesIO(b"".join(resp.streaming_content) if resp.streaming else resp.content))
    options = [cell.value for row in wb["选项"].iter_rows() for cell in row if cell.value]
    assert "区市场监督管理局" in options and "罚款" in options and "撤销" in options and "申请人撤回申请" in options
    ws = wb.worksheets[0]
    headers = [cell.value for cell in ws[1]]
    values = fy_row(1, "uphold", date(2025, 3, 3))
    for i, h in enumerate(headers, start=1):
        v = values.get(h)
        ws.cell(row=3, column=i, value=v)
    buf = BytesIO()
    wb.save(buf)
    from django.core.files.uploadedfile import SimpleUploadedFile

    c.post(reverse("ledgers:import_start"), {"case_type": FY_KEY, "file": SimpleUploadedFile("模板.xlsx", buf.getvalue())})
    job = commit(c, ImportJob.objects.latest("id"))
    assert job.status == JobStatus.DONE and job.created_count == 1 and any("示例" in n for n in job.notes)
