"""manage.py stats_verify [--from DATE] [--to DATE] [--org ORG]

Proves the KPI facts equal the live computation (docs/adr/0021): for every
rolled-up measure, organisation, case type and day of the period, every month
touching it and every "by type" month, the fact and the rows must agree; so must
the running deadlines' counts (``deadlinefacts``), as they stand today. First
brings the facts up to date (``--no-run``: as they stand), so a difference is a
fault, not a change waiting for the next run. A difference exits non-zero and names
the KPI, the organisation and the day or month.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sifa.orgs.models import Org
from sifa.stats import rollups
from sifa.stats.facts import built_keys

SHOWN = 50


def _date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} 日期格式应为 YYYY-MM-DD：{text}") from None


def find_org(text: str) -> Org:
    """An organisation by id, full name or (a bureau's) region code."""
    text = (text or "").strip()
    for lookup in ({"name": text}, {"region_code": text, "kind__in": _bureau_kinds()}):
        found = list(Org.objects.filter(**lookup)[:2])
        if len(found) == 1:
            return found[0]
    if text.isdigit() and (org := Org.objects.filter(pk=int(text)).first()) is not None:
        return org
    raise CommandError(f"找不到机构“{text}”（可填机构 id、完整名称或司法局的行政区划代码）。")


def _bureau_kinds() -> list[str]:
    from sifa.orgs.choices import OrgKind

    return [OrgKind.BUREAU, OrgKind.CITY_BUREAU]


def _shown(got) -> str:
    if got is None:
        return "无"
    value, rows = got
    return f"{value}" if rows is None else f"{value}（{rows}行）"


class Command(BaseCommand):
    help = "核对指标汇总（日汇总、月汇总、分类月汇总）和在办期限汇总与实时计算是否一致；不一致时列出指标、机构和时段并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="起始日期 YYYY-MM-DD（默认：今年1月1日）")
        parser.add_argument("--to", dest="end", help="截止日期 YYYY-MM-DD（默认：今天）")
        parser.add_argument("--org", help="只核对该机构及下级（机构 id、完整名称或司法局的行政区划代码）")
        parser.add_argument("--no-run", action="store_true", help="不先处理待汇总的变动，按现有汇总核对")

    def handle(self, *args, start=None, end=None, org=None, no_run=False, **options):
        today = timezone.localdate()
        start = _date(start, "--from") if start else date(today.year, 1, 1)
        end = _date(end, "--to") if end else today
        if start > end:
            raise CommandError("--from 不能晚于 --to。")
        if end - start > timedelta(days=3660):
            raise CommandError("核对期间最长十年。")
        within = find_org(org) if org else None
        if not no_run:
            rollups.run()
        if not built_keys():
            raise CommandError("尚未生成指标汇总：先运行 manage.py stats_rollup。")
        wrong = rollups.verify(start, end, within)
        scope = f"{within.name}及下级" if within else "全部机构"
        if not wrong:
            self.stdout.write(f"一致：{scope} {start}至{end}的指标汇总（日、月、分类）和在办期限汇总与实时计算相同。")
            return
        names = rollups.names()
        orgs = dict(Org.objects.filter(pk__in={w["org"] for w in wrong}).values_list("pk", "name"))
        for w in wrong[:SHOWN]:
            kind = f"；案件类型 {w['case_type']}" if w["case_type"] else "（含下级）"
            self.stderr.write(
                f"不一致：指标 {names.get(w['key'], w['key'])}；机构 {orgs.get(w['org'], w['org'])}（id {w['org']}）{kind}；"
                f"时段 {w['day']}；汇总 {_shown(w['fact'])}，实时 {_shown(w['live'])}"
            )
        if len(wrong) > SHOWN:
            self.stderr.write(f"……另有{len(wrong) - SHOWN}处不一致。")
        raise CommandError(f"{scope} {start}至{end}：{len(wrong)}处指标汇总与实时计算不一致（运行 manage.py stats_rollup --rebuild 重建）。")
