"""/api/v1/resettlement/: the list (filtered like the page), registration and
one case are the kernel's, declared in ``line.py`` (``CaseType.api``); so are
the steps (``resettlement/<id>/steps/``). The line's own endpoints go here, each
with ``cases.api.line_only`` and the kernel's scoping."""

api_urlpatterns: list = []
