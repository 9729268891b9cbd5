"""The knowledge base (知识库): operators search it while on a call (two Chinese
characters are enough; several terms narrow it), the bureau keeps it, offices
read it, other lines' users and other bureaus never see it; every change is
audited and a refused one changes nothing."""

import pytest
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.common.errors import DomainError, PermissionRefused

from ..choices import Category
from ..models import Answer
from ..selectors import answers, search_answers
from ..services.knowledge import create_answer, note_use, update_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(operator, users, orgs):
    wage = create_answer(
        operator, category=Category.LABOUR, question="用人单位拖欠工资怎么办？", answer="可向劳动保障监察机构投诉，或申请劳动仲裁。", keywords="欠薪 讨薪"
    )
    divorce = create_answer(users.staff, category=Category.FAMILY, question="协议离婚需要哪些手续？", answer="双方亲自到婚姻登记机关申请，三十日冷静期。")
    return wage, divorce


def _snapshot():
    # (Sign-ins and refusals are audited too: only the knowledge base's own writes count here.)
    done = AuditEntry.objects.filter(action__startswith="hotline.answer", result="ok").count()
    return list(Answer.objects.order_by("pk").values_list("pk", "question", "answer", "is_active", "uses")), done


def test_search_by_a_two_character_term_and_by_two_terms(kb, operator, users):
    wage, divorce = kb
    assert wage.org == operator.org.parent  # kept for the centre's bureau
    assert list(search_answers(operator, "欠薪")) == [wage]
    assert list(search_answers(operator, "离婚")) == [divorce]
    assert list(search_answers(operator, "劳动 仲裁")) == [wage]
    assert list(search_answers(operator, "劳动 离婚")) == []
    assert list(search_answers(operator, "", Category.FAMILY)) == [divorce]
    assert list(search_answers(users.office_a, "工资")) == [wage]  # offices read their bureau's


def test_scoping_other_bureaus_and_other_lines(kb, users, client_for):
    assert list(answers(users.other_office)) == [] and list(answers(users.mediator_a)) == []
    for user in (users.mediator_a, users.lawyer, users.sysadmin):
        c = client_for(user)
        for url in (reverse("hotline:knowledge"), reverse("hotline:knowledge_detail", args=[kb[0].pk]), reverse("hotline:knowledge_search") + "?q=欠薪"):
            assert c.get(url).status_code == 404, (user.username, url)
    assert client_for(users.other_office).get(reverse("hotline:knowledge_detail", args=[kb[0].pk])).status_code == 404


def test_offices_and_leaders_read_but_do_not_keep(kb, users, client_for):
    before = _snapshot()
    for user in (users.office_a, users.leader):
        with pytest.raises(PermissionRefused):
            create_answer(user, category=Category.OTHER, question="问", answer="答")
        with pytest.raises(PermissionRefused):
            update_answer(user, kb[0].pk, category=Category.OTHER, question="改", answer="改")
        c = client_for(user)
        assert c.get(reverse("hotline:knowledge")).status_code == 200
        assert c.get(reverse("hotline:knowledge_create")).status_code == 403
        assert c.get(reverse("hotline:knowledge_edit", args=[kb[0].pk])).status_code == 403
    assert _snapshot() == before


def test_keeping_is_audited_and_a_deactivated_answer_is_not_found_on_a_call(kb, operator, client_for):
    wage = kb[0]
    c = client_for(operator)
    r = c.post(
        reverse("hotline:knowledge_edit", args=[wage.pk]),
        {"category": Category.LABOUR, "question": wage.question, "answer": wage.answer, "keywords": "欠薪", "is_active": ""},
    )
    assert r.status_code == 302
    assert not Answer.objects.get(pk=wage.pk).is_active
    assert AuditEntry.objects.filter(action="hotline.answer_update", username="operator").exists()
    assert list(search_answers(operator, "欠薪")) == []
    assert "已停用" in c.get(reverse("hotline:knowledge")).content.decode()  # the keeper still lists it


def test_bad_input_names_the_field_and_changes_nothing(kb, operator, client_for):
    before = _snapshot()
    with pytest.raises(DomainError, match="问题"):
        create_answer(operator, category=Category.LABOUR, question="  ", answer="答")
    with pytest.raises(DomainError, match="法律类别"):
        create_answer(operator, category="nonsense", question="问", answer="答")
    r = client_for(operator).post(reverse("hotline:knowledge_create"), {"category": Category.LABOUR, "question": "", "answer": ""})
    assert r.status_code == 400 and "请填写问题" in r.content.decode()
    assert _snapshot() == before


def test_the_call_panel_and_the_uses_counter(kb, operator, users, client_for):
    c = client_for(operator)
    html = c.get(reverse("hotline:create")).content.decode()
    assert reverse("hotline:knowledge_search") in html and 'id="knowledge-panel"' in html
    frag = c.get(reverse("hotline:knowledge_search"), {"q": "欠薪"}).content.decode()
    assert "用人单位拖欠工资怎么办" in frag and 'data-fill-into="id_answer"' in frag and "离婚" not in frag
    assert "没有找到" in c.get(reverse("hotline:knowledge_search"), {"q": "商标"}).content.decode()
    assert c.post(reverse("hotline:knowledge_use", args=[kb[0].pk])).status_code == 204
    assert Answer.objects.get(pk=kb[0].pk).uses == 1
    assert not note_use(users.other_office, kb[0].pk)  # another bureau's user cannot count it
    assert client_for(users.other_office).post(reverse("hotline:knowledge_use", args=[kb[0].pk])).status_code == 404


# Every role on the knowledge pages (sifa/hotline/tests/access.py): (list, search, create, detail, edit)
EXPECTED = {
    "operator": (200, 200, 200, 200, 200),
    "leader": (200, 200, 403, 200, 403),
    "staff": (200, 200, 200, 200, 200),
    "staff_x": (404, 404, 404, 404, 404),
    "office_a": (200, 200, 403, 200, 403),
    "office_b": (200, 200, 403, 200, 403),
    "mediator_a": (404, 404, 404, 404, 404),
    "mediator_a2": (404, 404, 404, 404, 404),
    "lawyer": (404, 404, 404, 404, 404),
    "sysadmin": (404, 404, 404, 404, 404),
    "secadmin": (404, 404, 404, 404, 404),
    "auditor": (404, 404, 404, 404, 404),
    "other_office": (200, 200, 403, 404, 403),
    "other_leader": (200, 200, 403, 404, 403),
}


def test_every_role_on_the_knowledge_pages(kb, users, operator, client_for):
    pk = kb[0].pk
    urls = (
        reverse("hotline:knowledge"),
        reverse("hotline:knowledge_search") + "?q=欠薪",
        reverse("hotline:knowledge_create"),
        reverse("hotline:knowledge_detail", args=[pk]),
        reverse("hotline:knowledge_edit", args=[pk]),
    )
    for user in (*vars(users).values(), operator):
        c = client_for(user)
        assert tuple(c.get(u).status_code for u in urls) == EXPECTED[user.username], user.username
