"""值班律师排班 (法律援助法 §14: 法律援助机构可以在人民法院、人民检察院和看守所等场所派驻值班律师;
§30: 值班律师提供法律咨询、程序选择建议 …): the centre's roster, a shift per workstation,
day and duty lawyer. Those who may register legal-aid cases for a centre manage its
roster (排班、复制上周排班、删除); the line's other users read their bureau's; a
lawyer reads their own shifts. The helps a duty lawyer logs (``DutyHelp``) are
apart and never changed here.

Every write is audited; a refusal raises ``DomainError`` (naming the field) and
changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record
from sifa.cases import selectors as case_selectors
from sifa.common.errors import PermissionRefused, Refused
from sifa.orgs.models import Org
from sifa.orgs.selectors import bureau_of

from ..choices import CASE_TYPE, CENTER, ProviderKind, Station
from ..models import DutyShift, Provider

# How far ahead a shift may be arranged.
AHEAD_DAYS = 366


def week_of(on: date) -> date:
    """The Monday of ``on``'s week."""
    return on - timedelta(days=on.weekday())


def managed_centers(user) -> QuerySet[Org]:
    """The centres whose roster ``user`` arranges: those they may register legal-aid cases for."""
    if not has_cap(user, HANDLE):
        return Org.objects.none()
    return case_selectors.creatable_orgs(user, CASE_TYPE).filter(kind=CENTER)


def may_manage(user, center) -> bool:
    return center is not None and managed_centers(user).filter(pk=center.pk).exists()


def duty_lawyers(center) -> QuerySet[Provider]:
    """The lawyers of the centre's registry who may be put on duty: its bureau's active lawyers."""
    bureau = bureau_of(center)
    return Provider.objects.filter(is_active=True, kind=ProviderKind.LAWYER, org_path__startswith=bureau.path).order_by("name", "id")


def visible_shifts(user) -> QuerySet[DutyShift]:
    """The shifts ``user`` may read: a lawyer their own; the line's other users their
    bureau's and those of the centres they arrange (nothing for those outside the line)."""
    if not case_selectors.uses(user, CASE_TYPE) or user.org_id is None:
        return DutyShift.objects.none()
    if user.role == "lawyer":
        return DutyShift.objects.filter(provider__user=user)
    q = Q(org_path__startswith=bureau_of(user.org).path)
    managed = list(managed_centers(user).values_list("pk", flat=True))
    if managed:
        q |= Q(center__in=managed)
    return DutyShift.objects.filter(q)


def _check(center, station: str, station_name: str, on, provider) -> str:
    if station not in Station.values:
        raise Refused("工作站：请选择人民法院、人民检察院或看守所。", field="station")
    name = (station_name or "").strip()
    if not name:
        raise Refused("工作站名称：请填写派驻的法院、检察院或看守所名称。", field="station_name")
    if len(name) > 100:
        raise Refused("工作站名称：不能超过100个字。", field="station_name")
    if not isinstance(on, date):
        raise Refused("值班日期：请填写值班日期。", field="on")
    if on > timezone.localdate() + timedelta(days=AHEAD_DAYS):
        raise Refused("值班日期：最多只能排一年以内的班。", field="on")
    if provider is None or not duty_lawyers(center).filter(pk=provider.pk).exists():
        raise Refused("值班律师：请选择本中心人员库中在库的律师。", field="provider")
    return name


def _exists(center, station, name, on, provider) -> bool:
    return DutyShift.objects.filter(center=center, station=station, station_name=name, on=on, provider=provider).exists()


def add_shift(actor, center, *, station: str, station_name: str, on: date, provider: Provider, note: str = "") -> DutyShift:
    """排班: one duty lawyer at one workstation on one day."""
    if not may_manage(actor, center):
        raise PermissionRefused("您不能为该法律援助机构排班。")
    name = _check(center, station, station_name, on, provider)
    duplicate = Refused(f"值班律师：{provider.name}已排在{on:%Y-%m-%d}{Station(station).label}（{name}）值班，不重复排班。", field="provider")
    if _exists(center, station, name, on, provider):
        raise duplicate
    try:
        with transaction.atomic():
            shift = DutyShift.objects.create(
                center=center,
                org_path=center.path,
                station=station,
                station_name=name,
                on=on,
                provider=provider,
                note=(note or "").strip()[:200],
                created_by=actor,
            )
            record("legal_aid.shift_add", actor=actor, obj=shift, detail=_facts(shift))
    except IntegrityError as exc:  # the same shift entered at the same moment
        raise duplicate from exc
    return shift


def copy_week(actor, week: date) -> tuple[int, int]:
    """复制上周排班: the shifts of the week before ``week`` (any day of the target week)
    moved seven days on, for every centre ``actor`` arranges; those already on the
    roster, and those whose lawyer has left the registry, are skipped.
    Returns (copied, skipped)."""
    centers = list(managed_centers(actor))
    if not centers:
        raise PermissionRefused("您不能为法律援助机构排班。")
    start = week_of(week)
    if start > timezone.localdate() + timedelta(days=AHEAD_DAYS):
        raise Refused("周次：最多只能排一年以内的班。", field="week")
    copied = skipped = 0
    with transaction.atomic():
        for center in centers:
            lawyers = set(duty_lawyers(center).values_list("pk", flat=True))
            weeks = DutyShift.objects.filter(center=center, on__gte=start - timedelta(days=7), on__lt=start + timedelta(days=7))
            on_roster = set(weeks.filter(on__gte=start).values_list("station", "station_name", "on", "provider_id"))
            made = 0
            for s in weeks.filter(on__lt=start).select_related("provider").order_by("on", "station", "station_name", "id"):
                on = s.on + timedelta(days=7)
                if s.provider_id not in lawyers or (s.station, s.station_name, on, s.provider_id) in on_roster:
                    skipped += 1
                    continue
                try:
                    with transaction.atomic():
                        DutyShift.objects.create(
                            center=center,
                            org_path=center.path,
                            station=s.station,
                            station_name=s.station_name,
                            on=on,
                            provider=s.provider,
                            note=s.note,
                            created_by=actor,
                        )
                except IntegrityError:  # entered by someone else meanwhile
                    skipped += 1
                    continue
                made += 1
            if made:
                record("legal_aid.shift_copy", actor=actor, obj=center, detail={"center": center.name, "week": start.isoformat(), "copied": made})
            copied += made
    return copied, skipped


def remove_shift(actor, shift: DutyShift) -> None:
    """删除排班 (the helps the lawyer logged stay as they are)."""
    if not may_manage(actor, shift.center):
        raise PermissionRefused("您不能删除该法律援助机构的排班。")
    with transaction.atomic():
        facts = _facts(shift)
        record("legal_aid.shift_remove", actor=actor, obj=shift, detail=facts)
        shift.delete()


def _facts(shift: DutyShift) -> dict:
    return {
        "center": shift.center.name,
        "station": shift.get_station_display(),
        "station_name": shift.station_name,
        "on": shift.on.isoformat(),
        "provider": shift.provider.name,
    }
