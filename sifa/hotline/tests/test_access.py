"""Every role on the line's own pages: those who use the line see its list and,
when they may register, the registration form; a reading role is refused the
form (403), everyone else answers 404 as for a page that does not exist."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# username (sifa.accounts.tests.factories.users_for, and the centre's operator): (list, registration, 待办工单, 质检抽查)
EXPECTED = {
    "operator": (200, 200, 302, 200),
    "leader": (200, 403, 302, 403),
    "stat_admin": (200, 403, 302, 403),  # 统计管理员 reads as the leader does
    "staff": (200, 200, 302, 200),
    "staff_x": (404, 404, 404, 404),
    "office_a": (200, 200, 302, 200),
    "office_b": (200, 200, 302, 200),
    "mediator_a": (404, 404, 404, 404),
    "mediator_a2": (404, 404, 404, 404),
    "lawyer": (404, 404, 404, 404),
    "sysadmin": (404, 404, 404, 404),
    "secadmin": (404, 404, 404, 404),
    "auditor": (404, 404, 404, 404),
    "other_office": (200, 200, 302, 200),
    "other_leader": (200, 403, 302, 403),
}
ROUTES = ("hotline:list", "hotline:create", "hotline:todo", "hotline:quality")


def test_every_role_on_the_pages(users, operator, client_for):
    for user in (*vars(users).values(), operator):
        c = client_for(user)
        got = tuple(c.get(reverse(name)).status_code for name in ROUTES)
        assert got == EXPECTED[user.username], user.username


def test_every_role_on_the_knowledge_pages(users, operator, client_for):
    """知识库 (views/knowledge.py): the bureau's keepers (section, operator) write, the
    line's other users read, another bureau's users read their own (this bureau's
    entry answers 404 to them), everyone else gets 404."""
    from ..choices import Category
    from ..services.knowledge import create_answer

    pk = create_answer(operator, category=Category.LABOUR, question="拖欠工资怎么办？", answer="申请劳动仲裁。", keywords="欠薪").pk
    # (list, search fragment, create, detail, edit, 引用 POST)
    expected = {
        "operator": (200, 200, 200, 200, 200, 204),
        "leader": (200, 200, 403, 200, 403, 204),
        "stat_admin": (200, 200, 403, 200, 403, 204),  # 统计管理员 reads as the leader does
        "staff": (200, 200, 200, 200, 200, 204),
        "staff_x": (404, 404, 404, 404, 404, 404),
        "office_a": (200, 200, 403, 200, 403, 204),
        "office_b": (200, 200, 403, 200, 403, 204),
        "mediator_a": (404, 404, 404, 404, 404, 404),
        "mediator_a2": (404, 404, 404, 404, 404, 404),
        "lawyer": (404, 404, 404, 404, 404, 404),
        "sysadmin": (404, 404, 404, 404, 404, 404),
        "secadmin": (404, 404, 404, 404, 404, 404),
        "auditor": (404, 404, 404, 404, 404, 404),
        "other_office": (200, 200, 403, 404, 403, 404),
        "other_leader": (200, 200, 403, 404, 403, 404),
    }
    pages = (
        reverse("hotline:knowledge"),
        reverse("hotline:knowledge_search") + "?q=欠薪",
        reverse("hotline:knowledge_create"),
        reverse("hotline:knowledge_detail", args=[pk]),
        reverse("hotline:knowledge_edit", args=[pk]),
    )
    for user in (*vars(users).values(), operator):
        c = client_for(user)
        got = (*(c.get(u).status_code for u in pages), c.post(reverse("hotline:knowledge_use", args=[pk])).status_code)
        assert got == expected[user.username], user.username
