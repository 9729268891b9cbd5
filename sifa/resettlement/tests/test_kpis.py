"""The figures of 安置帮教, from bulk-built people (valid codes, the line's own
records): each count is what the statistics engine gives back (the path of the
dashboard, the figures page, the provincial return and the work summary); the
stocks (在册, 累计帮教, 已安置, 已签订协议) read at the period's end; the seed's
3,060 无缝衔接 of 3,184 监所释放 reads 96.11%; an office counts only its own."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest
from django.db import transaction

from sifa.cases import codes
from sifa.cases.models import Case
from sifa.common.docgen import read_text
from sifa.kit import registry
from sifa.ledgers.bulk import reserve_block
from sifa.orgs.selectors import bureau_of
from sifa.stats import engine
from sifa.stats import returns as stat_returns
from sifa.stats.periods import Period
from sifa.stats.report import builder

from ..choices import CASE_TYPE, Status
from ..kpis import FIGURES, KPIS, REPORT, RETURN
from ..models import Releasee

pytestmark = pytest.mark.django_db
D = date
YEAR = Period.year(2025)
_names = count(1)


def releasees(org, rows: list[dict]) -> list[Releasee]:
    """Cases of the line under ``org`` with their records, in two INSERTs. Each row: the
    record's fields; ``status`` and ``opened_on`` go to the case."""
    if not rows:
        return []
    bureau = bureau_of(org)
    with transaction.atomic():
        first = reserve_block(f"code:{bureau.region_code}:AZ:2025", len(rows))
        cases = Case.objects.bulk_create(
            [
                Case(
                    code=codes.build(bureau.region_code, "AZ", 2025, first + i),
                    case_type=CASE_TYPE,
                    bureau=bureau,
                    owner_org=org,
                    org_path=org.path,
                    status=row.get("status", Status.ASSISTING if row.get("handed_over_on") else Status.PENDING),
                    title=f"批量人员{next(_names)}（监狱刑满释放）",
                    opened_on=row.get("opened_on") or row.get("released_on") or D(2025, 1, 2),
                    closed_on=row.get("ended_on"),
                    year=2025,
                    seq=first + i,
                )
                for i, row in enumerate(rows)
            ],
            batch_size=2000,
        )
        fields = [{k: v for k, v in row.items() if k not in ("status", "opened_on")} for row in rows]
        return Releasee.objects.bulk_create(
            [Releasee(case=c, institution="演示省第一监狱", crime="盗窃罪", **f) for c, f in zip(cases, fields, strict=True)], batch_size=2000
        )


def figures(org, period=YEAR, user=None) -> dict:
    """{short key: Figure}"""
    got = engine.compute_many(KPIS, org, [period], user)
    return {k.key.removeprefix("resettlement."): got[(k.key, period)] for k in KPIS}


def numbers(org, period=YEAR, user=None) -> dict:
    """{short key: numerator (a count), or (numerator, denominator, display) for a rate}."""
    out = {}
    for key, f in figures(org, period, user).items():
        out[key] = (int(f.numerator), int(f.denominator), f.display) if f.kpi.is_ratio else int(f.numerator)
    return out


def test_every_figure_computes_on_an_empty_database_with_every_breakdown(orgs, users):
    assert REPORT.line == CASE_TYPE and REPORT.theme == "safety" and REPORT.title == "安置帮教工作"
    keys = {k.key for k in KPIS}
    assert {k.key for k in registry.kpis(CASE_TYPE)} == keys
    for key, dim in FIGURES:
        assert key in keys and dim in {d.key for d in registry.kpi(key).dimensions}, (key, dim)
    assert set(RETURN.kpi_keys) <= keys
    figs = engine.compute_many(KPIS, orgs.bureau, [YEAR], users.leader)
    for k in KPIS:
        assert k.definition and k.unit in ("人", "%") and "中办发〔2010〕5号" in k.source, k.key
        for text in (k.definition, k.source):
            assert ".py" not in text and ".md" not in text and "resettlement" not in text, k.key
        assert k.numerator.unit == "人" and (k.denominator is None or k.denominator.unit == "人"), k.key
        if k.is_ratio:
            assert "÷" in k.definition and k.rounding == "half_up", k.key
            assert figs[(k.key, YEAR)].display == "—", k.key
        assert figs[(k.key, YEAR)].numerator == 0, k.key
        for dim in k.dimensions:
            assert all(r["numerator"] == 0 for r in engine.breakdown(k, orgs.bureau, YEAR, dim, users.leader)), (k.key, dim.key)
    # The report names every figure it prints by a declared key.
    import re

    used = {m.split(":")[0] for _lead, text in REPORT.points for m in re.findall(r"\{(resettlement\.[a-z_:]+)\}", text)}
    assert used <= keys and used


def test_the_seeds_3060_seamless_of_3184_custodial_releases_read_96_11(orgs, users):
    """A city's report: 刑满释放人员无缝衔接 3,060 of 3,184 监所释放, 96.11% (rounded half-up)."""
    rows = []
    for i in range(3184):
        released = D(2025, 1, 1 + i % 28).replace(month=1 + i % 12)
        seamless = i < 3060
        rows.append(
            {
                "origin": "prison" if i % 3 else "detention",
                "released_on": released,
                "handed_over_on": released if seamless else None,
                "handover_way": "reported" if seamless else "",
                "seamless": seamless,
                "status": Status.ASSISTING if seamless else Status.UNLINKED,
            }
        )
    half = len(rows) // 2
    releasees(orgs.office_a, rows[:half])
    releasees(orgs.office_b, rows[half:])
    # 解除社区矫正 people and releases of another year change nothing.
    releasees(
        orgs.office_a,
        [{"origin": "correction", "released_on": D(2025, 6, 1), "handed_over_on": D(2025, 6, 1), "handover_way": "transferred", "seamless": True}],
    )
    releasees(
        orgs.office_a, [{"origin": "prison", "released_on": D(2024, 12, 31), "handed_over_on": D(2025, 1, 2), "handover_way": "reported", "seamless": True}]
    )
    rate = registry.kpi("resettlement.handover_rate")
    f = engine.compute(rate, orgs.bureau, YEAR)
    assert (f.numerator, f.denominator, f.display) == (3060, 3184, "96.11%")
    batch = engine.compute_many([rate], orgs.bureau, [YEAR], users.leader)[(rate.key, YEAR)]
    assert (batch.numerator, batch.denominator, batch.display) == (3060, 3184, "96.11%")
    assert engine.kpi_ratio(rate, 3060, 3184) == engine.ratio(3060, 3184, 2, "half_up")
    # The other definition a bureau may choose: everyone handed over, seamless or not.
    f = engine.compute(rate.with_choice("handed_over"), orgs.bureau, YEAR)
    assert (f.numerator, f.denominator) == (3060, 3184)


def world(orgs) -> None:
    """Eight people (see each line) whose 2025 figures a clerk would tally by hand."""
    releasees(
        orgs.office_a,
        [
            # r1: a key person collected at the gate, agreement signed, employed.
            {
                "key_person": True,
                "released_on": D(2025, 3, 1),
                "handed_over_on": D(2025, 3, 1),
                "handover_way": "collected",
                "seamless": True,
                "agreement_on": D(2025, 3, 10),
                "placement": "employed",
                "placed_on": D(2025, 4, 1),
                "grade": "medium",
            },
            # r2: from a detention centre, found late, re-offended on 31 December (not on the register at the year's end).
            {
                "origin": "detention",
                "released_on": D(2025, 5, 1),
                "unlinked_since": D(2025, 5, 9),
                "handed_over_on": D(2025, 6, 20),
                "handover_way": "found",
                "ended_on": D(2025, 12, 31),
                "end_kind": "reoffended",
                "reoffended_on": D(2025, 12, 31),
                "status": Status.ENDED,
            },
            # r3: released from community correction, handed on that day, needs no placement, agreement in 2026.
            {
                "origin": "correction",
                "released_on": D(2025, 7, 1),
                "handed_over_on": D(2025, 7, 1),
                "handover_way": "transferred",
                "seamless": True,
                "placement": "not_needed",
                "placed_on": D(2025, 7, 1),
                "agreement_on": D(2026, 1, 5),
            },
            # r4: a key person released and never found.
            {"key_person": True, "released_on": D(2025, 8, 1), "unlinked_since": D(2025, 8, 9), "status": Status.UNLINKED},
            # r5: still to be released.
            {"expected_release_on": D(2026, 2, 1), "status": Status.PENDING},
            # r6: released in 2020, its period ended on 1 January 2025 (累计帮教, not 在册).
            {
                "released_on": D(2020, 1, 1),
                "handed_over_on": D(2020, 1, 2),
                "handover_way": "reported",
                "seamless": True,
                "ended_on": D(2025, 1, 1),
                "end_kind": "expired",
                "status": Status.ENDED,
            },
            # r7: released in 2024, agreement and 低保 in 2024: on the register all year.
            {
                "released_on": D(2024, 6, 1),
                "handed_over_on": D(2024, 6, 2),
                "handover_way": "reported",
                "seamless": True,
                "agreement_on": D(2024, 6, 10),
                "placement": "dibao",
                "placed_on": D(2024, 7, 1),
            },
        ],
    )
    # r8: office B's key person, who reported on their own the next day.
    releasees(
        orgs.office_b,
        [{"key_person": True, "released_on": D(2025, 9, 1), "handed_over_on": D(2025, 9, 2), "handover_way": "reported", "seamless": True}],
    )


EXPECTED = {
    "released": 5,
    "released_custodial": 4,
    "released_correction": 1,
    "handed_over": 3,
    "seamless": 2,
    "handover_rate": (2, 4, "50.00%"),
    "key_released": 3,
    "collected": 1,
    "collection_rate": (1, 3, "33.33%"),
    "unlinked": 2,
    "on_register": 4,
    "managed": 6,
    "placed": 2,
    "placement_rate": (2, 4, "50.00%"),
    "agreed": 2,
    "assistance_rate": (2, 4, "50.00%"),
    "reoffended": 1,
    "reoffence_rate": (1, 6, "16.67%"),
}


def test_the_figures_count_what_the_records_say(orgs, users):
    world(orgs)
    assert numbers(orgs.bureau, user=users.leader) == EXPECTED
    released = registry.kpi("resettlement.released")
    by_origin = {r["key"]: int(r["numerator"]) for r in engine.breakdown(released, orgs.bureau, YEAR, released.dimensions[0], users.leader) if r["numerator"]}
    assert by_origin == {"prison": 3, "detention": 1, "correction": 1}
    stock = registry.kpi("resettlement.on_register")
    by_office = {r["label"]: int(r["numerator"]) for r in engine.breakdown(stock, orgs.bureau, YEAR, stock.dimensions[1], users.leader) if r["numerator"]}
    assert sorted(by_office.values()) == [1, 3] and len(by_office) == 2
    # 安置率 over those who need placing (a bureau's other definition): r3 needs none.
    rate = registry.kpi("resettlement.placement_rate").with_choice("need")
    f = engine.compute(rate, orgs.bureau, YEAR)
    assert (f.numerator, f.denominator, f.display) == (2, 3, "66.67%")
    # At the end of 2024: r6 and r7 on the register, r7 placed and with an agreement.
    end_2024 = numbers(orgs.bureau, Period.year(2024), users.leader)
    assert (end_2024["on_register"], end_2024["placed"], end_2024["agreed"], end_2024["released"]) == (2, 1, 1, 1)


def test_an_office_counts_only_its_own(orgs, users):
    world(orgs)
    mine = numbers(orgs.office_a)
    assert (mine["released"], mine["key_released"], mine["on_register"], mine["seamless"]) == (4, 2, 3, 1)
    theirs = numbers(orgs.office_b)
    assert (theirs["released"], theirs["collection_rate"], theirs["on_register"]) == (1, (0, 1, "0.00%"), 1)


def test_the_report_and_the_provincial_return_print_the_figures(orgs, users):
    world(orgs)
    text = read_text(builder.build(users.leader, orgs.bureau, YEAR))
    for phrase in (
        "刑满释放人员衔接工作扎实有效",
        "接收刑满释放和解除社区矫正人员5人",
        "衔接率50.00%",
        "必接必送率33.33%",
        "期末在册帮教对象4人",
        "安置率50.00%",
        "帮教率50.00%",
        "重新违法犯罪率16.67%",
    ):
        assert phrase in text, phrase
    assert "resettlement" not in text
    table = {r["row"].label: r for r in stat_returns.table(users.leader, RETURN, orgs.bureau, YEAR)}
    assert table["衔接率"]["current"].display == "50.00%"
    assert int(table["二、衔接情况：应衔接人数"]["current"].numerator) == 4
    assert int(table["三、安置情况：期末在册帮教对象"]["current"].numerator) == 4


def test_the_return_page_and_the_figures_page_answer_the_line_s_users(users, client_for):
    """The provincial return (半年报/年报) is declared on the line: the stats app shows and exports it."""
    from django.urls import reverse

    for who in ("leader", "staff"):
        c = client_for(getattr(users, who))
        page = c.get(reverse("stats:return", args=["resettlement.return"]) + "?kind=half&year=2026&part=1")
        assert page.status_code == 200 and "衔接率" in page.content.decode(), who
        assert c.get(reverse("stats:line", args=["resettlement"]) + "?year=2026").status_code == 200, who
    assert client_for(users.office_a).get(reverse("stats:return", args=["resettlement.return"])).status_code == 404
