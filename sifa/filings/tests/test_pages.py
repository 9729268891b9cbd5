"""The 填报 pages end to end through the test client: define an indicator, open
a round, fill (draft, a bad figure named in Chinese, submit), return with a
reason, lock; the menu shows each role its entries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from sifa.filings.models import Filing, Indicator, Round

pytestmark = pytest.mark.django_db

NEW = {
    "name": "普法宣传活动",
    "key": "publicity",
    "unit": "场",
    "period_kind": "quarter",
    "level": "office",
    "definition": "本季度司法所组织的普法宣传活动场次。",
    "theme": "rule_of_law",
    "kpi_key": "",
    "live_from": "",
    "due_days": "10",
    "is_active": "on",
}


def test_the_whole_round_through_the_pages(orgs, users, stats_users, client_for):
    t = client_for(stats_users.tongji)
    assert "尚未定义填报指标" in t.get(reverse("filings:indicators")).content.decode()
    # A bad definition is sent back, naming the field, with nothing saved and nothing typed lost.
    resp = t.post(reverse("filings:indicator_create"), NEW | {"definition": "", "due_days": "-3"})
    page = resp.content.decode()
    assert resp.status_code == 400 and "请填写统计口径" in page and "普法宣传活动" in page and not Indicator.objects.exists()
    resp = t.post(reverse("filings:indicator_create"), NEW | {"kpi_key": "mediation.received", "live_from": ""})
    assert resp.status_code == 400 and "请填写平台上线日期" in resp.content.decode()
    resp = t.post(reverse("filings:indicator_create"), NEW)
    ind = Indicator.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("filings:indicator", args=[ind.pk])
    page = t.get(reverse("filings:indicator", args=[ind.pk])).content.decode()
    assert "开启填报" in page and "尚未开启填报" in page and "3个单位" in page

    resp = t.post(reverse("filings:round_open", args=[ind.pk]), {"year": "2026", "part": "9"})
    assert resp.status_code == 400 and not Round.objects.exists()
    resp = t.post(reverse("filings:round_open", args=[ind.pk]), {"year": "2026", "part": "2"})
    rnd = Round.objects.get()
    assert resp.status_code == 302 and rnd.label == "2026年第二季度" and rnd.filings.count() == 3
    t.post(reverse("filings:round_open", args=[ind.pk]), {"year": "2026", "part": "2"})
    assert Filing.objects.count() == 3

    a = client_for(users.office_a)
    mine = a.get(reverse("filings:mine")).content.decode()
    f = Filing.objects.get(org=orgs.office_a)
    assert reverse("filings:fill", args=[f.pk]) in mine and "逾期" in mine  # due 2026-07-10, long past
    url = reverse("filings:fill", args=[f.pk])
    resp = a.post(url, {"value": "-5", "note": "负数", "action": "submit", "version": "1"})
    page = resp.content.decode()
    assert resp.status_code == 400 and "填报数值应为不小于0的数字" in page and "负数" in page
    f.refresh_from_db()
    assert (f.status, f.value, f.note) == ("pending", None, "")
    assert a.post(url, {"value": "18", "note": "草稿", "action": "save", "version": "1"}).status_code == 302
    resp = a.post(url, {"value": "19", "note": "", "action": "submit", "version": "1"})  # a stale form
    assert resp.status_code == 409 and "已被他人修改" in resp.content.decode()
    assert a.post(url, {"value": "19", "note": "", "action": "submit", "version": "2"}).status_code == 302
    f.refresh_from_db()
    assert (f.status, f.value) == ("submitted", Decimal("19"))
    assert "等待统计管理员审核" in a.get(url).content.decode()
    assert a.post(url, {"value": "20", "action": "save"}).status_code == 400

    review = t.get(reverse("filings:round", args=[rnd.pk])).content.decode()
    assert f'data-testid="lock-{f.pk}"' in review and "19场" in review
    resp = t.post(reverse("filings:return", args=[f.pk]), {"reason": "", "version": str(f.version)})
    assert resp.status_code == 400 and "请填写退回原因" in resp.content.decode()
    assert t.post(reverse("filings:return", args=[f.pk]), {"reason": "请补充说明", "version": str(f.version)}).status_code == 302
    assert "退回原因：请补充说明" in a.get(url).content.decode()
    a.post(url, {"value": "19", "note": "已补充", "action": "submit"})
    f.refresh_from_db()
    assert t.post(reverse("filings:lock", args=[f.pk]), {"version": str(f.version)}).status_code == 302
    f.refresh_from_db()
    assert f.status == "locked"
    # Locking again explains itself and changes nothing.
    resp = t.post(reverse("filings:lock", args=[f.pk]), {"version": str(f.version)}, follow=True)
    assert "该填报已锁定（审核通过），不能修改" in resp.content.decode()
    assert "已锁定合计" in resp.content.decode() and "19场" in resp.content.decode()


def test_menu_entries_by_role(users, stats_users, client_for):
    def menu(user):
        return client_for(user).get(reverse("home")).content.decode()

    assert reverse("filings:indicators") in menu(stats_users.tongji)
    assert f'href="{reverse("filings:mine")}"' not in menu(stats_users.tongji)
    assert reverse("filings:mine") in menu(users.office_a) and reverse("filings:indicators") not in menu(users.office_a)
    assert reverse("filings:mine") in menu(users.staff)
    for user in (users.leader, users.mediator_a, users.sysadmin):
        page = menu(user)
        assert reverse("filings:mine") not in page and reverse("filings:indicators") not in page


def test_editing_an_indicator_with_a_round_keeps_its_period(orgs, users, stats_users, client_for):
    from .conftest import define, open_q

    ind = define(stats_users.tongji, key="publicity")
    open_q(stats_users.tongji, ind)
    t = client_for(stats_users.tongji)
    url = reverse("filings:indicator_edit", args=[ind.pk])
    page = t.get(url).content.decode()
    assert "已开启填报轮次，不能修改" in page
    # A disabled field keeps its value whatever is posted.
    resp = t.post(url, NEW | {"name": "普法活动", "period_kind": "year", "version": "1"})
    assert resp.status_code == 302
    ind.refresh_from_db()
    assert (ind.name, ind.period_kind, ind.version) == ("普法活动", "quarter", 2)
    resp = t.post(url, NEW | {"name": "再改", "version": "1"})
    assert resp.status_code == 409 and "已被他人修改" in resp.content.decode()
    listing = t.get(reverse("filings:indicators")).content.decode()
    assert "普法活动" in listing and "推进法治政府建设" in listing


def test_a_locked_filing_refuses_the_fill_page_and_is_audited(orgs, users, stats_users, client_for):
    from sifa.audit.models import AuditEntry
    from sifa.filings import services

    from .conftest import define, open_q

    ind = define(stats_users.tongji)
    rnd, _ = open_q(stats_users.tongji, ind)
    f = Filing.objects.get(round=rnd, org=orgs.office_a)
    services.save_filing(users.office_a, f.pk, value="3", submit=True)
    services.lock_filing(stats_users.tongji, f.pk)
    resp = client_for(users.office_a).post(reverse("filings:fill", args=[f.pk]), {"value": "4", "action": "save"})
    assert resp.status_code == 400 and "已锁定" in resp.content.decode()
    f.refresh_from_db()
    assert (f.value, f.status) == (Decimal("3"), "locked")
    assert AuditEntry.objects.filter(action="filings.save", result="refused").count() == 1
