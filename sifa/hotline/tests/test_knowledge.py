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


def _keeper_at(org, username):
    from sifa.accounts.roles import Role
    from sifa.accounts.tests.factories import UserFactory
    from sifa.kit import registry

    return UserFactory(username=username, role=Role.SECTION, org=org, lines=[ct.key for ct in registry.case_types()])


def test_another_bureau_never_appears_and_the_city_reaches_both(kb, operator, users, orgs):
    wage = kb[0]
    theirs = create_answer(_keeper_at(orgs.other_bureau, "staff_o"), category=Category.LABOUR, question="邻区欠薪投诉电话？", answer="拨打邻区劳动监察电话。")
    city = create_answer(_keeper_at(orgs.city, "staff_c"), category=Category.LABOUR, question="全市欠薪维权指引", answer="全市统一口径：先协商，再投诉或仲裁。")
    assert theirs.org == orgs.other_bureau and city.org == orgs.city
    assert list(search_answers(operator, "欠薪")) == [wage, city]  # own bureau's and the city's
    assert list(search_answers(users.office_a, "欠薪")) == [wage, city]
    assert list(search_answers(users.other_office, "欠薪")) == [theirs, city]
    assert set(search_answers(users.other_leader, "欠薪")) == {theirs, city}
    # The city's staff read down their subtree.
    assert set(answers(_keeper_at(orgs.city, "staff_c2"))) == {*kb, theirs, city}


def test_the_service_keeps_only_the_actors_own_bureau(kb, operator, orgs):
    city = create_answer(_keeper_at(orgs.city, "staff_c"), question="市级口径", answer="答")
    before = _snapshot()
    with pytest.raises(PermissionRefused, match="测试区司法局"):
        create_answer(operator, orgs.other_bureau, category=Category.OTHER, question="问", answer="答")
    with pytest.raises(PermissionRefused):  # the city's entry is the city's to keep
        update_answer(operator, city.pk, question="改")
    assert _snapshot() == before
    a = create_answer(operator, orgs.bureau, category=Category.OTHER, question="工作时间？", answer="工作日8:30-17:30。")
    assert a.org == orgs.bureau and a.updated_by == operator


def test_deactivating_alone_keeps_the_rest_and_is_audited(kb, operator):
    wage = kb[0]
    update_answer(operator, wage, is_active=False)
    wage.refresh_from_db()
    assert (wage.is_active, wage.question, wage.keywords) == (False, "用人单位拖欠工资怎么办？", "欠薪 讨薪")
    entry = AuditEntry.objects.filter(action="hotline.answer_update").latest("pk")
    assert entry.detail["fields"] == ["is_active"]
    assert list(search_answers(operator, "欠薪")) == []
    assert not note_use(operator, wage.pk)  # a deactivated answer is not quoted
    update_answer(operator, wage.pk, is_active=True)
    assert list(search_answers(operator, "欠薪")) == [wage]


def test_bad_input_in_the_service_names_the_field(kb, operator):
    before = _snapshot()
    for fields, label in (
        ({"question": "问" * 201, "answer": "答"}, "问题"),
        ({"question": "问", "answer": " "}, "解答口径"),
        ({"question": "问", "answer": "答", "basis": "依" * 4001}, "法律依据"),
        ({"question": "问", "answer": "答", "keywords": "词" * 201}, "关键词"),
    ):
        with pytest.raises(DomainError, match=label):
            create_answer(operator, **fields)
        with pytest.raises(DomainError, match=label):
            update_answer(operator, kb[0], **fields)
    assert _snapshot() == before


def test_a_save_over_another_keepers_change_is_refused(kb, operator, users, client_for):
    wage = kb[0]
    url = reverse("hotline:knowledge_edit", args=[wage.pk])
    c = client_for(operator)
    page = c.get(url)
    seen = page.context["form"].initial["seen"]
    assert f'value="{seen}"' in page.content.decode()
    update_answer(users.staff, wage, answer="可向劳动保障监察机构投诉；也可直接申请劳动仲裁。")
    before = _snapshot()
    r = c.post(url, {"category": Category.LABOUR, "question": wage.question, "answer": "旧页面上的修改", "is_active": "on", "seen": seen})
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    assert _snapshot() == before


def test_the_list_searches_filters_and_orders(kb, operator, users, client_for):
    wage, divorce = kb
    c = client_for(users.office_a)

    def listed(**params):
        html = c.get(reverse("hotline:knowledge"), params).content.decode()
        return [q for q in (wage.question, divorce.question) if q in html], html

    assert listed(q="欠薪")[0] == [wage.question]
    assert listed(q="登记 冷静期")[0] == [divorce.question]
    assert listed(category=Category.FAMILY)[0] == [divorce.question]
    note_use(operator, divorce.pk)
    html = listed()[1]
    assert html.index(divorce.question) < html.index(wage.question)  # most quoted first
    update_answer(operator, wage, basis="《劳动争议调解仲裁法》第五条")
    html = listed(order="new")[1]
    assert html.index(wage.question) < html.index(divorce.question)  # newest change first
    update_answer(operator, wage, is_active=False)
    assert listed()[0] == [divorce.question]  # readers never list a deactivated entry
    assert c.get(reverse("hotline:knowledge_create")).status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_operator_quotes_an_answer_on_a_call(browser_page, orgs, users, operator):
    from conftest import DESKTOP

    wage = create_answer(operator, category=Category.LABOUR, question="用人单位拖欠工资怎么办？", answer="可向劳动保障监察机构投诉。", keywords="欠薪")
    page = browser_page(operator, viewport=DESKTOP)
    page.goto(f"{page.base}/hotline/new/")
    page.fill("#kb-q", "欠薪")
    hit = page.get_by_test_id("knowledge-hit")
    hit.wait_for()
    assert "用人单位拖欠工资怎么办" in hit.inner_text()
    with page.expect_response(lambda r: "/use/" in r.url) as used:
        hit.get_by_role("button", name="引用到即时解答").click()
    assert used.value.status == 204  # the CSRF token travels with htmx's POST
    assert page.input_value("#id_answer") == wage.answer
    assert Answer.objects.get(pk=wage.pk).uses == 1
    page.fill("#kb-q", "商标")
    page.get_by_text("没有找到相关条目").wait_for()
