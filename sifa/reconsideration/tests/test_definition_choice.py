"""口径设置: the bureau's statistics administrator chooses 纠错率's denominator. The
figure, its printed definition and the audit log change, and nothing else; a bureau
elsewhere keeps its own; refusals change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.common.errors import DomainError
from sifa.kit import registry
from sifa.stats import choices, engine
from sifa.stats.describe import definition
from sifa.stats.models import KPIChoice
from sifa.stats.periods import Period

from .test_kpis import fy_rows

pytestmark = pytest.mark.django_db
YEAR = Period.year(2026)
KEY = "reconsideration.correction_rate"


def _data(orgs):
    corrective = ["change", "revoke", "confirm_illegal"] * 4  # 12
    fy_rows(orgs.bureau, corrective + ["uphold"] * 40 + ["dismiss_claim"] * 11)  # 63 decisions
    fy_rows(orgs.bureau, ["dismiss_application", "mediation", "terminate", "terminate"])  # 审结 67


def _snapshot(orgs):
    others = [k for k in registry.kpis() if k.key != KEY]
    figs = engine.compute_many(others, orgs.bureau, [YEAR])
    return {k: (f.numerator, f.denominator, f.display) for (k, _), f in figs.items()}


def test_changing_the_denominator_changes_the_figure_its_definition_and_the_log_only(orgs, users, client_for):
    _data(orgs)
    before_others = _snapshot(orgs)
    fig = engine.compute(registry.kpi(KEY), orgs.bureau, YEAR)
    assert (fig.numerator, fig.denominator, fig.display) == (12, 67, "17.91%")
    assert "采用口径：以审结案件为分母" in definition(fig.kpi)
    logged = AuditEntry.objects.filter(action="stats.kpi_choice").count()

    c = client_for(users.stat_admin)
    r = c.post(reverse("stats:definitions"), {"kpi": KEY, "variant": "decided", "rounding": "", "reason": "按司法部通报口径"})
    assert r.status_code == 302

    fig = engine.compute(registry.kpi(KEY), orgs.bureau, YEAR)
    assert (fig.numerator, fig.denominator, fig.display) == (12, 63, "19.05%")
    text = definition(fig.kpi)
    assert "采用口径：以作出行政复议决定的案件为分母" in text and "÷ 作出行政复议决定的审结案件数" in text
    entry = AuditEntry.objects.filter(action="stats.kpi_choice").latest("id")
    assert AuditEntry.objects.filter(action="stats.kpi_choice").count() == logged + 1
    assert entry.detail["before"].startswith("以审结案件为分母") and entry.detail["after"].startswith("以作出行政复议决定的案件为分母")
    assert entry.detail["reason"] == "按司法部通报口径" and entry.user == users.stat_admin
    assert _snapshot(orgs) == before_others  # nothing else moved

    # The dashboard and the leader's figures follow; the printed definition names the choice.
    page = client_for(users.leader).get(reverse("stats:line", args=["reconsideration"]) + "?year=2026").content.decode()
    assert "19.05%" in page and "12 / 63" in page
    # Another bureau keeps the declared definition.
    assert engine.compute(registry.kpi(KEY), orgs.other_bureau, YEAR).kpi.chosen == ""

    # Back to the declared one: the row goes, the log says so.
    choices.set_choice(users.stat_admin, KEY, variant="", reason="恢复默认口径")
    assert not KPIChoice.objects.exists()
    assert engine.compute(registry.kpi(KEY), orgs.bureau, YEAR).display == "17.91%"


def test_rounding_is_a_definition_too(orgs, users):
    _data(orgs)
    choices.set_choice(users.stat_admin, KEY, rounding="down", reason="本局历年截尾")
    fig = engine.compute(registry.kpi(KEY), orgs.bureau, YEAR)
    assert fig.display == "17.91%" and fig.kpi.rounding == "down"  # 17.910… either way
    assert "截尾（不四舍五入）" in definition(fig.kpi)


@pytest.mark.parametrize(
    "who,fields,field",
    [
        ("leader", {"variant": "decided", "reason": "x"}, None),
        ("staff", {"variant": "decided", "reason": "x"}, None),
        ("stat_admin", {"variant": "nope", "reason": "x"}, "variant"),
        ("stat_admin", {"variant": "decided", "reason": " "}, "reason"),
        ("stat_admin", {"variant": "decided", "rounding": "up", "reason": "x"}, "rounding"),
    ],
)
def test_refused_choices_change_nothing(orgs, users, who, fields, field):
    with pytest.raises(DomainError) as exc:
        choices.set_choice(getattr(users, who), KEY, **fields)
    assert exc.value.field == field
    assert not KPIChoice.objects.exists()
    assert AuditEntry.objects.filter(action="stats.kpi_choice", result="refused").exists()


def test_the_settings_page_is_the_statistics_administrators(orgs, users, client_for):
    assert client_for(users.stat_admin).get(reverse("stats:definitions")).status_code == 200
    for who in ("leader", "staff", "office_a", "sysadmin", "auditor"):
        assert client_for(getattr(users, who)).get(reverse("stats:definitions")).status_code == 404, who
    r = client_for(users.stat_admin).post(reverse("stats:definitions"), {"kpi": KEY, "variant": "decided", "reason": ""})
    assert r.status_code == 400 and "请填写“调整理由”" in r.content.decode()
    assert not KPIChoice.objects.exists()
