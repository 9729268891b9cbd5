from django.http import Http404

from sifa.cases.selectors import page_has, prime, visible_to

from .models import Attachment


def for_case(case):
    return case.attachments.filter(is_deleted=False).select_related("uploaded_by").order_by("uploaded_at", "id")


def access_attachment(user, pk) -> Attachment:
    """An attachment of a case the user may see, or 404 like a missing one."""
    try:
        return Attachment.objects.select_related("case").get(pk=pk, is_deleted=False, case__in=visible_to(user))
    except (Attachment.DoesNotExist, ValueError):
        raise Http404("未找到该附件。") from None


def for_case_page(case, events) -> list[Attachment]:
    """The case's attachments for its page, in one query: the 附件 tab's list (the live
    ones, as ``for_case``), and each of ``events`` given its own (``event.attachments.all``
    in 办理进展, deleted ones too, as a prefetch would), where both were read apart before."""
    # None at all (known with the case on its page): nothing to read.
    every = list(case.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")) if page_has(case, "attachments") else []
    by_event: dict[int, list[Attachment]] = {}
    for a in every:
        if a.event_id is not None:
            by_event.setdefault(a.event_id, []).append(a)
    for e in events:
        prime(e, "attachments", by_event.get(e.pk, []))  # what prefetch_related("attachments") leaves
    return [a for a in every if not a.is_deleted]
