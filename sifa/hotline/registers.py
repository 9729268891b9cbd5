"""The visitor register of the public legal service centres, stations and rooms
(来访登记, ``kit.register``): who came, for what matter and which service, who
served them and the outcome. A visit becomes a case of another line in one
step (the lines' ``HandOver``s list ``VISITS_KEY``)."""

from __future__ import annotations

from datetime import date

from sifa.kit import columns as col
from sifa.kit.ledger import Ledger
from sifa.kit.register import Register, entry_columns, entry_from_row

from .choices import CASE_TYPE, VISITS_KEY, Category, Point, Service
from .demo import seed_visits


def _choice_export(field):
    return lambda r: getattr(r.case, f"get_{field}_display")() if getattr(r.case, field) else ""


VISIT_LEDGER = Ledger(
    case_type=VISITS_KEY,
    label="公共法律服务来访登记台账",
    columns=(
        *entry_columns(person="来访人", summary="来访事项", result="办理结果"),
        col.choice("point", "服务场所", dict(Point.choices), required=True, export=_choice_export("point")),
        col.text("point_name", "场所名称", max_length=100, example="某街道公共法律服务工作站", export=lambda r: r.case.point_name),
        col.choice("service", "服务事项", dict(Service.choices), required=True, export=_choice_export("service")),
        col.choice("category", "法律类别", dict(Category.choices), export=_choice_export("category")),
        col.text("served_by", "接待人员", max_length=50, example="值班律师李四", export=lambda r: r.case.served_by),
    ),
    record=entry_from_row("hotline.Visit", "point", "point_name", "service", "category", "served_by"),
    entries=True,
    sheet_name="来访登记",
)


def _sample(actor, org):
    from sifa.registers.services import create_entry

    values = {"on": date.today(), "owner_org": org, "person_name": "样例", "person_phone": "13800000005", "person_id_number": "", "summary": "咨询离婚财产分割"}
    extra = {"result": "", "point": Point.CENTER, "point_name": "", "service": Service.CONSULT, "category": Category.FAMILY, "served_by": ""}
    return create_entry(actor, VISITS, values | extra)


VISITS = Register(
    key=VISITS_KEY,
    label="公共法律服务来访登记",
    model="hotline.Visit",
    case_type=CASE_TYPE,
    letters="LF",
    fields=("point", "point_name", "service", "category", "served_by"),
    columns=(("point", "服务场所"), ("service", "服务事项"), ("category", "法律类别"), ("served_by", "接待人员")),
    filter_field="service",
    person_label="来访人",
    summary_label="来访事项",
    result_label="办理结果",
    ledger=VISIT_LEDGER,
    sample=_sample,
    demo=seed_visits,
    order=10,
)
