"""Demo of the work summary: the statistics administrator ``tongji`` has a draft of
last year's summary of the demo district, with 主送 and the narrative sections
written, ready to submit to the leader. Through the services (audited). Idempotent."""

from __future__ import annotations

from .models import Report
from .periods import Period

TEXT = {
    "recipients": "区委、区政府",
    "opening": "全年各项工作稳中有进，法治建设考核位居全市前列。",
    "problems": "一是基层司法所力量与承担的任务还不相适应。\n二是部分业务数据仍靠人工填报，信息化应用有待深化。",
    "next_steps": "一是持续推进矛盾纠纷源头预防和多元化解。\n二是完善公共法律服务网络，推动服务均衡可及。\n三是加强队伍教育管理，提升履职能力。",
}


def seed(ctx) -> None:
    from . import reports

    user = ctx.users.get("tongji")
    bureau = ctx.orgs.get("bureau")
    if user is None or bureau is None:
        return
    period = Period.year(ctx.today.year - 1)
    if Report.objects.filter(org=bureau, period_start=period.start).exists():
        return
    report = reports.create(user, bureau, period)
    reports.save_text(user, report.pk, {**reports.text_of(report), **TEXT})
    ctx.created += 1


def build_rollups(ctx) -> None:
    """Last of all the demo: the daily KPI facts (docs/adr/0021), so the leader's
    dashboard under ``make run`` reads them (and says "数据截至"). A second seed only
    processes the cases it changed."""
    from . import rollups

    rollups.run()
