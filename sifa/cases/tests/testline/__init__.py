"""A minimal business line used only by the kernel's tests (letters ZZ): an
installed app under the test settings, declared with the kit like any line,
so the kernel is tested without any real line and the kit's contract tests
run over it too."""

from __future__ import annotations

KEY = "testline"


def register():
    """The line is an installed app under the test settings; kept for old callers."""
    from .line import TYPE

    return TYPE


def __getattr__(name):
    # WORKFLOW, RULES, TYPE … live in ``line``; ``testline.TYPE`` keeps working.
    from . import line

    return getattr(line, name)
