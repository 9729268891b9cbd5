"""刑满释放人员台账: one declaration for the import template, the import and the
export of the line's list. It takes two kinds of sheet, with the same columns:

* the monthly **预释放名单** the city distributes (姓名, 性别, 身份证号, 户籍地, 释放单位,
  罪名, 刑期, 刑期起止, 预计释放日期, 是否重点帮教对象, 承办司法所): each row a person
  待释放;
* a **historical register** (the same, plus 释放日期, 衔接日期, 衔接方式, 风险等级,
  安置情况, 帮教协议签订日期, 结束日期 and 结束方式): each row where the steps would
  have left the person — 已解除 once ended, 帮教中 once handed over, 未衔接 when
  released and not handed over, else 待释放.

Whether a hand-over was 无缝衔接 is decided as the 衔接 step decides it (collected at the
gate, or reported within the set days of release: ``services.is_seamless``), so an
imported register counts in 衔接率 exactly like a worked one. The offence and the
sentence (encrypted at rest) are written only in an export that reveals personal
data (audited); the ID number, phone and 户籍地 are masked otherwise."""

from __future__ import annotations

from datetime import date

from sifa.kit import columns as col
from sifa.kit.ledger import CellInvalid, Column, Draft, ExportRow, ImportContext, ImportRow, Ledger

from . import conf
from .choices import CASE_TYPE, EndKind, HandoverWay, Origin, Placement, Status
from .models import Assessment, Releasee
from .services import is_seamless, period_end

ROLE = "releasee"
HIDDEN = "（不显示）"
GENDERS = {"M": "男", "F": "女"}


def _secret(attr: str):
    """An encrypted field of the record: in full only when the export reveals personal data."""

    def get(r: ExportRow):
        if r.record is None:
            return ""
        return getattr(r.record, attr, "") if r.reveal else HIDDEN

    return get


def _person() -> tuple[Column, ...]:
    """姓名, 性别, 身份证号, 联系电话, 户籍地: the case's party (ID number, phone, address encrypted)."""

    def raw(value, ctx):
        return col.as_text(value)

    def raw_id(value, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e14:
            raise CellInvalid("身份证号被 Excel 当作数字保存，末几位已丢失；请将该列设为“文本”后重新填写。")
        return col.as_text(value).upper()

    def gender(value, ctx):
        return col.parse_choice(value, GENDERS)

    def names(r: ExportRow):
        return "、".join(p.name for p in r.parties_in(ROLE))

    def personal(field_name):
        return lambda r: "、".join(v for v in (r.personal(p, field_name) for p in r.parties_in(ROLE)) if v)

    return (
        Column("person.name", "姓名", export=names, parse=raw, required=True, example="张三", party=(ROLE, "name"), note="刑满释放人员姓名", width=10),
        Column(
            "person.gender",
            "性别",
            export=lambda r: "、".join(GENDERS.get(p.gender, "") for p in r.parties_in(ROLE)),
            parse=gender,
            example="男",
            choices=tuple(GENDERS.values()),
            party=(ROLE, "gender"),
            note="男/女；不填的按身份证号",
            width=6,
        ),
        Column(
            "person.id_number",
            "身份证号",
            export=personal("id_number"),
            parse=raw_id,
            example="110101199003071233",
            party=(ROLE, "id_number"),
            note="居民身份证号（18位）；请设为文本格式",
            width=22,
        ),
        Column("person.phone", "联系电话", export=personal("phone"), parse=raw, example="", party=(ROLE, "phone"), note="手机或固定电话", width=15),
        Column(
            "person.address", "户籍地", export=personal("address"), parse=raw, example="演示区幸福路1号", party=(ROLE, "address"), note="户籍所在地址", width=28
        ),
    )


def _grade_labels() -> dict:
    return dict(conf.grade_choices())


COLUMNS: tuple[Column, ...] = (
    col.code(),
    *_person(),
    col.choice("origin", "来源", dict(Origin.choices), example=Origin.PRISON.label, note="从下拉列表选择；不填为监狱刑满释放"),
    col.text("institution", "释放单位", required=True, max_length=100, example="演示省第一监狱", note="监狱、看守所或社区矫正机构名称"),
    col.text("crime", "罪名", required=True, max_length=200, example="盗窃罪", export=_secret("crime"), note="文字，最多200字；加密保存"),
    col.text("sentence", "刑期", max_length=200, example="有期徒刑三年", export=_secret("sentence"), note="原判刑罚及刑期；加密保存"),
    col.date_column("sentence_start", "刑期起日", example="2021-06-01"),
    col.date_column("sentence_end", "刑期止日", example="2024-05-31", allow_future=True),
    col.date_column("expected_release_on", "预计释放日期", example="2024-05-31", allow_future=True, note="日期；预释放名单必填，已释放的可不填"),
    col.boolean("key_person", "是否重点帮教对象", example="否"),
    col.org("承办司法所"),
    col.date_column("opened_on", "登记日期", example="", note="日期；不填的以收到名单（导入）之日计，已释放的以释放日期计"),
    col.date_column("released_on", "释放日期", example="", note="日期；已释放的填写"),
    col.date_column("handed_over_on", "衔接日期", example="", note="日期；已接回或报到登记的填写"),
    col.choice("handover_way", "衔接方式", dict(HandoverWay.choices), example="", note="从下拉列表选择；已衔接的必填"),
    col.choice("grade", "风险等级", _grade_labels, example="", note="从下拉列表选择；已衔接的可填"),
    col.choice("placement", "安置情况", dict(Placement.choices), example="", note="从下拉列表选择；已安置的填写"),
    col.date_column("placed_on", "安置日期", example="", note="日期；不填的以衔接日期计"),
    col.date_column("agreement_on", "帮教协议签订日期", example="", note="日期；已成立帮教小组、签订帮教协议的填写"),
    col.date_column("ended_on", "结束日期", example="", note="日期；帮教期满解除、重新违法犯罪、死亡或迁出的填写"),
    col.choice("end_kind", "结束方式", dict(EndKind.choices), example="", note="从下拉列表选择；填写了结束日期的必填"),
    col.status(),
    col.handler("帮教负责人"),
)


# --- the state a row puts the person in ---------------------------------------------------------------


def state_of(row: ImportRow) -> str:
    if row.filled("ended_on"):
        return Status.ENDED
    if row.filled("handed_over_on"):
        return Status.ASSISTING
    if row.filled("released_on"):
        return Status.UNLINKED
    return Status.PENDING


def _id_number(row: ImportRow) -> str:
    return next((p.get("id_number") or "" for p in row.parties if p.get("role") == ROLE), "")


def _open_hashes(ctx: ImportContext) -> set:
    """The keyed hashes of the ID numbers of the bureau's people not yet released from assistance."""
    key = "resettlement:open"
    if key not in ctx.shared:
        from sifa.cases.models import Party

        qs = Party.objects.filter(role=ROLE, case__case_type=CASE_TYPE, case__is_deleted=False, case__closed_on__isnull=True)
        if ctx.bureau is not None:
            qs = qs.filter(case__org_path__startswith=ctx.bureau.path)
        ctx.shared[key] = set(qs.exclude(id_hash="").values_list("id_hash", flat=True))
    return ctx.shared[key]


def _not_twice(row: ImportRow, ctx: ImportContext) -> None:
    """A person is on the register once: not a second open row, not one already registered."""
    number = _id_number(row)
    if not number or row.filled("ended_on"):
        return
    from sifa.common.crypto import keyed_hash

    seen = ctx.shared.setdefault("resettlement:rows", {})
    if keyed_hash(number) in _open_hashes(ctx):
        row.refuse("该人员已在本局登记且帮教尚未结束，不能重复导入。", "person.id_number")
    elif seen.get(number, row.number) != row.number:
        row.refuse(f"与第{seen[number]}行是同一人员，且帮教均未结束。", "person.id_number")
    else:
        seen[number] = row.number


def check_row(row: ImportRow, ctx: ImportContext) -> None:
    """The rules across columns; every message names its column."""
    person = next((p for p in row.parties if p.get("role") == ROLE), {})
    if row.get("person.gender") and person.get("id_number"):
        from sifa.common.identity import id_gender

        if id_gender(person["id_number"]) not in ("", row["person.gender"]):
            row.refuse("性别与身份证号不符。", "person.gender")
    row.not_before("sentence_end", "sentence_start", "刑期止日早于刑期起日。")
    if not (row.filled("expected_release_on") or row.filled("released_on")):
        row.refuse("请填写预计释放日期（已释放的填写释放日期）。", "expected_release_on")
    if row.filled("released_on") and ctx.today and row["released_on"] > ctx.today:
        row.refuse("释放日期晚于今天；尚未释放的请只填写预计释放日期。", "released_on")
    row.not_before("released_on", "sentence_start", "释放日期早于刑期起日。")
    # 衔接 follows release, with its way.
    row.needs("handed_over_on", "released_on", "填写了衔接日期，须同时填写释放日期。")
    row.needs("handed_over_on", "handover_way")
    row.only_if(row.filled("handed_over_on"), ("handover_way", "grade", "placement", "placed_on", "agreement_on"), "只有已衔接的人员才填写")
    row.not_before("handed_over_on", "released_on", "衔接日期早于释放日期。")
    if row.get("handover_way") == HandoverWay.TRANSFERRED and row.get("origin", Origin.PRISON) != Origin.CORRECTION:
        row.refuse("“解除社区矫正直接衔接”只适用于来源为解除社区矫正的人员。", "handover_way")
    if row.get("handover_way") == HandoverWay.COLLECTED and row.get("origin", Origin.PRISON) == Origin.CORRECTION:
        row.refuse("“监所门口接回”只适用于监狱、看守所释放的人员。", "handover_way")
    row.needs("placed_on", "placement")
    row.not_before("placed_on", "handed_over_on", "安置日期早于衔接日期。")
    row.not_before("agreement_on", "handed_over_on", "帮教协议签订日期早于衔接日期。")
    # The end: a day and a way, after everything else.
    row.needs("ended_on", "end_kind")
    row.needs("end_kind", "ended_on")
    if row.get("end_kind") == EndKind.EXPIRED and not row.filled("handed_over_on"):
        row.refuse("帮教期满解除须已衔接：请填写衔接日期和衔接方式。", "end_kind")
    if row.filled("ended_on") and not row.filled("released_on"):
        row.refuse("填写了结束日期，须同时填写释放日期。", "released_on")
    for earlier in ("released_on", "handed_over_on", "placed_on", "agreement_on", "opened_on"):
        row.not_before("ended_on", earlier)
    _not_twice(row, ctx)


# --- import: creating the files -----------------------------------------------------------------------


def _opened(row: ImportRow, ctx: ImportContext) -> date:
    return row.get("opened_on") or row.get("released_on") or ctx.today


def draft(row: ImportRow, ctx: ImportContext) -> Draft:
    status = state_of(row)
    name = next((p["name"] for p in row.parties if p.get("role") == ROLE), "")
    origin = row.get("origin") or Origin.PRISON
    ended = status == Status.ENDED
    return Draft(
        title=f"{name}（{Origin(origin).label}）",  # as 预释放登记 names it
        owner_org=row["org"],
        opened_on=_opened(row, ctx),
        parties=row.parties,
        status=status,
        closed_on=row["ended_on"] if ended else None,
        outcome=row["end_kind"] if ended else "",
    )


def record(row: ImportRow, ctx: ImportContext) -> Releasee:
    """The record with the fields 预释放登记, 释放, 衔接, 评估, 安置 and 解除 would have written."""
    person = next((p for p in row.parties if p.get("role") == ROLE), {})
    origin = row.get("origin") or Origin.PRISON
    released, handed = row.get("released_on"), row.get("handed_over_on")
    way = row.get("handover_way") or ""
    placement = row.get("placement") or ""
    end_kind = row.get("end_kind") or ""
    unlinked = released is not None and handed is None
    return Releasee(
        origin=origin,
        institution=row["institution"].strip()[:100],
        expected_release_on=row.get("expected_release_on"),
        released_on=released,
        gender=person.get("gender", ""),
        crime=row["crime"].strip(),
        sentence=(row.get("sentence") or "").strip(),
        sentence_start=row.get("sentence_start"),
        sentence_end=row.get("sentence_end"),
        key_person=bool(row.get("key_person")),
        handed_over_on=handed,
        handover_way=way,
        seamless=bool(handed) and is_seamless(released, handed, way),
        unlinked_since=released if unlinked else None,
        grade=row.get("grade") or "",
        graded_on=handed if row.get("grade") else None,
        grade_since=handed if row.get("grade") else None,
        agreement_on=row.get("agreement_on"),
        placement=placement,
        placed_on=(row.get("placed_on") or handed) if placement else None,
        period_ends_on=period_end(released, origin) if handed else None,
        ended_on=row.get("ended_on"),
        end_kind=end_kind,
        reoffended_on=row.get("ended_on") if end_kind == EndKind.REOFFENDED else None,
    )


def children(case, row: ImportRow, rec: Releasee) -> list:
    """The grade from the register, as one assessment on the hand-over day."""
    if rec.grade and rec.graded_on:
        return [Assessment(case=case, on=rec.graded_on, grade=rec.grade, note="台账导入")]
    return []


def replay(case, row: ImportRow, rec: Releasee, children) -> list:
    """An open file's clocks: the grade starts its 6-month re-rating (``regrade``) as the
    风险评估 step does; the 帮教期 runs from "created" for one handed over."""
    return [("grade", rec.graded_on, {})] if rec.grade and rec.graded_on else []


LEDGER = Ledger(
    case_type=CASE_TYPE,
    label="刑满释放人员台账",
    columns=COLUMNS,
    check_row=check_row,
    draft=draft,
    record=record,
    children=children,
    replay=replay,
    sheet_name="刑满释放人员",
)
