"""The Word documents of 安置帮教: each offered once what it records has happened,
each opening with the confidentiality mark and carrying the file's facts; the
person's ID number and phone masked for a role that may not reveal them; typed
text never read as a layout command; no developer text anywhere."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from docx import Document

from sifa.accounts.tests.factories import UserFactory
from sifa.cases.services import today
from sifa.common.docgen import read_text

from ..choices import OFFICER_ROLE, Status
from ..documents import DOCUMENTS
from ..models import Assessment, Assistance, Contact, Helper, SearchRequest
from ..services import register

pytestmark = pytest.mark.django_db

ID_NUMBER = "110101199003071233"
MASKED_ID = "110101********1233"
PHONE = "13800000001"
MARK = "内部 · 注意保密"
LABELS = {d.key: d.label for d in DOCUMENTS}


@pytest.fixture
def officer(orgs):
    return UserFactory(username="az_doc_officer", role=OFFICER_ROLE, org=orgs.office_a)


def released(officer, org, *, days=40, **fields):
    """A prisoner released ``days`` ago, registered from the prison's notice."""
    on = today() - timedelta(days=days)
    case = register(
        officer,
        owner_org=org,
        name="李四",
        id_number=ID_NUMBER,
        phone=PHONE,
        household="演示区幸福路1号",
        institution="演示省第一监狱",
        crime="盗窃罪",
        sentence="有期徒刑三年",
        sentence_start=on - timedelta(days=3 * 365),
        sentence_end=on,
        notice_on=on - timedelta(days=30),
        released_on=on,
        key_person=True,
        residence="演示区和平路8号302室",
    )
    if fields:
        case.record.put(**fields)
    case.refresh_from_db()
    return case


def text(case, key: str, user) -> str:
    case.refresh_from_db()
    data = next(d for d in DOCUMENTS if d.key == key).render(case, user)
    doc = Document(BytesIO(data))  # opens in Word's library
    assert doc.sections[0].page_width is not None
    out = read_text(data)
    assert out.lstrip().startswith(MARK), key
    # No developer text: no template syntax, no code names, no Python values.
    for leak in ("{{", "{%", "}}", "None", "resettlement", "rec.", "case.", "True", "False"):
        assert leak not in out, (key, leak)
    assert not any(line.lstrip().startswith("@") for line in out.splitlines()), key
    return out


def offered(case) -> set[str]:
    case.refresh_from_db()
    return {d.key for d in DOCUMENTS if d.available(case)}


def worked(officer, case):
    """The file as the steps would leave it after a year: handed over, graded twice, a group and
    an agreement, visits, help and a job."""
    on = case.record.released_on
    case.record.put(
        handed_over_on=on,
        handover_way="collected",
        seamless=True,
        verification="local",
        verified_on=on - timedelta(days=20),
        grade="low",
        graded_on=on + timedelta(days=10),
        agreement_on=on + timedelta(days=3),
        placement="employed",
        placed_on=on + timedelta(days=20),
        period_ends_on=on.replace(year=on.year + 5),
    )
    case.status = Status.ASSISTING
    case.save(update_fields=["status"])
    Helper.objects.bulk_create(
        [
            Helper(case=case, name="王所长", role="司法所工作人员", phone="13900000002"),
            Helper(case=case, name="李母", role="家属", phone="13700000003"),
        ]
    )
    Assessment.objects.bulk_create(
        [
            Assessment(case=case, on=on + 2 * timedelta(days=1), grade="medium", factors=["no_income"], note="无固定收入", officer=officer),
            Assessment(case=case, on=on + timedelta(days=10), grade="low", factors=[], note="已就业，表现稳定", officer=officer),
        ]
    )
    Contact.objects.create(case=case, kind="visit", on=on + timedelta(days=5), note="上门走访，了解家庭情况\n@title 伪造标题 ¦ 伪", officer=officer)
    Contact.objects.create(case=case, kind="talk", on=on + timedelta(days=15), note="个别谈话，思想稳定", officer=officer)
    Assistance.objects.create(case=case, kind="employment", on=on + timedelta(days=18), note="推荐到演示区食品厂就业", officer=officer)
    case.refresh_from_db()
    return case


def test_each_document_is_offered_once_what_it_records_has_happened(officer, orgs):
    pending = register(
        officer,
        owner_org=orgs.office_a,
        name="王五",
        institution="演示区看守所",
        origin="detention",
        crime="诈骗罪",
        notice_on=today() - timedelta(days=3),
        expected_release_on=today() + timedelta(days=20),
    )
    assert offered(pending) == {"file"}
    case = released(officer, orgs.office_a)
    assert offered(case) == {"file"}
    case.record.put(unlinked_since=case.record.released_on + timedelta(days=8))
    case.status = Status.UNLINKED
    case.save(update_fields=["status"])
    assert offered(case) == {"file", "inquiry"}
    worked(officer, case)
    assert offered(case) == {"file", "inquiry", "handover", "agreement"}


def test_the_handover_form_and_the_agreement(officer, orgs, users):
    case = worked(officer, released(officer, orgs.office_a))
    rec = case.record
    out = text(case, "handover", officer)
    for phrase in (
        "刑满释放人员衔接登记表",
        case.code,
        "李四",
        ID_NUMBER,
        PHONE,
        "演示区幸福路1号",
        "演示区和平路8号302室",
        "演示省第一监狱",
        "盗窃罪",
        "有期徒刑三年",
    ):
        assert phrase in out, phrase
    assert "监所门口接回（必接必送）" in out and "是（必接必送）" in out and f"{rec.released_on:%Y}年{rec.released_on.month}月{rec.released_on.day}日" in out
    # The leader may not reveal: the ID number, phone and residence are masked.
    masked = text(case, "handover", users.leader)
    assert MASKED_ID in masked and ID_NUMBER not in masked and "138****0001" in masked and "302室" not in masked
    out = text(case, "agreement", officer)
    for phrase in ("安置帮教协议书", "王所长", "李母", "13900000002", "帮教小组的责任", "帮教对象的义务", "家属的义务", "低风险（情况必知）"):
        assert phrase in out, phrase
    assert "13900000002" not in text(case, "agreement", users.leader)


def test_the_file_holds_identity_sentence_handover_grades_group_contacts_help_and_placement(officer, orgs):
    case = worked(officer, released(officer, orgs.office_a))
    case.record.put(ended_on=today(), end_kind="moved")
    out = text(case, "file", officer)
    headings = (
        "一、基本情况",
        "二、服刑情况",
        "三、衔接情况",
        "四、风险评估",
        "五、帮教小组",
        "六、走访谈话记录",
        "七、帮扶情况",
        "八、安置情况",
        "九、帮教结束",
    )
    positions = [out.index(h) for h in headings]
    assert positions == sorted(positions)
    for phrase in (
        "刑满释放人员安置帮教档案",
        "中风险（一般帮教）",
        "无业、无生活来源",
        "已就业，表现稳定",
        "王所长",
        "上门走访，了解家庭情况",
        "个别谈话，思想稳定",
        "就业帮扶",
        "推荐到演示区食品厂就业",
        "就业",
        "迁出本区（移交）",
        "本辖区居住",
    ):
        assert phrase in out, phrase
    # The typed "@title" stays text inside its cell: no second title, no broken table.
    doc = Document(BytesIO(next(d for d in DOCUMENTS if d.key == "file").render(case, officer)))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any("伪造标题 | 伪" in c for c in cells)
    assert not any(p.text.startswith("伪造标题") for p in doc.paragraphs)


def test_the_inquiry_letter_names_the_person_the_institution_and_the_dates(officer, orgs):
    case = released(officer, orgs.office_a, days=30)
    rec = case.record
    rec.put(unlinked_since=rec.released_on + timedelta(days=8))
    out = text(case, "inquiry", officer)
    for phrase in (
        "关于协助查找未衔接刑满释放人员的函",
        "演示省第一监狱：",
        "李四",
        "盗窃罪",
        "有期徒刑三年",
        "刑满释放",
        "下落不明",
        "户籍地公安派出所",
        orgs.office_a.name,
    ):
        assert phrase in out, phrase
    since = rec.unlinked_since
    assert f"{since.year}年{since.month}月{since.day}日起列为未衔接人员" in out
    assert re.search(r"二〇[二三]\S年", out), "the letter is dated in Chinese numerals"
    # Once a 协查 went out, the letter is addressed to the unit asked, with what was asked.
    SearchRequest.objects.create(case=case, org_name="邻省某县司法局", asked_on=today(), request="请协助核实其在你县的暂住情况", officer=officer)
    out = text(case, "inquiry", officer)
    assert "邻省某县司法局：" in out and "据演示省第一监狱通报" in out and "请协助核实其在你县的暂住情况" in out
    assert "邻省某县司法局" in text(case, "file", officer)


def test_a_sparse_file_still_reads_cleanly(officer, orgs):
    case = register(
        officer,
        owner_org=orgs.office_a,
        name="赵六",
        institution="演示区看守所",
        origin="detention",
        crime="寻衅滋事罪",
        expected_release_on=date.today() + timedelta(days=30),
    )
    out = text(case, "file", officer)
    assert "未评估" in out and "尚未成立" in out and "无记录" in out and "尚未安置" in out and "尚未衔接" in out
