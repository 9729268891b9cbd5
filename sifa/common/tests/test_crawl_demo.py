"""Every page a demo user reaches from the menu reads as an office product.

The demo is loaded, each demo login walks from its desk and every menu entry
two links deep (a few pages per route, every case type's page), and each page
is read as a user reads it (its text and the tooltips, not the markup):

* no developer text: no design file (".md"), no setting name ("SIFA_"), no API
  address ("/api/"), outside the API docs themselves;
* a status is said once ("已完成 · 已完成" is one status twice);
* at most one menu entry is lit, and exactly one on a page under a menu entry.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db

DEVELOPER_TEXT = re.compile(r"\.md\b|SIFA_|/api/")
# The same short phrase on both sides of the separator: a status and a stage that say the same.
SAID_TWICE = re.compile(r"(?<![\w])([\u4e00-\u9fff]{2,8}) · \1(?![\u4e00-\u9fff])")
HREF = re.compile(r'href="(/[^"#]*)"')
MENU_ITEM = re.compile(r'class="sf-menu-item( active)?" href="([^"]+)"')
# Not pages (files, the API and its docs, sign-out) or pages that change something when opened.
SKIP = ("/static/", "/api/", "/accounts/logout", "/media/")
SKIP_WORDS = ("export", "download", ".docx", ".png", ".svg", "/qr.", "/doc/")
TOOLTIPS = ("title", "placeholder", "aria-label", "alt", "data-bs-title", "data-bs-content")
BLOCKS = ("p", "div", "li", "td", "th", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "br", "option", "button", "a", "label")
PER_ROUTE = 2
DEPTH = 2


def _signed_in(user) -> Client:
    """A client past the password and, for roles that need one, the second factor
    (the session marked as django-otp's login marks it)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def visible_text(page: str) -> str:
    doc = lxml_html.fromstring(page)
    for node in doc.xpath("//script|//style|//template"):
        node.drop_tree()
    # Blocks end a line as the browser shows them (text_content() would run them together).
    for node in doc.iter(*BLOCKS):
        node.tail = "\n" + (node.tail or "")
    tips = [v for attr in TOOLTIPS for v in doc.xpath(f"//@{attr}")]
    return doc.text_content() + "\n" + "\n".join(tips)


def _route_key(path: str) -> str | None:
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    key = match.view_name
    if key == "cases:detail":
        # Each line shows its own panels on the case page: a few of every line.
        from sifa.cases.models import Case

        key += ":" + (Case.all_objects.filter(pk=match.kwargs.get("pk")).values_list("case_type", flat=True).first() or "")
    return key


def crawl(client) -> dict[str, str]:
    """{path: html} of the pages reached from the desk and the menu, DEPTH links deep."""
    start = client.get(reverse("home"), follow=True)
    assert start.status_code == 200
    menu = [url for _, url in MENU_ITEM.findall(start.content.decode())]
    queue = [(reverse("home"), 0)] + [(u, 0) for u in menu]
    seen, per_route, pages = set(), Counter(), {}
    while queue:
        path, depth = queue.pop(0)
        if path in seen or path.startswith(SKIP) or any(w in path for w in SKIP_WORDS):
            continue
        seen.add(path)
        key = _route_key(path)
        if key is None or per_route[key] >= PER_ROUTE:
            continue
        per_route[key] += 1
        resp = client.get(path)
        if resp.status_code in (301, 302) and resp["Location"].startswith("/"):
            queue.append((resp["Location"], depth))
            continue
        if resp.status_code != 200 or "html" not in resp.get("Content-Type", ""):
            continue
        page = resp.content.decode()
        pages[path] = page
        if depth < DEPTH:
            queue += [(h.replace("&amp;", "&"), depth + 1) for h in HREF.findall(page)]
    return pages


def problems_of(path: str, page: str) -> list[str]:
    out = []
    text = visible_text(page)
    for m in DEVELOPER_TEXT.finditer(text):
        out.append(f"{path}: 开发者文字 “{text[max(0, m.start() - 30) : m.end() + 20].strip()}”")
    for m in SAID_TWICE.finditer(text):
        out.append(f"{path}: 重复的状态 “{m.group(0)}”")
    items = MENU_ITEM.findall(page)
    lit = [url for active, url in items if active]
    bare = path.split("?")[0]
    owned = bare == "/" or any(url != "/" and bare.startswith(url) for _, url in items)
    if len(lit) > 1 or (owned and items and len(lit) != 1):
        out.append(f"{path}: 菜单高亮 {lit}")
    return out


@pytest.fixture
def demo(settings):
    from sifa.demo.seed import seed

    return seed()


def test_the_reading_finds_what_it_looks_for():
    page = (
        '<html><body><nav><a class="sf-menu-item active" href="/cases/">案件</a><a class="sf-menu-item active" href="/cases/home/">首页</a></nav>'
        '<p>接口：GET /api/v1/x</p><span title="见 DOMAIN.md">?</span><p>已完成 · 已完成</p><p>办理中 · 逐行校验</p></body></html>'
    )
    found = problems_of("/cases/home/", page)
    assert len(found) == 4 and sum("开发者文字" in f for f in found) == 2 and any("已完成 · 已完成" in f for f in found), found
    assert any("菜单高亮" in f for f in found)


def test_no_page_of_any_demo_role_shows_developer_text_a_doubled_status_or_two_menu_entries(demo):
    # One walk over the demo (loading it is the slow part), then the case of two statuses on it.
    found, walked = [], 0
    for username, user in sorted(demo.users.items()):
        pages = crawl(_signed_in(user))
        walked += len(pages)
        found += [f"{username} {p}" for path, page in pages.items() for p in problems_of(path, page)]
    assert walked > 200, walked  # the walk really went through the demo
    assert found == [], "\n".join(found[:40])
    one_case_shows_one_status(demo)


def one_case_shows_one_status(demo):
    """A review period that ran out before the nightly job recorded it: the case is
    视为受理 in law, and every place says so (header, 基本信息, the line's panel, lists)."""
    from sifa.cases.models import Case
    from sifa.cases.settle import stage

    lapsed = [c for c in Case.objects.filter(case_type="reconsideration") if stage(c).label != c.status_label]
    assert lapsed, "the demo keeps one lapsed, unrecorded review (reconsideration/demo.py)"
    case = lapsed[0]
    said = stage(case).label
    client = _signed_in(demo.users["staff"])
    badges = re.compile(r'data-testid="(?:case-status|stage)"[^>]*>([^<]+)<')
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert set(badges.findall(detail)) == {said}, badges.findall(detail)
    assert f">{case.status_label}<" not in detail
    listed = client.get(reverse("cases:list"), {"q": case.code}).content.decode()
    assert set(badges.findall(listed)) == {said}


def test_a_finished_job_says_its_status_once_and_counts_a_document_as_a_document(users):
    from django.template.loader import render_to_string

    from sifa.ledgers.models import ExportJob, ImportJob, JobStatus

    user = users.staff
    docx = ExportJob.objects.create(
        user=user,
        kind="stats.summary",
        label="工作总结",
        status=JobStatus.DONE,
        file_name="工作总结.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        row_count=1,
        progress=1,
        total=1,
    )
    done = ImportJob(user=user, case_type="mediation", file_name="台账.xlsx", status=JobStatus.DONE, stage="已完成", progress=3, total=3)
    progress = visible_text(render_to_string("ledgers/_progress.html", {"job": done, "status_url": "/x"}))
    assert progress.count("已完成") == 1 and "3 / 3" not in progress
    client = _signed_in(user)
    page = visible_text(client.get(reverse("ledgers:export_job", args=[docx.pk])).content.decode())
    assert "1 行" not in page and "Word 文档" in page
    jobs = visible_text(client.get(reverse("ledgers:jobs")).content.decode())
    assert "1 份文档" in jobs and "1 行" not in jobs
