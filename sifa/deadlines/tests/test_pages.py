"""Deadline pages: lights on the case, the home page and the bureau-wide list;
the bell; the calculator (page and API); the holiday and warning settings."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sifa.audit.models import AuditEntry
from sifa.cases import services as case_services
from sifa.cases.tests.factories import make_case
from sifa.deadlines import services
from sifa.deadlines.models import CalendarYear, DeadlineSetting, Holiday

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(orgs, users):
    """Office A: one overdue case, one due soon, one with time to spare; office B: one overdue."""
    today = timezone.localdate()
    overdue = make_case(users.office_a, orgs.office_a, title="超期的案件", opened_on=today - timedelta(days=30))
    soon = make_case(users.office_a, orgs.office_a, title="临期的案件", opened_on=today)
    fine = make_case(users.office_a, orgs.office_a, title="正常的案件", opened_on=today)
    case_services.transition(users.office_a, fine, "accept", on=today)  # review done; 60-day period running
    b = make_case(users.office_b, orgs.office_b, title="B所超期", opened_on=today - timedelta(days=30))
    services.set_due_soon_workdays(users.sysadmin, 5)  # the 5-working-day review of `soon` is amber
    return {"overdue": overdue, "soon": soon, "fine": fine, "b": b}


def light_of(html: str, code: str) -> str:
    """The light class in the table row that holds ``code``."""
    row = next(r for r in html.split("<tr") if code in r)
    m = re.search(r"sf-due-(\w+)", row)
    return m.group(1) if m else ""


def test_lights_on_the_case_list(three, users, client_for):
    html = client_for(users.office_a).get(reverse("cases:list")).content.decode()
    assert light_of(html, three["overdue"].code) == "overdue"
    assert light_of(html, three["soon"].code) == "due_soon"
    assert light_of(html, three["fine"].code) == "normal"
    assert "超期" in html and "临期" in html and "正常" in html


def test_lights_on_the_case_page(three, users, client_for):
    client = client_for(users.office_a)
    html = client.get(reverse("cases:detail", args=[three["overdue"].pk])).content.decode()
    header = html[: html.index('role="tablist"')]
    assert "sf-due-overdue" in header and "受理审查" in header
    fine = client.get(reverse("cases:detail", args=[three["fine"].pk])).content.decode()
    tab = fine[fine.index('id="tab-deadlines"') :]
    assert "sf-due-done" in tab and "sf-due-normal" in tab and "办结期限" in tab and "第八十五条" in tab


def test_home_page_lists_my_due_soon_and_overdue_deadlines_and_the_bell(three, users, client_for):
    html = client_for(users.office_a).get(reverse("home")).content.decode()
    panel = html[html.index('<h2 class="h6">临期和超期期限</h2>') :]
    assert three["overdue"].code in panel and three["soon"].code in panel
    assert three["fine"].code not in panel and three["b"].code not in panel
    bell = re.search(r'class="sf-bell[^"]*"[^>]*>.*?</a>', html, flags=re.S).group(0)
    assert ">2<" in bell
    html_b = client_for(users.office_b).get(reverse("home")).content.decode()
    assert ">1<" in re.search(r'class="sf-bell[^"]*"[^>]*>.*?</a>', html_b, flags=re.S).group(0)


def test_bureau_wide_list_and_its_filters(three, users, client_for, orgs):
    client = client_for(users.leader)
    url = reverse("deadlines:list")

    def listed(**params):
        html = client.get(url, params).content.decode()
        return {k for k, c in three.items() if c.code in html}

    assert listed() == {"overdue", "soon", "b"}  # default: due soon and overdue
    assert listed(light="overdue") == {"overdue", "b"}
    assert listed(light="due_soon") == {"soon"}
    assert listed(light="all") == {"overdue", "soon", "fine", "b"}
    assert listed(light="all", org=str(orgs.office_b.pk)) == {"b"}
    assert listed(light="all", case_type="testline") == {"overdue", "soon", "fine", "b"}
    assert listed(light="all", mine="on") == set()  # the leader handles nothing
    assert client_for(users.office_a).get(url, {"mine": "on"}).status_code == 200
    # Garbage in the filters never breaks the page.
    xss = "<script>alert(1)</script>"
    for params in ({"org": "abc"}, {"light": xss}, {"case_type": xss}, {"org": "9" * 30}, {"page": "-1"}, {"page": "9" * 30}, {"mine": xss}):
        resp = client.get(url, params)
        assert resp.status_code == 200
        assert xss not in resp.content.decode()


def test_list_query_count_does_not_grow_with_rows(three, users, client_for, orgs, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users.leader)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("deadlines:list"), {"light": "all"})
    today = timezone.localdate()
    for i in range(12):
        make_case(users.office_b, orgs.office_b, title=f"更多{i}", opened_on=today - timedelta(days=i))
    with django_assert_max_num_queries(len(small)):
        resp = client.get(reverse("deadlines:list"), {"light": "all"})
    assert resp.content.decode().count("更多") == 12


# --- the calculator ------------------------------------------------------------------------------


def test_calculator_page(users, client_for):
    client = client_for(users.office_a)
    resp = client.get(reverse("deadlines:calculator"))
    assert resp.status_code == 200 and "届满日" not in resp.content.decode()
    resp = client.get(reverse("deadlines:calculator"), {"start": "2026-09-02", "amount": "60", "unit": "day"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "2026-11-02" in html and "第八十五条" in html and "顺延" in html and "星期一" in html
    resp = client.get(reverse("deadlines:calculator"), {"start": "2026-11-20", "amount": "60", "unit": "day"})
    assert "暂定" in resp.content.decode()


@pytest.mark.parametrize(
    "params,field",
    [
        ({"start": "abc", "amount": "5", "unit": "day"}, "start"),
        ({"start": "2026-02-30", "amount": "5", "unit": "day"}, "start"),
        ({"start": "1900-01-01", "amount": "5", "unit": "day"}, "start"),
        ({"start": "2026-01-01", "amount": "-1", "unit": "day"}, "amount"),
        ({"start": "2026-01-01", "amount": "99999999", "unit": "day"}, "amount"),
        ({"start": "2026-01-01", "amount": "9" * 5000, "unit": "day"}, "amount"),
        ({"start": "2026-01-01", "amount": "1.5", "unit": "day"}, "amount"),
        ({"start": "2026-01-01", "amount": "241", "unit": "month"}, "amount"),
        ({"start": "2026-01-01", "amount": "5", "unit": "x"}, "unit"),
        ({"amount": "5", "unit": "day"}, "start"),
        ({"start": "2026-01-01", "unit": "day"}, "amount"),
        ({"start": "2026-01-01", "amount": "5"}, "unit"),
    ],
)
def test_bad_calculator_parameters(users, client_for, params, field):
    client = client_for(users.office_a)
    label = {"start": "起算日", "amount": "期间", "unit": "单位"}[field]
    api = client.get(reverse("api:deadlines-calculate"), params)
    assert api.status_code == 400
    data = api.json()
    assert field in data["errors"] and label in data["detail"]
    assert re.search(r"[\u4e00-\u9fff]", data["errors"][field][0])
    page = client.get(reverse("deadlines:calculator"), params)
    assert page.status_code == 400 and 'data-testid="due"' not in page.content.decode()
    assert "invalid-feedback" in page.content.decode()


def test_calculator_api(users, client_for):
    client = client_for(users.office_a)
    data = client.get(reverse("api:deadlines-calculate"), {"start": "2026-02-13", "amount": "5", "unit": "workday"}).json()
    assert data["due"] == "2026-02-27" and data["nominal_due"] == "2026-02-27" and data["provisional"] is False
    assert "工作日" in data["rule"]
    data = client.get(reverse("api:deadlines-calculate"), {"start": "2026-01-31", "amount": "1", "unit": "month"}).json()
    assert data["due"] == "2026-02-28"
    data = client.get(reverse("api:deadlines-calculate"), {"start": "2026-09-22", "amount": "15", "unit": "day"}).json()
    assert (data["due"], data["nominal_due"]) == ("2026-10-08", "2026-10-07") and "顺延" in data["rule"]
    data = client.get(reverse("api:deadlines-calculate"), {"start": "2026-11-20", "amount": "60", "unit": "day"}).json()
    assert data["provisional"] is True
    assert client.get(reverse("api:deadlines-calculate"), {"start": "2026-11-20", "amount": "60", "unit": "day"})["Cache-Control"] == "no-store"


# --- the holiday table and the warning setting (system administrator) ---------------------------


def test_holiday_pages_add_remove_and_confirm(users, client_for, orgs):
    client = client_for(users.sysadmin)
    case = make_case(users.office_a, orgs.office_a, opened_on=date(2026, 11, 20))  # review due 2026-11-27
    resp = client.post(reverse("deadlines:holidays"), {"date": "2026-11-25", "kind": "holiday", "name": "地方节日"})
    assert resp.status_code == 302 and resp["Location"].endswith("?year=2026")
    assert Holiday.objects.get(date=date(2026, 11, 25)).source == "manual"
    case.refresh_from_db()
    assert case.next_due == date(2026, 11, 30)  # the open deadline moved with the calendar
    page = client.get(resp["Location"]).content.decode()
    assert "2026-11-25" in page and "地方节日" in page and "手工" in page
    resp = client.post(reverse("deadlines:holiday_clear"), {"date": "2026-11-25"})
    assert resp.status_code == 302
    assert not Holiday.objects.filter(date=date(2026, 11, 25)).exists()
    case.refresh_from_db()
    assert case.next_due == date(2026, 11, 27)
    resp = client.post(reverse("deadlines:year_confirm"), {"year": "2027", "note": "国办发明电〔2026〕1号"})
    assert resp.status_code == 302 and CalendarYear.objects.get(year=2027).note.startswith("国办")
    actions = list(AuditEntry.objects.filter(username="sysadmin").values_list("action", "result"))
    assert ("calendar.set_day", "ok") in actions and ("calendar.clear_day", "ok") in actions and ("calendar.confirm_year", "ok") in actions


@pytest.mark.parametrize(
    "name,data,message,status",
    [
        ("deadlines:holidays", {"date": "2026-12-02", "kind": "workday"}, "调休上班日应为周六或周日", 400),
        ("deadlines:holidays", {"date": "2026-02-30", "kind": "holiday"}, "日期", 400),
        ("deadlines:holidays", {"date": "1800-01-01", "kind": "holiday"}, "1950", 400),
        ("deadlines:holidays", {"date": "2026-12-02", "kind": "bogus"}, "选择一个有效的选项", 400),
        ("deadlines:holidays", {"date": "2026-12-02", "kind": "holiday", "name": "x" * 41}, "40", 400),
        ("deadlines:holiday_clear", {"date": "garbage"}, "日期格式不正确", 200),
        ("deadlines:year_confirm", {"year": "abc"}, "年度不正确", 200),
        ("deadlines:year_confirm", {"year": "99999"}, "年度不正确", 200),
        ("deadlines:settings", {"due_soon_workdays": "-1"}, "大于或等于0", 400),
        ("deadlines:settings", {"due_soon_workdays": "31"}, "小于或等于30", 400),
        ("deadlines:settings", {"due_soon_workdays": "abc"}, "整数", 400),
    ],
)
def test_bad_calendar_and_setting_input_changes_nothing(users, client_for, name, data, message, status):
    client = client_for(users.sysadmin)
    before = (Holiday.objects.count(), list(CalendarYear.objects.values_list("year", "note")), DeadlineSetting.objects.count(), AuditEntry.objects.count())
    resp = client.post(reverse(name), data, follow=status == 200)
    assert resp.status_code == status
    assert message in resp.content.decode()
    after = (Holiday.objects.count(), list(CalendarYear.objects.values_list("year", "note")), DeadlineSetting.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_settings_page(users, client_for):
    client = client_for(users.sysadmin)
    page = client.get(reverse("deadlines:settings")).content.decode()
    assert 'value="3"' in page and "临期提醒" in page
    resp = client.post(reverse("deadlines:settings"), {"due_soon_workdays": "7"}, follow=True)
    assert "已保存" in resp.content.decode()
    assert DeadlineSetting.objects.get().due_soon_workdays == 7
    entry = AuditEntry.objects.get(action="deadlines.settings")
    assert entry.username == "sysadmin" and entry.detail == {"due_soon_workdays": [3, 7]}
    assert 'value="7"' in client.get(reverse("deadlines:settings")).content.decode()
    menu = client.get(reverse("home")).content.decode()
    assert reverse("deadlines:settings") in menu and reverse("deadlines:holidays") in menu
    assert reverse("deadlines:settings") not in client_for(users.office_a).get(reverse("home")).content.decode()
