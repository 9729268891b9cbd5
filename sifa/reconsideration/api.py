"""/api/v1/reconsideration/ and /api/v1/litigation/: list (filtered like the
pages), register and detail are the kernel's, declared in ``line.py``
(``CaseType.api``); steps are the kernel's too (``reconsideration/<id>/steps/``).
What stays here are the step URLs of the last release."""

from __future__ import annotations

from sifa.cases.api import deprecated_step_route

from .choices import FY_KEY, YS_KEY

api_urlpatterns = [
    deprecated_step_route("reconsideration/<int:pk>/transitions/<str:name>/", "reconsideration-transition", FY_KEY),
    deprecated_step_route("litigation/<int:pk>/transitions/<str:name>/", "litigation-transition", YS_KEY),
]
