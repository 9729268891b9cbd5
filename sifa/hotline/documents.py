"""Documents of a work order: templates in ``templates/hotline/documents/``
(their commands: ``common.docgen``), each offered while ``available(case)``."""

from django.utils import timezone

from sifa.cases.documents import party_rows
from sifa.kit.casetype import DocumentSpec

from .choices import PARTY_ROLES, Status


def _context(case, user) -> dict:
    """The parties as one row each: phone in full only for roles that may reveal it."""
    return {"party_rows": party_rows(case, PARTY_ROLES, user), "today": timezone.localdate()}


def _dispatched(case) -> bool:
    rec = case.record
    return rec is not None and bool(rec.target)


DOCUMENTS = (
    DocumentSpec("order", "12348工单（受理单）", "hotline/documents/order.txt", context=_context),
    DocumentSpec("dispatch", "工单派单单", "hotline/documents/dispatch.txt", available=_dispatched, context=_context),
    DocumentSpec(
        "reminder",
        "催办通知书",
        "hotline/documents/reminder.txt",
        available=lambda case: case.record is not None and case.record.reminders > 0,
        context=_context,
    ),
    DocumentSpec(
        "reply", "工单办理结果答复单", "hotline/documents/reply.txt", available=lambda case: case.status in (Status.REPLIED, Status.CLOSED), context=_context
    ),
)
