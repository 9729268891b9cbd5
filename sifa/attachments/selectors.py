from django.http import Http404

from sifa.cases.selectors import visible_to

from .models import Attachment


def for_case(case):
    return case.attachments.filter(is_deleted=False).select_related("uploaded_by").order_by("uploaded_at", "id")


def access_attachment(user, pk) -> Attachment:
    """An attachment of a case the user may see, or 404 like a missing one."""
    try:
        return Attachment.objects.select_related("case").get(pk=pk, is_deleted=False, case__in=visible_to(user))
    except (Attachment.DoesNotExist, ValueError):
        raise Http404("未找到该附件。") from None
