"""预释放登记, 摸排, 衔接 and 未衔接: what each writes, the clocks they keep, and that
every refusal writes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sifa.cases.models import Case, CaseShare
from sifa.cases.selectors import visible_to
from sifa.cases.services import today, transition
from sifa.common.errors import DomainError, PermissionRefused, Refused
from sifa.deadlines.models import Deadline
from sifa.deadlines.selectors import todos
from sifa.kit import registry

from .. import conf, selectors
from ..choices import CASE_TYPE, HandoverWay, Status, Verification
from ..models import SearchRequest
from ..services import report_due
from .conftest import hand_over, notify

pytestmark = pytest.mark.django_db


def _state(case):
    case = Case.all_objects.get(pk=case.pk)
    rec = case.record
    return (
        case.status,
        case.version,
        case.events.count(),
        rec.verification,
        rec.handed_over_on,
        rec.unlinked_since,
        CaseShare.objects.filter(case=case).count(),
    )


# --- registration -------------------------------------------------------------------------------------


def test_registration_from_the_notice_is_pending_with_its_clocks(officer, orgs):
    case = notify(officer, orgs.office_a, key_person=True)
    case.refresh_from_db()
    rec = case.record
    assert (case.case_type, case.status, case.owner_org, case.handler) == (CASE_TYPE, Status.PENDING, orgs.office_a, officer)
    assert rec.gender == "M" and rec.key_person and rec.crime == "盗窃罪" and rec.origin == "prison"
    person = case.parties.get()
    assert (person.role, person.name, person.id_number, person.address) == ("releasee", "张三", "110101199003071233", "测试区幸福路1号")
    assert person.birth_date.year == 1990  # the ID number decides sex and age
    assert "盗窃" not in case.title
    verify = Deadline.objects.get(case=case, key="verify")
    assert verify.kind == "organ" and verify.unit == "workday" and verify.amount == conf.verify_workdays() and verify.start_date == rec.notice_on
    report = Deadline.objects.get(case=case, key="report")
    assert report.kind == "duty" and report.start_date == rec.expected_release_on and report.due_date == report_due(rec.expected_release_on)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"name": " "}, "name"),
        ({"institution": ""}, "institution"),
        ({"crime": ""}, "crime"),
        ({"id_number": "110101199003071234"}, "id_number"),
        ({"phone": "12"}, "phone"),
        ({"origin": "nowhere"}, "origin"),
        ({"expected_release_on": None}, "expected_release_on"),
        ({"released_on": "future"}, "released_on"),
    ],
)
def test_refused_registration_names_the_field_and_writes_nothing(officer, orgs, change, field):
    before = Case.all_objects.count()
    if change.get("released_on") == "future":
        change = {"released_on": today() + timedelta(days=3)}
    with pytest.raises(DomainError) as exc:
        notify(officer, orgs.office_a, **change)
    assert exc.value.field == field and Case.all_objects.count() == before


def test_another_office_is_refused(officer, orgs):
    before = Case.all_objects.count()
    with pytest.raises(PermissionRefused):
        notify(officer, orgs.office_b)
    assert Case.all_objects.count() == before


def test_the_registration_page_registers_and_a_bad_field_is_named(officer, orgs, client_for):
    c = client_for(officer)
    url = reverse("resettlement:create")
    assert "预释放登记" in c.get(url).content.decode()
    post = {
        "owner_org": orgs.office_a.pk,
        "name": "李四",
        "id_number": "110101198505120029",
        "phone": "13900000002",
        "household": "测试区东湖街道1号",
        "origin": "detention",
        "institution": "测试市看守所",
        "notice_on": today().isoformat(),
        "expected_release_on": (today() + timedelta(days=30)).isoformat(),
        "crime": "诈骗罪",
    }
    bad = c.post(url, post | {"id_number": "11010119850512002X"})
    assert bad.status_code == 400 and "身份证" in bad.content.decode() and not Case.objects.filter(case_type=CASE_TYPE).exists()
    assert "李四" in bad.content.decode()  # nothing typed is lost
    r = c.post(url, post)
    assert r.status_code == 302
    case = Case.objects.get(case_type=CASE_TYPE)
    assert case.record.origin == "detention" and case.record.gender == "F" and case.status == Status.PENDING


# --- 摸排 ------------------------------------------------------------------------------------------------


def test_verification_local(officer, orgs):
    case = notify(officer, orgs.office_a)
    transition(officer, case, "verify", data={"result": "local", "residence": "测试区幸福路1号"})
    rec = Case.objects.get(pk=case.pk).record
    assert (rec.verification, rec.verified_on, rec.residence_org) == (Verification.LOCAL, today(), None)
    assert Deadline.objects.get(case=case, key="verify").completed_on == today()


def test_living_in_another_offices_area_is_shared_with_it_one_owner(officer, officer_b, users, orgs, client_for):
    case = notify(officer, orgs.office_a)
    assert not visible_to(officer_b).filter(pk=case.pk).exists()
    transition(officer, case, "verify", data={"result": "elsewhere", "residence": "测试区B街道2号", "residence_org": str(orgs.office_b.pk)})
    case.refresh_from_db()
    assert case.owner_org == orgs.office_a and case.record.residence_org == orgs.office_b
    # 双列管: both offices' officers see the file; the B office's general staff still does not.
    for user in (officer, officer_b):
        assert client_for(user).get(reverse("cases:detail", args=[case.pk])).status_code == 200, user.username
    assert not visible_to(users.office_b).filter(pk=case.pk).exists()
    assert "双列管" in client_for(officer_b).get(reverse("cases:detail", args=[case.pk])).content.decode()
    # Figures and clocks stay with the owner: the B office's alert counts only what it sees.
    assert visible_to(officer_b).filter(pk=case.pk).exists()


def test_elsewhere_without_the_office_is_refused(officer, orgs):
    case = notify(officer, orgs.office_a)
    before = _state(case)
    with pytest.raises(DomainError, match="居住地司法所"):
        transition(officer, case, "verify", data={"result": "elsewhere", "residence": "某地"})
    assert _state(case) == before


def test_not_found_goes_to_the_unlinked_list(officer, orgs):
    case = notify(officer, orgs.office_a)
    transition(officer, case, "verify", data={"result": "not_found", "note": "户籍地无人，家属不知去向"})
    assert list(selectors.unlinked(officer).values_list("case_id", flat=True)) == [case.pk]
    transition(officer, case, "unlink", data={"circumstances": "摸排查无此人"})
    case.refresh_from_db()
    assert case.status == Status.UNLINKED and case.record.unlinked_since == today()
    assert list(selectors.unlinked(officer).values_list("case_id", flat=True)) == [case.pk]


# --- 衔接 ---------------------------------------------------------------------------------------------------


def test_a_hand_over_within_the_days_is_seamless_and_starts_the_period(officer, orgs):
    release = today() - timedelta(days=2)
    case = hand_over(officer, notify(officer, orgs.office_a, release=release, released=True), on=today())
    rec = case.record
    assert case.status == Status.ASSISTING and rec.seamless and rec.handed_over_on == today() and rec.handover_way == HandoverWay.REPORTED
    assert rec.period_ends_on == release.replace(year=release.year + conf.period_years("prison"))
    assert Deadline.objects.get(case=case, key="report").completed_on == today()
    assert Deadline.objects.get(case=case, key="period").due_date >= rec.period_ends_on
    assert "无缝衔接" in case.events.order_by("-id").first().label


def test_a_late_hand_over_is_not_seamless_but_collected_at_the_gate_is(officer, orgs):
    release = today() - timedelta(days=conf.report_days() + 20)
    late = hand_over(officer, notify(officer, orgs.office_a, release=release, released=True), on=today())
    assert late.status == Status.ASSISTING and not late.record.seamless
    gate = hand_over(officer, notify(officer, orgs.office_a, release=release, released=True, name="王五"), on=release, way="collected")
    assert gate.record.seamless


def test_a_hand_over_before_the_release_is_refused(officer, orgs):
    case = notify(officer, orgs.office_a, release=today() - timedelta(days=1))
    before = _state(case)
    with pytest.raises(DomainError, match="释放日期"):
        transition(officer, case, "handover", data={"released_on": today(), "way": "reported"}, on=today() - timedelta(days=1))
    with pytest.raises(DomainError):
        transition(officer, case, "handover", data={"way": "reported"})  # no release date: named
    assert _state(case) == before


# --- the lapsed report: the desk, the alert, 未衔接, 协查 ----------------------------------------------------


def test_a_lapsed_report_is_on_the_desk_and_the_alert_the_day_after(officer, users, orgs):
    # Released so that the last day to report is today: not yet on any list.
    release = today() - timedelta(days=conf.report_days())
    while report_due(release) > today():
        release -= timedelta(days=1)
    while report_due(release + timedelta(days=1)) <= today():
        release += timedelta(days=1)
    waiting = notify(officer, orgs.office_a, release=release, released=True)
    due = report_due(release)
    assert due == today() or due < today()
    day_after = due + timedelta(days=1)
    assert not todos(officer, today=due).filter(case=waiting).exists()
    assert not selectors.unlinked(officer, due).filter(case=waiting).exists()
    assert todos(officer, today=day_after).filter(case=waiting).exists()
    assert selectors.unlinked(officer, day_after).filter(case=waiting).exists()
    assert selectors.unlinked(users.leader, day_after).filter(case=waiting).exists()  # the bureau's list
    # Lapsed well before: on today's desk, in the line's alert, for the office and the leader.
    lapsed = notify(officer, orgs.office_a, release=today() - timedelta(days=conf.report_days() + 10), released=True, name="赵六")
    assert todos(officer).filter(case=lapsed).exists()
    assert selectors.alert_count(officer) >= 1 and selectors.alert_count(users.leader) >= 1
    assert any(a.label == "安置帮教未衔接预警" and n >= 1 for a, n in registry.alerts_for(users.leader))
    assert selectors.alert_count(users.office_a) == 0 and selectors.alert_count(users.stat_admin) == 0


def test_unlinked_only_after_the_report_period_and_found_again(officer, orgs):
    soon = notify(officer, orgs.office_a, release=today() - timedelta(days=1), released=True)
    before = _state(soon)
    with pytest.raises(Refused, match="报到期限"):
        transition(officer, soon, "unlink", data={"circumstances": "未报到"})
    assert _state(soon) == before
    release = today() - timedelta(days=conf.report_days() + 10)
    case = notify(officer, orgs.office_a, release=release, released=True, name="钱七")
    transition(officer, case, "unlink", data={"circumstances": "逾期未报到，电话停机"})
    case.refresh_from_db()
    assert case.status == Status.UNLINKED and Deadline.objects.get(case=case, key="report").cancelled
    assert not todos(officer).filter(case=case).exists()  # acted on: off the desk, on the 未衔接 list
    assert selectors.unlinked(officer).filter(case=case).exists()
    hand_over(officer, case, on=today(), way="found")
    case.refresh_from_db()
    assert case.status == Status.ASSISTING and case.record.unlinked_since is None and not case.record.seamless
    assert not selectors.unlinked(officer).filter(case=case).exists()


def test_a_search_request_to_another_office_and_its_answer(officer, officer_b, orgs):
    case = notify(officer, orgs.office_a, release=today() - timedelta(days=30), released=True)
    transition(officer, case, "unlink", data={"circumstances": "逾期未报到"})
    before = _state(case)
    with pytest.raises(DomainError, match="协查单位"):
        transition(officer, case, "request_search", data={"request": "请协查"})
    assert _state(case) == before
    transition(officer, case, "request_search", data={"org": str(orgs.office_b.pk), "request": "请协查是否在贵辖区"})
    transition(officer, case, "request_search", data={"org_name": "外省某司法所", "request": "请协查"})
    assert visible_to(officer_b).filter(pk=case.pk).exists()  # the asked office reads the file
    share = CaseShare.objects.get(case=case, org=orgs.office_b)
    assert not share.can_write
    asked = SearchRequest.objects.get(case=case, org=orgs.office_b)
    transition(officer, case, "answer_search", data={"search": str(asked.pk), "answer": "经查，该人在本辖区务工"})
    asked.refresh_from_db()
    assert asked.answered_on == today() and "务工" in asked.answer
    assert SearchRequest.objects.filter(case=case, answered_on__isnull=True).count() == 1


def test_the_unlinked_page_lists_searches_and_is_audited(officer, orgs, client_for):
    from sifa.audit.models import AuditEntry

    case = notify(officer, orgs.office_a, release=today() - timedelta(days=30), released=True, name="孙八")
    other = notify(officer, orgs.office_a, release=today() - timedelta(days=30), released=True, name="周九")
    c = client_for(officer)
    page = c.get(reverse("resettlement:unlinked")).content.decode()
    assert case.code in page and other.code in page and "逾期未报到" in page and "盗窃" not in page
    found = c.get(reverse("resettlement:unlinked"), {"q": "孙八"}).content.decode()
    assert case.code in found and other.code not in found
    assert AuditEntry.objects.filter(action="resettlement.unlinked_view", user=officer).count() == 2
