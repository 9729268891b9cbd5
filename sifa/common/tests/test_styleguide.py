"""The living style guide (/ui/): signed-in users only, every section there, and its one
button (the confirm demo) changes nothing but says it was done."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse

from sifa.common.tests.test_crawl_demo import problems_of
from sifa.common.views_styleguide import SECTIONS

pytestmark = pytest.mark.django_db

ROLES = ("leader", "staff", "office_a", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor", "stat_admin")


def _rows() -> dict[str, int]:
    """Rows of every table: the demo's POST must leave each count as it was."""
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and m._meta.label != "sessions.Session"]
    return {m._meta.label: m._default_manager.count() for m in models}


def test_a_visitor_is_sent_to_sign_in(client):
    url = reverse("common:styleguide")
    assert url == "/ui/"
    for resp in (client.get(url), client.post(url)):
        assert resp.status_code == 302 and resp["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ROLES)
def test_every_signed_in_role_sees_every_section(users, client_for, who):
    resp = client_for(getattr(users, who)).get(reverse("common:styleguide"))
    assert resp.status_code == 200
    page = resp.content.decode()
    for sid, heading in SECTIONS:
        assert re.search(rf'<section id="{sid}"[^>]*>\s*<h2 class="h5">{heading}</h2>\s*<p class="small text-muted">[^<]+', page), sid
    # The real pieces, not pictures of them.
    assert page.count('class="badge sf-due-') >= 9 and "sf-stage-current" in page and "sf-timeline" in page
    assert "请选择" in page and "---------" not in page and 'data-check="id"' in page and 'data-check="phone"' in page
    assert "is-invalid" in page and "身份证" in page and "invalid-feedback" in page
    assert "第 3 / 12 页，共 237 条" in page and 'data-confirm="' in page and "table-cards" in page
    # Made-up numbers, shown masked as everywhere.
    assert "359901199001011233" not in page and "13800138000" not in page
    # It reads like every other page (the demo crawl's rules: no developer text, one status, the menu).
    assert problems_of("/ui/", page) == []


def test_the_confirm_demo_changes_nothing_and_says_so(users, client_for):
    client = client_for(users.staff)
    before = _rows()
    resp = client.post(reverse("common:styleguide"), follow=True)
    assert resp.status_code == 200
    assert resp.redirect_chain[0][0].endswith("/ui/#confirm")
    assert "已确认：这是示例操作，没有改动任何数据。" in resp.content.decode()
    assert _rows() == before


def test_the_sample_messages_show_as_every_page_shows_messages(users, client_for):
    page = client_for(users.staff).get(reverse("common:styleguide"), {"messages": "1"}).content.decode()
    for text in ("已保存。", "导出已开始", "请核对。", "保存失败：联系电话格式不正确。"):
        assert text in page


def test_the_sample_table_sorts_by_its_headers(users, client_for):
    client = client_for(users.staff)
    page = client.get(reverse("common:styleguide")).content.decode()
    assert 'data-sort="code"' in page and 'aria-sort="descending"' in page  # 收案日期, newest first
    codes = re.findall(r'<a class="sf-code" href="#table">([^<]+)</a>', client.get(reverse("common:styleguide"), {"sort": "code"}).content.decode())
    assert codes == sorted(codes) and len(codes) == 5
    for value in ("-due", "changed", "drop table", "__class__"):
        assert client.get(reverse("common:styleguide"), {"sort": value}).status_code == 200


def test_a_page_number_that_is_not_one_shows_a_page(users, client_for):
    client = client_for(users.office_a)
    for value in ("abc", "9999", "-1", "0"):
        assert client.get(reverse("common:styleguide"), {"page": value}).status_code == 200
