"""The audit administrator's pages: search, detail, the chain check, and the
access matrix (everyone else gets 404)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sifa.accounts.tests.matrix import ROLES, expected
from sifa.audit.models import AuditEntry
from sifa.audit.sealer import seal
from sifa.audit.services import record
from sifa.common import context

pytestmark = pytest.mark.django_db


def _entry(action, **kw):
    # Sealed as it would be once the writer's transaction commits (the test's
    # own transaction never does).
    entry = record(action, **kw)
    seal()
    return AuditEntry.objects.get(pk=entry.pk)


@pytest.fixture
def entries(users):
    token = context.activate(context.RequestContext(request_id="req0000000000001", ip="10.9.8.7"))
    try:
        a = _entry("auth.login", actor=users.office_a, obj=users.office_a)
    finally:
        context.deactivate(token)
    b = _entry("auth.login_failed", username="ghost", result="failed")
    c = _entry("perm.change", actor=users.secadmin, obj=users.office_b, detail={"before": {"role": "office"}, "after": {"role": ""}})
    return a, b, c


@pytest.mark.parametrize("who", ROLES)
def test_access_matrix(users, client_for, entries, who):
    c = client_for(getattr(users, who))
    seq = entries[0].seq
    for url in (reverse("audit:list"), reverse("audit:detail", args=[seq]), reverse("audit:verify")):
        assert c.get(url).status_code == expected("auditor", who, 200), url
    before = AuditEntry.objects.filter(action="audit.verify").count()
    assert c.post(reverse("audit:verify")).status_code == expected("auditor", who, 200)
    assert AuditEntry.objects.filter(action="audit.verify").count() == before + (1 if who == "auditor" else 0)


def test_anonymous_goes_to_login(client, entries):
    for url in (reverse("audit:list"), reverse("audit:detail", args=[entries[0].seq]), reverse("audit:verify")):
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))


def test_the_log_has_no_write_pages(users, client_for, entries):
    """Read-only: nothing the auditor can send changes an entry."""
    c = client_for(users.auditor)
    # The sealed entries (a request seals those waiting once it has answered: that is not a change).
    snapshot = list(AuditEntry.objects.filter(seq__isnull=False).order_by("seq").values_list("seq", "hash"))
    assert c.post(reverse("audit:list"), {"action": "x"}).status_code == 405
    assert c.post(reverse("audit:detail", args=[entries[0].seq]), {"action": "x"}).status_code == 405
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "hash"))[: len(snapshot)] == snapshot


def _ids(response):
    return [e.pk for e, _ in response.context["rows"]]


def test_search_filters(users, client_for, entries):
    a, b, c_ = entries
    c = client_for(users.auditor)
    url = reverse("audit:list")
    everything = _ids(c.get(url))
    assert everything == sorted(everything, reverse=True)  # newest first
    assert _ids(c.get(url, {"username": "office_a"})) == [a.pk]
    assert _ids(c.get(url, {"action": "auth.login_failed"})) == [b.pk]
    assert _ids(c.get(url, {"action": "auth.login", "username": "office_a"})) == [a.pk]
    assert set(_ids(c.get(url, {"action": "auth."}))) >= {a.pk, b.pk}
    assert _ids(c.get(url, {"result": "failed"})) == [b.pk]
    assert _ids(c.get(url, {"object_type": "accounts.user", "object_id": str(users.office_b.pk)})) == [c_.pk]
    assert _ids(c.get(url, {"ip": "10.9.8.7"})) == [a.pk]
    assert _ids(c.get(url, {"request_id": "req0000000000001"})) == [a.pk]
    today = timezone.localdate()
    assert a.pk in _ids(c.get(url, {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    assert _ids(c.get(url, {"date_to": (today - timedelta(days=1)).isoformat()})) == []
    r = c.get(url, {"date_from": today.isoformat(), "date_to": (today - timedelta(days=1)).isoformat()})
    assert r.status_code == 200 and "截止日期不能早于起始日期" in r.content.decode()
    body = c.get(url).content.decode()
    assert "角色/权限变更" in body and 'data-label="操作"' in body


def test_search_pages(users, client_for):
    for i in range(60):
        record("test.event", detail={"i": i})
    c = client_for(users.auditor)
    first = c.get(reverse("audit:list"), {"action": "test.event"})
    assert len(first.context["rows"]) == 50 and first.context["page_obj"].paginator.count == 60
    second = c.get(reverse("audit:list"), {"action": "test.event", "page": 2})
    assert len(second.context["rows"]) == 10
    assert _ids(first)[-1] > _ids(second)[0]


def test_detail(users, client_for, entries):
    c = client_for(users.auditor)
    r = c.get(reverse("audit:detail", args=[entries[2].seq]))
    body = r.content.decode()
    assert r.status_code == 200 and entries[2].hash in body and "secadmin" in body and "before" in body
    assert c.get(reverse("audit:detail", args=[999999])).status_code == 404


def test_verify_button_intact_and_tampered(users, client_for, entries):
    c = client_for(users.auditor)
    r = c.post(reverse("audit:verify"))
    assert r.context["report"].ok and "哈希链校验通过" in r.content.decode()
    assert AuditEntry.objects.filter(action="audit.verify", result="ok").exists()
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks, or ALTER TABLE is refused
        cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
        cur.execute("UPDATE audit_auditentry SET username = 'someone_else' WHERE seq = %s", [entries[1].seq])
    r = c.post(reverse("audit:verify"))
    report = r.context["report"]
    assert not report.ok and report.bad_seq == entries[1].seq
    assert f"第 {entries[1].seq} 条" in r.content.decode()


def test_detail_names_a_case_step_and_its_states_in_chinese(orgs, users, client_for):
    from sifa.cases import services as cases
    from sifa.cases.tests.factories import make_case
    from sifa.cases.tests.testline import KEY

    case = make_case(users.office_a, orgs.office_a, case_type=KEY)
    cases.transition(users.office_a, case, "accept")
    seal()
    entry = AuditEntry.objects.filter(action="case.transition", object_id=str(case.pk)).latest("seq")
    body = client_for(users.auditor).get(reverse("audit:detail", args=[entry.seq])).content.decode()
    assert "受理" in body and "已登记 → 已受理" in body
    assert "&quot;transition&quot;: &quot;accept&quot;" in body  # the hashed record itself stays on the page
    # An entry of another kind has no such lines.
    seal()
    login = AuditEntry.objects.filter(action="case.create").latest("seq")
    assert "办理步骤</dt>" not in client_for(users.auditor).get(reverse("audit:detail", args=[login.seq])).content.decode()
