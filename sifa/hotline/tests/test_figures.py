"""The hotline's figures, made of imported call-centre ledgers, of orders worked
through their steps and of visits: each count chosen here is what the
statistics engine gives back, through the same path as the dashboard, the
return and the annual report; another office's orders never count for a user
who cannot see them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from sifa.cases import movement
from sifa.cases import services as case_services
from sifa.common.docgen import read_text
from sifa.deadlines import calendar
from sifa.deadlines.models import Deadline
from sifa.kit import registry
from sifa.registers.services import create_entry
from sifa.stats import engine
from sifa.stats.periods import Period
from sifa.stats.report import builder

from ..choices import Category, Channel, Point, Service
from ..kpis import KPIS, REPORT, RETURN
from ..registers import VISITS
from ..services import register
from .test_ledger import dispatched, import_orders, row

pytestmark = pytest.mark.django_db
D = date
YEAR = Period.year(2026)


def figure(key, org, user=None, period=YEAR):
    return engine.compute(registry.kpi(f"hotline.{key}"), org, period, user)


def by(key, dim, org, user=None) -> dict:
    k = registry.kpi(f"hotline.{key}")
    d = next(x for x in k.dimensions if x.key == dim)
    return {r["key"]: r["numerator"] for r in engine.breakdown(k, org, YEAR, d, user) if r["numerator"]}


def test_every_figure_computes_on_an_empty_database_with_every_breakdown(orgs, users):
    assert REPORT is not None and RETURN is not None
    assert {r.kpi for r in RETURN.rows} <= {k.key for k in KPIS}
    headline = {k.key for k in KPIS if k.headline}
    assert headline == {"hotline.orders", "hotline.on_time_rate", "hotline.satisfaction", "hotline.visits"}
    figs = engine.compute_many(KPIS, orgs.bureau, [YEAR], users.leader)
    for k in KPIS:
        assert k.definition and figs[(k.key, YEAR)].numerator == 0, k.key
        assert k.denominator is None or figs[(k.key, YEAR)].display == "—", k.key
        for dim in k.dimensions:
            assert all(r["numerator"] == 0 for r in engine.breakdown(k, orgs.bureau, YEAR, dim, users.leader)), (k.key, dim.key)


# 福州市司法局2022年工作总结 (seed 001): "全市12348公共法律服务热线平台……群众满意率98.49%". It gives the
# rate only: 1,307 satisfied or basically satisfied of 1,327 rated reads 98.49% (98.4928…),
# rounded half-up (the engine's default, ADR 0014) and truncated alike.
SEED_RATED, SEED_SATISFIED = 1327, 1307


def test_imported_orders_with_their_callbacks_give_the_seeds_satisfaction_rate(users, orgs, center):
    """1,327 rated orders imported from the call centre's ledger: 660 answered on the call and
    rated there, 667 dispatched to office A, answered by it and rated at the callback; of
    them 1,000 满意, 307 基本满意 and 20 不满意 (13 on the call, 7 at the callback). Three more
    have no rating and are in no denominator: two answered by the office and not yet called
    back, one whose callback found nobody. Satisfaction = 1,307 ÷ 1,327 = 98.49%."""
    assert (Decimal(SEED_SATISFIED) * 100 / SEED_RATED).quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("98.49")
    ratings = ["满意"] * 1000 + ["基本满意"] * 307 + ["不满意"] * 20
    rows = []
    for i, rating in enumerate(ratings):
        # Rated on the call: 647 satisfied and 13 unsatisfied; at the callback: the other 660 and 7.
        if i < 647 or 1307 <= i < 1320:
            rows.append(row(center, i, 满意度=rating))
        else:
            rows.append(dispatched(center, i, 回访日期="2026-03-05", 回访方式="电话回访", 满意度=rating))
    rows += [dispatched(center, 2000), dispatched(center, 2001), dispatched(center, 2002, 回访日期="2026-03-05", 回访方式="联系不上")]
    import_orders(users.staff, rows)
    sat = figure("satisfaction", orgs.bureau, users.leader)
    assert (sat.numerator, sat.denominator, sat.display) == (SEED_SATISFIED, SEED_RATED, "98.49%")
    batch = engine.compute_many([registry.kpi("hotline.satisfaction")], orgs.bureau, [YEAR], users.leader)[("hotline.satisfaction", YEAR)]
    assert batch.display == "98.49%"
    assert figure("orders", orgs.bureau).value == 1330
    assert figure("on_spot", orgs.bureau).value == 660
    assert figure("dispatched", orgs.bureau).value == 670
    unsatisfied = figure("unsatisfied_callback_rate", orgs.bureau)
    assert (unsatisfied.numerator, unsatisfied.denominator) == (7, 20)  # the 13 rated on the call were not called back
    callback = figure("callback_rate", orgs.bureau)
    assert (callback.numerator, callback.denominator) == (668, 670)  # the unreachable callback was made
    # The annual report says it in its own words.
    text = read_text(builder.build(users.leader, orgs.bureau, YEAR))
    assert "群众满意率98.49%" in text and "受理群众来电和转办工单1,330件" in text


def test_on_time_counts_working_days_across_the_national_day_holiday(users, orgs, center, operator):
    """Received on 2026-09-30 with 3 working days: 10-01…10-07 are the holiday and
    10-10 (Saturday) a make-up working day, so the limit runs to 10-10, not 10-03."""
    due = calendar.add_workdays(D(2026, 9, 30), 3)
    assert due == D(2026, 10, 10)
    caller = [{"role": "caller", "name": "节前来电人"}]

    def answered(on):
        order = register(operator, owner_org=center, parties=caller, summary="节前咨询", opened_on=D(2026, 9, 30))
        case_services.transition(operator, order, "answer", data={"answer": "已答复", "satisfaction": ""}, on=on)
        return order

    kept = answered(D(2026, 10, 9))  # nine calendar days later, within the limit
    late = answered(D(2026, 10, 12))
    open_order = register(operator, owner_org=center, parties=caller, summary="未答复", opened_on=D(2026, 9, 30))
    # The office answered an imported order on the make-up Saturday: on time, through the replayed clock.
    import_orders(users.staff, [dispatched(center, 1, 受理日期="2026-09-30", 派单日期="2026-09-30", 办理反馈日期="2026-10-10")])
    clocks = Deadline.objects.filter(key="handle")
    assert {d.due_date for d in clocks} == {due}
    assert clocks.get(case=kept).completed_on == D(2026, 10, 9) and clocks.get(case=late).completed_on == D(2026, 10, 12)
    assert clocks.get(case=open_order).completed_on is None  # not in the rate until done
    rate = figure("on_time_rate", orgs.bureau, users.leader)
    assert (rate.numerator, rate.denominator, rate.display) == (2, 3, "66.67%")  # half-up (ADR 0014)
    assert by("on_time_rate", "channel", orgs.bureau) == {Channel.HOTLINE: 2}  # the numerator's breakdown
    assert figure("on_time_rate", orgs.bureau, period=Period.month(2026, 9)).denominator == 0  # dated by completion


def _visit(user, org, on, point, service, name="来访人"):
    values = {"on": on, "owner_org": org, "person_name": name, "person_phone": "", "person_id_number": "", "summary": "咨询"}
    extra = {"result": "", "point": point, "point_name": "", "service": service, "category": Category.FAMILY, "served_by": ""}
    return create_entry(user, VISITS, values | extra)


def test_visitors_by_point_service_and_place(users, orgs, center, operator):
    for _ in range(3):
        _visit(operator, center, D(2026, 5, 6), Point.CENTER, Service.CONSULT)
    _visit(operator, center, D(2026, 5, 6), Point.CENTER, Service.LEGAL_AID)
    _visit(users.office_a, orgs.office_a, D(2026, 5, 7), Point.STATION, Service.MEDIATION)
    _visit(users.office_a, orgs.office_a, D(2026, 5, 8), Point.ROOM, Service.CONSULT)
    _visit(users.office_a, orgs.office_a, D(2025, 5, 8), Point.ROOM, Service.CONSULT)  # last year
    assert figure("visits", orgs.bureau, users.leader).value == 6
    assert by("visits", "point", orgs.bureau) == {Point.CENTER: 4, Point.STATION: 1, Point.ROOM: 1}
    assert by("visits", "service", orgs.bureau) == {Service.CONSULT: 4, Service.LEGAL_AID: 1, Service.MEDIATION: 1}
    assert by("visits", "desk", orgs.bureau) == {center.pk: 4, orgs.office_a.pk: 2}
    assert by("visits", "office", orgs.bureau) == {f"c{center.pk}": 4, f"c{orgs.office_a.pk}": 2}
    # Office B sees none of them; office A its own two.
    assert figure("visits", orgs.bureau, users.office_b).value == 0
    assert figure("visits", orgs.office_a, users.office_a).value == 2


def test_hand_overs_into_other_lines_are_counted_on_the_hotlines_side(users, orgs, center, operator):
    caller = [{"role": "caller", "name": "王五", "phone": "13800000003"}, {"role": "respondent", "name": "赵六"}]
    to_mediation = register(operator, owner_org=center, parties=caller, summary="邻里噪音纠纷")
    to_legal_aid = register(operator, owner_org=center, parties=caller, summary="追索劳动报酬，经济困难")
    register(operator, owner_org=center, parties=caller, summary="只是咨询")
    movement.hand_over(operator, to_mediation, "mediate", owner_org=orgs.committee_a, dispute_type="02")
    movement.hand_over(operator, to_legal_aid, "apply", owner_org=orgs.legal_aid)
    visit = _visit(users.office_a, orgs.office_a, D(2026, 10, 8), Point.STATION, Service.MEDIATION, name="钱七")
    movement.hand_over(users.office_a, visit, "mediate", owner_org=orgs.committee_a, dispute_type="02", respondent_name="孙八")
    this_year = Period.year(date.today().year)
    for user in (users.leader, operator):
        assert figure("handovers", orgs.bureau, user, this_year).value == 2
        assert figure("handovers_mediate", orgs.bureau, user, this_year).value == 1
        assert figure("handovers_apply", orgs.bureau, user, this_year).value == 1
        assert figure("handovers_reconsider", orgs.bureau, user, this_year).value == 0
    assert figure("visit_handovers", orgs.bureau, users.leader, this_year).value == 1
    assert figure("visit_handovers_mediate", orgs.bureau, users.leader, this_year).value == 1
    assert figure("visit_handovers_apply", orgs.bureau, users.leader, this_year).value == 0
    k = registry.kpi("hotline.handovers")
    cells = {r["key"]: r["numerator"] for r in engine.breakdown(k, orgs.bureau, this_year, k.dimensions[0], users.leader) if r["numerator"]}
    assert cells == {"mediate": 1, "apply": 1}
    # Office B sees neither the orders (the centre's) nor office A's visit.
    assert figure("handovers", orgs.bureau, users.office_b, this_year).value == 0
    assert figure("visit_handovers", orgs.bureau, users.office_b, this_year).value == 0
    # The figure opens the orders behind it.
    drill = engine.cases_behind(k, orgs.bureau, this_year, users.leader)
    assert set(drill) == {to_mediation, to_legal_aid}


def test_another_offices_orders_never_count(users, orgs, client_for):
    caller = [{"role": "caller", "name": "来电人"}]
    window = {"parties": caller, "channel": Channel.WINDOW, "answer": "已解答"}
    for _ in range(2):
        register(users.office_a, owner_org=orgs.office_a, summary="A所窗口咨询", satisfaction="satisfied", **window)
    register(users.office_b, owner_org=orgs.office_b, summary="B所窗口咨询", satisfaction="unsatisfied", **window)
    register(users.other_office, owner_org=orgs.other_office, parties=caller, summary="邻区咨询", channel=Channel.WINDOW)
    this_year = Period.year(date.today().year)
    assert figure("orders", orgs.bureau, users.leader, this_year).value == 3
    assert figure("orders", orgs.bureau, users.office_a, this_year).value == 2  # the bureau asked, office A's own given
    assert figure("orders", orgs.office_b, users.office_b, this_year).value == 1
    sat = figure("satisfaction", orgs.bureau, users.office_b, this_year)
    assert (sat.numerator, sat.denominator) == (0, 1)
    assert figure("orders", orgs.other_bureau, users.other_leader, this_year).value == 1
    assert figure("orders", orgs.bureau, users.other_leader, this_year).value == 0
    # The return's page shows the hotline's table to the bureau's leader.
    page = client_for(users.leader).get(reverse("stats:return", args=[RETURN.key]), {"org": orgs.bureau.pk, "kind": "year", "year": this_year.start.year})
    assert page.status_code == 200 and "12348公共法律服务热线和实体平台工作统计表" in page.content.decode()
