"""Writes of the line: registration (staff, API, portal), the steps' apply hooks
(``steps``, ``suit_steps``) and the nightly settlement of lapsed periods (``settle``)."""

from .registration import register_application, register_suit  # noqa: F401
from .settle import settle  # noqa: F401
