"""The Word documents of 法律援助: each offered exactly once the step that issues
it has happened, each rendering the case's facts and the statute's articles, and
the download route answering like the case page (another office: 404)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sifa.cases.services import transition
from sifa.common.docgen import read_text
from sifa.kit import registry

from ..choices import CASE_TYPE, Status
from ..documents import DOCUMENTS
from ..forms import CHECKLIST
from ..models import Provider
from ..services import register

pytestmark = pytest.mark.django_db

APPLICANT = {
    "role": "applicant",
    "name": "李四",
    "gender": "M",
    "id_number": "110101199003070070",
    "phone": "13800000002",
    "address": "演示区幸福路1号",
}


def offered(case) -> set[str]:
    case.refresh_from_db()
    return {d.key for d in registry.case_type(CASE_TYPE).documents if d.available(case)}


def text(case, key, user) -> str:
    case.refresh_from_db()
    return read_text(next(d for d in DOCUMENTS if d.key == key).render(case, user))


def provider(orgs, user=None):
    return Provider.objects.create(
        center=orgs.legal_aid,
        org_path=orgs.legal_aid.path,
        name="陈律",
        firm="演示律师事务所",
        license_no="13501201011",
        practice_since=date(2010, 1, 1),
        user=user,
    )


def apply(users, orgs, **more):
    fields = {"title": "李四追索劳动报酬", "category": "civil", "income": Decimal("800.00"), "economy": "无固定收入，家庭三口人。"}
    return register(users.staff, owner_org=orgs.legal_aid, parties=[APPLICANT], summary="用人单位拖欠工资六个月。", **(fields | more))


def test_an_application_offers_its_intake_forms_only(users, orgs):
    case = apply(users, orgs)
    assert offered(case) == {"application", "means", "receipt"}
    form = text(case, "application", users.staff)
    assert all(s in form for s in ("法律援助申请表", "李四", "110101199003070070", "13800000002", "800元", "无固定收入", "李四追索劳动报酬", "民事"))
    pledge = text(case, "means", users.staff)
    assert "个人诚信承诺" in pledge and "第四十一条" in pledge and "无固定收入" in pledge
    receipt = text(case, "receipt", users.staff)
    assert case.code in receipt and "后四位" in receipt and "第四十三条" in receipt and "七日" in receipt


def test_the_materials_notice_follows_the_request(users, orgs):
    case = apply(users, orgs)
    transition(users.staff, case, "request_materials", data={"missing": "劳动合同复印件\n工资欠条"})
    assert offered(case) == {"application", "means", "receipt", "materials"}
    notice = text(case, "materials", users.staff)
    assert all(s in notice for s in ("补充材料通知书", "劳动合同复印件", "工资欠条", "十日", "视为撤回申请", "第四十三条", "一次性告知"))
    assert "测援援补字〔" in notice  # no number yet: a blank one to fill in


def test_a_grant_then_assignment_then_closing(users, orgs, client_for):
    case = apply(users, orgs)
    transition(users.staff, case, "grant", data={"means_basis": "pledge", "first_provided": True})
    case.refresh_from_db()
    number = case.record.decision_number
    assert number.startswith("测援援决字〔") and offered(case) == {"application", "means", "receipt", "approval", "grant", "service"}
    grant = text(case, "grant", users.staff)
    assert all(s in grant for s in ("给予法律援助决定书", number, "李四", "第四十三条", "第四十四条", "先行提供", "诚信承诺"))
    approval = text(case, "approval", users.staff)
    assert number in approval and "个人诚信承诺" in approval and "建议给予法律援助" in approval
    assert "给予法律援助决定书（" + number in text(case, "service", users.staff)

    p = provider(orgs, users.lawyer)  # the provider's own login reports the matter's end (REPORT)
    transition(users.staff, case, "assign", data={"provider": str(p.pk), "assign_mode": "rotation"})
    assert offered(case) == {"application", "means", "receipt", "approval", "grant", "service", "assignment"}  # civil: no letter
    notice = text(case, "assignment", users.staff)
    assert all(s in notice for s in ("指派通知书", number.replace("援决字", "援指字"), "演示律师事务所", "陈律", "李四", "第四十六条", "第五十条"))

    transition(users.lawyer, case, "end", data={"outcome": "mediated", "fees_waived": "3000", "losses_recovered": "52000"})
    assert "closing" not in offered(case)
    transition(users.lawyer, case, "submit_closing", data={"report": "经调解，用人单位支付工资五万二千元。"})
    assert "closing" in offered(case)
    review = text(case, "closing", users.staff)
    assert "调解/和解" in review and "52,000元" in review and "用人单位支付工资" in review and "已核对" not in review
    transition(users.staff, case, "close", data={"checklist": [k for k, _ in CHECKLIST], "grade": "excellent", "satisfaction": "satisfied"})
    closed = text(case, "closing", users.staff)
    assert closed.count("已核对") == len(CHECKLIST) and "优秀" in closed and "满意" in closed and "同意结案" in closed
    dossier = text(case, "dossier", users.staff)  # only once closed: the cover and the contents in order
    assert case.code in dossier and "卷内目录" in dossier and dossier.index("申请或通知材料") < dossier.index("结案审查表、质量评估、回访材料")

    for key in offered(case):
        r = client_for(users.staff).get(reverse("cases:document", args=[case.pk, key]))
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats"), key
        assert client_for(users.office_b).get(reverse("cases:document", args=[case.pk, key])).status_code == 404, key
    for key in ("refusal", "letter", "materials"):
        assert client_for(users.staff).get(reverse("cases:document", args=[case.pk, key])).status_code == 404, key


def test_a_refusal_gives_its_reasons_and_the_objection_right(users, orgs, client_for):
    case = apply(users, orgs)
    transition(users.staff, case, "refuse", reason="申请人家庭月人均收入高于本省经济困难标准")
    case.refresh_from_db()
    assert case.status == Status.REFUSED
    assert offered(case) == {"application", "means", "receipt", "approval", "refusal", "service"}
    refusal = text(case, "refusal", users.staff)
    number = case.record.decision_number
    assert all(s in refusal for s in ("不予法律援助决定书", number, "李四", "高于本省经济困难标准", "第四十三条", "第四十九条", "五日", orgs.bureau.name))
    assert "建议不予法律援助" in text(case, "approval", users.staff)
    assert "不予法律援助决定书（" + number in text(case, "service", users.staff)
    assert client_for(users.staff).get(reverse("cases:document", args=[case.pk, "grant"])).status_code == 404
    assert client_for(users.office_b).get(reverse("cases:document", args=[case.pk, "refusal"])).status_code == 404


def test_a_courts_notice_gets_the_assignment_and_the_letter(users, orgs, client_for):
    case = register(
        users.staff,
        owner_org=orgs.legal_aid,
        title="王五涉嫌盗窃案",
        kind="notify",
        category="criminal",
        stage="trial",
        ground="s25",
        notifying_organ="court",
        notifying_name="演示区人民法院",
        notice_number="（2026）演刑通字第8号",
        parties=[{"role": "applicant", "name": "王五"}],
    )
    assert offered(case) == set()  # a notice is no application: no 申请表 to print
    transition(users.staff, case, "assign", data={"provider": str(provider(orgs).pk), "assign_mode": "rotation"})
    assert offered(case) == {"assignment", "letter"}
    letter = text(case, "letter", users.staff)
    assert all(s in letter for s in ("法律援助公函", "演示区人民法院", "（2026）演刑通字第8号", "陈律", "王五", "辩护人", "第三十六条", "测援援函字〔"))
    assert "第三十六条" in text(case, "assignment", users.staff)
    assert client_for(users.staff).get(reverse("cases:document", args=[case.pk, "letter"])).status_code == 200
    assert client_for(users.office_b).get(reverse("cases:document", args=[case.pk, "letter"])).status_code == 404


def test_personal_data_is_masked_for_a_role_that_may_not_reveal(users, orgs):
    from sifa.accounts.roles import REVEAL, has_cap

    case = apply(users, orgs)
    viewer = next((u for u in vars(users).values() if hasattr(u, "pk") and not has_cap(u, REVEAL)), None)
    if viewer is None:
        pytest.skip("no fixture user without the reveal capability")
    form = text(case, "application", viewer)
    assert "李四" in form and "110101199003070070" not in form and "无固定收入" not in form


def test_an_application_received_at_an_office_is_receipted_by_it(users, orgs):
    case = register(users.office_a, owner_org=orgs.legal_aid, title="赵六离婚纠纷", category="civil", parties=[{"role": "applicant", "name": "赵六"}])
    receipt = text(case, "receipt", users.office_a)
    assert f"由{orgs.office_a.name}受理，转{orgs.legal_aid.name}审查" in receipt and f"{orgs.office_a.name}（印章）" in receipt
