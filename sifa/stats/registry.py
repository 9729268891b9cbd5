"""Where lines register their KPIs. The stats app itself names no line."""

from __future__ import annotations

from .definitions import KPI, ReportSection

_kpis: dict[str, KPI] = {}
_line_labels: dict[str, str] = {}
_reports: dict[str, ReportSection] = {}


def register(*kpis: KPI, line_label: str = "") -> None:
    for k in kpis:
        if k.key in _kpis and _kpis[k.key] is not k:
            raise ValueError(f"KPI {k.key} registered twice")
        _kpis[k.key] = k
        if line_label:
            _line_labels[k.line] = line_label


def get(key: str) -> KPI:
    try:
        return _kpis[key]
    except KeyError:
        raise LookupError(f"unknown KPI {key!r}") from None


def find(key: str) -> KPI | None:
    return _kpis.get(key)


def all_kpis(line: str | None = None) -> list[KPI]:
    """In the lines' own order (the case-type registry's ``order``, so the
    dashboard reads 人民调解, 行政复议, 行政应诉 … like the case menus), then
    each KPI's ``order``."""
    items = [k for k in _kpis.values() if line is None or k.line == line]
    rank = _line_ranks()
    return sorted(items, key=lambda k: (rank.get(k.line, (10**6, k.line)), k.order, k.key))


def _line_ranks() -> dict:
    from sifa.cases import registry as case_registry

    return {ct.key: (ct.order, ct.key) for ct in case_registry.all_types()}


def lines() -> list[tuple[str, str]]:
    seen = []
    for k in all_kpis():
        if k.line not in [x for x, _ in seen]:
            seen.append((k.line, _line_labels.get(k.line, k.line)))
    return seen


def unregister(key: str) -> None:
    """For tests only."""
    _kpis.pop(key, None)


def register_report(section: ReportSection) -> None:
    """A line's sentence templates for the generated work summary (see ``ReportSection``)."""
    _reports[section.line] = section


def report_section(line: str) -> ReportSection | None:
    return _reports.get(line)


def unregister_report(line: str) -> None:
    """For tests only."""
    _reports.pop(line, None)
