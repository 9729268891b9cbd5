"""The portal's reads: which bureau receives online applications, and what the
public may see of a case."""

from __future__ import annotations

from django.utils import timezone

from sifa.deadlines.models import Deadline
from sifa.kit import registry
from sifa.kit.portal import PublicProgress
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org

from . import conf


def receiving_org() -> Org | None:
    """The district bureau whose queue online applications join (settings
    SIFA_PORTAL_BUREAU = its region code; by default the first district bureau)."""
    qs = Org.objects.filter(kind=OrgKind.BUREAU, is_active=True)
    code = conf.get("BUREAU")
    if code:
        qs = qs.filter(region_code=code)
    return qs.order_by("id").first()


def contact(org: Org | None) -> dict:
    """The portal's contact details: the receiving bureau's address and telephone as
    its organisation record holds them, the 12348 hotline and the office hours
    (settings SIFA_PORTAL_HOTLINE, SIFA_PORTAL_HOURS)."""
    return {
        "address": org.address if org else "",
        "phone": org.phone if org else "",
        "hotline": conf.get("HOTLINE"),
        "hours": conf.get("HOURS"),
    }


def progress(case) -> PublicProgress:
    """The line's public view of the case, or a plain default: status, dates and
    the next open deadline. Never names, ID numbers, addresses or staff."""
    ct = registry.case_type(case.case_type)
    if ct.public_progress is not None:
        return ct.public_progress(case)
    dl = Deadline.objects.filter(case=case, completed_on__isnull=True, cancelled=False, paused_since__isnull=True, due_date__gte=timezone.localdate())
    nxt = dl.order_by("due_date").first()
    return PublicProgress(
        stage=ct.status_label(case.status),
        received_on=case.opened_on,
        next_deadline_label=nxt.label if nxt else "",
        next_deadline_due=nxt.due_date if nxt else None,
        decided_on=case.closed_on,
    )
