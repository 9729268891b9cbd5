"""The 12348工单台账: what a call-centre export becomes when imported (the state
the steps would have left, the callback results, the clocks of the open
orders), what it refuses (naming the column, writing nothing) and that an
order exported reads back as it was imported."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case
from sifa.deadlines import calendar
from sifa.deadlines.models import Deadline
from sifa.kit.ledger import ImportContext
from sifa.ledgers import imports
from sifa.ledgers.exports import write_cases
from sifa.ledgers.models import JobStatus

from ..choices import CallbackWay, Channel, Satisfaction, Status
from ..ledger import LEDGER
from ..models import WorkOrder
from ..services import register

pytestmark = pytest.mark.django_db
D = date


def xlsx(rows: list[dict], name: str = "工单.xlsx") -> SimpleUploadedFile:
    """A file with the ledger's import columns (by header) and these rows."""
    cols = LEDGER.import_columns()
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in cols])
    for r in rows:
        ws.append([r.get(c.header) for c in cols])
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def import_orders(user, rows: list[dict]):
    job = imports.start_import(user, LEDGER.case_type, xlsx(rows))
    assert job.status == JobStatus.VALIDATED, (job.message, job.errors)
    job = imports.commit(user, job.pk)
    assert job.status == JobStatus.DONE and job.created_count == len(rows), (job.message, job.errors)
    return job


def refused(user, rows: list[dict]) -> list[list]:
    """The [row, column header, message] errors of a refused import."""
    job = imports.start_import(user, LEDGER.case_type, xlsx(rows))
    assert job.status == JobStatus.INVALID, (job.message, job.errors)
    return job.errors


def row(org, n: int = 1, **cells) -> dict:
    """A call answered on the spot; ``cells`` by column header."""
    return {
        "受理日期": "2026-03-02",
        "受理单位": org.name,
        "诉求人姓名": f"来电人{n}",
        "诉求人联系电话": "13800000000",
        "受理渠道": "12348电话",
        "工单类型": "咨询",
        "法律类别": "劳动劳务",
        "诉求内容": "单位拖欠工资，咨询如何维权。",
        "答复内容": "告知可申请劳动仲裁。",
        "即时解答": "是",
        "满意度": "满意",
    } | cells


def dispatched(org, n: int = 1, **cells) -> dict:
    """A call dispatched to office A and answered by it."""
    base = row(org, n, 即时解答=None, 满意度=None)
    return base | {"派单对象": "司法所", "承办单位名称": "A司法所", "派单日期": "2026-03-02", "办理反馈日期": "2026-03-04"} | cells


def _parse_back(user, case, sent: dict) -> None:
    """Export ``case`` and read each sent cell back through its column's parser."""
    content, n, _title = write_cases(Case.objects.filter(pk=case.pk), user, reveal=True, description="往返")
    assert n == 1
    sheet = list(load_workbook(BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    exported = dict(zip(sheet[0], sheet[1], strict=True))
    scope = case_selectors.registration_scope
    ctx = ImportContext(user=user, case_type="hotline", file_name="往返", today=date.today(), orgs_for=lambda: scope(user, "hotline"))
    for col in LEDGER.import_columns():
        if col.exportable and col.header in sent:
            assert col.parse(exported[col.header], ctx) == col.parse(sent[col.header], ctx), (col.header, exported[col.header], sent[col.header])


def test_the_template_row_and_a_full_row_round_trip(users, center):
    example = {c.header: c.example or None for c in LEDGER.import_columns()} | {"受理单位": center.name}
    full = dispatched(
        center,
        2,
        受理渠道="12345转办",
        转办平台工单编号="GD20260302-0001",
        工单类型="预约",
        预约事项="人民调解",
        紧急="是",
        对方当事人姓名="李四",
        答复日期="2026-03-04",
        回访日期="2026-03-05",
        回访方式="电话回访",
        回访情况="对处理结果不认可",
        满意度="不满意",
        不满意复核意见="已依法答复，维持办结",
        复核日期="2026-03-06",
        质检得分="92",
    )
    job = import_orders(users.staff, [example, full])
    assert job.created_count == 2
    by_title = {c.title: c for c in Case.objects.filter(case_type="hotline")}
    # The example has a title; the full row none: it is made as registration makes it.
    assert set(by_title) == {"张三咨询（劳动劳务）", "来电人2预约（劳动劳务）"}
    _parse_back(users.staff, by_title["张三咨询（劳动劳务）"], example)
    _parse_back(users.staff, by_title["来电人2预约（劳动劳务）"], full)


def test_an_import_with_callback_results_leaves_each_order_where_its_steps_would(users, orgs, center):
    rows = [
        row(center, 1),  # on the call, rated on the call
        dispatched(center, 2),  # answered by the office, not yet called back
        dispatched(center, 3, 回访日期="2026-03-05", 回访方式="电话回访", 满意度="基本满意"),
        dispatched(center, 4, 回访日期="2026-03-05", 回访方式="联系不上"),
        dispatched(center, 5, 办理反馈日期=None, 答复内容=None),  # still with the office
        row(center, 6, 即时解答=None, 答复内容=None, 满意度=None),  # received, nothing more
        row(center, 7, 即时解答=None, 答复日期="2026-03-03", 满意度=None),  # answered by the desk later: 答复办结
        row(center, 8, 满意度="不满意", 回访日期="2026-03-03", 回访方式="电话回访", 不满意复核意见="属政策解释", 复核日期="2026-03-04"),
        dispatched(center, 9, 承办单位名称="某律师事务所", 派单对象="律师事务所", 办理反馈日期=None, 答复内容=None),
    ]
    import_orders(users.staff, rows)
    got = {o.case.parties.get().name: o for o in WorkOrder.objects.select_related("case", "dispatched_to")}
    states = {name: (o.case.status, o.case.closed_on) for name, o in got.items()}
    assert states == {
        "来电人1": (Status.CLOSED, D(2026, 3, 2)),
        "来电人2": (Status.REPLIED, None),
        "来电人3": (Status.CLOSED, D(2026, 3, 5)),
        "来电人4": (Status.CLOSED, D(2026, 3, 5)),
        "来电人5": (Status.DISPATCHED, None),
        "来电人6": (Status.ACCEPTED, None),
        "来电人7": (Status.CLOSED, D(2026, 3, 3)),
        "来电人8": (Status.CLOSED, D(2026, 3, 2)),
        "来电人9": (Status.DISPATCHED, None),
    }
    assert (got["来电人1"].answered_on_spot, got["来电人1"].answered_on, got["来电人1"].satisfaction) == (True, D(2026, 3, 2), Satisfaction.SATISFIED)
    assert (got["来电人7"].answered_on_spot, got["来电人7"].answered_on) == (False, D(2026, 3, 3))
    three = got["来电人3"]
    assert (three.answered_on, three.callback_on) == (D(2026, 3, 4), D(2026, 3, 5))
    assert (three.callback_way, three.satisfaction) == (CallbackWay.PHONE, Satisfaction.BASIC)
    assert (got["来电人4"].callback_way, got["来电人4"].satisfaction) == (CallbackWay.NONE, "")
    assert (got["来电人8"].reviewed_on, got["来电人8"].review_note) == (D(2026, 3, 4), "属政策解释")
    # The office is found in the tree by its name; a law firm keeps its name only.
    assert got["来电人2"].dispatched_to == orgs.office_a and got["来电人2"].dispatched_to_name == "A司法所"
    assert got["来电人9"].dispatched_to is None and got["来电人9"].dispatched_to_name == "某律师事务所"
    # Closed orders have no clocks; the open ones have theirs, as if worked here.
    clocks = {(d.case.parties.get().name, d.key): d for d in Deadline.objects.select_related("case")}
    assert {name for name, _key in clocks} == {"来电人2", "来电人5", "来电人6", "来电人9"}
    handle = clocks[("来电人2", "handle")]
    assert handle.due_date == calendar.add_workdays(D(2026, 3, 2), 3) and handle.completed_on == D(2026, 3, 4)
    callback = clocks[("来电人2", "callback")]
    assert callback.start_date == D(2026, 3, 4) and callback.completed_on is None
    assert clocks[("来电人5", "handle")].completed_on is None and ("来电人5", "callback") not in clocks


PHONED = {"回访方式": "电话回访"}
BAD_ROWS = (
    # (what is wrong, the cells, the column the report names, words of its message)
    ("rating without a callback", {"即时解答": None, "答复日期": "2026-03-03"}, "满意度", "回访日期"),
    ("callback before the answer", {"即时解答": None, "答复日期": "2026-03-04", "回访日期": "2026-03-03"} | PHONED, "回访日期", "早于"),
    ("answer before the call", {"即时解答": None, "满意度": None, "答复日期": "2026-03-01"}, "答复日期", "早于受理日期"),
    ("12345 without its number", {"受理渠道": "12345转办"}, "转办平台工单编号", "12345"),
    ("110 without its number", {"受理渠道": "110联动"}, "转办平台工单编号", "110"),
    ("an appointment without what it books", {"工单类型": "预约"}, "预约事项", "预约"),
    ("what it books on a consultation", {"预约事项": "法律援助"}, "预约事项", "只有预约工单"),
    ("answered on the call, days later", {"答复日期": "2026-03-05"}, "答复日期", "受理日期"),
    ("dispatched without a date", {"即时解答": None, "满意度": None, "答复内容": None, "派单对象": "司法所"}, "派单日期", "派单对象"),
    ("reached and not rated", {"满意度": None, "即时解答": None, "答复日期": "2026-03-03", "回访日期": "2026-03-04"} | PHONED, "满意度", "联系上"),
    ("a review of a satisfied caller", {"不满意复核意见": "维持", "复核日期": "2026-03-03", "回访日期": "2026-03-03"} | PHONED, "不满意复核意见", "不满意"),
    ("a score over 100", {"质检得分": "101"}, "质检得分", "100"),
    ("a score of an open order", {"即时解答": None, "答复内容": None, "满意度": None, "质检得分": "90"}, "质检得分", "已办结"),
    ("a unit outside the user's reach", {"受理单位": "邻区司法所"}, "受理单位", "邻区司法所"),
)


@pytest.mark.parametrize("what,cells,column,words", BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_a_refused_row_changes_nothing_and_names_the_column(users, center, what, cells, column, words):
    register(users.staff, owner_org=center, parties=[{"role": "caller", "name": "已有来电人"}], summary="已有的工单")
    before = (Case.all_objects.count(), WorkOrder.objects.count(), Deadline.objects.count())
    errors = refused(users.staff, [row(center, 1), row(center, 2, **cells)])
    assert {e[0] for e in errors} == {3}, errors  # the header is row 1, the good row 2
    assert len({tuple(e) for e in errors}) == len(errors), errors  # each said once
    named = [e for e in errors if e[1] == column]
    assert named and words in named[0][2], errors
    assert (Case.all_objects.count(), WorkOrder.objects.count(), Deadline.objects.count()) == before


def test_a_platform_number_is_imported_once(users, center, operator):
    platform = {"受理渠道": "12345转办", "转办平台工单编号": "GD-0001"}
    # Twice in one file: the second row is refused, naming the first.
    errors = refused(users.staff, [row(center, 1, **platform), row(center, 2), row(center, 3, **platform)])
    assert [e[:2] for e in errors] == [[4, "转办平台工单编号"]] and "与第2行重复" in errors[0][2], errors
    # Already registered (a transfer received through the API): refused, nothing written.
    caller = [{"role": "caller", "name": "转办来电人"}]
    register(operator, owner_org=center, parties=caller, summary="转办工单", channel=Channel.TRANSFER_12345, external_ref="GD-0001")
    before = (Case.all_objects.count(), WorkOrder.objects.count())
    errors = refused(users.staff, [row(center, 1, **platform)])
    assert [e[:2] for e in errors] == [[2, "转办平台工单编号"]] and "已登记过" in errors[0][2], errors
    assert (Case.all_objects.count(), WorkOrder.objects.count()) == before
    # The same number from the other platform is another order.
    import_orders(users.staff, [row(center, 1, 受理渠道="110联动", 转办平台工单编号="GD-0001")])
    assert WorkOrder.objects.filter(external_ref="GD-0001").count() == 2


def test_an_imported_open_dispatched_order_is_on_the_units_desk(users, orgs, center):
    """Imported 已派单 (no feedback yet): shared with the unit for work, as the dispatch step
    shares it; imported replied: the unit keeps a read-only view, the desk calls back."""
    from sifa.cases.selectors import works_on

    from ..selectors import todo

    import_orders(users.staff, [dispatched(center, 1, 办理反馈日期=None, 答复内容=None), dispatched(center, 2)])
    waiting, replied = Case.objects.filter(case_type="hotline").order_by("id")
    assert waiting.status == "dispatched" and replied.status == "replied"
    assert list(todo(users.office_a)) == [waiting] and works_on(users.office_a, waiting)
    assert not works_on(users.office_a, replied) and replied in Case.objects.filter(pk__in=[replied.pk]).filter(shares__org=orgs.office_a)
    assert list(todo(users.office_b)) == []
