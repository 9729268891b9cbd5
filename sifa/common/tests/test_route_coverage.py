"""Every named route is covered by some app's access tests.

Convention: each app that owns routes has ``sifa/<app>/tests/access.py`` with
``COVERED_ROUTES``: the URL names its access-matrix tests exercise (every role ×
own/other office). A new route without access tests fails here, by name.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

# Routes that carry no case data and need no role (or are framework plumbing).
PUBLIC_OR_PLUMBING = {"healthz", "api-schema", "api-docs"}


def _names(resolver, ns=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _names(p, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}"


def covered() -> set[str]:
    out = set()
    for cfg in apps.get_app_configs():
        mod = f"{cfg.name}.tests.access"
        if cfg.name.startswith("sifa.") and find_spec(f"{cfg.name}.tests") and find_spec(mod):
            out |= set(import_module(mod).COVERED_ROUTES)
    return out


def test_every_named_route_has_access_tests():
    names = {n for n in _names(get_resolver()) if not n.startswith(("djdt", "static"))}
    missing = sorted(names - covered() - PUBLIC_OR_PLUMBING)
    assert missing == [], f"routes without access-matrix tests: {missing}"
