"""The 刑满释放人员台账: the monthly 预释放名单 and a historical register become people
where the steps would have left them; a few hundred rows with one bad row write
nothing, then all of them move the figures by exactly what they hold; a row
against the rules is refused in Chinese naming its column; the export masks the
person and hides the offence unless it reveals personal data."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sifa.cases.models import Case
from sifa.deadlines.models import Deadline
from sifa.ledgers import imports
from sifa.ledgers.exports import write_cases
from sifa.ledgers.models import JobStatus
from sifa.ledgers.tests.util import id_number
from sifa.stats.periods import Period

from ..choices import CASE_TYPE, Status
from ..ledger import HIDDEN, LEDGER
from ..models import Assessment, Releasee
from .test_kpis import numbers

pytestmark = pytest.mark.django_db
D = date


def xlsx(rows: list[dict], name: str = "预释放名单.xlsx") -> SimpleUploadedFile:
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


def notified(n: int = 1, org: str = "A司法所", **cells) -> dict:
    """A row of the monthly pre-release list: a prisoner to be released on 2026-12-20.
    ``cells`` by column header; None empties a cell."""
    return {
        "姓名": f"人员{n}",
        "身份证号": id_number(n),
        "户籍地": "演示区幸福路1号",
        "释放单位": "演示省第一监狱",
        "罪名": "盗窃罪",
        "刑期": "有期徒刑三年",
        "刑期起日": "2023-12-21",
        "刑期止日": "2026-12-20",
        "预计释放日期": "2026-12-20",
        "是否重点帮教对象": "否",
        "承办司法所": org,
    } | cells


def history(n: int = 1, org: str = "A司法所", **cells) -> dict:
    """A row of a historical register: released on 2025-03-01, reported two days later."""
    return (
        notified(
            n,
            org,
            刑期起日="2022-03-02",
            刑期止日="2025-03-01",
            预计释放日期="2025-03-01",
            释放日期="2025-03-01",
            衔接日期="2025-03-03",
            衔接方式="本人报到",
        )
        | cells
    )


def _people() -> dict:
    return {r.case.parties.get().name: r for r in Releasee.objects.select_related("case")}


def test_the_template_example_and_each_kind_of_row(users, orgs):
    example = {c.header: c.example or None for c in LEDGER.import_columns()} | {"承办司法所": "A司法所"}
    rows = [
        example,
        notified(2, 是否重点帮教对象="是", 性别="女"),
        history(3, 风险等级="中风险（一般帮教）", 安置情况="就业", 安置日期="2025-04-01", 帮教协议签订日期="2025-03-10"),
        history(4, 衔接日期=None, 衔接方式=None),  # released, never reported: 未衔接
        history(5, 结束日期="2025-09-01", 结束方式="重新违法犯罪"),
        history(6, 衔接日期="2025-03-20", 衔接方式="查找后衔接"),  # reported late: not seamless
        history(7, 来源="解除社区矫正", 释放单位="B司法所", 衔接日期="2025-03-01", 衔接方式="解除社区矫正直接衔接", org="B司法所"),
        history(8, 是否重点帮教对象="是", 衔接日期="2025-03-01", 衔接方式="监所门口接回（必接必送）"),
    ]
    import_people(users.staff, rows)
    got = _people()
    states = {name: (r.case.status, r.case.closed_on, r.case.outcome, r.seamless) for name, r in got.items()}
    assert states == {
        "张三": (Status.PENDING, None, "", False),
        "人员2": (Status.PENDING, None, "", False),
        "人员3": (Status.ASSISTING, None, "", True),
        "人员4": (Status.UNLINKED, None, "", False),
        "人员5": (Status.ENDED, D(2025, 9, 1), "reoffended", True),
        "人员6": (Status.ASSISTING, None, "", False),
        "人员7": (Status.ASSISTING, None, "", True),
        "人员8": (Status.ASSISTING, None, "", True),
    }
    three = got["人员3"]
    assert (three.crime, three.sentence, three.grade, three.graded_on, three.placement, three.placed_on, three.agreement_on) == (
        "盗窃罪",
        "有期徒刑三年",
        "medium",
        D(2025, 3, 3),
        "employed",
        D(2025, 4, 1),
        D(2025, 3, 10),
    )
    assert three.period_ends_on == D(2030, 3, 1) and three.case.title == "人员3（监狱刑满释放）"
    assert Assessment.objects.filter(case=three.case, grade="medium", on=D(2025, 3, 3)).exists()
    # The clocks the steps would have left: the 帮教期 from the release, the re-rating from the grade.
    clocks = {d.key: d for d in Deadline.objects.filter(case=three.case)}
    assert clocks["period"].start_date == D(2025, 3, 1) and clocks["period"].completed_on is None
    assert clocks["regrade"].start_date == D(2025, 3, 3)
    assert not Deadline.objects.filter(case=got["人员5"].case, completed_on__isnull=True, cancelled=False).exclude(key="period").exists()
    assert got["人员2"].key_person and got["人员2"].gender == "F" and got["人员2"].expected_release_on == D(2026, 12, 20)
    assert got["人员4"].unlinked_since == D(2025, 3, 1) and got["人员5"].reoffended_on == D(2025, 9, 1)
    assert got["人员7"].origin == "correction" and got["人员7"].case.owner_org == orgs.office_b
    assert got["人员2"].case.parties.get().address == "演示区幸福路1号"


def test_a_bad_row_among_hundreds_writes_nothing_then_all_move_the_figures_exactly(users):
    year = Period.year(2025)
    before = numbers(users.staff.org, year, users.staff)
    rows = []
    for i in range(1, 301):
        if i % 3 == 0:  # a third released and reported in time (seamless), every tenth of those a key person collected
            cells = {"衔接方式": "监所门口接回（必接必送）", "衔接日期": "2025-03-01", "是否重点帮教对象": "是"} if i % 30 == 0 else {}
            rows.append(history(i, **cells))
        elif i % 3 == 1:  # released, reported three weeks late
            rows.append(history(i, 衔接日期="2025-03-22", 衔接方式="查找后衔接", 安置情况="务农"))
        else:  # still to be released
            rows.append(notified(i))
    bad = history(301, 衔接日期="2025-02-20")  # handed over before release
    errors = refused(users.staff, [*rows[:150], bad, *rows[150:]])
    assert errors == [[152, "衔接日期", "衔接日期早于释放日期。"]]
    assert not Case.all_objects.filter(case_type=CASE_TYPE).exists() and not Releasee.objects.exists()
    assert numbers(users.staff.org, year, users.staff) == before
    import_people(users.staff, rows)
    after = numbers(users.staff.org, year, users.staff)
    moved = {k: after[k] for k in ("released", "released_custodial", "seamless", "handed_over", "key_released", "collected", "on_register", "placed")}
    assert moved == {
        "released": 200,
        "released_custodial": 200,
        "seamless": 100,
        "handed_over": 200,
        "key_released": 10,
        "collected": 10,
        "on_register": 200,
        "placed": 100,
    }
    assert after["handover_rate"] == (100, 200, "50.00%") and after["collection_rate"] == (10, 10, "100.00%")
    assert after["placement_rate"] == (100, 200, "50.00%")
    assert Case.all_objects.filter(case_type=CASE_TYPE, status=Status.PENDING).count() == 100


@pytest.mark.parametrize(
    ("cells", "header", "message"),
    [
        ({"姓名": None}, "姓名", "必填"),
        ({"罪名": None}, "罪名", "必填"),
        ({"释放单位": None}, "释放单位", "必填"),
        ({"身份证号": "110101199003071234"}, "身份证号", "校验"),
        ({"性别": "男"}, "性别", "性别与身份证号不符"),  # 人员2's number is a woman's
        ({"刑期止日": "2021-01-01"}, "刑期止日", "刑期止日早于刑期起日"),
        ({"预计释放日期": None, "释放日期": None, "衔接日期": None, "衔接方式": None}, "预计释放日期", "请填写预计释放日期"),
        ({"释放日期": "2999-01-01"}, "释放日期", "晚于今天"),
        ({"释放日期": None}, "释放日期", "填写了衔接日期，须同时填写释放日期"),
        ({"衔接方式": None}, "衔接方式", "须同时填写衔接方式"),
        ({"衔接日期": None}, "衔接方式", "只有已衔接的人员才填写"),
        ({"衔接日期": "2025-02-01"}, "衔接日期", "衔接日期早于释放日期"),
        ({"衔接方式": "解除社区矫正直接衔接"}, "衔接方式", "只适用于来源为解除社区矫正"),
        ({"安置日期": "2025-04-01"}, "安置情况", "须同时填写安置情况"),
        ({"结束日期": "2025-09-01"}, "结束方式", "须同时填写结束方式"),
        ({"结束方式": "帮教期满解除"}, "结束日期", "须同时填写结束日期"),
        ({"结束日期": "2025-03-02", "结束方式": "死亡"}, "结束日期", "早于衔接日期"),
        ({"风险等级": "极高"}, "风险等级", "不是可选值"),
        ({"是否重点帮教对象": "也许"}, "是否重点帮教对象", "应填“是”或“否”"),
        ({"承办司法所": "邻区司法所"}, "承办司法所", "不在您可登记的范围内"),
    ],
)
def test_a_row_against_the_rules_is_refused_naming_its_column(users, cells, header, message):
    errors = refused(users.staff, [history(1), history(2, **cells)])
    assert any(e[0] == 3 and e[1] == header and message in e[2] for e in errors), errors
    assert not Case.all_objects.filter(case_type=CASE_TYPE).exists()


def test_a_person_is_on_the_register_once(users):
    errors = refused(users.staff, [history(1), notified(2, 身份证号=id_number(1))])
    assert errors == [[3, "身份证号", "与第2行是同一人员，且帮教均未结束。"]]
    # An ended record of the same person is history, not a second file.
    import_people(users.staff, [history(1), history(2, 身份证号=id_number(1), 结束日期="2025-06-01", 结束方式="迁出本区（移交）")])
    errors = refused(users.staff, [notified(3, 身份证号=id_number(1))])
    assert errors[0][1:] == ["身份证号", "该人员已在本局登记且帮教尚未结束，不能重复导入。"]


def test_the_export_masks_the_person_and_hides_the_offence(users):
    import_people(users.staff, [history(1, 联系电话="13800000001")])
    case = Case.objects.get(case_type=CASE_TYPE)
    masked, _n, _t = write_cases(Case.objects.filter(pk=case.pk), users.staff, reveal=False, description="脱敏")
    sheet = list(load_workbook(BytesIO(masked), read_only=True).worksheets[0].iter_rows(values_only=True))
    row = dict(zip(sheet[0], sheet[1], strict=True))
    assert row["罪名"] == HIDDEN and row["刑期"] == HIDDEN
    assert row["身份证号"] != id_number(1) and "*" in row["身份证号"] and row["联系电话"] == "138****0001"
    assert (row["姓名"], row["性别"], row["衔接方式"], row["状态"], row["案件编码"]) == ("人员1", "男", "本人报到", "帮教中", case.code)
    full, _n, _t = write_cases(Case.objects.filter(pk=case.pk), users.staff, reveal=True, description="完整")
    sheet = list(load_workbook(BytesIO(full), read_only=True).worksheets[0].iter_rows(values_only=True))
    row = dict(zip(sheet[0], sheet[1], strict=True))
    assert (row["罪名"], row["刑期"], row["身份证号"]) == ("盗窃罪", "有期徒刑三年", id_number(1))
