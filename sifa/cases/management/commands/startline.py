"""``manage.py startline <label>``: a new business line in the canonical layout
(docs/adding-a-line.md), from the template in ``sifa/cases/line_template``:
one state, one step, one KPI, one document, one ledger, its record's migration,
its demo and its tests. It passes the kit's contract tests as generated.

Django's own ``startapp`` machinery renders it (``TemplateCommand``: ``*.py-tpl``
files and the README through the template engine, page and document templates
copied as they are); then the line is added to ``SIFA_LINE_APPS``. Removing it
again is deleting its folder and that entry.
"""

from __future__ import annotations

import re
import subprocess
import sys
from itertools import product
from pathlib import Path
from string import ascii_uppercase

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.templates import TemplateCommand
from django.db.migrations.loader import MigrationLoader

from sifa.kit import registry

TEMPLATE = Path(__file__).resolve().parents[2] / "line_template"
LINES_SETTING = re.compile(r"^(SIFA_LINE_APPS: list\[str\] = \[)(.*)(\])$", re.M)


class Command(TemplateCommand):
    help = "生成一条新业务线（标准目录结构、一个状态、一个办理步骤、一个指标、一份文书、一本台账），并加入 SIFA_LINE_APPS。"
    missing_args_message = "请给出业务线的标签：英文小写字母、数字和下划线，如 legal_aid。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="业务线标签（app label），如 legal_aid")
        parser.add_argument("--cn", default="新业务", help="中文名称，如 法律援助")
        parser.add_argument("--letters", default="", help="案件编码中的两位大写字母（默认取一对未用的）")

    def handle(self, **options):
        label = options.pop("name")
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,30}", label):
            raise CommandError("业务线标签应为英文小写字母开头，由小写字母、数字和下划线组成（2至31位）。")
        settings_file = Path(settings.BASE_DIR) / "config" / "settings" / "base.py"
        target = Path(settings.BASE_DIR) / "sifa" / label
        if target.exists():
            raise CommandError(f"sifa/{label} 已存在。")
        if not LINES_SETTING.search(settings_file.read_text(encoding="utf-8")):
            raise CommandError(f"在 {settings_file} 中找不到 SIFA_LINE_APPS。")
        letters = self._letters(label, options.pop("letters"))
        target.mkdir()
        options.update(
            template=str(TEMPLATE),
            extensions=["py", "md"],
            files=[],
            cn_name=options.pop("cn"),
            letters=letters,
            cases_migration=MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("cases")[0][1],
            order=max((line.order for line in registry.lines()), default=0) + 10,
        )
        try:
            super().handle("app", label, str(target), **options)
        except BaseException:
            import shutil

            shutil.rmtree(target, ignore_errors=True)
            raise
        # The house style (ruff format), whatever formatter Django's machinery found.
        subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(target)], check=False)  # noqa: S603 (our interpreter, our folder)
        text = settings_file.read_text(encoding="utf-8")
        settings_file.write_text(LINES_SETTING.sub(lambda m: f'{m[1]}{m[2]}, "sifa.{label}"{m[3]}', text, count=1), encoding="utf-8")
        self.stdout.write(
            f"已生成业务线 sifa/{label}（案件编码字母 {letters}），并加入 config/settings/base.py 的 SIFA_LINE_APPS。\n"
            f"下一步：make test；然后按 docs/adding-a-line.md 填写状态、步骤、期限、文书、指标和台账。"
        )

    def _letters(self, label: str, wanted: str) -> str:
        used = {ct.letters for ct in registry.case_types()}
        if wanted:
            if not re.fullmatch(r"[A-Z]{2}", wanted):
                raise CommandError("案件编码字母应为两位大写英文字母。")
            if wanted in used:
                raise CommandError(f"案件编码字母 {wanted} 已被其他业务使用。")
            return wanted
        words = [w for w in label.upper().split("_") if w]
        guesses = [words[0][:1] + (words[1][:1] if len(words) > 1 else words[0][1:2])] + ["".join(p) for p in product(ascii_uppercase, repeat=2)]
        return next(g for g in guesses if len(g) == 2 and g.isalpha() and g not in used)
