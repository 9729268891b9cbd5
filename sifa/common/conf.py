"""Adjustable parameters with defaults: an app names its prefix and defaults once,
and a deployment overrides any of them in its settings (``SIFA_<PREFIX>_<NAME>``).
Values are read when used, so tests and deployments may change them at run time."""

from __future__ import annotations

from typing import Any


class Settings:
    def __init__(self, prefix: str, defaults: dict[str, Any]):
        self.prefix, self.defaults = prefix, dict(defaults)

    def get(self, name: str):
        from django.conf import settings

        return getattr(settings, f"{self.prefix}{name}", self.defaults[name])

    def rule(self, name: str):
        """The value as a deadline rule's ``amount_for`` / ``extend_on`` callable."""
        return lambda case=None, data=None: int(self.get(name))
