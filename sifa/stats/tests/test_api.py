from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from .bulkdata import bulk_cases

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@pytest.fixture
def data(orgs, test_kpis):
    bulk_cases(orgs.office_a, 6, opened_on=date(2026, 3, 1), closed_on=date(2026, 4, 1), outcome="success")
    bulk_cases(orgs.office_b, 2, opened_on=date(2026, 3, 1))
    bulk_cases(orgs.office_a, 4, opened_on=date(2025, 3, 1))


def test_catalogue_and_value(users, client_for, data, orgs):
    c = client_for(users.leader)
    cat = c.get(reverse("api:stats-kpis")).json()["results"]
    rate = next(k for k in cat if k["key"] == "testline.success_rate")
    assert rate["unit"] == "%" and rate["is_ratio"] and "四舍五入" in rate["definition"] and rate["line_label"] == "测试业务"
    body = c.get(reverse("api:stats-kpi", args=["testline.success_rate"]), {"kind": "year", "year": 2026}).json()
    assert (body["value"], body["numerator"], body["denominator"], body["display"]) == (75, 6, 8, "75.00%")
    assert body["period"]["label"] == "2026年" and body["org"]["name"] == "测试区司法局"
    assert body["definition"].startswith("成功结案件数 ÷ 受理件数 × 100%")
    got = c.get(reverse("api:stats-kpi", args=["testline.received"]), {"kind": "year", "year": 2026, "dim": "office"}).json()
    assert got["value"] == 8 and got["yoy"]["value"] == 4 and got["yoy"]["change"]["text"] == "增长100.00%"
    assert {r["label"]: r["value"] for r in got["breakdown"]["rows"]}["A司法所"] == 6
    q = c.get(reverse("api:stats-kpi", args=["testline.received"]), {"kind": "quarter", "year": 2026, "part": 1}).json()
    assert q["value"] == 8 and q["pop"]["period"] == "2025年第四季度"


def test_bad_parameters_answer_400_in_chinese(users, client_for, data):
    c = client_for(users.leader)
    url = reverse("api:stats-kpi", args=["testline.received"])
    for params in ({"kind": "custom", "start": "2026-05-01", "end": "2026-01-01"}, {"kind": "year", "year": "abc"}, {"dim": "nope"}):
        resp = c.get(url, params)
        assert resp.status_code == 400, params
        assert any("\u4e00" <= ch <= "\u9fff" for ch in resp.json()["detail"])


def test_office_user_gets_own_office_only(users, client_for, data):
    body = client_for(users.office_b).get(reverse("api:stats-kpi", args=["testline.received"]), {"kind": "year", "year": 2026}).json()
    assert body["value"] == 2 and body["org"]["name"] == "B司法所"
