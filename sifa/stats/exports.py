"""The statistics table as .xlsx (figures; definitions in the second sheet;
per-office values in the third), run as an export job so it shows progress
and lands in "我的导入导出"."""

from __future__ import annotations

from django.http import Http404, QueryDict
from django.utils import timezone

from sifa.common.errors import DomainError
from sifa.kit.kpis import OFFICE
from sifa.ledgers import xlsx
from sifa.ledgers.jobs import XLSX, ExportKind, ExportResult, register_kind

from . import engine
from .describe import definition, period_rule
from .forms import PeriodForm
from .selectors import by_line, kpis_for, line_label, may_see, scope_orgs


def resolve(user, params: dict):
    """(org, period) named by stored parameters, within the user's scope."""
    root, orgs = scope_orgs(user)
    if root is None:
        raise Http404()
    org_param = str((params or {}).get("org") or "")
    if org_param and not (org_param.isdigit() and orgs.filter(pk=int(org_param)).exists()):
        raise Http404("未找到该机构。")
    q = QueryDict(mutable=True)
    for k, v in (params or {}).items():
        if v not in (None, ""):
            q[k] = str(v)
    form = PeriodForm(q, orgs=orgs, root=root)
    if not form.is_valid():
        raise DomainError("统计期间或机构参数不正确。")
    org = form.chosen_org()
    if params.get("org") and str(org.pk) != str(params.get("org")):
        raise Http404("未找到该机构。")
    return org, form.period()


def _number_format(kpi) -> str:
    if kpi.is_ratio:
        return "0.00"
    return "#,##0.00" if kpi.unit == "元" else "#,##0"


def _num(v):
    return None if v is None else float(v)


def build_table(user, org, period, progress=None) -> tuple[bytes, int]:
    kpis = kpis_for(user, org)
    cmps = engine.compare_many(kpis, org, period, user)
    wb = xlsx.new_workbook()
    headers = ["业务条线", "指标", "数值", "单位", "分子", "分母", "上年同期", "同比", "上期", "环比", "口径"]
    sheet = xlsx.SheetWriter(wb, "统计表", headers, widths=[12, 22, 12, 6, 10, 10, 12, 16, 12, 16, 60])
    n = 0
    for _line, label, items in by_line(kpis):
        for k in items:
            c = cmps[k.key]
            f = _number_format(k)
            sheet.append(
                [
                    label,
                    k.label,
                    _num(c.current.value),
                    k.unit,
                    _num(c.current.numerator),
                    _num(c.current.denominator),
                    _num(c.previous_year.value),
                    c.yoy["text"],
                    _num(c.previous_period.value),
                    c.pop["text"],
                    definition(k),
                ],
                ["", "", f, "", "#,##0", "#,##0", f, "", f, "", ""],
            )
            n += 1
    defs = xlsx.SheetWriter(wb, "指标口径", ["指标代码", "业务条线", "指标", "单位", "计算口径", "统计期间", "依据"], widths=[28, 12, 22, 6, 70, 30, 24])
    for _line, label, items in by_line(kpis):
        for k in items:
            defs.append([k.key, label, k.label, k.unit, definition(k), period_rule(k), k.source])
    office_kpis = [k for k in kpis if OFFICE in k.dimensions]
    if office_kpis:
        rows = engine.breakdown_many(office_kpis, org, period, OFFICE, user)
        first = rows[office_kpis[0].key]
        per = xlsx.SheetWriter(
            wb, "分机构", ["机构", *[f"{line_label(k.line)}·{k.label}（{k.unit}）" for k in office_kpis]], widths=[22] + [16] * len(office_kpis)
        )
        for i, r in enumerate(first):
            per.append([r["label"], *[_num(rows[k.key][i]["value"]) for k in office_kpis]], ["", *[_number_format(k) for k in office_kpis]])
    info = xlsx.SheetWriter(wb, "说明", ["项目", "内容"], widths=[14, 70])
    info.append(["统计机构", f"{org.name}（含下属机构）"])
    info.append(["统计期间", f"{period.label}（{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}）"])
    info.append(["同比", f"与{period.previous_year().label}相比；比率的同比以“个百分点”表示"])
    info.append(["环比", f"与{period.previous().label}相比"])
    info.append(["数据范围", "导出人可见范围内的案件"])
    info.append(["生成时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    info.append(["生成人", f"{user.display_name}（{user.org.name}）"])
    if progress:
        progress(n, n)
    return xlsx.to_bytes(wb), n


def _check(user, params) -> str | None:
    return None if may_see(user) else "您的角色不能查看统计数据。"


def _check_report(user, params) -> str | None:
    """A report's Word only for those who may see that report; without one, the
    data part for anyone who sees the statistics (as before reports were records)."""
    if not (params or {}).get("report"):
        return _check(user, params)
    from . import reports

    return None if reports.visible(user).filter(pk=_report_id(params)).exists() else "未找到该工作总结。"


def _report_id(params) -> int:
    value = str(params.get("report") or "")
    return int(value) if value.isdigit() else 0


def _run_table(job, progress) -> ExportResult:
    org, period = resolve(job.user, job.params)
    content, n = build_table(job.user, org, period, progress)
    return ExportResult(f"{org.name}{period.label}统计表.xlsx", content, XLSX, n, {"org": org.name, "period": period.label})


def _run_report(job, progress) -> ExportResult:
    from sifa.ledgers.jobs import DOCX

    from .report import builder

    if job.params.get("report"):
        return _run_record(job, progress)
    org, period = resolve(job.user, job.params)
    content = builder.build(job.user, org, period, progress=progress)
    return ExportResult(f"{org.name}{period.label}工作总结（数据部分）.docx", content, DOCX, 1, {"org": org.name, "period": period.label})


def _run_record(job, progress) -> ExportResult:
    """A not-yet-issued report with today's figures and the text as it was when
    the download was asked for (``params["meta"]``); the cut-off is when this runs."""
    from sifa.ledgers.jobs import DOCX

    from . import reports
    from .report import builder

    try:
        report = reports.access(job.user, _report_id(job.params))
    except Http404:
        raise DomainError("未找到该工作总结，或您已无权查看。") from None
    meta = {**reports.meta_of(report), **(job.params.get("meta") or {})}
    meta["generated_at"] = timezone.localtime().isoformat(timespec="seconds")
    content = builder.build(job.user, report.org, reports.period_of(report), meta=meta, progress=progress)
    name = reports.file_name(report)
    return ExportResult(name, content, DOCX, 1, {"report": report.pk, "status": meta.get("status", ""), "org": report.org.name})


register_kind(ExportKind("stats.table", "统计报表导出", _run_table, check=_check))
register_kind(ExportKind("stats.report", "工作总结", _run_report, check=_check_report))
