"""The work summary shaped like the bureaus' own: 主送, 文号, title, an opening with the
headline figures, chapters by theme, 存在问题 and 下一步, 落款 and 成文日期, A4 with the
official margins; figures filled by hand (填报) marked as such; no file names or code
identifiers anywhere; the same data and text give the same bytes."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from docx.shared import Cm

from sifa.filings import services as filings
from sifa.filings.models import Filing
from sifa.kit.kpis import THEME_LABELS, THEMES
from sifa.stats import engine
from sifa.stats.periods import Period
from sifa.stats.report import builder, charts

from .bulkdata import bulk_cases

pytestmark = pytest.mark.django_db
YEAR = Period.year(2026)
META = {
    "title": "测试区司法局2026年工作总结",
    "recipients": "区委、区政府",
    "doc_number": "测司〔2027〕1号",
    "opening": "全年获评省级法治宣传教育先进单位。",
    "problems": "一是基层力量仍显薄弱。\n二是信息化应用还不充分。",
    "next_steps": "一是持续深化矛盾纠纷多元化解。\n二是推进公共法律服务均衡发展。",
    "signer": "测试区司法局",
    "signed_on": "2027-01-10",
    "status": "issued",
    "generated_at": "2027-01-05T09:30:00+08:00",
}


def _filled(users, orgs, name: str, value: int, period: Period, **more) -> None:
    ind = filings.create_indicator(
        users.stat_admin,
        {
            "key": "",
            "name": name,
            "unit": "件",
            "period_kind": period.kind,
            "level": "bureau",
            "definition": f"统计期内{name}的件数。",
            "theme": "public_service",
            "kpi_key": "",
            "live_from": None,
            "due_days": 10,
            "is_active": True,
            **more,
        },
    )
    filings.open_round(users.stat_admin, ind.pk, period)
    f = Filing.objects.get(round__indicator=ind, org=orgs.bureau, round__start=period.start)
    filings.save_filing(users.staff, f.pk, value=str(value), submit=True)
    filings.lock_filing(users.stat_admin, f.pk)


@pytest.fixture
def data(orgs, users, test_kpis):
    bulk_cases(orgs.office_a, 30, opened_on=date(2026, 3, 1), closed_on=date(2026, 4, 1), outcome="success")
    bulk_cases(orgs.office_b, 10, opened_on=date(2026, 5, 1))
    bulk_cases(orgs.office_a, 20, opened_on=date(2025, 3, 1), closed_on=date(2025, 4, 1), outcome="success")
    _filled(users, orgs, "办理公证", 3217, YEAR)


def _text(doc) -> str:
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_report_has_the_seeds_shape(orgs, users, data, monkeypatch):
    monkeypatch.setattr(charts, "cjk_font_path", lambda: None)
    doc = Document(BytesIO(builder.build(users.leader, orgs.bureau, YEAR, meta=META)))
    paras = [p.text for p in doc.paragraphs]
    text = _text(doc)
    # A4, GB/T 9704 margins.
    sec = doc.sections[0]
    near = lambda got, cm: abs(got - Cm(cm)) < Cm(0.01)  # noqa: E731 (Word stores twips)
    assert near(sec.page_width, 21) and near(sec.page_height, 29.7)
    assert all(near(got, cm) for got, cm in ((sec.top_margin, 3.7), (sec.bottom_margin, 3.5), (sec.left_margin, 2.8), (sec.right_margin, 2.6)))
    # Head: 发文机关, 文号, title, 主送; opening with the headline figures and the honours.
    assert paras[:4] == ["测试区司法局", "测司〔2027〕1号", "测试区司法局2026年工作总结", "区委、区政府："]
    assert paras[4].startswith("全年，测试区司法局受理测试案件40件") and "全年获评省级法治宣传教育先进单位。" in paras[4]
    # Chapters by theme in the bureaus' order, then 存在问题 and 下一步, numbered on.
    chapters = [p for p in paras if re.match(r"^[一二三四五六七八九十]、", p)]
    titles = [c[2:] for c in chapters]
    themes = [t for t in titles if t in THEME_LABELS.values()]
    assert themes == [label for _, label in THEMES if label in themes] and len(themes) >= 2
    assert titles[-2:] == ["存在的问题和不足", "下一步工作打算"]
    assert [c[0] for c in chapters] == list("一二三四五六七八九十")[: len(chapters)]
    assert "一是基层力量仍显薄弱。" in paras and "二是推进公共法律服务均衡发展。" in paras
    # The figures filled by hand, marked as such, in their chapter.
    public = paras.index(chapters[titles.index(THEME_LABELS["public_service"])])
    after = "\n".join(paras[public:])
    assert "全年，办理公证3,217件（以上为填报数据）。" in after
    assert "办理公证（填报）：统计期内办理公证的件数。（填报数据）" in after
    assert any(r.cells[0].text == "办理公证" and r.cells[2].text == "填报" for t in doc.tables for r in t.rows)
    # 落款 and 成文日期 at the end.
    assert paras[-2:] == ["测试区司法局", "二〇二七年一月十日"]
    # No file names, code identifiers or unfilled placeholders anywhere a reader looks.
    for bad in (r"\b[a-z_]+\.[a-z_]+\b", r"\.md\b", r"\bADR\b", r"DOMAIN", r"[{}]", r"\bNone\b", r"§"):
        assert not re.search(bad, text), (bad, re.search(bad, text))


def test_the_same_data_and_text_give_the_same_bytes(orgs, users, data):
    data = builder.collect(users.leader, orgs.bureau, YEAR)
    stored = json.loads(json.dumps(data))  # as a JSON column gives it back
    assert builder.render(data, META) == builder.render(stored, META)
    changed = builder.render(stored, {**META, "problems": "另一段文字。"})
    assert changed != builder.render(stored, META)


def test_per_office_tables_list_only_the_organisations_running_the_line(orgs, users, data):
    data = builder.collect(users.leader, orgs.bureau, YEAR)
    section = next(s for c in data["chapters"] for s in c["sections"] if s["line"] == "testline")
    names = [r["label"] for r in section["offices"]["rows"]]
    # The test line names no owner kinds: every unit under the bureau may run it, the bureau
    # itself only when it has figures of its own.
    assert names == ["A司法所", "B司法所", "C司法所", "测试法律援助中心"]


def test_half_year_and_quarter_reports_in_the_same_shape(orgs, users, data):
    for period, span in ((Period.half(2026, 1), "上半年"), (Period.quarter(2026, 2), "第二季度")):
        doc = Document(BytesIO(builder.build(users.leader, orgs.bureau, period, meta={**META, "title": f"测试区司法局{period.label}工作总结"})))
        paras = [p.text for p in doc.paragraphs]
        assert paras[2] == f"测试区司法局{period.label}工作总结"
        assert paras[4].startswith(f"{span}，测试区司法局")
        assert "存在的问题和不足" in "\n".join(paras) and paras[-1] == "二〇二七年一月十日"


def test_a_kpi_filled_before_its_line_went_live(orgs, users, data):
    """The bureau reported 25 cases in 2025 by hand; the line went live in 2026: 2025 reads
    the filled figure (marked), 2026 is computed, and 同比 compares the two."""
    _filled(users, orgs, "受理测试案件（上线前）", 25, Period.year(2025), kpi_key="testline.received", live_from=date(2026, 1, 1))
    kpi = next(k for k in data_kpis() if k.key == "testline.received")
    cmp = engine.compare_many([kpi], orgs.bureau, YEAR)["testline.received"]
    assert (cmp.current.value, cmp.current.filled) == (40, False)
    assert (cmp.previous_year.value, cmp.previous_year.filled) == (Decimal(25), True)
    assert cmp.yoy["pct"] == Decimal("60.00")
    # Not listed again among the other filled figures for a period the platform computes.
    names = [f["label"] for c in builder.collect(users.leader, orgs.bureau, YEAR)["chapters"] for f in c["filled"]]
    assert names == ["办理公证"]


def data_kpis():
    from .kpis import KPIS

    return KPIS


def test_the_dashboard_shows_the_filled_figures_marked(orgs, users, data, client_for):
    from django.urls import reverse

    page = client_for(users.leader).get(reverse("stats:dashboard") + "?kind=year&year=2026").content.decode()
    assert 'data-filled="' in page and "办理公证" in page and "3,217件" in page and "填报" in page
    # An office sees its own organisation's filled figures only: the bureau's are not its own.
    page = client_for(users.office_a).get(reverse("stats:dashboard") + "?kind=year&year=2026").content.decode()
    assert "办理公证" not in page
