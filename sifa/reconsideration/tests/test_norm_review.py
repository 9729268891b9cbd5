"""附带审查 (行政复议法 §56–§60): both paths, every clock across holidays, the
refusals (which change nothing), the decision held until the review is done,
the API and the case page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.common.errors import DomainError
from sifa.deadlines.models import Deadline
from sifa.reconsideration.models import NormReview

from .factories import accepted, fresh, heard, step

pytestmark = pytest.mark.django_db

API = "/api/v1"
DOC = "区市场监管局《罚款裁量基准》（演市监规〔2025〕3号）第五条"


def due(case, key):
    return Deadline.objects.get(case=case, key=key).due_date


def state(case):
    case = fresh(case)
    return (
        case.status,
        case.version,
        list(NormReview.objects.filter(case=case).values()),
        list(Deadline.objects.filter(case=case).order_by("key").values_list("key", "due_date", "completed_on", "cancelled", "paused_since")),
    )


def refused(actor, case, name, on, match, **data):
    before = state(case)
    with pytest.raises(DomainError) as exc:
        step(actor, case, name, on, **data)
    assert match in exc.value.message, exc.value.message
    assert state(case) == before


def test_handled_here_notice_reply_and_result(users):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    heard(users, case, date(2026, 3, 20))
    step(users.staff, case, "start_norm_review", date(2026, 4, 24), origin="application", document=DOC, drafting_organ="区市场监督管理局", competent="1")
    # 30 days from Fri 4-24: 5-24 is a Sunday → Monday 5-25 (§88: a calendar period).
    assert due(case, "norm_handle") == date(2026, 5, 25)
    assert not Deadline.objects.filter(case=case, key="norm_transfer").exists()
    other = {"origin": "ex_officio", "document": "另一文件", "drafting_organ": "区政府", "competent": "1"}
    refused(users.staff, case, "start_norm_review", date(2026, 4, 24), "尚未办结", **other)
    refused(users.staff, case, "transfer_norm", date(2026, 4, 27), "本机关处理", transferee="市政府")
    refused(users.staff, case, "decide", date(2026, 4, 27), "第五十九条", kind="uphold", summary="维持。")
    refused(users.staff, case, "record_drafter_reply", date(2026, 4, 27), "尚未书面通知", summary="合法。")
    # 中止 (§39 第一款第九项) on Tue 4-28: notify within 3 working days — 4-29, 4-30, (5-1…5-5 劳动节), 5-6.
    step(users.staff, case, "suspend", date(2026, 4, 28), ground="incidental_review", note="审查罚款裁量基准")
    assert due(case, "norm_notice") == date(2026, 5, 6)
    assert Deadline.objects.get(case=case, key="decision").paused_since == date(2026, 4, 28)
    # Served 4-30: 10 working days — 5-6, 5-7, 5-8, 5-9 (make-up Saturday), 5-11 … 5-15, 5-18.
    step(users.staff, case, "notify_drafter", date(2026, 4, 29), served_on=date(2026, 4, 30))
    notice = Deadline.objects.get(case=case, key="norm_notice")
    assert notice.completed_on == date(2026, 4, 29)
    assert due(case, "norm_reply") == date(2026, 5, 18)
    refused(users.staff, case, "notify_drafter", date(2026, 4, 30), "已经书面通知")
    step(users.staff, case, "record_drafter_reply", date(2026, 5, 12), summary="制定机关认为第五条有上位法依据。")
    assert Deadline.objects.get(case=case, key="norm_reply").completed_on == date(2026, 5, 12)
    refused(users.staff, case, "record_norm_result", date(2026, 5, 15), "本机关处理", result="transferee_replied", note="x")
    step(users.staff, case, "record_norm_result", date(2026, 5, 15), result="lawful", note="第五条合法，在决定书中一并告知。")
    r = NormReview.objects.get(case=case)
    assert (r.result, r.result_on, r.reply_on, r.notice_served_on) == ("lawful", date(2026, 5, 15), date(2026, 5, 12), date(2026, 4, 30))
    assert Deadline.objects.get(case=case, key="norm_handle").completed_on == date(2026, 5, 15)
    step(users.staff, case, "resume", date(2026, 5, 15))
    step(users.staff, case, "decide", date(2026, 5, 20), kind="uphold", summary="维持。")
    assert fresh(case).status == "closed"


def test_transferred_to_the_competent_organ(users):
    case = accepted(users, date(2026, 9, 21), on=date(2026, 9, 22))
    step(users.staff, case, "start_norm_review", date(2026, 9, 28), origin="ex_officio", document=DOC, drafting_organ="市市场监督管理局", competent="0")
    # 7 working days from Mon 9-28: 9-29, 9-30, (10-1…10-7 国庆), 10-8, 10-9, 10-10 (make-up), 10-12, 10-13.
    assert due(case, "norm_transfer") == date(2026, 10, 13)
    assert not Deadline.objects.filter(case=case, key="norm_handle").exists()
    refused(users.staff, case, "notify_drafter", date(2026, 9, 29), "转送有权机关")
    refused(users.staff, case, "record_norm_result", date(2026, 9, 29), "尚未转送", result="transferee_replied", note="x")
    # A 中止 for the review when it is transferred starts no notice clock (§58 is for the organ's own handling).
    step(users.staff, case, "suspend", date(2026, 9, 29), ground="incidental_review")
    assert not Deadline.objects.filter(case=case, key="norm_notice").exists()
    step(users.staff, case, "transfer_norm", date(2026, 10, 9), transferee="市人民政府", served_on=date(2026, 10, 12))
    assert Deadline.objects.get(case=case, key="norm_transfer").completed_on == date(2026, 10, 9)
    assert due(case, "norm_transfer_reply") == date(2026, 12, 11)  # 10-12 + 60 days, a Friday
    refused(users.staff, case, "record_norm_result", date(2026, 11, 20), "第六十条", result="unlawful", note="x")
    step(users.staff, case, "record_norm_result", date(2026, 11, 20), result="transferee_replied", note="市政府回复：该条款已修改。")
    assert Deadline.objects.get(case=case, key="norm_transfer_reply").completed_on == date(2026, 11, 20)


def test_closing_cancels_the_review_clocks(users):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    step(users.staff, case, "start_norm_review", date(2026, 3, 10), origin="application", document=DOC, drafting_organ="区市场监督管理局", competent="1")
    step(users.staff, case, "terminate", date(2026, 3, 12), termination_reason="withdrawn", note="申请人撤回")
    assert Deadline.objects.get(case=case, key="norm_handle").cancelled


def test_bad_input_names_the_field(users):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    refused(users.staff, case, "start_norm_review", date(2026, 3, 10), "制定机关", origin="application", document=DOC, drafting_organ="", competent="1")
    refused(users.staff, case, "start_norm_review", date(2026, 3, 10), "审查来由", origin="bogus", document=DOC, drafting_organ="区政府", competent="1")


def test_through_the_api_and_on_the_case_page(users, client_for):
    staff = client_for(users.staff)
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    url = f"{API}/reconsideration/{case.pk}/transitions/start_norm_review/"
    body = {"on": "2026-03-10", "data": {"origin": "application", "document": DOC, "drafting_organ": "区市场监督管理局", "competent": False}}
    r = staff.post(url, body | {"data": body["data"] | {"document": ""}}, content_type="application/json")
    assert r.status_code == 400 and "规范性文件或依据" in r.json()["detail"]
    r = staff.post(url, body, content_type="application/json")
    assert r.status_code == 200, r.content
    detail = staff.get(f"{API}/reconsideration/{case.pk}/").json()
    assert detail["norm_reviews"][0]["competent"] is False and detail["norm_reviews"][0]["document"] == DOC
    assert {d["key"] for d in detail["deadlines"]} >= {"norm_transfer"}
    page = staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="norm-reviews"' in page and "转送（待转送）" in page
