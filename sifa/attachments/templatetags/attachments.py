from django import template
from django.conf import settings

from sifa.attachments.filetypes import LABEL

register = template.Library()


@register.simple_tag
def upload_rules() -> str:
    """“PDF、JPG … ，单个不超过 20 MB” from the allow-list and the configured limit."""
    from sifa.attachments.services import size_text

    return f"{LABEL}，单个不超过 {size_text(settings.SIFA_ATTACHMENT_MAX_BYTES)}"
