"""Every Word document of item 5: offered only once its step happened, generated
through the case page's document link, with the organ, number, parties, dates
in Chinese numerals and the legal basis."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.common.docgen import read_text
from sifa.kit import registry
from sifa.reconsideration.choices import FY_KEY

from .factories import accepted, fresh, heard, make_application, step

pytestmark = pytest.mark.django_db


def available(case) -> set[str]:
    return {d.key for d in registry.case_type(FY_KEY).documents if d.available(fresh(case))}


def text_of(client, case, key) -> str:
    r = client.get(reverse("cases:document", args=[case.pk, key]))
    assert r.status_code == 200, key
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r["Content-Disposition"]
    return read_text(r.content)


@pytest.fixture
def c(client_for, users):
    return client_for(users.staff)


def test_received_case_offers_no_document(users):
    case = make_application(users.staff, received_on=date(2026, 3, 2))
    assert available(case) == set()


def test_acceptance_reply_hearing_extension_suspension_resumption_decision_opinion(users, c):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    assert available(case) == {"acceptance", "reply_notice"}
    t = text_of(c, case, "acceptance")
    assert "测试区人民政府" in t and "行政复议受理通知书" in t and "测司行复受字〔2026〕第1号" in t
    assert "二〇二六年三月四日起受理" in t and "第三十条第一款" in t and "六十日" in t and case.code in t and "测试区司法局" in t
    t = text_of(c, case, "reply_notice")
    assert "区市场监督管理局：" in t and "十日" in t and "第四十八条" in t
    heard(users, case, date(2026, 3, 6))
    step(users.staff, case, "schedule_hearing", date(2026, 3, 9), hearing_date=date(2026, 3, 17), place="第一听证室", matters="罚款数额是否适当")
    t = text_of(c, case, "hearing")
    assert "二〇二六年三月十七日" in t and "第一听证室" in t and "罚款数额是否适当" in t and "第五十一条" in t
    step(users.staff, case, "request_extension", date(2026, 4, 1), days=30, grounds="复杂")
    step(users.leader, case, "approve_extension", date(2026, 4, 2))
    t = text_of(c, case, "extension")
    assert "延长三十日" in t and "至二〇二六年六月二日届满" in t and "第六十二条第一款" in t  # 3-4 + 60 + 30 = 6-2
    step(users.staff, case, "suspend", date(2026, 4, 3), ground="other_case", note="等待法院判决")
    t = text_of(c, case, "suspension")
    assert "第三十九条第一款第八项" in t and "二〇二六年四月三日起中止审理" in t and "等待法院判决" in t
    assert "resumption" not in available(case)
    step(users.staff, case, "resume", date(2026, 4, 13))
    t = text_of(c, case, "resumption")
    assert "二〇二六年四月十三日起恢复审理" in t
    step(users.staff, case, "decide", date(2026, 5, 8), kind="partial_revoke", order_redo=True, compensation_awarded=True, summary="罚款数额明显不当。")
    t = text_of(c, case, "decision")
    assert "行政复议决定书" in t and "测司行复决字〔2026〕第1号" in t and "申请人：张三，女，1949年12月31日出生。" in t
    assert "被申请人：区市场监督管理局。" in t and "部分撤销被申请人作出的" in t and "重新作出行政行为" in t
    assert "第六十四条、第七十二条" in t and "十五日内" in t and "二〇二六年五月八日" in t
    step(users.staff, case, "issue_opinion", date(2026, 5, 9), kind="opinion", addressee="market", content="罚款裁量基准未公开。")
    t = text_of(c, case, "opinion")
    assert "行政复议意见书" in t and "测司行复意字" in t and "第七十六条" in t and "六十日内" in t and "罚款裁量基准未公开" in t


def test_correction_and_refusal(users, c):
    case = make_application(users.staff, received_on=date(2026, 3, 2))
    step(users.staff, case, "request_correction", date(2026, 3, 3), items="1. 身份证明\n2. 处罚决定书")
    t = text_of(c, case, "correction")
    assert "补正通知书" in t and "十个工作日内" in t and "2. 处罚决定书" in t and "第三十一条第一款" in t
    step(users.staff, case, "receive_correction", date(2026, 3, 6))
    step(
        users.staff,
        case,
        "not_accept",
        date(2026, 3, 9),
        refusal_reason="no_jurisdiction",
        competent_organ="测试市人民政府",
        explanation="被申请人为市级部门。",
    )
    t = text_of(c, case, "refusal")
    assert "不予受理" in t and "不属于本机关管辖" in t and "测试市人民政府申请行政复议" in t and "第三十条第二款" in t


def test_mediation_and_termination(users, c):
    a = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, a, "mediate_close", date(2026, 3, 20), agreement="一、被申请人退还罚款五千元。\n二、申请人放弃其他请求。")
    t = text_of(c, a, "mediation")
    assert "行政复议调解书" in t and "退还罚款五千元" in t and "第七十三条" in t and "签名或盖章" in t
    assert "decision" not in available(a)
    b = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, b, "terminate", date(2026, 3, 20), termination_reason="settled")
    t = text_of(c, b, "termination")
    assert "终止行政复议" in t and "第七十四条、第四十一条第一项" in t and "不得再以同一事实和理由" in t


def test_deemed_acceptance_notice_cites_the_deeming_rule(users, c):
    case = make_application(users.staff, received_on=date(2026, 2, 12))
    step(users.staff, case, "deemed_accept")
    t = text_of(c, case, "acceptance")
    assert "第三十条第三款" in t and "二〇二六年二月二十六日起视为受理" in t


def test_documents_are_not_offered_to_other_offices(users, client_for):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    assert client_for(users.office_a).get(reverse("cases:document", args=[case.pk, "acceptance"])).status_code == 404
    assert client_for(users.leader).get(reverse("cases:document", args=[case.pk, "acceptance"])).status_code == 200
    assert client_for(users.staff).get(reverse("cases:document", args=[case.pk, "refusal"])).status_code == 404


def test_incidental_review_letters(users, c):
    """附带审查: the notice to the drafting organ (§58) and the transfer letter (§56, §60)."""
    doc = "区市场监管局《罚款裁量基准》第五条"
    here = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    step(users.staff, here, "start_norm_review", date(2026, 3, 10), origin="application", document=doc, drafting_organ="区市场监督管理局", competent="1")
    assert not {"norm_notice", "norm_transfer"} & available(here)
    step(users.staff, here, "suspend", date(2026, 3, 10), ground="incidental_review")
    step(users.staff, here, "notify_drafter", date(2026, 3, 11))
    assert "norm_notice" in available(here) and "norm_transfer" not in available(here)
    t = text_of(c, here, "norm_notice")
    assert "附带审查答复通知书" in t and "区市场监督管理局：" in t and doc in t and "第五十八条" in t and "十个工作日内" in t
    assert "第十三条" in t and "测司行复审字〔2026〕" in t and "二〇二六年三月十一日" in t
    away = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    step(users.staff, away, "start_norm_review", date(2026, 3, 10), origin="ex_officio", document=doc, drafting_organ="市市场监督管理局", competent="0")
    step(users.staff, away, "transfer_norm", date(2026, 3, 12), transferee="市人民政府")
    assert "norm_transfer" in available(away) and "norm_notice" not in available(away)
    t = text_of(c, away, "norm_transfer")
    assert "附带审查转送函" in t and "市人民政府：" in t and "市市场监督管理局制定" in t and "可能不合法" in t and "六十日内" in t and "第六十条" in t


def test_the_reasons_paragraph_does_not_repeat_the_decision(users, c):
    """本机关认为 holds the facts and reasons; the decision's wording is written once,
    from its kind, in the paragraph after it, even when the handler typed it too."""
    from sifa.reconsideration.documents import reasoning

    typed = "本机关认为：被申请人认定事实不清，证据不足。依照《中华人民共和国行政复议法》第六十四条的规定，本机关决定：撤销被申请人作出的行政处罚决定。"
    assert reasoning(typed) == "被申请人认定事实不清，证据不足。"
    # A reason that cites a law stays; a missing full stop is added.
    assert (
        reasoning("根据《中华人民共和国行政处罚法》第四十四条，被申请人未告知陈述申辩权利")
        == "根据《中华人民共和国行政处罚法》第四十四条，被申请人未告知陈述申辩权利。"
    )
    assert reasoning("本机关决定：维持。") == "" and reasoning("") == ""

    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    heard(users, case, date(2026, 3, 20))
    step(users.staff, case, "decide", date(2026, 4, 8), kind="revoke", order_redo=False, compensation_awarded=False, summary=typed)
    t = text_of(c, case, "decision")
    assert "本机关认为：被申请人认定事实不清，证据不足。\n" in t
    assert t.count("撤销被申请人作出的") == 1 and t.count("本机关决定") == 1
