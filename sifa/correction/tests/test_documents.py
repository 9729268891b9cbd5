"""The Word documents of 社区矫正: each offered once the step that issues it has
happened (and not before), each carrying the confidentiality mark, the facts of
the file and, for roles that may not reveal them, the person's ID number and
phone masked; the approvals' 审批表 for every procedure, downloadable like the
case page (another office: 404)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sifa.accounts.tests.factories import UserFactory
from sifa.cases import procedures
from sifa.cases.services import today, transition
from sifa.common.docgen import read_text
from sifa.kit import registry

from ..choices import APPROVAL_KINDS, ASSESSMENT, CASE_TYPE, Category
from ..documents import DOCUMENTS, INQUIRY_DOCUMENTS
from ..services import register, register_inquiry

pytestmark = pytest.mark.django_db

ID_NUMBER = "110101199003071233"
MASKED_ID = "110101********1233"
PHONE = "13800000001"
MASKED_PHONE = "138****0001"
MARK = "内部 · 注意保密"


@pytest.fixture
def officer(orgs):
    return UserFactory(username="doc_officer", role="correction_officer", org=orgs.office_a)


def receive(actor, org, *, category=Category.PROBATION, name="张三", id_number=ID_NUMBER, ago=400, term_days=390, sentence="拘役三个月，缓刑六个月"):
    """A person whose judgment took effect ``ago`` days ago; the term ends ``ago - term_days`` days ago."""
    eff = today() - timedelta(days=ago)
    return register(
        actor,
        owner_org=org,
        parties=[{"role": "subject", "name": name, "id_number": id_number, "phone": PHONE, "address": "演示区幸福路1号"}],
        category=category,
        decision_org_name="演示区人民法院",
        judgment_no="（2025）演刑初字第88号",
        effective_on=eff,
        crime="危险驾驶罪",
        sentence=sentence,
        term_start=eff,
        term_end=eff + timedelta(days=term_days),
        opened_on=eff,
    )


def offered(case) -> set[str]:
    case.refresh_from_db()
    return {d.key for d in registry.case_type(case.case_type).documents if d.available(case)}


def text(case, key, user) -> str:
    case.refresh_from_db()
    specs = DOCUMENTS if case.case_type == CASE_TYPE else INQUIRY_DOCUMENTS
    out = read_text(next(d for d in specs if d.key == key).render(case, user))
    assert out.lstrip().startswith(MARK), f"{key}: the confidentiality mark comes first"
    return out


def step(actor, case, name, on, **data):
    transition(actor, case, name, data=data, on=on)
    case.refresh_from_db()
    return case


def supervise(officer, case, on):
    step(officer, case, "report", on, way="self", identity_checked=True, note="本人持判决书到所报到")
    return step(officer, case, "declare", on, place="A司法所宣告室", attendees="司法所、村委会、家属")


def test_the_file_offers_each_document_once_its_step_has_happened(officer, users, orgs):
    case = receive(officer, orgs.office_a)
    begun = case.record.effective_on + timedelta(days=2)
    assert offered(case) == {"intake"}
    intake = text(case, "intake", officer)
    assert "社区矫正对象接收登记表" in intake and "张三" in intake and "危险驾驶罪" in intake and "演示区人民法院" in intake
    # The officer may reveal: in full; a leader may not: masked, as on the case page.
    assert ID_NUMBER in intake and PHONE in intake
    led = text(case, "intake", users.leader)
    assert MASKED_ID in led and MASKED_PHONE in led and ID_NUMBER not in led and PHONE not in led

    supervise(officer, case, begun)
    assert offered(case) == {"intake", "declaration"}
    declared = text(case, "declaration", officer)
    assert "入矫宣告书" in declared and "A司法所宣告室" in declared and "司法所、村委会、家属" in declared
    assert "刑事判决，判处拘役三个月，缓刑六个月" in declared and "第二十二条" in declared and "病情复查" not in declared
    assert "本人报到" in text(case, "intake", officer)

    step(officer, case, "set_team", begun, members="王所长，司法所工作人员，男，A司法所，13900000009\n李大姐，村（居）民委员会人员，女，幸福村委会")
    assert "plan" not in offered(case)
    step(officer, case, "set_plan", begun, supervision="每周到所报到一次", education="每月参加集中教育", assistance="协助办理低保")
    assert offered(case) == {"intake", "declaration", "plan"}
    plan = text(case, "plan", officer)
    assert "王所长" in plan and "李大姐" in plan and "村（居）民委员会人员" in plan
    assert "每周到所报到一次" in plan and "每月参加集中教育" in plan and "协助办理低保" in plan
    assert "13900000009" in plan and "139****0009" in text(case, "plan", users.leader)

    # 训诫 twice: the document is the latest one, and names the earlier.
    step(officer, case, "sanction", begun + timedelta(days=10), kind="admonish", facts="未按时书面汇报", doc_no="测司矫训〔2025〕1号")
    step(officer, case, "sanction", begun + timedelta(days=20), kind="admonish", facts="未经批准会见同案人员", doc_no="测司矫训〔2025〕2号")
    assert {"admonish"} <= offered(case) and "warn" not in offered(case)
    admonish = text(case, "admonish", officer)
    assert "训诫决定书" in admonish and "测司矫训〔2025〕2号" in admonish and "未经批准会见同案人员" in admonish
    assert "未按时书面汇报" not in admonish and "第二十八条" in admonish and "测试区司法局" in admonish

    step(officer, case, "sanction", begun + timedelta(days=30), kind="warn", facts="外出逾期三日未返回", doc_no="测司矫警〔2025〕1号")
    warn = text(case, "warn", officer)
    assert "警告决定书" in warn and "外出逾期三日未返回" in warn and "训诫" in warn
    assert not offered(case) & {"revoke_probation", "certificate", "release"}

    step(
        officer,
        case,
        "summarize",
        today(),
        personal_summary="认罪悔罪，遵守规定",
        appraisal="矫正期间表现良好，按时报到",
        resettlement_advice="建议纳入安置帮教，协助就业",
    )
    assert not offered(case) & {"certificate", "release"}
    step(officer, case, "release", today(), kind="expiry", doc_no="测司矫解〔2026〕3号", notified_court=True, notified_procuratorate=True, notified_police=True)
    assert {"certificate", "release"} <= offered(case)
    cert = text(case, "certificate", officer)
    assert "解除社区矫正证明书" in cert and "测司矫解〔2026〕3号" in cert and "第四十四条" in cert and "矫正期满" in cert
    released = text(case, "release", officer)
    assert "解除社区矫正宣告书" in released and "矫正期间表现良好，按时报到" in released
    assert "原判刑罚不再执行" in released and "协助就业" in released


def test_a_minors_documents_say_the_file_is_sealed(officer, orgs):
    case = receive(officer, orgs.office_a, name="小明", id_number="110101201003071241", ago=5, term_days=365)
    assert case.is_sealed
    intake = text(case, "intake", officer)
    assert "未成年人案件" in intake and "第五十四条" in intake


def test_the_proposals_to_the_court_and_the_deciding_organ(officer, users, orgs):
    case = receive(officer, orgs.office_a, ago=60, term_days=365)
    on = case.record.effective_on + timedelta(days=2)
    supervise(officer, case, on)
    step(officer, case, "sanction", on + timedelta(days=5), kind="warn", facts="拒不报告活动情况")
    assert "revoke_probation" not in offered(case)
    step(officer, case, "sanction", on + timedelta(days=10), kind="revoke_probation", facts="脱离监管四十日，经查找到案", doc_no="测司矫建〔2026〕1号")
    assert "revoke_probation" in offered(case) and not offered(case) & {"revoke_parole", "imprison"}
    doc = text(case, "revoke_probation", officer)
    assert "提请撤销缓刑建议书" in doc and "测司矫建〔2026〕1号" in doc and "演示区人民法院：" in doc
    assert "脱离监管四十日" in doc and "拒不报告活动情况" in doc and "第七十七条第二款" in doc and "危险驾驶罪" in doc
    assert MASKED_ID in text(case, "revoke_probation", users.leader)

    # 暂予监外执行: the same template asks the deciding organ for 收监执行.
    medical = receive(
        officer, orgs.office_a, category=Category.MEDICAL, name="李四", id_number="110101198505120029", ago=60, term_days=365, sentence="有期徒刑二年"
    )
    step(officer, medical, "report", on, way="transfer", identity_checked=True)
    step(officer, medical, "declare", on, place="宣告室", attendees="司法所")
    step(officer, medical, "sanction", on + timedelta(days=3), kind="imprison", facts="未按规定提交病情复查情况，经警告仍不改正")
    assert "imprison" in offered(medical) and "revoke_probation" not in offered(medical)
    doc = text(medical, "imprison", officer)
    assert "提请收监执行建议书" in doc and "第四十九条" in doc and "刑事诉讼法" in doc and "李四" in doc
    assert "原判有期徒刑二年" in doc and "决定暂予监外执行" in doc and "撤销缓刑" not in doc


def test_the_assessment_opinion_once_issued(officer, users, orgs):
    case = register_inquiry(
        officer,
        owner_org=orgs.office_a,
        parties=[{"role": "assessed", "name": "王五", "id_number": ID_NUMBER, "address": "演示区和平路2号"}],
        entruster="court",
        entruster_name="演示区人民法院",
        letter_no="演法委〔2026〕5号",
        crime="盗窃罪",
        proposed_category=Category.PROBATION,
    )
    assert case.case_type == ASSESSMENT and offered(case) == set()
    step(officer, case, "investigate", today(), note="走访村委会，邻里反映一贯表现良好")
    step(officer, case, "issue", today(), opinion="suitable", opinion_text="有固定住所和监护条件，再犯风险较低")
    assert offered(case) == {"opinion"}
    doc = text(case, "opinion", officer)
    assert "调查评估意见书" in doc and "演示区人民法院：" in doc and "演法委〔2026〕5号" in doc and "盗窃罪" in doc
    assert "走访村委会" in doc and "再犯风险较低" in doc and "适宜社区矫正" in doc and "第十八条" in doc
    assert MASKED_ID in text(case, "opinion", users.leader) and ID_NUMBER not in text(case, "opinion", users.leader)


def _approval(proc, user) -> str:
    proc.refresh_from_db()
    (spec,) = [d for d in proc.spec.documents if d.available(proc)]
    out = read_text(spec.render(proc.case, user, procedure=proc))
    assert out.lstrip().startswith(MARK)
    return out


def test_every_approval_has_its_form(officer, users, orgs, client_for):
    for p in registry.case_type(CASE_TYPE).procedures:
        assert [d.label for d in p.documents] == [f"{APPROVAL_KINDS[p.key]}审批表"]
    case = receive(officer, orgs.office_a, ago=30, term_days=365)
    supervise(officer, case, today() - timedelta(days=20))

    # A short 外出: the office decides.
    start = today() + timedelta(days=3)
    step(officer, case, "apply", today(), kind="leave", start=start, end=start + timedelta(days=2), destination="福州市鼓楼区", purpose="探望住院的母亲")
    leave = case.procedures.get(key="leave")
    form = _approval(leave, officer)
    assert "外出审批表" in form and "探望住院的母亲" in form and "福州市鼓楼区" in form and "共3日" in form
    assert ID_NUMBER in form and MASKED_ID in _approval(leave, users.leader)
    procedures.take_step(officer, leave, "approve_office", data={"opinion": "按期返回销假"})
    form = _approval(leave, officer)
    assert "司法所审批意见" in form and "批准。按期返回销假" in form and "已批准" in form

    # 会客: the office forwards, the bureau refuses with its reasons.
    step(officer, case, "apply", today(), kind="visit", visitor="赵六", purpose="商谈合伙经营")
    visit = case.procedures.get(key="visit")
    procedures.take_step(officer, visit, "forward", data={"opinion": "经核实，赵六系其同案人员"})
    procedures.take_step(users.staff, visit, "refuse", reason="会见对象为同案人员")
    form = _approval(visit, officer)
    assert "会客审批表" in form and "赵六" in form and "经核实，赵六系其同案人员" in form
    assert "不予批准。理由：会见对象为同案人员" in form and "县级社区矫正机构审批意见" in form

    # 电子定位: the bureau head decides and renews; the renewals are on the form.
    step(officer, case, "apply", today(), kind="monitor", monitor_case="prohibition", months=2, purpose="多次进入禁止进入的娱乐场所")
    monitor = case.procedures.get(key="monitor")
    procedures.take_step(officer, monitor, "forward", data={"opinion": ""})
    procedures.take_step(users.leader, monitor, "approve", data={"opinion": "同意使用两个月"})
    procedures.take_step(users.leader, monitor, "renew", data={"months": 1})
    form = _approval(monitor, officer)
    assert "使用电子定位装置审批表" in form and "违反人民法院禁止令" in form and "2个月" in form
    assert "县级司法行政部门负责人审批意见" in form and "同意使用两个月" in form and "第二十九条" in form
    assert "续期记录" in form

    # The download answers like the case page: the office's officer gets the file, another office 404.
    url = reverse("cases:procedure_document", args=[case.pk, visit.pk, "approval"])
    assert client_for(officer).get(url).status_code == 200
    other = UserFactory(username="doc_officer_b", role="correction_officer", org=orgs.office_b)
    assert client_for(other).get(url).status_code == 404
