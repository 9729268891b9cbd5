"""The case pages: the list (filters, sorting, pagination, constant queries),
the case page and its tabs, transition pages, edits with version conflicts,
soft delete and restore, QR codes and documents."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.cases import services
from sifa.cases.models import Case

from .factories import make_case
from .matrix import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(orgs, users):
    """35 cases of office A opened 2026-10-01 … 2026-11-04, and 2 of office B."""
    cases = [
        make_case(
            users.office_a,
            orgs.office_a if i % 5 else orgs.committee_a,
            title=f"案件{i:02d}",
            opened_on=date(2026, 10, 1) + timedelta(days=i),
            parties=[{"name": f"当事人{i:02d}"}],
        )
        for i in range(35)
    ]
    others = [make_case(users.office_b, orgs.office_b, title=f"B所{i}", opened_on=date(2026, 10, 1)) for i in range(2)]
    return cases, others


def listed(resp) -> list[str]:
    assert resp.status_code == 200, resp.status_code
    return re.findall(r'class="sf-code" href="/cases/\d+/">([0-9A-Z]{19})<', resp.content.decode())


def test_a_list_longer_than_the_cap_counts_no_further(many, users, client_for, monkeypatch):
    """Past ``CappedPaginator.cap`` rows the list says "以上" and pages through the
    first ``cap``; the count stops there (LIMIT in its SQL) instead of counting all."""
    from sifa.common.paging import CappedPaginator

    cases, _others = many
    monkeypatch.setattr(CappedPaginator, "cap", 31)
    client = client_for(users.office_a)
    url = reverse("cases:list")
    with CaptureQueriesContext(connection) as q:
        page = client.get(url).content.decode()
    assert "共 31 条以上" in page and "第 1 / 2 页" in page and "缩小范围" in page
    # The list's count is the one over the listed rows (the frame's badges count apart).
    assert any("LIMIT 32" in x["sql"] and "COUNT(" in x["sql"].upper() for x in q.captured_queries)
    assert len(listed(client.get(url, {"page": "2"}))) == 1  # the 31st of 35; the rest left to the filters
    # Within the cap the count is exact, as before.
    assert "共 7 条" in client.get(url, {"date_from": "2026-10-05", "date_to": "2026-10-11"}).content.decode()
    assert "以上" not in client.get(url, {"q": "当事人07"}).content.decode()
    # A search (its own query) is capped the same way.
    assert "共 31 条以上" in client.get(url, {"q": "dsr"}).content.decode()


def test_list_paginates_sorts_and_filters(many, users, client_for, orgs):
    cases, others = many
    client = client_for(users.office_a)
    url = reverse("cases:list")
    first = listed(client.get(url))
    assert len(first) == 30 and first[0] == cases[-1].code  # newest first
    second = listed(client.get(url, {"page": "2"}))
    assert len(second) == 5 and second[-1] == cases[0].code
    assert "共 35 条" in client.get(url).content.decode()
    for junk in ("abc", "0", "-3", "9" * 40):
        assert len(listed(client.get(url, {"page": junk}))) in (30, 5)
    assert listed(client.get(url, {"page": "999"})) == second  # past the end: the last page
    # Sorting, with garbage falling back to the default.
    assert listed(client.get(url, {"sort": "-opened"}))[0] == cases[0].code
    assert listed(client.get(url, {"sort": "code"}))[0] == sorted(c.code for c in cases)[0]
    assert listed(client.get(url, {"sort": "nonsense';--"})) == first
    assert listed(client.get(url, {"sort": "updated"}))[:1]
    assert listed(client.get(url, {"sort": "due"}))[:1]
    # Filters.
    assert set(listed(client.get(url, {"date_from": "2026-10-05", "date_to": "2026-10-07"}))) == {c.code for c in cases[4:7]}
    assert set(listed(client.get(url, {"org": str(orgs.committee_a.pk)}))) == {c.code for i, c in enumerate(cases) if i % 5 == 0}
    assert set(listed(client.get(url, {"q": "当事人07"}))) == {cases[7].code}
    assert "共 35 条" in client.get(url, {"q": "dsr"}).content.decode()  # pinyin initials of 当事人
    # Accepted today, so its 60-day clock runs whatever the date the suite runs on.
    services.transition(users.office_a, cases[3], "accept", on=services.today())
    assert listed(client.get(url, {"case_type": "testline", "status": "accepted"})) == [cases[3].code]
    assert listed(client.get(url, {"status": "accepted", "q": "案件03"})) == [cases[3].code]
    # Every review (5 working days) has run out, except where the case was accepted.
    overdue = set(listed(client.get(url, {"due": "overdue"}))) | set(listed(client.get(url, {"due": "overdue", "page": "2"})))
    assert overdue == {c.code for c in cases} - {cases[3].code}
    assert listed(client.get(url, {"due": "due_soon"})) == []
    # Office B's cases never show, whatever the filter.
    for params in ({}, {"q": "B所"}, {"org": str(orgs.office_b.pk)}):
        assert not {o.code for o in others} & set(listed(client.get(url, params)) + listed(client.get(url, params | {"page": "2"})))


@pytest.mark.parametrize(
    "params,field,message",
    [
        ({"date_from": "2026-11-05", "date_to": "2026-10-01"}, "date_to", "结束日期不能早于开始日期"),
        ({"date_from": "yesterday"}, "date_from", "日期"),
        ({"org": "99999"}, "org", "选择一个有效的选项"),
        ({"due": "soonish"}, "due", "选择一个有效的选项"),
    ],
)
def test_bad_filters_name_the_field(many, users, client_for, params, field, message):
    resp = client_for(users.office_a).get(reverse("cases:list"), params)
    assert resp.status_code == 200
    assert message in " ".join(resp.context["form"].errors.get(field, []))
    assert "is-invalid" in resp.content.decode()


def test_a_bad_filter_leaves_the_good_ones_applied(many, users, client_for):
    cases, _ = many
    client = client_for(users.office_a)
    resp = client.get(reverse("cases:list"), {"date_from": "yesterday", "q": "当事人07"})
    assert "date_from" in resp.context["form"].errors
    assert listed(resp) == [cases[7].code]  # the keyword still narrows the list
    resp = client.get(reverse("cases:list"), {"date_from": "2026-10-05", "date_to": "2026-10-01"})
    assert "date_to" in resp.context["form"].errors
    assert "共 31 条" in resp.content.decode()  # 收案自 10-05 applied; the reversed end left out


def test_list_query_count_is_constant(orgs, users, client_for):
    leader, office = client_for(users.leader), client_for(users.office_a)
    pages = {"list": (leader, reverse("cases:list")), "home": (office, reverse("home")), "deadlines": (leader, reverse("deadlines:list") + "?light=all")}
    make_case(users.office_a, orgs.office_a, opened_on=date(2026, 11, 2))
    make_case(users.office_b, orgs.office_b)
    leader.get(reverse("home"))  # warm the calendar cache

    def count(name):
        from sifa.common.badges import forget

        forget()  # the menu's numbers counted each time (a copy is kept a minute: common.badges)
        client, url = pages[name]
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = {name: count(name) for name in pages}
    for i in range(31):
        make_case(users.office_a if i % 2 else users.office_b, orgs.office_a if i % 2 else orgs.office_b, title=f"更多{i}", opened_on=date(2026, 11, 2))
    assert len(listed(leader.get(reverse("cases:list")))) == 30
    assert {name: count(name) for name in pages} == few
    assert few["list"] < 15


def test_case_page_tabs_and_actions(orgs, users, client_for):
    case = make_case(users.office_a, orgs.office_a, title="房屋漏水纠纷")
    html = client_for(users.office_a).get(reverse("cases:detail", args=[case.pk])).content.decode()
    for tab in ("基本信息", "当事人", "办理进展", "文书", "附件", "期限"):
        assert f">{tab}</button>" in html
    assert case.code in html and "已登记" in html and "房屋漏水纠纷" in html
    actions = re.findall(r'href="/cases/\d+/do/(\w+)/"', html)
    assert actions == ["accept", "refuse"]
    leader = client_for(users.leader).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert re.findall(r'href="/cases/\d+/do/(\w+)/"', leader) == []  # leaders read
    assert "修改基本信息" not in leader and "添加当事人" not in leader
    assert AuditEntry.objects.filter(action="case.view", object_id=str(case.pk)).count() == 2


def test_transition_page_runs_the_step(orgs, users, client_for):
    case = make_case(users.office_a, orgs.office_a)
    client = client_for(users.office_a)
    url = reverse("cases:transition", args=[case.pk, "accept"])
    form = client.get(url).content.decode()
    assert "确认受理" in form and 'name="version"' in form
    resp = client.post(url, {"on": case.opened_on.isoformat(), "version": 1, "reason": "材料齐全"}, follow=True)
    assert resp.redirect_chain[-1][0].endswith("?tab=timeline")
    assert "已受理" in resp.content.decode() and "材料齐全" in resp.content.decode()


@pytest.mark.parametrize(
    "name,data,sentence,status",
    [
        ("close", {}, "没有协议，不能以成功结案。", 400),  # the line's guard
        ("resume", {}, "案件当前为“已受理”，不能执行“恢复”。", 400),  # wrong state
        ("extend", {}, "您的角色不能执行“延期”。", 403),  # needs approval
        ("accept", {}, "案件当前为“已受理”，不能执行“受理”。", 400),
        ("accept", {"version": "1"}, "该记录已被他人修改，请刷新后重试。", 409),  # a stale form
        ("suspend", {"on": "2999-01-01", "reason": "x"}, "办理日期不能晚于今天。", 400),
    ],
)
def test_refused_step_shows_one_sentence_and_changes_nothing(orgs, users, client_for, name, data, sentence, status):
    case = make_case(users.office_a, orgs.office_a)
    services.transition(users.office_a, case, "accept")
    case.refresh_from_db()
    before = snapshot(case)
    post = {"on": case.opened_on.isoformat(), "version": case.version, "reason": ""} | data
    resp = client_for(users.office_a).post(reverse("cases:transition", args=[case.pk, name]), post)
    assert resp.status_code == status
    html = resp.content.decode()
    if name == "suspend":
        assert sentence in html
    else:
        refusal = re.search(r'data-testid="refusal">(.*?)</div>\s*</div>', html, flags=re.S).group(1)
        assert re.sub(r"<[^>]+>", "", refusal).strip() == sentence
    assert snapshot(case) == before


def test_missing_reason_is_marked_on_the_field(orgs, users, client_for):
    case = make_case(users.office_a, orgs.office_a)
    before = snapshot(case)
    resp = client_for(users.office_a).post(reverse("cases:transition", args=[case.pk, "refuse"]), {"on": case.opened_on.isoformat(), "version": 1})
    assert resp.status_code == 400
    assert "必填" in " ".join(resp.context["form"].errors["reason"])
    assert resp.context["form"].fields["reason"].label == "理由"
    assert snapshot(case) == before
    assert client_for(users.office_a).get(reverse("cases:transition", args=[case.pk, "nope"])).status_code == 404


@pytest.mark.smoke
def test_edit_conflict_between_two_tabs(orgs, users, client_for):
    case = make_case(users.office_a, orgs.office_a, title="原标题")
    tab1, tab2 = client_for(users.office_a), client_for(users.staff)
    url = reverse("cases:edit", args=[case.pk])
    v1 = re.search(r'name="version" value="(\d+)"', tab1.get(url).content.decode()).group(1)
    v2 = re.search(r'name="version" value="(\d+)"', tab2.get(url).content.decode()).group(1)
    assert v1 == v2 == "1"
    assert tab1.post(url, {"title": "第一个标签页的标题", "summary": "甲", "version": v1}).status_code == 302
    before = snapshot(case)
    resp = tab2.post(url, {"title": "第二个标签页的标题", "summary": "乙", "version": v2})
    assert resp.status_code == 409
    html = resp.content.decode()
    assert "该记录已被他人修改，请刷新后重试。" in html
    assert "第二个标签页的标题" in html  # what was typed is not lost
    assert snapshot(case) == before
    assert Case.objects.get(pk=case.pk).title == "第一个标签页的标题"


@pytest.mark.parametrize("data,field", [({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"version": "abc"}, "version")])
def test_bad_edit_changes_nothing(orgs, users, client_for, data, field):
    case = make_case(users.office_a, orgs.office_a, title="原标题")
    before = snapshot(case)
    resp = client_for(users.office_a).post(reverse("cases:edit", args=[case.pk]), {"title": "新标题", "summary": "", "version": "1"} | data)
    assert resp.status_code == 400 and field in resp.context["form"].errors
    assert snapshot(case) == before


def test_soft_delete_and_restore_through_the_pages(orgs, users, client_for):
    case = make_case(users.office_a, orgs.office_a, title="误录的案件")
    client = client_for(users.office_a)
    # The reason is required.
    before = snapshot(case)
    assert client.post(reverse("cases:delete", args=[case.pk]), {"reason": "", "version": 1}).status_code == 400
    assert client.post(reverse("cases:delete", args=[case.pk]), {"reason": "重复", "version": 9}).status_code == 409
    assert snapshot(case) == before
    resp = client.post(reverse("cases:delete", args=[case.pk]), {"reason": "重复登记", "version": 1}, follow=True)
    assert "已删除" in resp.content.decode()
    assert case.code not in "".join(listed(client.get(reverse("cases:list"))))
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:cases-detail", args=[case.pk])).status_code == 404
    bin_html = client.get(reverse("cases:recycle_bin")).content.decode()
    assert case.code in bin_html and "重复登记" in bin_html
    # A leader sees the bin but cannot restore.
    before = snapshot(case)
    resp = client_for(users.leader).post(reverse("cases:restore", args=[case.pk]), follow=True)
    assert "不能恢复" in resp.content.decode() and snapshot(case) == before
    resp = client.post(reverse("cases:restore", args=[case.pk]), follow=True)
    assert resp.status_code == 200 and "已恢复" in resp.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()
    # Restoring something not deleted says so.
    resp = client.post(reverse("cases:restore", args=[case.pk]), follow=True)
    assert "未被删除" in resp.content.decode()
    assert list(case.events.values_list("kind", flat=True))[-2:] == ["deleted", "restored"]


def test_qr_codes(orgs, users, client_for, settings):
    settings.SIFA_PUBLIC_URL = "https://sifa.example.gov.cn/"
    case = make_case(users.office_a, orgs.office_a)
    client = client_for(users.office_a)
    from sifa.cases.views import qr_payload

    payload = qr_payload(case)
    assert payload == f"https://sifa.example.gov.cn/q/{case.code}"
    png = client.get(reverse("cases:qr", args=[case.pk, "png"]))
    assert png["Content-Type"] == "image/png"
    data = png.content
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and data.rstrip().endswith(b"IEND\xaeB`\x82")
    svg = client.get(reverse("cases:qr", args=[case.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)  # noqa: S314 (our own output)
    assert root.tag.endswith("svg") and case.code in svg.content.decode()
    # The same payload makes the same symbol: the code holds the public address.
    expected = io.BytesIO()
    segno.make(payload, error="m").save(expected, kind="svg", scale=4, border=2, title=case.code)
    assert svg.content == expected.getvalue()
    assert client.get(reverse("cases:qr", args=[case.pk, "gif"])).status_code == 404


def test_document_download_is_named_after_the_case(orgs, users, client_for):
    case = make_case(users.office_a, orgs.office_a)
    resp = client_for(users.office_a).get(reverse("cases:document", args=[case.pk, "notice"]))
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    assert unquote(disposition.split("''", 1)[1]) == f"{case.code}-测试通知书.docx"
    assert resp.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="case.document", object_id=str(case.pk)).exists()
    assert client_for(users.office_a).get(reverse("cases:document", args=[case.pk, "nope"])).status_code == 404


def test_assign_page(orgs, users, client_for):
    # A's committee: its mediator sees the case once assigned (test_assignees.py: who may be).
    case = make_case(users.office_a, orgs.committee_a)
    client = client_for(users.office_a)
    url = reverse("cases:assign", args=[case.pk])
    before = snapshot(case)
    for data in ({"user": "abc"}, {"user": str(users.mediator_a.pk), "role": "boss"}, {"user": "9" * 30}):
        resp = client.post(url, data)
        assert resp.status_code == 400 and "请选择本局范围内的人员和分工" in resp.content.decode()
    resp = client.post(url, {"user": str(users.other_office.pk)})
    assert resp.status_code == 400 and "无权查看本案" in resp.content.decode()
    assert snapshot(case) == before
    resp = client.post(url, {"user": str(users.mediator_a.pk), "role": "mediator", "reason": "熟悉情况"})
    assert resp.status_code == 302
    assert case.assignments.filter(user=users.mediator_a, role="mediator").exists()
