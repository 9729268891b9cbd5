"""帮教中: risk grading and its re-rating clock, the group and agreement, visits at
the grade's interval, assistance and placement; the period's end, re-offending
and leaving; and the hand-over from community correction."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sifa.cases import movement
from sifa.cases.models import Case, CaseLink
from sifa.cases.services import today, transition
from sifa.common.errors import Conflict, DomainError, Refused
from sifa.deadlines import calendar, duties
from sifa.deadlines.models import Deadline
from sifa.kit import registry

from .. import conf
from ..choices import EndKind, Origin, Status
from ..models import Assessment, Assistance, Contact, Helper
from .conftest import notify

pytestmark = pytest.mark.django_db


def _snap(case):
    case = Case.all_objects.get(pk=case.pk)
    rec = case.record
    return (
        case.status,
        case.version,
        case.closed_on,
        case.events.count(),
        rec.grade,
        rec.placement,
        rec.ended_on,
        Assessment.objects.count(),
        Helper.objects.count(),
    )


def test_grading_writes_an_assessment_and_starts_the_regrade_clock(assisting, officer):
    transition(officer, assisting, "grade", data={"grade": "high", "factors": ["repeat", "no_income"], "note": "累犯，无业"})
    rec = Case.objects.get(pk=assisting.pk).record
    assert (rec.grade, rec.graded_on, rec.grade_since) == ("high", today(), today())
    a = Assessment.objects.get(case=assisting)
    assert a.factors == ["repeat", "no_income"] and a.officer == officer
    clock = Deadline.objects.get(case=assisting, key="regrade")
    assert clock.kind == "organ" and clock.due_date == calendar.add_months(today(), conf.regrade_months()) and clock.completed_on is None
    # The re-rating: the clock is kept and starts again; the same grade keeps its day.
    later = today()
    transition(officer, assisting, "grade", data={"grade": "high", "note": "维持"}, on=later)
    assert Assessment.objects.filter(case=assisting).count() == 2
    assert Deadline.objects.get(case=assisting, key="regrade").completed_on is None


def test_a_bad_grade_or_factor_is_refused_naming_it(assisting, officer):
    before = _snap(assisting)
    for data, word in (
        ({"grade": "purple", "note": "x"}, "风险等级"),
        ({"grade": "low", "factors": ["nope"], "note": "x"}, "风险因素"),
        ({"grade": "low"}, "评估意见"),
    ):
        with pytest.raises(DomainError, match=word):
            transition(officer, assisting, "grade", data=data)
    assert _snap(assisting) == before


def test_the_grades_are_configurable(assisting, officer, settings):
    settings.SIFA_RESETTLEMENT_GRADES = {"red": ("红色（重点）", "danger", 1), "green": ("绿色", "success", 12)}
    transition(officer, assisting, "grade", data={"grade": "red", "note": "重点"})
    assert Case.objects.get(pk=assisting.pk).record.grade == "red"


def test_group_and_agreement(assisting, officer):
    before = _snap(assisting)
    with pytest.raises(DomainError, match="第1行"):
        transition(officer, assisting, "set_group", data={"members": "张三"})
    assert _snap(assisting) == before
    transition(officer, assisting, "set_group", data={"members": "王干事，司法所工作人员，13800001111\n刘书记，村干部\n\n", "agreement_on": today()})
    assert list(Helper.objects.filter(case=assisting).values_list("name", "role")) == [("王干事", "司法所工作人员"), ("刘书记", "村干部")]
    assert Case.objects.get(pk=assisting.pk).record.agreement_on == today()
    transition(officer, assisting, "set_group", data={"members": "王干事，司法所工作人员"})
    assert Helper.objects.filter(case=assisting).count() == 1 and Case.objects.get(pk=assisting.pk).record.agreement_on == today()


def test_a_visit_fulfils_the_grades_contact_duty(assisting, officer):
    start = today() - timedelta(days=10)
    transition(officer, assisting, "grade", data={"grade": "high", "note": "重点"}, on=start)
    case = Case.objects.get(pk=assisting.pk)
    duties.sync(case)
    occ = Deadline.objects.get(case=case, duty="contact_high")
    assert occ.kind == "organ" and occ.start_date == start and occ.due_date == calendar.add_months(start, conf.contact_months("high"))
    transition(officer, case, "contact", data={"kind": "visit", "note": "上门走访，情况稳定"})
    occ.refresh_from_db()
    assert occ.completed_on == today()
    assert Contact.objects.get(case=case).officer == officer and Case.objects.get(pk=case.pk).record.last_contact_on == today()
    # A lower grade: the high grade's duty stops, the low one runs from the day of the grade.
    transition(officer, case, "grade", data={"grade": "low", "note": "表现稳定"})
    case = Case.objects.get(pk=case.pk)
    duties.sync(case)
    low = Deadline.objects.get(case=case, duty="contact_low")
    assert low.start_date == today() and low.due_date == calendar.add_months(today(), conf.contact_months("low"))
    assert not Deadline.objects.filter(case=case, duty="contact_high", completed_on__isnull=True, cancelled=False).exists()


def test_a_contact_before_the_hand_over_is_refused(assisting, officer):
    before = _snap(assisting)
    with pytest.raises(DomainError, match="衔接日期"):
        transition(officer, assisting, "contact", data={"kind": "talk", "note": "x"}, on=assisting.record.handed_over_on - timedelta(days=1))
    assert _snap(assisting) == before


def test_assistance_and_placement(assisting, officer):
    transition(officer, assisting, "assist", data={"kind": "dibao", "note": "协助申请最低生活保障"})
    transition(officer, assisting, "assist", data={"kind": "training", "note": "参加焊工培训"})
    transition(officer, assisting, "place", data={"placement": "employed", "note": "在某厂务工"})
    rec = Case.objects.get(pk=assisting.pk).record
    assert sorted(Assistance.objects.filter(case=assisting).values_list("kind", flat=True)) == ["dibao", "training"]
    assert (rec.placement, rec.placed_on) == ("employed", today())
    before = _snap(assisting)
    with pytest.raises(DomainError, match="安置情况"):
        transition(officer, assisting, "place", data={"placement": "moon"})
    assert _snap(assisting) == before


def test_the_file_page_shows_the_file_masked(assisting, officer, client_for):
    transition(officer, assisting, "grade", data={"grade": "medium", "factors": ["no_income"], "note": "无业"})
    transition(officer, assisting, "set_group", data={"members": "王干事，司法所工作人员", "agreement_on": today()})
    transition(officer, assisting, "contact", data={"kind": "talk", "note": "谈话教育"})
    transition(officer, assisting, "assist", data={"kind": "employment", "note": "推荐就业"})
    transition(officer, assisting, "place", data={"placement": "employed"})
    page = client_for(officer).get(reverse("cases:detail", args=[assisting.pk])).content.decode()
    for text in ("盗窃罪", "无缝衔接", "中风险", "无业、无生活来源", "王干事", "谈话教育", "推荐就业", "就业", "帮教期"):
        assert text in page, text
    assert "110101199003071233" not in page and "13800000001" not in page


# --- the end -----------------------------------------------------------------------------------------------


def test_the_period_ends_only_when_it_is_over(officer, orgs):
    from .conftest import hand_over

    release = today() - timedelta(days=365 * 5 + 30)
    case = hand_over(officer, notify(officer, orgs.office_a, release=release, released=True), on=release + timedelta(days=1))
    assert case.record.period_ends_on <= today()
    young = hand_over(officer, notify(officer, orgs.office_a, release=today() - timedelta(days=5), released=True, name="李四"), on=today())
    before = _snap(young)
    with pytest.raises(Refused, match="届满"):
        transition(officer, young, "expire")
    assert _snap(young) == before
    transition(officer, case, "expire")
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome, case.record.end_kind) == (Status.ENDED, today(), EndKind.EXPIRED, EndKind.EXPIRED)
    assert Deadline.objects.get(case=case, key="period").completed_on == today()


def test_reoffending_and_moving_away_end_the_file(assisting, officer, orgs):
    transition(officer, assisting, "terminate", data={"kind": "reoffended", "note": "因涉嫌盗窃被刑事拘留"})
    case = Case.objects.get(pk=assisting.pk)
    assert (case.status, case.outcome, case.record.reoffended_on, case.record.end_kind) == (Status.ENDED, "reoffended", today(), "reoffended")
    other = notify(officer, orgs.office_a, name="李四")
    before = _snap(other)
    with pytest.raises(DomainError, match="接收单位"):
        transition(officer, other, "terminate", data={"kind": "moved", "note": "迁往外省"})
    assert _snap(other) == before
    transition(officer, other, "terminate", data={"kind": "moved", "moved_to": "外省某县司法局", "note": "户籍迁出"})
    assert Case.objects.get(pk=other.pk).record.moved_to == "外省某县司法局"


def test_moving_to_another_district_of_the_platform_transfers_the_file(assisting, officer, orgs):
    from sifa.accounts.tests.factories import UserFactory
    from sifa.cases.selectors import intake, visible_to

    there = UserFactory(username="bangjiao_there", role="resettlement_officer", org=orgs.other_office)
    events = assisting.events.count()
    movement.transfer(officer, assisting, orgs.other_office, reason="迁居邻区，档案移交", keep_sight=False)
    assisting.refresh_from_db()
    assert assisting.owner_org == orgs.other_office and assisting.events.count() > events and assisting.status == Status.ASSISTING
    assert intake(there).filter(pk=assisting.pk).exists() and not visible_to(officer).filter(pk=assisting.pk).exists()


# --- from community correction -------------------------------------------------------------------------------


def _released_correction(staff, org, *, release=True):
    """A correction subject through the correction line's own service and steps (reached
    through the registry: a line never imports another)."""
    register = registry.case_type("correction").api.register
    eff = today() - timedelta(days=400)
    case = register(
        staff,
        owner_org=org,
        parties=[{"role": "subject", "name": "吴某", "id_number": "110101198505120029", "phone": "13900000009", "address": "测试区A街道9号"}],
        category="probation",
        decision_org_name="测试区人民法院",
        effective_on=eff,
        crime="危险驾驶罪",
        sentence="拘役四个月，缓刑一年",
        term_start=eff,
        term_end=today() - timedelta(days=5),
        opened_on=eff,
    )
    transition(staff, case, "report", data={"way": "self", "identity_checked": True}, on=eff + timedelta(days=2))
    transition(staff, case, "declare", data={"place": "司法所", "attendees": "司法所、家属"}, on=eff + timedelta(days=2))
    transition(staff, case, "sanction", data={"kind": "admonish", "facts": "秘密违规事实甲"}, on=eff + timedelta(days=30))
    if release:
        transition(
            staff,
            case,
            "summarize",
            data={"personal_summary": "认罪悔罪", "appraisal": "矫正期间表现良好", "resettlement_advice": "建议帮助就业"},
            on=today() - timedelta(days=20),
        )
        transition(
            staff,
            case,
            "release",
            data={"kind": "expiry", "notified_court": True, "notified_procuratorate": True, "notified_police": True},
            on=today() - timedelta(days=5),
        )
    return Case.objects.get(pk=case.pk)


def test_a_released_correction_subject_arrives_handed_over_and_linked(users, orgs, client_for):
    source = _released_correction(users.staff, orgs.office_a)
    target = movement.hand_over(users.staff, source, "from_correction", owner_org=orgs.office_a)
    rec = target.record
    assert target.case_type == "resettlement" and target.status == Status.ASSISTING and target.owner_org == orgs.office_a
    assert rec.origin == Origin.CORRECTION and rec.released_on == today() - timedelta(days=5) == rec.handed_over_on and rec.seamless
    assert rec.crime == "危险驾驶罪" and rec.sentence_start == source.record.term_start and rec.sentence_end == source.record.term_end
    assert "矫正期间表现良好" in rec.correction_summary and "建议帮助就业" in rec.correction_summary
    person = target.parties.get()
    assert (person.name, person.id_number, person.gender) == ("吴某", "110101198505120029", "F")
    assert rec.period_ends_on == calendar.add_months(rec.released_on, 12 * conf.period_years("correction"))
    assert not Deadline.objects.filter(case=target, key__in=("verify", "report")).exists()
    # Linked both ways; the sanction stays in correction.
    assert CaseLink.objects.filter(source=source, target=target, kind="from_correction").exists()
    assert source.code in {x["code"] for x in movement.links_of(users.staff, target)}
    assert target.code in {x["code"] for x in movement.links_of(users.staff, source)}
    text = str(vars(rec)) + "".join(target.events.values_list("label", flat=True)) + str(list(target.events.values_list("data", flat=True)))
    assert "秘密违规事实甲" not in text and "训诫" not in text
    page = client_for(users.staff).get(reverse("cases:detail", args=[target.pk])).content.decode()
    assert "矫正期间表现良好" in page and "秘密违规事实甲" not in page and source.code in page
    with pytest.raises(Conflict):
        movement.hand_over(users.staff, Case.objects.get(pk=source.pk), "from_correction", owner_org=orgs.office_a)


def test_a_correction_subject_not_released_is_refused_and_not_offered(users, orgs, client_for):
    source = _released_correction(users.staff, orgs.office_a, release=False)
    before = (Case.all_objects.count(), CaseLink.objects.count(), source.events.count())
    with pytest.raises(Refused, match="尚未解除矫正"):
        movement.hand_over(users.staff, source, "from_correction", owner_org=orgs.office_a)
    assert (Case.all_objects.count(), CaseLink.objects.count(), source.events.count()) == before
    page = client_for(users.staff).get(reverse("cases:detail", args=[source.pk])).content.decode()
    assert reverse("cases:handover", args=[source.pk, "from_correction"]) not in page
    r = client_for(users.staff).post(
        reverse("api:cases-handover", args=[source.pk, "from_correction"]), {"owner_org": orgs.office_a.pk}, content_type="application/json"
    )
    assert r.status_code == 400 and "解除" in r.json()["detail"]
