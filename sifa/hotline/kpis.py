"""The figures the hotline reports (placeholder until the figures land)."""

from sifa.kit.kpis import MONTH, OFFICE, Measure, family

from .choices import CASE_TYPE

RECEIVED = Measure("工单", model="hotline.WorkOrder", case_path="case", date_field="case__opened_on", case_types=(CASE_TYPE,))

kpi = family(CASE_TYPE, dimensions=(OFFICE, MONTH))

KPIS = (kpi("orders", "受理工单数", "件", RECEIVED, definition="统计期内受理的12348热线工单件数，按受理日期统计。", headline=True, order=10),)
REPORT = None
RETURN = None
