"""转办答复回传: the replies to orders transferred from 12345/110, one row per
order of the chosen platform answered in the period, in the platform's own
columns; what the front desk owns only, never another bureau's; the export
is audited and never holds a formula; every role on both routes."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sifa.audit.models import AuditEntry
from sifa.cases import services as case_services
from sifa.ledgers.xlsx import formula_cells

from .. import selectors
from ..choices import Channel, Status
from ..services import register
from ..services.replies import COLUMNS, replied_orders, reply_rows

pytestmark = pytest.mark.django_db
D = date
NOVEMBER = {"platform": "12345", "since": "2026-11-01", "until": "2026-11-30"}


def _order(user, org, ref, channel=Channel.TRANSFER_12345, opened_on=D(2026, 11, 2), **kw):
    caller = [{"role": "caller", "name": f"诉求人{ref}", "phone": "13800000009"}]
    return register(user, owner_org=org, parties=caller, summary="小区物业乱收费", channel=channel, external_ref=ref, opened_on=opened_on, **kw)


def _step(user, case, name, on, **data):
    case_services.transition(user, case, name, data=data, on=on)
    case.refresh_from_db()


@pytest.fixture
def orders(users, orgs, center, operator):
    """A: 12345, answered by office A, not yet called back; B: 12345, called back and closed;
    C: 110, answered by the centre itself; D: 12345, still with office A; E: a 12348 call;
    F: 12345 answered in October; G: the neighbouring bureau's 12345 order."""
    orgs.office_a.phone = "0591-88880001"
    orgs.office_a.save(update_fields=["phone"])
    made = {}
    for key in ("A", "B", "D"):
        made[key] = _order(operator, center, f"GD-{key}")
        _step(operator, made[key], "dispatch", D(2026, 11, 2), target="office", org=orgs.office_a.pk)
        _step(users.office_a, made[key], "sign", D(2026, 11, 3))
    _step(users.office_a, made["A"], "reply", D(2026, 11, 4), answer="已约谈物业公司，退还多收费用。", contacted=True)
    _step(users.office_a, made["B"], "reply", D(2026, 11, 4), answer="=退还费用（经调解达成一致）")
    _step(operator, made["B"], "callback", D(2026, 11, 5), way="phone", satisfaction="satisfied", note="诉求人认可")
    made["C"] = _order(operator, center, "110-C", channel=Channel.LINKAGE_110)
    _step(operator, made["C"], "answer", D(2026, 11, 3), answer="告知可向住建部门投诉。")
    made["E"] = _order(operator, center, "", channel=Channel.HOTLINE, answer="当场解答。")
    made["F"] = _order(operator, center, "GD-F", opened_on=D(2026, 10, 19))
    _step(operator, made["F"], "answer", D(2026, 10, 20), answer="已答复。")
    made["G"] = _order(users.other_office, orgs.other_office, "GD-G")
    _step(users.other_office, made["G"], "answer", D(2026, 11, 3), answer="邻区答复。")
    return made


def test_the_rows_are_the_platforms_replies_of_the_period(orders, operator, users, center):
    rows = list(reply_rows(replied_orders(operator, "12345", D(2026, 11, 1), D(2026, 11, 30))))
    assert [r["external_ref"] for r in rows] == ["GD-A", "GD-B"]
    a, b = rows
    assert a == {
        "external_ref": "GD-A",
        "unit": "A司法所",
        "result": "已反馈",
        "answer": "已约谈物业公司，退还多收费用。",
        "finished_on": D(2026, 11, 4),
        "contact": "已反馈办理结果，待回访诉求人",
        "handler": operator.display_name,
        "unit_phone": "0591-88880001",
        "code": orders["A"].code,
    }
    assert (b["result"], b["finished_on"], b["contact"]) == ("已办结", D(2026, 11, 5), "2026-11-05电话回访，评价满意（诉求人认可）")
    (c,) = reply_rows(replied_orders(operator, "110", D(2026, 11, 1), D(2026, 11, 30)))
    assert (c["external_ref"], c["unit"], c["result"], c["contact"], c["unit_phone"]) == ("110-C", center.name, "已办结", "已答复诉求人", "")
    # The handling unit sees orders A, B and D through its share, but replies are the front desk's to send.
    assert orders["A"] in selectors.cases(users.office_a)
    assert not replied_orders(users.office_a, "12345", D(2026, 11, 1), D(2026, 11, 30)).exists()


def test_the_page_previews_and_the_export_is_the_platforms_sheet(orders, operator, users, client_for):
    c = client_for(operator)
    page = c.get(reverse("hotline:replies"), NOVEMBER)
    assert page.status_code == 200 and page.context["count"] == 2
    html = page.content.decode()
    assert "GD-A" in html and "GD-B" in html and "GD-D" not in html and "GD-G" not in html and "GD-F" not in html
    assert reverse("hotline:replies_export") in html
    r = c.get(reverse("hotline:replies_export"), NOVEMBER)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert formula_cells(r.content) == []
    ws = load_workbook(BytesIO(r.content)).active
    sheet = [[cell.value for cell in line] for line in ws.iter_rows()]
    assert sheet[0] == [header for _key, header, _width in COLUMNS]
    assert [line[0] for line in sheet[1:]] == ["GD-A", "GD-B"]
    assert ws["D3"].value == "=退还费用（经调解达成一致）" and ws["D3"].data_type == "s" and ws["D3"].quotePrefix
    assert sheet[2][8] == orders["B"].code
    entry = AuditEntry.objects.get(action="hotline.replies_export")
    assert entry.user == operator and entry.detail["rows"] == 2 and entry.detail["platform"] == "12345"
    # The office that handled them sends nothing back: the centre does.
    assert client_for(users.office_a).get(reverse("hotline:replies"), NOVEMBER).context["count"] == 0


def test_a_wrong_period_is_refused_and_nothing_is_exported(orders, operator, client_for):
    c = client_for(operator)
    backwards = NOVEMBER | {"since": "2026-11-30", "until": "2026-11-01"}
    page = c.get(reverse("hotline:replies"), backwards)
    assert page.status_code == 200 and "结束日期早于开始日期" in page.content.decode() and page.context["count"] is None
    assert c.get(reverse("hotline:replies_export"), backwards).status_code == 400
    too_long = NOVEMBER | {"since": "2025-01-01"}
    assert "一次最多导出一年" in c.get(reverse("hotline:replies"), too_long).content.decode()
    assert c.get(reverse("hotline:replies_export"), NOVEMBER | {"platform": "12348"}).status_code == 400
    assert not AuditEntry.objects.filter(action="hotline.replies_export").exists()
    assert {o.status for o in orders.values()} >= {Status.REPLIED, Status.CLOSED}


# username: (page, export). Outside the line 404; a reading leader 403.
EXPECTED = {
    "operator": (200, 200),
    "leader": (403, 403),
    "stat_admin": (403, 403),  # 统计管理员 reads as the leader does
    "staff": (200, 200),
    "staff_x": (404, 404),
    "office_a": (200, 200),
    "office_b": (200, 200),
    "mediator_a": (404, 404),
    "mediator_a2": (404, 404),
    "lawyer": (404, 404),
    "sysadmin": (404, 404),
    "secadmin": (404, 404),
    "auditor": (404, 404),
    "other_office": (200, 200),
    "other_leader": (403, 403),
}


def test_every_role_on_the_replies_routes(users, operator, client_for):
    for user in (*vars(users).values(), operator):
        c = client_for(user)
        got = (c.get(reverse("hotline:replies")).status_code, c.get(reverse("hotline:replies_export")).status_code)
        assert got == EXPECTED[user.username], user.username
