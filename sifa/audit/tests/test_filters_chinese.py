"""The audit log's filters speak Chinese: actions and object types are chosen by
name, a whole group at once, and no code string is shown where a name exists."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sifa.audit.labels import action_choices, all_labels, object_type_choices, object_type_label
from sifa.audit.models import AuditEntry
from sifa.audit.services import record

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b[a-z_]+\.[a-z_.]+\b")


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"{name} is a list to choose from"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_every_action_and_group_is_offered_by_its_chinese_name():
    flat = [item for _, items in action_choices()[1:] for item in items]
    codes = {code for code, _ in flat}
    assert set(all_labels()) <= codes
    assert ("auth.", "登录与会话（全部）") in flat and ("case.reopen", "重新开启已归档案件") in flat
    for _, label in flat:
        assert not CODE.search(label), label
    # A line's actions are grouped under the line's name.
    assert "人民调解" in [group for group, _ in action_choices()[1:]]
    for _, label in object_type_choices():
        assert not CODE.search(label), label
    assert object_type_label("cases.case") == "案件" and object_type_label("accounts.user") == "用户"


def test_the_page_offers_chinese_choices_and_shows_no_codes(users, client_for):
    record("auth.login", actor=users.office_a, obj=users.office_a)
    html = client_for(users.auditor).get(reverse("audit:list")).content.decode()
    actions = _options(html, "action")
    assert ("", "全部操作") in actions and ("auth.login", "登录") in actions
    assert all(not CODE.search(label) for _, label in actions)
    types = _options(html, "object_type")
    assert ("accounts.user", "用户") in types
    table = html.split("<table", 1)[1]
    assert "auth.login" not in table and "accounts.user" not in table and "登录" in table and "用户" in table
    assert 'list="sf-audit-actions"' not in html and "如 auth.login" not in html


def test_a_group_and_a_single_action_filter_the_list(users, client_for):
    record("auth.login", actor=users.office_a, obj=users.office_a)
    record("auth.logout", actor=users.office_a, obj=users.office_a)
    record("case.view", actor=users.office_a, object_type="cases.case", object_id="1")
    client = client_for(users.auditor)
    rows = lambda **q: {e.action for e, _ in client.get(reverse("audit:list"), q).context["rows"]}  # noqa: E731
    assert rows(action="auth.") >= {"auth.login", "auth.logout"} and "case.view" not in rows(action="auth.")
    assert rows(action="auth.logout") == {"auth.logout"}
    assert rows(object_type="cases.case") == {"case.view"}
    # An old bookmark with a code no label names yet still searches, and the page stays readable.
    record("zz.custom", actor=users.office_a)
    assert rows(action="zz.custom") == {"zz.custom"}
    # Anything else is named in Chinese beside the field and finds nothing.
    resp = client.get(reverse("audit:list"), {"action": "<script>"})
    assert resp.status_code == 200 and resp.context["rows"] == [] and "请从列表中选择操作" in resp.content.decode()
    assert AuditEntry.objects.filter(action="zz.custom").count() == 1
