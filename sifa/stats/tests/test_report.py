"""The generated work summary: sentences from declarations, tables, charts,
definitions as notes; never fails for want of a CJK font."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from sifa.common.docgen import read_text
from sifa.kit import registry
from sifa.kit.kpis import ReportSection
from sifa.stats.periods import Period
from sifa.stats.report import builder, charts, sentences

from .bulkdata import bulk_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(orgs, test_kpis):
    bulk_cases(orgs.office_a, 30, opened_on=date(2026, 3, 1), closed_on=date(2026, 4, 1), outcome="success")
    bulk_cases(orgs.office_b, 10, opened_on=date(2026, 5, 1))
    bulk_cases(orgs.office_a, 20, opened_on=date(2025, 3, 1), closed_on=date(2025, 4, 1), outcome="success")


def test_sentences_tables_charts_and_notes(orgs, users, data, monkeypatch):
    monkeypatch.setattr(charts, "cjk_font_path", lambda: None)  # as on a machine without CJK fonts
    doc = Document(BytesIO(builder.build(users.leader, orgs.bureau, Period.year(2026))))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "全年共受理测试案件40件，同比增长100.00%" in text
    assert "成功率75.00%（30件/40件）" in text
    assert "图中序号：1.A司法所，2.B司法所，3.C司法所" in text  # charts legible without CJK glyphs
    assert "注：①受理测试案件：期间内登记受理的测试案件数" in text
    assert len(doc.inline_shapes) >= 2


def test_line_report_template(orgs, users, data):
    registry.add_report(
        ReportSection(
            "testline",
            title="测试业务工作",
            paragraphs=(
                "{span}共受理测试案件{testline.received}，成功结案{testline.success}，成功率{testline.success_rate}，受理数{testline.received:yoy}。{testline.nope}",
            ),
        )
    )
    try:
        text = read_text(builder.build(users.leader, orgs.bureau, Period.half(2026, 1)))
    finally:
        registry.remove_report("testline")
    assert "测试业务工作" in text
    assert "上半年共受理测试案件40件，成功结案30件，成功率75.00%，受理数同比增长100.00%。—" in text


def test_office_user_report_holds_only_their_office(orgs, users, data):
    text = read_text(builder.build(users.office_b, orgs.office_b, Period.year(2026)))
    assert "全年共受理测试案件10件" in text and "A司法所" not in text


def test_change_phrases():
    from sifa.stats.tests.kpis import KPIS

    count, rate = KPIS[0], KPIS[2]
    assert sentences.change_phrase(count, {"delta": 5, "pct": 12.5}) == "同比增长12.5%"
    assert sentences.change_phrase(count, {"delta": 0, "pct": 0}) == "同比持平"
    assert sentences.change_phrase(count, {"delta": 3, "pct": None}) == "上年同期为0"
    assert sentences.change_phrase(rate, {"delta": -1.5, "pct": None}) == "同比下降1.50个百分点"
    assert sentences.change_phrase(rate, {"delta": None}) == "同比无可比数据"
    assert sentences.span(Period.quarter(2026, 3)) == "第三季度"


def test_charts_render_png():
    line = charts.line_chart([1, 2, 3], [("受理", [1, 2, 3]), ("成功", [0, 1, 2])])
    bar = charts.bar_chart(["A司法所", "B司法所"], [3, 4])
    assert line.png.startswith(b"\x89PNG") and bar.png.startswith(b"\x89PNG")
