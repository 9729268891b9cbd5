"""Run import-linter with the contracts of the house (ARCHITECTURE rule 2),
computed from the settings' app lists, so that a new line is checked the
moment it is installed and deleting it leaves nothing behind:

* ``sifa.common`` imports no other sifa package;
* ``sifa.kit`` (the declarations both sides import) imports nothing of sifa but common;
* the kernel (common, kit, orgs, accounts, audit, cases, deadlines, attachments, registers)
  imports neither the figures/ledgers/portal apps nor any line;
* stats, filings, ledgers, portal and demo import no line;
* a line imports no other line, and none of stats, ledgers or portal: it
  declares what they show in its ``line.py`` with ``sifa.kit`` (a line's tests
  may read figures through ``sifa.stats`` to check them).

    python tools/importlint.py        (make lint runs it)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.settings.base import SIFA_CORE_APPS, SIFA_LINE_APPS  # noqa: E402

KERNEL = ["sifa.common", "sifa.kit", "sifa.orgs", "sifa.accounts", "sifa.audit", "sifa.cases", "sifa.deadlines", "sifa.attachments", "sifa.registers"]
CONSUMERS = ["sifa.stats", "sifa.filings", "sifa.ledgers", "sifa.portal", "sifa.demo"]
assert set(SIFA_CORE_APPS) <= set(KERNEL + CONSUMERS), "a core app is neither kernel nor consumer: place it in tools/importlint.py"


def _list(name: str, items: list[str]) -> str:
    return f"{name} =\n" + "".join(f"    {i}\n" for i in items)


def contracts(lines: list[str]) -> str:
    out = ["[importlinter]\nroot_package = sifa\n"]

    def forbidden(key: str, name: str, sources: list[str], forbidden: list[str], ignore: list[str] = ()) -> None:
        text = f"[importlinter:contract:{key}]\nname = {name}\ntype = forbidden\n" + _list("source_modules", sources) + _list("forbidden_modules", forbidden)
        if ignore:
            text += _list("ignore_imports", list(ignore)) + "unmatched_ignore_imports_alerting = none\n"
        out.append(text)

    others = [m for m in KERNEL + CONSUMERS + lines if m != "sifa.common"]
    # Tests sit inside the package they test and may use the kernel to set their world up; never a line.
    kernel_tests = [f"sifa.common.tests.** -> {m}.**" for m in KERNEL + CONSUMERS if m != "sifa.common"]
    forbidden("common", "common is the foundation: it imports no other sifa package", ["sifa.common"], others, kernel_tests)
    forbidden("kit", "the kit declares, it does not do: it imports nothing of sifa but common", ["sifa.kit"], [m for m in others if m != "sifa.kit"])
    forbidden(
        "kernel",
        "the kernel imports neither stats, filings, ledgers, portal nor any line",
        KERNEL,
        [*CONSUMERS, *lines],
        # The kernel's own tests may look at figures, ledgers and the demo built on the test line.
        [f"sifa.*.tests.** -> {m}.**" for m in CONSUMERS],
    )
    if lines:
        forbidden("consumers", "stats, filings, ledgers, portal and demo import no line", CONSUMERS, lines)
        forbidden(
            "lines",
            "a line imports none of stats, filings, ledgers or portal: it declares what they show with sifa.kit",
            lines,
            ["sifa.stats", "sifa.filings", "sifa.ledgers", "sifa.portal"],
            [f"{line}.tests.** -> sifa.{app}.**" for line in lines for app in ("stats", "filings", "ledgers", "portal")],
        )
    if len(lines) > 1:
        name = "business lines are independent: no line imports another"
        out.append(f"[importlinter:contract:independent]\nname = {name}\ntype = independence\n" + _list("modules", lines))
    return "\n".join(out)


def main() -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as fh:
        fh.write(contracts(list(SIFA_LINE_APPS)))
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.call([str(exe), "--config", fh.name, *sys.argv[1:]], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
