"""Reading a case page's 流程进度 and step buttons, for the lines' own page tests
(the rules themselves: ``test_step_guide.py``)."""

from __future__ import annotations

import re

from django.urls import reverse


def case_page(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def lead_steps(page) -> list[str]:
    """The labels of the primary step buttons, in order."""
    return re.findall(r'data-testid="step-lead"[^>]*>([^<]+)</a>', page)


def current_stage(page) -> str:
    found = re.search(r'sf-stage-current" aria-current="step"><span class="sf-stage-dot">\d+</span><span class="sf-stage-label">([^<]+)<', page)
    return found.group(1) if found else ""
