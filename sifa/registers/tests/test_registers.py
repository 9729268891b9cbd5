"""Registers that are not cases (kit.register), through the test line's 法律咨询登记:
an entry is registered with a number from the locked counter, the person masked;
another office's entry answers like a missing one, a role outside the line gets
404 everywhere; it counts in a KPI (by office, month and channel), round-trips
through its ledger, and is handed over into a case of another line, linked both
ways. A refusal changes nothing."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.cases.models import Case, CaseLink
from sifa.cases.tests.matrix import assert_like_missing
from sifa.cases.tests.testline.models import Consultation
from sifa.cases.tests.testline.registers import CONSULTATIONS
from sifa.common.errors import Conflict, DomainError
from sifa.registers import services

pytestmark = pytest.mark.django_db
SLUG = CONSULTATIONS.slug
ID = "110101199003078515"


def _entry(user, org, on=date(2026, 3, 5), channel="visit", **more):
    values = {
        "on": on,
        "owner_org": org,
        "person_name": "张某",
        "person_phone": "13812345678",
        "person_id_number": ID,
        "summary": "咨询劳动合同解除",
        "result": "",
        "channel": channel,
    }
    return services.create_entry(user, CONSULTATIONS, values | more)


def _count():
    return Consultation.all_objects.count(), AuditEntry.objects.filter(action="register.create", result="ok").count()


def test_registering_on_the_page_gives_a_number_and_masks_the_person(users, orgs, client_for):
    a = client_for(users.office_a)
    assert 'data-testid="register-create"' in a.get(reverse("registers:list", args=[SLUG])).content.decode()
    post = {
        "on": "2026-03-05",
        "owner_org": orgs.office_a.pk,
        "person_name": "李某",
        "person_phone": "13812345678",
        "person_id_number": ID,
        "summary": "咨询借款纠纷",
        "channel": "phone",
    }
    r = a.post(reverse("registers:create", args=[SLUG]), post)
    assert r.status_code == 302, r.content.decode()[-2000:]
    entry = Consultation.objects.get()
    # Read like a case code: region, letters, year, sequence, check character.
    assert entry.number.startswith(f"{orgs.bureau.region_code}ZX2026") and entry.number[12:18] == "000001"
    assert (entry.owner_org, entry.handler, entry.case_type, entry.person_phone) == (orgs.office_a, users.office_a, "testline", "13812345678")
    page = a.get(reverse("registers:detail", args=[SLUG, entry.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page and ID not in page and "电话" in page
    listing = a.get(reverse("registers:list", args=[SLUG]) + "?channel=phone").content.decode()
    assert entry.number in listing and "13812345678" not in listing
    assert entry.number not in a.get(reverse("registers:list", args=[SLUG]) + "?channel=visit").content.decode()
    second = _entry(users.office_a, orgs.office_a, on=date(2026, 4, 1))
    assert second.number[12:18] == "000002"


def test_bad_input_names_the_field_and_changes_nothing(users, orgs, client_for):
    a = client_for(users.office_a)
    before = _count()
    base = {"on": "2026-03-05", "owner_org": orgs.office_a.pk, "person_name": "李某", "summary": "咨询", "channel": "visit"}
    for change, says in (
        ({"person_phone": "138123"}, "电话号码格式不正确"),
        ({"on": "2099-01-01"}, "登记日期不能晚于今天"),
        ({"summary": ""}, "请填写咨询内容"),
        ({"owner_org": orgs.office_b.pk}, "登记机构"),
    ):
        r = a.post(reverse("registers:create", args=[SLUG]), base | change)
        assert r.status_code == 400 and says in r.content.decode(), change
    r = a.post(reverse("api:registers-list", args=[SLUG]), base | {"person_id_number": "110101199003078514"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "person_id_number" and "校验位" in r.json()["detail"]
    with pytest.raises(DomainError):
        _entry(users.office_a, orgs.office_b)  # not where this user may register
    with pytest.raises(DomainError):
        _entry(users.leader, orgs.office_a)  # leaders read
    assert _count() == before


def test_another_office_and_another_line_answer_like_missing(users, orgs, client_for):
    from sifa.accounts.tests.factories import UserFactory

    entry = _entry(users.office_a, orgs.office_a)
    routes = [
        ("GET", reverse("registers:detail", args=[SLUG, entry.pk]), reverse("registers:detail", args=[SLUG, 987654321])),
        ("GET", reverse("registers:edit", args=[SLUG, entry.pk]), reverse("registers:edit", args=[SLUG, 987654321])),
        ("POST", reverse("registers:delete", args=[SLUG, entry.pk]), reverse("registers:delete", args=[SLUG, 987654321])),
        ("POST", reverse("registers:handover", args=[SLUG, entry.pk, "to_b"]), reverse("registers:handover", args=[SLUG, 987654321, "to_b"])),
        ("GET", reverse("api:registers-detail", args=[SLUG, entry.pk]), reverse("api:registers-detail", args=[SLUG, 987654321])),
        ("POST", reverse("api:registers-handover", args=[SLUG, entry.pk, "to_b"]), reverse("api:registers-handover", args=[SLUG, 987654321, "to_b"])),
    ]
    b = client_for(users.office_b)
    for method, theirs, missing in routes:
        call = b.get if method == "GET" else (lambda url: b.post(url, {"reason": "x", "owner_org": orgs.office_b.pk}))
        assert_like_missing(call(theirs), call(missing))
    assert entry.number not in b.get(reverse("registers:list", args=[SLUG])).content.decode()
    assert b.get(reverse("api:registers-list", args=[SLUG])).json()["count"] == 0
    # A role limited to another line, in the same office: every route of this register is 404.
    other_line = UserFactory(username="clerk_b_only", role="test_clerk_b", org=orgs.office_a)
    o = client_for(other_line)
    for url in (reverse("registers:list", args=[SLUG]), reverse("registers:create", args=[SLUG]), *(r[1] for r in routes if r[0] == "GET")):
        assert o.get(url).status_code == 404, url
    assert o.get(reverse("api:registers-list", args=[SLUG])).status_code == 404
    Consultation.objects.get(pk=entry.pk)  # untouched
    assert not Consultation.objects.filter(is_deleted=True).exists()


def test_an_entry_counts_in_its_kpi_by_office_month_and_channel(users, orgs):
    from sifa.kit import registry
    from sifa.kit.kpis import MONTH, OFFICE
    from sifa.stats import engine
    from sifa.stats.periods import Period

    kpi = registry.kpi("testline.consultations")
    _entry(users.office_a, orgs.office_a, on=date(2026, 3, 5))
    _entry(users.office_a, orgs.office_a, on=date(2026, 4, 2), channel="phone")
    _entry(users.office_b, orgs.office_b, on=date(2026, 4, 9), channel="phone")
    gone = _entry(users.office_b, orgs.office_b, on=date(2026, 4, 10))
    services.delete_entry(users.office_b, CONSULTATIONS, gone.pk, "重复登记")
    _entry(users.office_a, orgs.office_a, on=date(2025, 12, 30))  # last year
    year = Period.year(2026)
    assert engine.compute(kpi, orgs.bureau, year).value == 3
    assert engine.compute(kpi, orgs.office_a, year).value == 2
    assert engine.compute(kpi, orgs.bureau, year, users.office_a).value == 2  # within the user's scope
    by_channel = {r["key"]: r["numerator"] for r in engine.breakdown(kpi, orgs.bureau, year, kpi.dimensions[2])}
    assert by_channel == {"visit": 1, "phone": 2}
    by_month = {str(r["key"])[:7]: r["numerator"] for r in engine.breakdown(kpi, orgs.bureau, year, MONTH) if r["numerator"]}
    assert by_month == {"2026-03": 1, "2026-04": 2}
    by_office = {r["label"]: r["numerator"] for r in engine.breakdown(kpi, orgs.bureau, year, OFFICE) if r["numerator"]}
    assert by_office == {orgs.office_a.name: 2, orgs.office_b.name: 1}


def test_the_drill_down_of_a_register_figure_is_its_list(users, orgs, client_for):
    _entry(users.office_a, orgs.office_a, on=date(2026, 4, 2))
    r = client_for(users.leader).get(reverse("stats:drill") + f"?kpi=testline.consultations&org={orgs.bureau.pk}&kind=year&year=2026")
    assert r.status_code == 302 and r.url.startswith(reverse("registers:list", args=[SLUG])) and "date_from=2026-01-01" in r.url


def test_the_ledger_round_trips(users, orgs):
    from openpyxl import Workbook, load_workbook

    from sifa.ledgers import imports
    from sifa.ledgers.entries import write_entries
    from sifa.ledgers.models import JobStatus
    from sifa.registers import selectors

    ledger = CONSULTATIONS.ledger
    cols = ledger.import_columns()
    sent = {
        "登记日期": "2026-03-05",
        "登记机构": orgs.office_a.name,
        "来访人姓名": "王某",
        "联系电话": "13912345678",
        "证件号码": ID,
        "咨询内容": "咨询婚姻家庭",
        "答复/处理情况": "已解答",
        "咨询方式": "电话",
    }
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in cols])
    ws.append([sent.get(c.header) for c in cols])
    buf = BytesIO()
    wb.save(buf)
    job = imports.start_import(users.office_a, CONSULTATIONS.key, SimpleUploadedFile("咨询.xlsx", buf.getvalue()))
    assert job.status == JobStatus.VALIDATED, job.errors
    job = imports.commit(users.office_a, job.pk)
    assert job.status == JobStatus.DONE and job.created_count == 1, (job.message, job.errors)
    entry = Consultation.objects.get(number=job.first_code)
    assert (entry.channel, entry.owner_org, entry.person_id_number, entry.handler) == ("phone", orgs.office_a, ID, users.office_a)
    content, n = write_entries(CONSULTATIONS, selectors.visible(users.office_a, CONSULTATIONS), users.office_a, reveal=True, description="往返")
    rows = list(load_workbook(BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    exported = dict(zip(rows[0], rows[1], strict=True))
    assert n == 1 and exported["登记编号"] == entry.number
    for header, value in sent.items():
        got = exported[header]
        assert (got.date().isoformat() if hasattr(got, "date") else str(got)) == value, header
    masked, _ = write_entries(CONSULTATIONS, selectors.visible(users.office_a, CONSULTATIONS), users.office_a, reveal=False, description="脱敏")
    assert ID.encode() not in masked and b"13912345678" not in masked
    # A bad row: nothing is written, and the report names the row and the column.
    ws.append(["2026-03-06", orgs.office_a.name, "赵某", "123", None, "咨询", None, "电话"])
    buf = BytesIO()
    wb.save(buf)
    bad = imports.start_import(users.office_a, CONSULTATIONS.key, SimpleUploadedFile("坏.xlsx", buf.getvalue()))
    assert bad.status == JobStatus.INVALID and any(e[1] == "联系电话" for e in bad.errors), bad.errors


def test_an_entry_is_handed_over_into_a_case_linked_both_ways(users, orgs, client_for):
    entry = _entry(users.office_a, orgs.office_a)
    a = client_for(users.office_a)
    assert 'data-testid="handover-to_b"' in a.get(reverse("registers:detail", args=[SLUG, entry.pk])).content.decode()
    r = a.post(reverse("registers:handover", args=[SLUG, entry.pk, "to_b"]), {"owner_org": orgs.office_a.pk})
    assert r.status_code == 302
    case = Case.objects.get(case_type="testline_b")
    entry.refresh_from_db()
    assert entry.handed_to == case and case.parties.get().name == "张某" and case.parties.get().id_number == ID
    assert CaseLink.objects.get(target=case).source_ref == f"法律咨询登记 {entry.number}"
    assert f"法律咨询登记 {entry.number}" in a.get(reverse("cases:detail", args=[case.pk])).content.decode()
    page = a.get(reverse("registers:detail", args=[SLUG, entry.pk])).content.decode()
    assert case.code in page and 'data-testid="handover-to_b"' not in page
    # Once only; the office that sees neither side sees neither.
    before = (Case.objects.count(), CaseLink.objects.count())
    from sifa.cases import movement

    with pytest.raises(Conflict):
        movement.hand_over(users.office_a, entry, "to_b", owner_org=orgs.office_a)
    assert (Case.objects.count(), CaseLink.objects.count()) == before
    b = client_for(users.office_b)
    assert b.get(reverse("registers:detail", args=[SLUG, entry.pk])).status_code == 404
    assert b.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    with pytest.raises(DomainError):
        services.delete_entry(users.office_a, CONSULTATIONS, entry.pk, "误登")  # handed over: kept


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # (list, create, detail, edit) for our office's entry
        ("office_a", (200, 200, 200, 200)),
        ("staff", (200, 200, 200, 200)),
        ("leader", (200, 403, 200, 403)),  # leaders read
        ("office_b", (200, 200, 404, 404)),  # their own list; our entry is missing for them
        ("other_leader", (200, 403, 404, 404)),
        ("mediator_a", (404, 404, 404, 404)),  # another line
        ("lawyer", (404, 404, 404, 404)),
        ("sysadmin", (404, 404, 404, 404)),  # administrators see no case data
        ("secadmin", (404, 404, 404, 404)),
        ("auditor", (404, 404, 404, 404)),
    ],
)
def test_every_role_gets_what_it_may(users, orgs, client_for, who, expected):
    entry = _entry(users.office_a, orgs.office_a)
    c = client_for(getattr(users, who))
    urls = (
        reverse("registers:list", args=[SLUG]),
        reverse("registers:create", args=[SLUG]),
        reverse("registers:detail", args=[SLUG, entry.pk]),
        reverse("registers:edit", args=[SLUG, entry.pk]),
    )
    assert tuple(c.get(u).status_code for u in urls) == expected
    api = c.get(reverse("api:registers-detail", args=[SLUG, entry.pk])).status_code
    assert api == (200 if expected[2] == 200 else 404)
    before = list(Consultation.all_objects.values_list("pk", "is_deleted", "version"))
    if expected[3] != 200:  # a reader or an outsider: the delete is refused and nothing changes
        assert c.post(reverse("registers:delete", args=[SLUG, entry.pk]), {"reason": "测试"}).status_code == expected[3]
    assert list(Consultation.all_objects.values_list("pk", "is_deleted", "version")) == before


def test_correcting_and_deleting_are_recorded(users, orgs, client_for):
    entry = _entry(users.office_a, orgs.office_a)
    a = client_for(users.office_a)
    r = a.post(
        reverse("registers:edit", args=[SLUG, entry.pk]),
        {"on": "2026-03-06", "owner_org": orgs.office_a.pk, "person_name": "张某", "summary": "咨询劳动合同解除（补充）", "channel": "visit"},
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert (entry.on, entry.version, entry.person_phone) == (date(2026, 3, 6), 2, "")
    r = a.post(reverse("api:registers-list", args=[SLUG]) + "x", {})  # no such route
    assert r.status_code == 404
    r = a.patch(reverse("api:registers-detail", args=[SLUG, entry.pk]), {"on": "2025-12-31", "version": 2}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "on"  # numbers run by year
    r = a.patch(reverse("api:registers-detail", args=[SLUG, entry.pk]), {"result": "已答复", "version": 1}, content_type="application/json")
    assert r.status_code == 409
    assert a.post(reverse("registers:delete", args=[SLUG, entry.pk]), {"reason": ""}).status_code == 400
    assert a.post(reverse("registers:delete", args=[SLUG, entry.pk]), {"reason": "重复登记"}).status_code == 302
    assert Consultation.all_objects.get(pk=entry.pk).is_deleted and not Consultation.objects.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.filter(action__in=["register.update", "register.delete"], result="ok").count() == 2
