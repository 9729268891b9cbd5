"""How a case's audit entries read to the auditor: the step and the states by
their Chinese names (the entry stores their codes, which is what is hashed)."""

from __future__ import annotations

from sifa.kit import registry

from .models import Case


def describe_case_entry(entry) -> list[tuple[str, str]]:
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    if not any(k in detail for k in ("transition", "from", "to")):
        return []
    object_id = str(entry.object_id or "")
    case_type = Case.all_objects.filter(pk=int(object_id)).values_list("case_type", flat=True).first() if object_id.isdigit() else None
    ct = registry.find_type(case_type or "")
    if ct is None:
        return []
    lines = []
    step = ct.workflow.get(str(detail.get("transition", "")))
    if step is not None:
        lines.append(("办理步骤", f"{ct.label} · {step.label}"))
    if "from" in detail or "to" in detail:
        before, after = (ct.status_label(str(detail.get(k, ""))) for k in ("from", "to"))
        lines.append(("状态", f"{before} → {after}" if before != after else f"{after}（不变）"))
    return lines
