"""Writes of 安置帮教 that are not steps: registering a person from the prison's
notice (预释放, 待释放), and the hand-over from community correction (转安置帮教),
each one case through the kernel's ``create_case`` (code, the person as the
case's party — ID number, phone and 户籍地 encrypted —, timeline, clocks and
the line's record in one transaction); and what several steps share: the
report's last day, whether a hand-over was seamless, the period's end, a
contact fulfilling the grade's duty."""

from __future__ import annotations

from datetime import date

from sifa.cases import services as case_services
from sifa.cases.services import today
from sifa.common import identity
from sifa.common.errors import DomainError

from . import conf
from .choices import CASE_TYPE, HandoverWay, Origin, Status
from .models import Releasee

# The correction case's state and outcome when the person was released at the end of the
# term (社区矫正法 §44). A line never imports another: the kernel's case row says it.
CORRECTION_RELEASED = "released"


def report_due(released_on: date) -> date:
    """The last day to report (衔接) as the report clock counts it: ``conf.report_days()``
    days after release, a rest day moving it to the next working day."""
    from sifa.deadlines.calendar import compute_due

    return compute_due(released_on, conf.report_days(), "day").due


def is_seamless(released_on: date, on: date, way: str) -> bool:
    """无缝衔接: collected at the gate, handed on by correction, or reported in time."""
    return way in (HandoverWay.COLLECTED, HandoverWay.TRANSFERRED) or on <= report_due(released_on)


def period_end(released_on: date, origin: str) -> date:
    from sifa.deadlines.calendar import add_months

    return add_months(released_on, 12 * conf.period_years(origin))


def release_day(rec: Releasee) -> date | None:
    """The day the person was (or is to be) released: the actual one once known."""
    return rec.released_on or rec.expected_release_on


def _clean_dates(*, notice_on, expected_release_on, released_on, sentence_start, sentence_end, opened_on) -> None:
    now = today()
    if notice_on and notice_on > now:
        raise DomainError("收到释放通知日期不能晚于今天。", field="notice_on")
    if released_on and released_on > now:
        raise DomainError("释放日期不能晚于今天；尚未释放的请填写预计释放日期。", field="released_on")
    if sentence_start and sentence_end and sentence_end < sentence_start:
        raise DomainError("刑期止日不能早于刑期起日。", field="sentence_end")
    if opened_on and opened_on > now:
        raise DomainError("登记日期不能晚于今天。", field="opened_on")
    if not (expected_release_on or released_on):
        raise DomainError("请填写预计释放日期（已释放的填写释放日期）。", field="expected_release_on")


def register(
    actor,
    *,
    owner_org,
    name,
    id_number="",
    phone="",
    household="",
    origin="prison",
    institution,
    crime,
    sentence="",
    sentence_start=None,
    sentence_end=None,
    notice_on=None,
    expected_release_on=None,
    released_on=None,
    key_person=False,
    residence="",
    opened_on=None,
    correction_summary="",
    check_access=True,
):
    """预释放登记: a person the prison (看守所) notified, about a month before release, is
    registered 待释放 under the office of their 户籍地. The office then verifies where they
    live (摸排) within ``conf.verify_workdays()`` working days, and the person is to report
    within ``conf.report_days()`` days of release (their duty)."""
    if origin not in Origin.values:
        raise DomainError("请选择来源。", field="origin")
    return _create(
        actor,
        owner_org=owner_org,
        name=name,
        id_number=id_number,
        phone=phone,
        household=household,
        origin=origin,
        institution=institution,
        crime=crime,
        sentence=sentence,
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        notice_on=notice_on,
        expected_release_on=expected_release_on,
        released_on=released_on,
        key_person=key_person,
        residence=residence,
        opened_on=opened_on,
        correction_summary=correction_summary,
        check_access=check_access,
    )


def _create(
    actor,
    *,
    owner_org,
    name,
    id_number,
    phone,
    household,
    origin,
    institution,
    crime,
    sentence,
    sentence_start,
    sentence_end,
    notice_on,
    expected_release_on,
    released_on,
    key_person,
    residence,
    opened_on,
    correction_summary,
    check_access,
    handover_way: str = "",
    event_label: str = "预释放登记",
):
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写姓名。", field="name")
    if not (institution or "").strip():
        raise DomainError("请填写释放单位（监狱、看守所或社区矫正机构）。", field="institution")
    if not (crime or "").strip():
        raise DomainError("请填写罪名。", field="crime")
    id_number = (id_number or "").strip()
    gender = ""
    if id_number:
        try:
            id_number = identity.normalize_id_number(id_number)
        except DomainError as exc:
            raise DomainError(f"身份证号码：{exc.message}", field="id_number") from None
        gender = identity.id_gender(id_number)
    phone = (phone or "").strip()
    if phone:
        try:
            phone = identity.normalize_phone(phone)
        except DomainError as exc:
            raise DomainError(f"联系电话：{exc.message}", field="phone") from None
    _clean_dates(
        notice_on=notice_on,
        expected_release_on=expected_release_on,
        released_on=released_on,
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        opened_on=opened_on,
    )
    opened_on = opened_on or notice_on or today()
    person = {"role": "releasee", "name": name, "phone": phone, "address": (household or "").strip(), "gender": gender}
    if id_number:
        person |= {"id_number": id_number, "id_type": "resident_id"}
    handed_over = handover_way != ""
    release = released_on or expected_release_on

    def on_created(case):
        return Releasee.objects.create(
            case=case,
            origin=origin,
            institution=institution.strip()[:100],
            notice_on=notice_on,
            expected_release_on=expected_release_on,
            released_on=released_on,
            gender=gender,
            crime=crime.strip(),
            sentence=(sentence or "").strip(),
            sentence_start=sentence_start,
            sentence_end=sentence_end,
            key_person=bool(key_person),
            residence=(residence or "").strip(),
            correction_summary=(correction_summary or "").strip(),
            handed_over_on=release if handed_over else None,
            handover_way=handover_way,
            seamless=handed_over,
            period_ends_on=period_end(release, origin) if handed_over else None,
        )

    return case_services.create_case(
        actor,
        case_type=CASE_TYPE,
        owner_org=owner_org,
        title=f"{name}（{Origin(origin).label}）",
        opened_on=opened_on,
        parties=[person],
        status=Status.ASSISTING if handed_over else Status.PENDING,
        on_created=on_created,
        event_label=event_label,
        check_access=check_access,
    )


# --- from community correction (kit.casework.HandOver "from_correction") ------------------------------


def correction_ready(source) -> str | None:
    """Only a person released at the end of the correction term arrives here; a revoked
    probation or parole goes to prison, and a running one is still correction's."""
    if source.status != CORRECTION_RELEASED or source.closed_on is None:
        return "只有已解除社区矫正的对象才能转安置帮教；该对象尚未解除矫正（或已终止矫正）。"
    return None


def carry_from_correction(source, actor) -> dict:
    """What arrives from the correction file: identity, term, offence and the file's
    appraisal (期满鉴定 and the advice for resettlement). Never its sanctions, approvals
    or supervision records: they stay under correction's own access. (``movement.hand_over``
    has refused a source that is not ``ready`` before it asks for this.)"""
    rec = source.record
    person = source.parties.order_by("sort_order", "id").first()
    summary = "\n".join(
        x
        for x in (
            f"个人总结：{rec.personal_summary}" if getattr(rec, "personal_summary", "") else "",
            f"司法所鉴定：{rec.appraisal}" if getattr(rec, "appraisal", "") else "",
            f"安置帮教建议：{rec.resettlement_advice}" if getattr(rec, "resettlement_advice", "") else "",
        )
        if x
    )
    return {
        "name": person.name if person else source.title,
        "id_number": (person.id_number or "") if person else "",
        "phone": (person.phone or "") if person else "",
        "household": (person.address or "") if person else "",
        "institution": f"{source.owner_org.name}（社区矫正 {source.code}）",
        "crime": rec.crime,
        "sentence": rec.sentence or "",
        "sentence_start": rec.term_start,
        "sentence_end": rec.term_end,
        "released_on": rec.ended_on or source.closed_on,
        "correction_summary": summary,
    }


def register_from_correction(actor, *, owner_org, released_on, intake=False, **carried):
    """The correction subject, released, arrives already handed over on the release day:
    帮教中 at once, origin 解除社区矫正, the period running from the release."""
    return _create(
        actor,
        owner_org=owner_org,
        origin=Origin.CORRECTION,
        notice_on=None,
        expected_release_on=None,
        released_on=released_on,
        key_person=False,
        residence="",
        opened_on=min(released_on, today()) if released_on else None,
        check_access=True,
        handover_way=HandoverWay.TRANSFERRED,
        event_label="解除社区矫正，转入安置帮教",
        **{k: carried.get(k, "") for k in ("name", "id_number", "phone", "household", "institution", "crime", "sentence", "correction_summary")},
        sentence_start=carried.get("sentence_start"),
        sentence_end=carried.get("sentence_end"),
    )


# --- what several steps share --------------------------------------------------------------------------


def note_contact(rec: Releasee, on: date) -> None:
    if rec.last_contact_on is None or on > rec.last_contact_on:
        rec.put(last_contact_on=on)


def fulfil_contact(case, on: date) -> list[str]:
    """A visit, talk or call recorded on ``on`` fulfils the grade's open contact occurrence
    whose period holds it. Returns the labels done."""
    from sifa.deadlines import duties
    from sifa.deadlines.models import Deadline

    from .workflow import CONTACT_DUTIES

    done = []
    open_ = Deadline.objects.filter(
        case=case, duty__in=[d.key for d in CONTACT_DUTIES], completed_on__isnull=True, cancelled=False, start_date__lt=on, due_date__gte=on
    )
    for dl in open_:
        duties.complete(dl, on)
        done.append(dl.label)
    return done


def sample(actor, org):
    """A minimal case, for the kit's contract tests (``CaseType.sample``)."""
    on = today()
    return register(
        actor,
        owner_org=org,
        name="样例甲",
        id_number="110101199003071233",
        phone="13800000001",
        household="演示区样例路1号",
        institution="演示省第一监狱",
        crime="盗窃罪",
        sentence="有期徒刑三年",
        notice_on=on,
        expected_release_on=on,
    )
