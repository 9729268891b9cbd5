"""The benchmark's KPIs and their registration, apart from run.py (which sets
Django up at import) so that the load benchmark's app config (apps.py) and the
cold-start process can register them too."""

from __future__ import annotations

from django.db.models import Q

# --- KPIs over a line's model -----------------------------------------------------------------------
#
# The lines' own tables are not filled, but their KPIs take one engine path the
# test line's do not: a measure over a model joined to its case (case_path).
# These two, over core tables that are filled, take that path.


def bench_kpis():
    from sifa.cases.tests.testline import KEY
    from sifa.kit.kpis import KPI, MONTH, OFFICE, Measure

    on_case = {"model": "cases.Party", "case_path": "case", "date_field": "case__opened_on", "case_types": (KEY,)}
    parties = Measure("当事人", **on_case)
    respondents = Measure("被申请人", **on_case, filter=Q(role="respondent"))
    multi = Measure("多方当事人案件", **on_case, filter=Q(sort_order__gt=0), agg="count_cases")
    order_sum = Measure("当事人序号合计", **on_case, agg="sum", sum_field="sort_order")
    overdue = Measure(
        "超期未办结",
        model="deadlines.Deadline",
        case_path="case",
        date_field="due_date",
        case_types=(KEY,),
        filter=Q(completed_on__isnull=True, cancelled=False),
    )
    return (
        KPI("bench.parties", KEY, "当事人人次", "人", numerator=parties, dimensions=(OFFICE, MONTH), headline=True, order=70),
        KPI("bench.respondent_rate", KEY, "有被申请人占比", "%", numerator=respondents, denominator=parties, headline=True, order=71),
        KPI("bench.multi_cases", KEY, "多方当事人案件", "件", numerator=multi, order=72),
        KPI("bench.order_sum", KEY, "当事人序号合计", "", numerator=order_sum, order=73),
        KPI("bench.overdue", KEY, "期限届满未办结", "件", numerator=overdue, dimensions=(OFFICE, MONTH), order=74, higher_is_better=False),
    )


def register():
    from sifa.cases.tests import testline
    from sifa.kit import registry
    from sifa.stats.tests.kpis import register_test_kpis

    testline.register()
    register_test_kpis()
    # Once per process (the load benchmark's app config and the cold process call it too).
    registry.add_kpis(*(k for k in bench_kpis() if registry.find_kpi(k.key) is None))
