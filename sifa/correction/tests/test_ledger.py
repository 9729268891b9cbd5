"""The 社区矫正对象台账: what a register of people under correction becomes when
imported (each person where the steps would have left them, with the grade and
term, the 报到 clock met, a minor sealed), what it refuses (naming the column,
writing nothing), and what its export shows: the encrypted offence only in a
revealing export, a sealed minor never."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sifa.accounts.roles import Role
from sifa.accounts.tests.factories import UserFactory
from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case
from sifa.deadlines.models import Deadline
from sifa.kit import registry
from sifa.kit.ledger import ImportContext
from sifa.ledgers import imports
from sifa.ledgers.exports import write_cases
from sifa.ledgers.models import ExportJob, JobStatus
from sifa.ledgers.tests.util import id_number

from ..choices import CASE_TYPE, Grade, Status
from ..ledger import HIDDEN, LEDGER
from ..models import Subject
from .conftest import MINOR, receive

pytestmark = pytest.mark.django_db
D = date


def xlsx(rows: list[dict], name: str = "社区矫正对象.xlsx") -> SimpleUploadedFile:
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


def import_people(user, rows: list[dict]):
    job = imports.start_import(user, CASE_TYPE, xlsx(rows))
    assert job.status == JobStatus.VALIDATED, (job.message, job.errors)
    job = imports.commit(user, job.pk)
    assert job.status == JobStatus.DONE and job.created_count == len(rows), (job.message, job.errors)
    return job


def refused(user, rows: list[dict]) -> list[list]:
    """The [row, column header, message] errors of a refused import."""
    job = imports.start_import(user, CASE_TYPE, xlsx(rows))
    assert job.status == JobStatus.INVALID, (job.message, job.errors)
    return job.errors


def person(n: int = 1, org: str = "A司法所", **cells) -> dict:
    """A person on probation, received in March 2025, reported and declared, under 严管.
    ``cells`` by column header; None empties a cell."""
    return {
        "社区矫正对象姓名": f"对象{n}",
        "社区矫正对象证件号码": id_number(n),
        "社区矫正对象联系电话": "13800000000",
        "社区矫正对象住址": "演示区幸福路1号",
        "接收日期": "2025-03-05",
        "执行地司法所": org,
        "矫正类别": "缓刑",
        "决定机关": "测试区人民法院",
        "判决/裁定/决定生效日期": "2025-03-01",
        "罪名": "危险驾驶罪",
        "原判刑罚及刑期": "拘役三个月，缓刑六个月",
        "矫正期限起日": "2025-03-01",
        "矫正期限止日": "2027-02-28",
        "报到日期": "2025-03-08",
        "入矫宣告日期": "2025-03-10",
        "管理等级": "严管",
    } | cells


def _subjects() -> dict:
    return {s.case.parties.get().name: s for s in Subject.objects.select_related("case")}


def test_the_template_example_and_a_full_row_round_trip(users):
    example = {c.header: c.example or None for c in LEDGER.import_columns()} | {"执行地司法所": "A司法所"}
    full = person(
        2,
        决定机关类别="监狱管理机关",
        矫正类别="暂予监外执行",
        **{"判决书/决定书文号": "（2025）闽监外字第3号"},
        等级起始日期="2025-06-01",
        管理等级="普管",
        最近联系日期="2025-11-20",
    )
    import_people(users.staff, [example, full])
    got = _subjects()
    assert set(got) == {"张三", "对象2"}
    scope = case_selectors.registration_scope
    ctx = ImportContext(user=users.staff, case_type=CASE_TYPE, file_name="往返", today=date.today(), orgs_for=lambda: scope(users.staff, CASE_TYPE))
    for rec, sent in ((got["张三"], example), (got["对象2"], full)):
        content, n, _title = write_cases(Case.objects.filter(pk=rec.case_id), users.staff, reveal=True, description="往返")
        sheet = list(load_workbook(BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
        exported = dict(zip(sheet[0], sheet[1], strict=True))
        for col in LEDGER.import_columns():
            if col.exportable and sent.get(col.header) is not None:  # an empty cell may be derived (等级起始日期 …)
                assert col.parse(exported[col.header], ctx) == col.parse(sent[col.header], ctx), (col.header, exported[col.header], sent[col.header])
    rec = got["对象2"]
    assert (rec.decision_organ, rec.judgment_no, rec.grade, rec.grade_since, rec.last_contact_on) == (
        "prison",
        "（2025）闽监外字第3号",
        Grade.NORMAL,
        D(2025, 6, 1),
        D(2025, 11, 20),
    )


def test_an_import_leaves_each_person_where_the_steps_would(users, orgs):
    rows = [
        person(1),  # 在矫
        person(2, 报到日期=None, 入矫宣告日期=None, 管理等级=None),  # 待报到
        person(3, 入矫宣告日期=None, 管理等级=None),  # 已报到待宣告
        person(4, 矫正期限止日="2026-02-28", **{"解除/终止日期": "2026-03-02", "解除类型": "矫正期满"}),
        person(5, 矫正类别="假释", **{"解除/终止日期": "2025-09-01", "终止类型": "撤销假释", "矫正期间重新犯罪": "是"}),
        person(6, org="B司法所", 社区矫正对象证件号码=MINOR),
    ]
    import_people(users.staff, rows)
    got = _subjects()
    states = {name: (s.case.status, s.case.closed_on, s.case.outcome) for name, s in got.items()}
    assert states == {
        "对象1": (Status.SUPERVISING, None, ""),
        "对象2": (Status.RECEIVED, None, ""),
        "对象3": (Status.ENROLLED, None, ""),
        "对象4": (Status.RELEASED, D(2026, 3, 2), "released"),
        "对象5": (Status.TERMINATED, D(2025, 9, 1), "terminated"),
        "对象6": (Status.SUPERVISING, None, ""),
    }
    one = got["对象1"]
    assert (one.category, one.crime, one.term_start, one.term_end, one.grade, one.grade_since) == (
        "probation",
        "危险驾驶罪",
        D(2025, 3, 1),
        D(2027, 2, 28),
        Grade.STRICT,
        D(2025, 3, 10),
    )
    assert (one.reported_on, one.declared_on, one.last_contact_on, one.documents_on, one.identity_checked) == (
        D(2025, 3, 8),
        D(2025, 3, 10),
        D(2025, 3, 10),
        D(2025, 3, 5),
        True,
    )
    assert one.case.title == "对象1（缓刑）" and one.case.owner_org == orgs.office_a
    # The 10-day 报到 clock ran from the judgment and the row's 报到 met it; the one not yet
    # reported is still waiting (long overdue: the truth of the data).
    report = Deadline.objects.get(case=one.case, key="report")
    assert (report.start_date, report.completed_on) == (D(2025, 3, 1), D(2025, 3, 8))
    waiting = Deadline.objects.get(case=got["对象2"].case, key="report")
    assert waiting.completed_on is None and waiting.due_date < date.today()
    # The grade's duties run from the import, not from 2025: nothing missed before it.
    assert not Deadline.objects.filter(case=one.case, due_date__lt=date.today()).exclude(duty="").exists()
    assert Deadline.objects.filter(case=one.case).exclude(duty="").exists()
    # Closed files get no clocks; the re-offence is on the terminated file only.
    assert not Deadline.objects.filter(case=got["对象4"].case).exists()
    assert (got["对象5"].termination_kind, got["对象5"].reoffended) == ("revoke_parole", True)
    assert (got["对象4"].release_kind, got["对象4"].reoffended) == ("expiry", False)
    # The minor's case is sealed, as 登记接收 seals it.
    minor = got["对象6"]
    assert minor.is_minor and Case.all_objects.get(pk=minor.case_id).is_sealed
    assert not any(s.case.is_sealed for name, s in got.items() if name != "对象6")


@pytest.mark.parametrize(
    ("cells", "header", "message"),
    [
        ({"矫正期限止日": "2025-03-01"}, "矫正期限止日", "矫正期限止日应晚于起日"),
        ({"报到日期": "2025-02-20"}, "报到日期", "不能早于判决"),
        ({"入矫宣告日期": "2025-03-07"}, "入矫宣告日期", "入矫宣告日期早于报到日期"),
        ({"报到日期": None}, "报到日期", "填写了入矫宣告日期，须同时填写报到日期"),
        ({"管理等级": None}, "管理等级", "须同时填写管理等级"),
        ({"入矫宣告日期": None}, "管理等级", "只有已入矫宣告的社区矫正对象才填写"),
        ({"解除/终止日期": "2026-03-02"}, "解除类型", "须同时填写解除类型或终止类型"),
        ({"解除类型": "矫正期满"}, "解除/终止日期", "须同时填写解除/终止日期"),
        ({"解除/终止日期": "2026-03-02", "解除类型": "矫正期满"}, "解除/终止日期", "期满前不能以期满解除"),
        ({"解除/终止日期": "2025-09-01", "终止类型": "撤销假释"}, "终止类型", "撤销假释只适用于假释"),
        ({"解除/终止日期": "2025-09-01", "解除类型": "赦免", "终止类型": "死亡"}, "终止类型", "只能填写一项"),
        ({"解除/终止日期": "2025-03-09"}, "解除/终止日期", "早于入矫宣告日期"),
        ({"矫正期间重新犯罪": "是"}, "矫正期间重新犯罪", "只有终止矫正"),
        ({"社区矫正对象证件号码": None}, "社区矫正对象证件号码", "必填"),
        ({"罪名": None}, "罪名", "必填"),
        ({"执行地司法所": "邻区司法所"}, "执行地司法所", "不在您可登记的范围内"),
    ],
)
def test_a_row_against_the_rules_is_refused_naming_its_column(users, cells, header, message):
    errors = refused(users.staff, [person(1), person(2, **cells)])
    assert any(e[0] == 3 and e[1] == header and message in e[2] for e in errors), errors
    assert not Case.all_objects.filter(case_type=CASE_TYPE).exists()


def test_a_person_is_under_correction_once(users, officer, orgs):
    errors = refused(users.staff, [person(1), person(2, 社区矫正对象证件号码=id_number(1))])
    assert errors == [[3, "社区矫正对象证件号码", "与第2行是同一社区矫正对象，且均未解除或终止矫正。"]]
    # A released record of the same person is history, not a second correction.
    import_people(users.staff, [person(1), person(2, 社区矫正对象证件号码=id_number(1), 接收日期="2020-03-05", **_ended_2021())])
    # Already on the register (registered by hand): refused.
    receive(officer, orgs.office_a, id_number=id_number(7), name="对象7")
    errors = refused(users.staff, [person(7)])
    assert errors[0][1:] == ["社区矫正对象证件号码", "该社区矫正对象已在本局登记且尚未解除或终止矫正，不能重复导入。"]


def _ended_2021() -> dict:
    return {
        "判决/裁定/决定生效日期": "2020-03-01",
        "矫正期限起日": "2020-03-01",
        "矫正期限止日": "2021-02-28",
        "报到日期": "2020-03-08",
        "入矫宣告日期": "2020-03-10",
        "解除/终止日期": "2021-02-28",
        "解除类型": "矫正期满",
    }


def test_the_export_shows_the_offence_only_in_full_and_never_a_sealed_minor(users, orgs, client_for):
    import_people(users.staff, [person(1), person(6, 社区矫正对象证件号码=MINOR)])
    got = _subjects()
    adult, minor = got["对象1"].case, got["对象6"].case
    masked, _n, _t = write_cases(Case.objects.filter(pk=adult.pk), users.staff, reveal=False, description="脱敏")
    sheet = list(load_workbook(BytesIO(masked), read_only=True).worksheets[0].iter_rows(values_only=True))
    row = dict(zip(sheet[0], sheet[1], strict=True))
    assert row["罪名"] == HIDDEN and row["原判刑罚及刑期"] == HIDDEN and row["社区矫正对象证件号码"] != id_number(1)
    assert (row["社区矫正对象姓名"], row["矫正类别"], row["管理等级"], row["状态"]) == ("对象1", "缓刑", "严管", "在矫")
    # The line's own export, approved by a second person: the minor is left out.
    second = UserFactory(username="staff_2", role=Role.SECTION, org=orgs.bureau, lines=[ct.key for ct in registry.case_types()])
    client_for(users.staff).post(reverse("ledgers:export") + "?source=correction", {})
    job = ExportJob.objects.get(user=users.staff)
    client_for(second).post(reverse("ledgers:export_approvals"), {"job": job.pk, "decision": "approve"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.row_count == 1
    cells = str([c.value for r in load_workbook(job.file.open("rb")).worksheets[0].iter_rows() for c in r])
    assert adult.code in cells and minor.code not in cells and "对象6" not in cells
