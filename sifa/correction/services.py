"""Writes of 社区矫正 that are not steps: receiving a person (登记接收) and a
调查评估 entrustment, each one case through the kernel's ``create_case`` (code,
the person as the case's party with ID number, phone and address encrypted,
timeline, clocks and the line's record in one transaction); and what several
steps share: a contact on the record, and fulfilling the grade's duties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from sifa.cases import services as case_services
from sifa.cases.models import Case
from sifa.cases.services import today
from sifa.common import identity
from sifa.common.errors import DomainError

from . import conf
from .choices import ASSESSMENT, CASE_TYPE, Category, Grade
from .models import Activity, Inquiry, Subject


def _subject(parties: list[dict]) -> dict:
    people = [p for p in parties if (p.get("name") or "").strip()]
    if len(people) != 1:
        raise DomainError("请填写一位社区矫正对象。", field="name")
    person = people[0]
    if not (person.get("id_number") or "").strip():
        raise DomainError("请填写社区矫正对象的身份证号码。", field="id_number")
    person["id_number"] = identity.normalize_id_number(person["id_number"])
    person["gender"] = person.get("gender") or identity.id_gender(person["id_number"])
    return person


def is_minor(id_number: str, on: date) -> bool:
    born = identity.id_birth_date(id_number)
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age < int(conf.get("MINOR_AGE"))


def register(
    actor,
    *,
    owner_org,
    parties: list[dict],
    category: str,
    decision_org_name: str,
    effective_on: date,
    crime: str,
    term_start: date,
    term_end: date,
    opened_on: date | None = None,
    decision_organ: str = "court",
    judgment_no: str = "",
    notified_on: date | None = None,
    sentence: str = "",
    additional_penalty: str = "",
    prohibition: str = "",
    summary: str = "",
    status: str | None = None,
    handler=None,
    check_access: bool = True,
):
    """登记接收: the decision's documents are in; the person is to report within 10 days.
    A minor's case is sealed at once (§54: only the officers assigned see it)."""
    if category not in Category.values:
        raise DomainError("请选择矫正类别。", field="category")
    if not (crime or "").strip():
        raise DomainError("请填写罪名。", field="crime")
    if not (decision_org_name or "").strip():
        raise DomainError("请填写决定机关。", field="decision_org_name")
    if term_end <= term_start:
        raise DomainError("矫正期限止日应晚于起日。", field="term_end")
    person = _subject(parties)
    opened_on = opened_on or today()
    minor = is_minor(person["id_number"], effective_on)
    title = f"{person['name']}（{Category(category).label}）"

    def on_created(case):
        record = Subject.objects.create(
            case=case,
            category=category,
            decision_organ=decision_organ or "court",
            decision_org_name=decision_org_name.strip()[:100],
            judgment_no=(judgment_no or "")[:100],
            effective_on=effective_on,
            notified_on=notified_on,
            documents_on=opened_on,
            crime=crime.strip(),
            sentence=(sentence or "").strip(),
            additional_penalty=(additional_penalty or "")[:100],
            prohibition=(prohibition or "").strip(),
            term_start=term_start,
            term_end=term_end,
            is_minor=minor,
            gender=person.get("gender", ""),
        )
        if minor:
            Case.all_objects.filter(pk=case.pk).update(is_sealed=True)
            case.is_sealed = True
        return record

    return case_services.create_case(
        actor,
        case_type=CASE_TYPE,
        owner_org=owner_org,
        title=title,
        opened_on=opened_on,
        parties=[person],
        summary=summary,
        status=status,
        handler=handler,
        on_created=on_created,
        event_label="登记接收",
        check_access=check_access,
    )


def register_inquiry(
    actor,
    *,
    owner_org,
    parties: list[dict],
    entruster: str,
    entruster_name: str,
    crime: str,
    proposed_category: str,
    opened_on: date | None = None,
    letter_no: str = "",
    fast_track: bool = False,
    summary: str = "",
):
    """调查评估委托 (§18): registered on the day the letter arrives; its clock starts."""
    if proposed_category not in Category.values:
        raise DomainError("请选择拟适用矫正类别。", field="proposed_category")
    if not (entruster_name or "").strip():
        raise DomainError("请填写委托单位。", field="entruster_name")
    person = _subject(parties)
    person["role"] = "assessed"
    minor = is_minor(person["id_number"], opened_on or today())

    def on_created(case):
        record = Inquiry.objects.create(
            case=case,
            entruster=entruster,
            entruster_name=entruster_name.strip()[:100],
            letter_no=(letter_no or "")[:100],
            fast_track=bool(fast_track),
            crime=(crime or "").strip(),
            proposed_category=proposed_category,
        )
        if minor:
            Case.all_objects.filter(pk=case.pk).update(is_sealed=True)
            case.is_sealed = True
        return record

    return case_services.create_case(
        actor,
        case_type=ASSESSMENT,
        owner_org=owner_org,
        title=f"{person['name']}调查评估",
        opened_on=opened_on,
        parties=[person],
        summary=summary,
        on_created=on_created,
        event_label="登记调查评估委托",
    )


# 社区矫正法 §21: report (or be transferred) within 10 days of the judgment taking effect.
REPORT_DAYS = 10


def report_due(effective_on: date) -> date:
    """The last day to report, as the 报到期限 clock counts it (a rest day moves it on)."""
    from sifa.deadlines.calendar import compute_due

    return compute_due(effective_on, REPORT_DAYS, "day").due


def report_late_days(effective_on: date, reported_on: date | None) -> int:
    return max((reported_on - report_due(effective_on)).days, 0) if reported_on else 0


def note_contact(rec: Subject, on: date) -> None:
    """The person was reached on ``on``: the lost-contact warning counts from here."""
    if rec.last_contact_on is None or on > rec.last_contact_on:
        rec.put(last_contact_on=on)


def fulfil_duties(case, rec: Subject, kind: str, on: date) -> list[str]:
    """Mark done the grade's open duty that this activity fulfils: the occurrence whose
    period holds ``on`` (a report, talk, visit), or, for hours, once the period's hours
    reach the grade's requirement. Returns the labels done."""
    from sifa.deadlines import duties
    from sifa.deadlines.models import Deadline

    from .workflow import DUTY_ACTIVITY

    keys = [k for k, act in DUTY_ACTIVITY.items() if act == kind]
    done = []
    open_ = Deadline.objects.filter(case=case, duty__in=keys, completed_on__isnull=True, cancelled=False, start_date__lt=on, due_date__gte=on)
    for dl in open_:
        if kind in ("study", "service"):
            need = conf.hours(rec.grade or Grade.STRICT, kind)
            got = Activity.objects.filter(case=case, kind=kind, on__gt=dl.start_date, on__lte=dl.due_date).aggregate(n=Sum("hours"))["n"] or Decimal(0)
            if got < need:
                continue
        duties.complete(dl, on)
        done.append(dl.label)
    return done


def sample(actor, org):
    """A minimal case, for the kit's contract tests (``CaseType.sample``)."""
    on = today()
    return register(
        actor,
        owner_org=org,
        parties=[{"role": "subject", "name": "样例甲", "id_number": "110101199003071233", "phone": "13800000001", "address": "演示区样例路1号"}],
        category=Category.PROBATION,
        decision_org_name="演示区人民法院",
        effective_on=on,
        crime="危险驾驶罪",
        sentence="拘役二个月，缓刑四个月",
        term_start=on,
        term_end=on.replace(year=on.year + 1),
        opened_on=on,
    )


def sample_inquiry(actor, org):
    return register_inquiry(
        actor,
        owner_org=org,
        parties=[{"role": "assessed", "name": "样例乙", "id_number": "110101199003071233", "address": "演示区样例路2号"}],
        entruster="court",
        entruster_name="演示区人民法院",
        crime="盗窃罪",
        proposed_category=Category.PROBATION,
    )
