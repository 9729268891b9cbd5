"""Writes of the hand-filled indicators (填报), each checked, in one transaction and
audited: defining an indicator, opening a round, saving and submitting a figure,
and the review (退回, 锁定, 解锁). The states and who moves a filing between them
are the table ``MOVES``. A refusal raises a ``DomainError`` naming the field,
changes nothing, and is audited as refused."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.utils import timezone

from sifa.audit.services import record, refused
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.kit import registry
from sifa.kit.kpis import THEME_LABELS
from sifa.stats.periods import Period

from . import selectors, spans
from .choices import Level, PeriodKind, Status
from .models import Filing, Indicator, Round

# A filing's moves: name -> (states it may start from, state it ends in, who: "filler" | "reviewer").
MOVES = {
    "save": ((Status.PENDING, Status.RETURNED), None, "filler"),
    "submit": ((Status.PENDING, Status.RETURNED), Status.SUBMITTED, "filler"),
    "return": ((Status.SUBMITTED,), Status.RETURNED, "reviewer"),
    "lock": ((Status.SUBMITTED,), Status.LOCKED, "reviewer"),
    "unlock": ((Status.LOCKED,), Status.RETURNED, "reviewer"),
}
REFUSED_MOVE = {
    Status.SUBMITTED: "该填报已上报，等待审核，不能修改。",
    Status.LOCKED: "该填报已锁定（审核通过），不能修改；如需更正，请统计管理员先解锁。",
    Status.PENDING: "该填报尚未上报。",
    Status.RETURNED: "该填报已退回，等待重新上报。",
}
INDICATOR_FIELDS = ("key", "name", "unit", "period_kind", "level", "definition", "theme", "kpi_key", "live_from", "due_days", "is_active")
MAX_VALUE = Decimal("1e12")


@contextmanager
def _audited(action: str, actor, **detail):
    """Run a write; a refusal is audited (outside the rolled-back transaction) and re-raised."""
    try:
        yield
    except DomainError as exc:
        refused(action, actor=actor, reason=exc.message, detail=detail)
        raise


def _version(obj, expected) -> None:
    if expected not in (None, "") and str(expected) != str(obj.version):
        raise Conflict()


# --- indicators ------------------------------------------------------------------------------------------


def _clean_indicator(values: dict) -> dict:
    v = {k: values.get(k) for k in INDICATOR_FIELDS}
    for name in ("key", "name", "unit", "definition", "theme", "kpi_key"):
        v[name] = (v[name] or "").strip()
    if not v["name"]:
        raise Refused("请填写名称。", field="name")
    if len(v["name"]) > 60:
        raise Refused("名称不能超过60个字。", field="name")
    if not v["unit"] or len(v["unit"]) > 8:
        raise Refused("请填写单位（不超过8个字）。", field="unit")
    if v["period_kind"] not in PeriodKind.values:
        raise Refused("请选择填报周期。", field="period_kind")
    if v["level"] not in Level.values:
        raise Refused("请选择填报层级。", field="level")
    if not v["definition"]:
        raise Refused("请填写统计口径。", field="definition")
    if v["theme"] not in THEME_LABELS:
        raise Refused("请选择报告章节。", field="theme")
    if v["key"] and not (len(v["key"]) <= 40 and all(c.isascii() and (c.isalnum() or c in "-_") for c in v["key"])):
        raise Refused("指标代码只能由英文字母、数字、连字符和下划线组成（不超过40个字符）。", field="key")
    if v["kpi_key"]:
        if registry.find_kpi(v["kpi_key"]) is None:
            raise Refused("对应平台指标不存在。", field="kpi_key")
        if not isinstance(v["live_from"], date):
            raise Refused("对应平台指标时，请填写平台上线日期。", field="live_from")
    else:
        v["live_from"] = None
    try:
        v["due_days"] = int(v["due_days"])
    except (TypeError, ValueError):
        raise Refused("填报截止天数应为0至90之间的整数。", field="due_days") from None
    if not 0 <= v["due_days"] <= 90:
        raise Refused("填报截止天数应为0至90之间的整数。", field="due_days")
    v["is_active"] = bool(v["is_active"])
    return v


def _check_unique(bureau, v: dict, exclude_pk=None) -> None:
    qs = Indicator.objects.filter(bureau=bureau).exclude(pk=exclude_pk)
    if qs.filter(name=v["name"]).exists():
        raise Refused(f"本局已有名为“{v['name']}”的填报指标。", field="name")
    if v["key"] and qs.filter(key=v["key"]).exists():
        raise Refused(f"指标代码“{v['key']}”已被使用。", field="key")
    if v["kpi_key"] and qs.filter(kpi_key=v["kpi_key"]).exists():
        raise Refused("本局已有指标对应该平台指标。", field="kpi_key")


def _bureau_of_manager(actor):
    bureau = selectors.managed_bureau(actor)
    if bureau is None:
        raise PermissionRefused("只有统计管理员可以管理填报指标。")
    return bureau


def create_indicator(actor, values: dict) -> Indicator:
    with _audited("filings.indicator_create", actor, name=str(values.get("name") or "")[:60]):
        bureau = _bureau_of_manager(actor)
        v = _clean_indicator(values)
        try:
            with transaction.atomic():
                _check_unique(bureau, v)
                key = v.pop("key")
                # An empty code becomes "tb<id>"; the placeholder keeps the unique constraint meanwhile.
                ind = Indicator.objects.create(bureau=bureau, created_by=actor, key=key or f"new-{uuid4().hex[:20]}", **v)
                if not key:
                    ind.key = f"tb{ind.pk}"
                    ind.save(update_fields=["key"])
                record(
                    "filings.indicator_create",
                    actor=actor,
                    obj=ind,
                    detail={"key": ind.key, "name": ind.name, "period_kind": ind.period_kind, "level": ind.level},
                )
        except IntegrityError:
            # Someone saved the same name or code a moment earlier (the check above raced).
            raise Refused("本局已有同名或同代码的填报指标，请刷新后重试。", field="name") from None
    return ind


def update_indicator(actor, pk, values: dict, *, expected_version=None) -> Indicator:
    with _audited("filings.indicator_update", actor, indicator=str(pk)):
        _bureau_of_manager(actor)
        selectors.access_indicator(actor, pk)  # a 404 outside the transaction keeps its audit entry
        with transaction.atomic():
            ind = selectors.access_indicator(actor, pk, for_update=True)
            _version(ind, expected_version)
            v = _clean_indicator(values)
            v["key"] = v["key"] or ind.key
            _check_unique(ind.bureau, v, exclude_pk=ind.pk)
            if ind.rounds.exists():
                # Rounds already opened were made for this period and these organisations.
                for name in ("period_kind", "level"):
                    if v[name] != getattr(ind, name):
                        raise Refused(f"已开启填报轮次的指标不能修改{Indicator._meta.get_field(name).verbose_name}。", field=name)
            changed = sorted(k for k, value in v.items() if getattr(ind, k) != value)
            for k, value in v.items():
                setattr(ind, k, value)
            ind.version += 1
            try:
                with transaction.atomic():
                    ind.save()
            except IntegrityError:
                raise Refused("本局已有同名或同代码的填报指标，请刷新后重试。", field="name") from None
            record("filings.indicator_update", actor=actor, obj=ind, detail={"fields": changed})
    return ind


# --- rounds ----------------------------------------------------------------------------------------------


def open_round(actor, indicator_pk, period: Period) -> tuple[Round, int]:
    """The round of ``period`` and one filing per organisation that fills it; opening
    it again adds only the organisations that have none yet (a new office). Returns
    the round and how many filings were created."""
    with _audited("filings.round_open", actor, indicator=str(indicator_pk), period=period.label):
        _bureau_of_manager(actor)
        selectors.access_indicator(actor, indicator_pk)
        with transaction.atomic():
            # Locking the indicator serialises two administrators opening the same round.
            ind = selectors.access_indicator(actor, indicator_pk, for_update=True)
            if period.kind != ind.period_kind or spans.of(period.kind, period.start.year, spans.part_of(period)) != period:
                raise Refused(f"该指标按{ind.get_period_kind_display()}填报，请选择{ind.get_period_kind_display()}期间。", field="part")
            if period.start > timezone.localdate():
                raise Refused("不能为尚未开始的期间开启填报。", field="year")
            orgs = list(selectors.target_orgs(ind))
            if not orgs:
                raise Refused("没有需要填报该指标的单位。")
            if not ind.is_active:
                raise Refused("该指标已停用，不能开启填报轮次。")
            rnd, made_round = Round.objects.get_or_create(
                indicator=ind, start=period.start, defaults={"end": period.end, "label": period.label, "opened_by": actor}
            )
            have = set(rnd.filings.values_list("org_id", flat=True))
            due = period.end + timedelta(days=ind.due_days)
            new = [Filing(round=rnd, org=o, due_on=due) for o in orgs if o.pk not in have]
            Filing.objects.bulk_create(new)
            if made_round or new:
                record("filings.round_open", actor=actor, obj=rnd, detail={"indicator": ind.key, "period": period.label, "filings": len(new)})
    return rnd, len(new)


# --- filling and review ----------------------------------------------------------------------------------


def parse_value(raw, indicator: Indicator) -> Decimal | None:
    """A typed figure: empty is None (a draft may leave it), else a non-negative number
    with at most two decimals (whole for counts); anything else names the field."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    unit = indicator.unit
    bad = Refused(f"填报数值应为不小于0的数字（单位：{unit}）。", field="value")
    if isinstance(raw, bool):
        raise bad
    try:
        value = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise bad from None
    if not value.is_finite() or value < 0:
        raise bad
    if value >= MAX_VALUE:
        raise Refused("填报数值过大，请核对。", field="value")
    if indicator.whole and value != value.to_integral_value():
        raise Refused(f"填报数值应为整数（单位：{unit}）。", field="value")
    if value != value.quantize(Decimal("0.01")):
        raise Refused("填报数值最多保留两位小数。", field="value")
    return value.quantize(Decimal("0.01"))


def _check_move(filing: Filing, move: str) -> None:
    sources, _target, _who = MOVES[move]
    if filing.status not in sources:
        raise Refused(REFUSED_MOVE[filing.status])


def save_filing(actor, pk, *, value, note: str = "", submit: bool = False, expected_version=None) -> Filing:
    """Save the figure and note as a draft, or (``submit``) save and submit it (上报)."""
    move = "submit" if submit else "save"
    with _audited(f"filings.{move}", actor, filing=str(pk)):
        selectors.access_own_filing(actor, pk)
        with transaction.atomic():
            filing = selectors.access_own_filing(actor, pk, for_update=True)
            _check_move(filing, move)
            _version(filing, expected_version)
            indicator = filing.round.indicator
            number = parse_value(value, indicator)
            note = (note or "").strip()
            if len(note) > 500:
                raise Refused("填报说明不能超过500个字。", field="note")
            if submit and number is None:
                raise Refused("上报前请填写填报数值。", field="value")
            now = timezone.now()
            before = filing.value
            filing.value, filing.note, filing.filled_by, filing.filled_at = number, note, actor, now
            if submit:
                filing.status, filing.submitted_at = Status.SUBMITTED, now
            filing.version += 1
            filing.save()
            record(
                f"filings.{move}",
                actor=actor,
                obj=filing,
                detail={"indicator": indicator.key, "period": filing.round.label, "org": filing.org.name, "value": number, "before": before},
            )
    return filing


def _review(actor, pk, move: str, reason: str = "", expected_version=None) -> Filing:
    reason = (reason or "").strip()
    with _audited(f"filings.{move}", actor, filing=str(pk)):
        _bureau_of_manager(actor)
        selectors.access_review_filing(actor, pk)
        with transaction.atomic():
            filing = selectors.access_review_filing(actor, pk, for_update=True)
            _check_move(filing, move)
            _version(filing, expected_version)
            if move in ("return", "unlock"):
                if not reason:
                    raise Refused(f"请填写{'退回' if move == 'return' else '解锁'}原因。", field="reason")
                if len(reason) > 200:
                    raise Refused("原因不能超过200个字。", field="reason")
            filing.status = MOVES[move][1]
            filing.reviewed_by, filing.reviewed_at = actor, timezone.now()
            filing.return_reason = reason if move in ("return", "unlock") else ""
            filing.version += 1
            filing.save()
            detail = {"indicator": filing.round.indicator.key, "period": filing.round.label, "org": filing.org.name, "value": filing.value}
            record(f"filings.{move}", actor=actor, obj=filing, detail=detail | ({"reason": reason} if reason else {}))
    return filing


def return_filing(actor, pk, reason: str, *, expected_version=None) -> Filing:
    return _review(actor, pk, "return", reason, expected_version)


def lock_filing(actor, pk, *, expected_version=None) -> Filing:
    return _review(actor, pk, "lock", expected_version=expected_version)


def unlock_filing(actor, pk, reason: str, *, expected_version=None) -> Filing:
    """Back to its organisation for a correction (已退回), with the reason."""
    return _review(actor, pk, "unlock", reason, expected_version)
