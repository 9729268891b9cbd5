"""Every document: offered only when it makes sense, built from the case
data with the committee's name and the document number."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from sifa.common.docgen import read_text
from sifa.kit import registry
from sifa.mediation.documents import DOSSIER_ORDER, copies_sentence

from .factories import APPLICANT, agreement_data, make_dispute, mediator, profile, session_data, step, to_agreed, to_mediating

pytestmark = pytest.mark.django_db


def docs(case):
    return [d.key for d in registry.case_type("mediation").documents if d.available(case)]


def build(case, key, user):
    spec = next(d for d in registry.case_type("mediation").documents if d.key == key)
    data = spec.render(case, user)
    from docx import Document

    Document(BytesIO(data))  # opens as a Word file
    return read_text(data)


@pytest.fixture
def team(orgs, users):
    profile(orgs.committee_a)
    return [mediator(orgs.committee_a, "张调解", user=users.mediator_a), mediator(orgs.committee_a, "周调解")]


def test_availability_follows_the_lifecycle(orgs, users, team):
    case = make_dispute(users.office_a, orgs.committee_a)
    assert docs(case) == ["application", "registration"]
    to_mediating(users.office_a, case, team)
    case.refresh_from_db()
    assert docs(case) == ["application", "registration", "notice", "dossier"]
    step(users.office_a, case, "record_session", session_data())
    step(users.office_a, case, "succeed", agreement_data())
    assert docs(case) == ["application", "registration", "notice", "sessions", "agreement", "dossier"]
    step(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": localdate(), "method": "phone", "visited": "张三", "performance": "performed", "satisfaction": "satisfied"},
    )
    assert "visits" in docs(case)
    initiative = make_dispute(
        users.office_a, orgs.committee_a, source="initiative", parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}]
    )
    assert docs(initiative) == ["registration"]
    to_mediating(users.office_a, initiative, team)
    step(users.office_a, initiative, "terminate", {"termination_reason": "no_agreement", "routes_told": True})
    assert "termination" in docs(initiative) and "agreement" not in docs(initiative)


def test_agreement(orgs, users, team):
    case = to_agreed(users.office_a, make_dispute(users.office_a, orgs.committee_a), team)
    case.refresh_from_db()
    text = build(case, "agreement", users.mediator_a)
    for expected in (
        "A调委会",
        "人民调解协议书",
        case.doc_number,
        "申请人",
        "张三",
        "被申请人",
        "李四",
        APPLICANT["id_number"],
        "卫生间漏水",
        "赔偿张三损失三千元",
        "银行转账",
        "3,000元",
        "本协议一式三份，双方当事人、人民调解委员会各执一份。",
        "张调解",
    ):
        assert expected in text, expected
    # A role that may not reveal gets the masked form.
    assert APPLICANT["id_number"] not in build(case, "agreement", users.leader)
    assert "110105********002X" in build(case, "agreement", users.leader)


def test_agreement_with_three_parties_counts_copies(orgs, users, team):
    parties = [{"role": "applicant", "name": "王大"}, {"role": "applicant", "name": "王二"}, {"role": "respondent", "name": "王三"}]
    case = to_agreed(users.office_a, make_dispute(users.office_a, orgs.committee_a, parties=parties), team)
    text = build(case, "agreement", users.office_a)
    assert "本协议一式四份，各方当事人各执一份，人民调解委员会留存一份。" in text
    assert all(n in text for n in ("王大", "王二", "王三"))
    assert copies_sentence([]) == "本协议一式三份，双方当事人、人民调解委员会各执一份。"
    eleven = [type("P", (), {"role": "applicant"})()] * 11
    assert "一式十二份" in copies_sentence(eleven)


def test_registration_application_sessions_termination_visits(orgs, users, team):
    case = make_dispute(users.office_a, orgs.committee_a, place="A村", amount_in_dispute="5000")
    reg = build(case, "registration", users.office_a)
    assert "人民调解受理登记表" in reg and "（　　）人调字第　　号" in reg and "当事人申请" in reg and "邻里纠纷" in reg and "5,000元" in reg
    app = build(case, "application", users.office_a)
    assert "人民调解申请书" in app and "请求A调委会对申请人与李四之间的邻里纠纷进行调解" in app
    to_mediating(users.office_a, case, team)
    step(users.office_a, case, "record_session", session_data(kind="investigation", record="走访邻居。"))
    step(users.office_a, case, "record_session", session_data(record="第一次调解。"))
    case.refresh_from_db()
    assert case.doc_number in build(case, "registration", users.office_a)
    sessions = build(case, "sessions", users.office_a)
    assert "调查笔录" in sessions and "调解笔录" in sessions and "走访邻居。" in sessions and "第一次调解。" in sessions
    step(users.office_a, case, "terminate", {"termination_reason": "party_refuses", "routes_told": True})
    term = build(case, "termination", users.office_a)
    assert "终止调解通知书" in term and "当事人拒绝继续调解" in term and "第二十六条" in term and "仲裁、行政、司法等途径" in term


def test_rights_and_duties_notice(orgs, users, team):
    """当事人权利义务告知书: offered once the dispute is accepted, with the rights of
    人民调解法 §23 and the duties of §24, the parties by name and the mediators."""
    case = make_dispute(users.office_a, orgs.committee_a)
    assert "notice" not in docs(case)
    to_mediating(users.office_a, case, team)
    case.refresh_from_db()
    text = build(case, "notice", users.office_a)
    for expected in (
        "人民调解当事人权利义务告知书",
        case.doc_number,
        "第二十三条、第二十四条",
        "选择或者接受人民调解员",
        "自主表达意愿、自愿达成调解协议",
        "如实陈述纠纷事实",
        "尊重对方当事人行使权利",
        "不收取任何费用",
        "张三",
        "李四",
        "张调解",
        "A调委会",
    ):
        assert expected in text, expected
    # The dossier lists it as present once accepted.
    step(users.office_a, case, "record_session", session_data())
    dossier = build(case, "dossier", users.office_a)
    assert "当事人权利义务告知书" in dossier


def test_visits_and_dossier(orgs, users, team):
    case = to_agreed(users.office_a, make_dispute(users.office_a, orgs.committee_a), team)
    step(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": localdate(), "method": "home", "visited": "张三", "performance": "performed", "satisfaction": "satisfied", "notes": "已付清。"},
    )
    step(users.office_a, case, "archive")
    case.refresh_from_db()
    visits = build(case, "visits", users.office_a)
    assert "人民调解回访记录" in visits and "履行完毕" in visits and "上门回访" in visits and "已付清。" in visits and case.doc_number in visits
    dossier = build(case, "dossier", users.office_a)
    assert "人民调解卷宗" in dossier and "卷内目录" in dossier and case.doc_number in dossier and "张调解" in dossier and "周调解" in dossier
    positions = [dossier.index(name) for name, _ in DOSSIER_ORDER]
    assert positions == sorted(positions), "卷内目录按标准顺序排列"
    assert len(DOSSIER_ORDER) == 13 and DOSSIER_ORDER[0][0].startswith("人民调解申请书") and DOSSIER_ORDER[-1][0] == "封底"


def test_download_through_the_case_page(orgs, users, team, client_for):
    case = to_agreed(users.office_a, make_dispute(users.office_a, orgs.committee_a), team)
    c = client_for(users.mediator_a)
    page = c.get(reverse("cases:detail", args=[case.pk]) + "?tab=docs").content.decode()
    assert "人民调解协议书" in page and "终止调解通知书" not in page
    resp = c.get(reverse("cases:document", args=[case.pk, "agreement"]))
    assert resp.status_code == 200 and quote(f"{case.code}-人民调解协议书.docx") in resp["Content-Disposition"]
    assert "张三" in read_text(resp.content)
    assert c.get(reverse("cases:document", args=[case.pk, "termination"])).status_code == 404
