"""Every action the code audits has a Chinese name on the auditor's pages."""

from __future__ import annotations

import ast
from pathlib import Path

import sifa
from sifa.audit.labels import all_labels

WRITERS = {"record", "refused"}


def _audited_actions() -> set[tuple[str, str]]:
    root = Path(sifa.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in WRITERS:
                continue
            first = node.args[0]
            for value in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add((value.value, str(path.relative_to(root))))
    return found


def test_every_audited_action_has_a_chinese_label():
    actions = _audited_actions()
    assert len(actions) > 40  # the scan itself works
    missing = sorted(f"{a} ({where})" for a, where in actions if a not in all_labels())
    assert not missing, missing
