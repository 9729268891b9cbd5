"""The same figures everywhere. With two years of reconsideration and litigation
work — cases worked step by step through the services and cases brought in from
the ledgers — the dashboard, the statistics table, its Excel export, the Word
report and /api/v1/stats/ agree with each other and with counts taken here
directly from the raw tables. A judicial office, and section staff without the
line, see none of these figures anywhere."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from sifa.accounts.roles import Role
from sifa.accounts.tests.factories import UserFactory
from sifa.cases.models import Case
from sifa.common.docgen import read_text
from sifa.ledgers.models import ExportJob
from sifa.reconsideration.models import Application, SuitHearing, SuitJudgment

from .factories import accepted, heard, make_application, make_suit, step
from .ledgerdata import fy_row, imported, ys_row

pytestmark = pytest.mark.django_db

FY, YS = "reconsideration", "litigation"
# Written out here, not taken from the line's code, so the check is independent.
CORRECTIVE = ["change", "revoke", "partial_revoke", "confirm_illegal", "confirm_invalid", "order_perform"]
DECISIONS = [*CORRECTIVE, "uphold", "dismiss_claim"]
CONCLUDED = [*DECISIONS, "dismiss_application", "mediation", "terminate"]
JUDGMENTS = ["dismiss_claim", "revoke", "order_perform", "order_payment", "confirm_illegal", "confirm_invalid", "compensation", "change", "agreement"]
LOST = [k for k in JUDGMENTS if k != "dismiss_claim"]
COUNTS = ("reconsideration.received", "reconsideration.accepted", "reconsideration.not_accepted", "reconsideration.concluded")
RATES = ("reconsideration.correction_rate", "reconsideration.mediation_withdrawal_rate", "reconsideration.on_time_rate")
YS_COUNTS = ("litigation.cases", "litigation.hearings", "litigation.first_instance_judgments")
YS_RATES = ("litigation.appearance_rate", "litigation.loss_rate")
KEYS = (*COUNTS, *RATES, *YS_COUNTS, *YS_RATES)
LABELS = {
    "reconsideration.received": "收到行政复议申请",
    "reconsideration.accepted": "受理",
    "reconsideration.not_accepted": "不予受理",
    "reconsideration.concluded": "审结",
    "reconsideration.correction_rate": "纠错率",
    "reconsideration.mediation_withdrawal_rate": "调撤率",
    "reconsideration.on_time_rate": "按期审结率",
    "litigation.cases": "行政应诉案件",
    "litigation.hearings": "开庭",
    "litigation.appearance_rate": "行政机关负责人出庭应诉率",
    "litigation.first_instance_judgments": "一审判决",
    "litigation.loss_rate": "一审败诉率",
}
UNITS = {"litigation.hearings": "次"}


def rate(num: int, den: int, down: bool = False) -> Decimal | None:
    """Half-up to two places, or truncated where the indicator is published so (ADR 0014)."""
    if not den:
        return None
    exact = Decimal(num) * 100 / Decimal(den)
    value = exact.quantize(Decimal("0.01"), ROUND_DOWN if down else ROUND_HALF_UP)
    # Never 100.00% unless it is 100%, never 0.00% unless it is 0 (ADR 0014).
    if value >= 100 and exact < 100:
        value = Decimal("99.99")
    elif value == 0 and exact > 0:
        value = Decimal("0.01")
    return value


def raw(org, year: int) -> dict:
    """{key: (value, numerator, denominator)} counted straight from the tables."""
    fy = Case.objects.filter(case_type=FY, org_path__startswith=org.path)  # live cases only
    ended = fy.filter(closed_on__year=year)
    apps = Application.objects.filter(case__is_deleted=False, case__case_type=FY, case__org_path__startswith=org.path)
    concluded = ended.filter(outcome__in=CONCLUDED).count()
    corrected = ended.filter(outcome__in=CORRECTIVE).count()
    mediated = ended.filter(Q(outcome="mediation") | Q(outcome="terminate", application__termination_reason__in=["withdrawn", "settled"])).count()
    on_time = ended.filter(outcome__in=CONCLUDED, application__concluded_on_time=True).count()
    suits = Case.objects.filter(case_type=YS, org_path__startswith=org.path)
    scope = {"case__is_deleted": False, "case__case_type": YS, "case__org_path__startswith": org.path}
    hearings = SuitHearing.objects.filter(**scope, held_on__year=year)
    judgments = SuitJudgment.objects.filter(**scope, judged_on__year=year, instance="first", kind__in=JUDGMENTS)
    # 出庭率 by case (the default definition): cases heard in the year, and those of them
    # where the head attended at least one hearing.
    h = hearings.values("case").distinct().count()
    a = hearings.filter(head_attended=True).values("case").distinct().count()
    j, lost = judgments.count(), judgments.filter(kind__in=LOST).count()
    counts = {
        "reconsideration.received": fy.filter(opened_on__year=year).count(),
        "reconsideration.accepted": apps.filter(accepted_on__year=year).count(),
        "reconsideration.not_accepted": ended.filter(outcome="not_accepted").count(),
        "reconsideration.concluded": concluded,
        "litigation.cases": suits.filter(opened_on__year=year).count(),
        "litigation.hearings": hearings.count(),
        "litigation.first_instance_judgments": j,
    }
    out = {k: (Decimal(v), Decimal(v), None) for k, v in counts.items()}
    for key, num, den in (
        ("reconsideration.correction_rate", corrected, concluded),  # over 审结 (the default definition)
        ("reconsideration.mediation_withdrawal_rate", mediated, concluded),
        ("reconsideration.on_time_rate", on_time, concluded),
        ("litigation.appearance_rate", a, h),
        ("litigation.loss_rate", lost, j),
    ):
        out[key] = (rate(num, den, down=key == "litigation.appearance_rate"), Decimal(num), Decimal(den))
    return out


def shown(key: str, value) -> str:
    if value is None:
        return "—"
    if key in RATES or key in YS_RATES:
        return f"{value:.2f}%"
    return f"{int(value):,}{UNITS.get(key, '件')}"


def same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(str(a)) == Decimal(str(b)))


# --- the data: two years, worked and imported ---------------------------------------------------------


def _fy_worked(users, year: int) -> None:
    def decided(on, kind, **kw):
        case = accepted(users, on, **kw)
        heard(users, case, on + timedelta(days=5))
        step(users.staff, case, "decide", on + timedelta(days=25), kind=kind, summary="认定事实清楚。")
        return case

    decided(date(year, 2, 3), "revoke")
    decided(date(year, 3, 2), "uphold")
    decided(date(year, 4, 1), "confirm_illegal")
    late = accepted(users, date(year, 5, 4), procedure="simplified", ground="warning", category="penalty_warning")
    step(users.staff, late, "decide", date(year, 6, 30), kind="change", summary="超期变更。")  # simplified: 30 days, decided after 56
    refused = make_application(users.staff, received_on=date(year, 6, 1))
    step(users.staff, refused, "not_accept", date(year, 6, 3), refusal_reason="out_of_time", explanation="超过申请期限。")
    mediated = accepted(users, date(year, 7, 1))
    step(users.staff, mediated, "mediate_close", date(year, 7, 20), agreement="退还一半罚款。")
    withdrawn = accepted(users, date(year, 8, 3))
    step(users.staff, withdrawn, "terminate", date(year, 8, 20), termination_reason="settled", note="和解后撤回。")
    accepted(users, date(year, 9, 1))  # under review
    make_application(users.staff, received_on=date(year, 10, 12))  # awaiting the acceptance review


def _ys_worked(users, year: int) -> None:
    def suit(served, hearings, kind):
        case = make_suit(users.staff, served_on=served)
        step(users.staff, case, "file_defence", served + timedelta(days=10), summary="答辩")
        for i, head in enumerate(hearings):
            on = served + timedelta(days=30 + 20 * i)
            extra = {"head_attended": True, "head_name": "王局长", "head_title": "局长"} if head else {"entrusted_name": "法制科长", "absence_reason": "duties"}
            step(users.staff, case, "record_hearing", on, held_on=on, **extra)
        if kind:
            judged = served + timedelta(days=90)
            step(users.staff, case, "record_judgment", judged, kind=kind, judged_on=judged, served_on=judged)
            step(users.staff, case, "close", judged + timedelta(days=20))
        return case

    suit(date(year, 1, 12), [True, False], "revoke")
    suit(date(year, 3, 9), [True], "dismiss_claim")
    suit(date(year, 5, 11), [False], "withdrawn")  # a ruling: not a judgment
    suit(date(year, 6, 1), [True, True], None)  # still in trial
    make_suit(users.staff, served_on=date(year, 8, 3))  # defence not yet filed


def _fy_ledger(year: int, start: int) -> list[dict]:
    kinds = ["revoke", "uphold", "uphold", "dismiss_claim", "mediation", "withdrawn", "criminal", "not_accepted", "abandoned", "change", "review", "open"]
    last_month = 12 if year < 2026 else 8  # every date (closing included) lies in the past
    rows = []
    for i in range(36):
        kind = kinds[i % len(kinds)]
        opened = date(year, 1 + i % last_month, 1 + (i * 7) % 28)
        rows.append(fy_row(start + i, kind, opened, late=kind == "uphold" and i % 2 == 0))
    return rows


def _ys_ledger(year: int, start: int) -> list[dict]:
    rows = []
    last_month = 12 if year < 2026 else 6
    for i in range(24):
        opened = date(year, 1 + i % last_month, 3 + i % 25)
        hearings = [(opened + timedelta(days=35), i % 3 != 0)] + ([(opened + timedelta(days=60), i % 2 == 0)] if i % 4 == 0 else [])
        kind = ["判决驳回原告诉讼请求", "判决撤销或部分撤销", "判决确认违法", "裁定驳回起诉"][i % 4]
        first = (kind, opened + timedelta(days=80)) if i % 5 else None
        rows.append(ys_row(start + i, opened, hearings=hearings, first=first, closed=opened + timedelta(days=110) if first and i % 2 else None))
    return rows


@pytest.fixture
def data(orgs, users, client_for):
    for year in (2025, 2026):
        _fy_worked(users, year)
        _ys_worked(users, year)
    staff = client_for(users.staff)
    imported(staff, FY, _fy_ledger(2025, 1000) + _fy_ledger(2026, 2000))
    imported(staff, YS, _ys_ledger(2025, 1000) + _ys_ledger(2026, 2000))
    # A neighbouring bureau's cases never count here.
    neighbour = UserFactory(username="neighbour", role=Role.SECTION, org=orgs.other_bureau, lines=[FY, YS])
    imported(client_for(neighbour), FY, _fy_ledger(2026, 3000))
    imported(client_for(neighbour), YS, _ys_ledger(2026, 3000))
    # Deleted cases never count, nor do their hearings and judgments.
    for case_type in (FY, YS):
        gone = Case.objects.filter(case_type=case_type, bureau=orgs.bureau, closed_on__year=2026).order_by("id").first()
        Case.all_objects.filter(pk=gone.pk).update(is_deleted=True)
    assert Case.objects.filter(case_type=FY, bureau=orgs.bureau).count() > 80


# --- reading each place -------------------------------------------------------------------------------


def _params(year: int, org) -> dict:
    return {"kind": "year", "year": year, "org": org.pk}


def _dashboard(client, params) -> dict:
    ctx = client.get(reverse("stats:dashboard"), params).context
    return {c["kpi"].key: c["figure"] for g in ctx["lines"] for c in g["cards"]}


def _table(client, params) -> dict:
    ctx = client.get(reverse("stats:table"), params).context
    return {c["kpi"].key: c for g in ctx["groups"] for c in g["cards"]}


def _download(client, url, params) -> bytes:
    q = "&".join(f"{k}={v}" for k, v in params.items())
    assert client.post(url + "?" + q).status_code == 302
    job = ExportJob.objects.latest("id")
    assert job.status == "done", job.message
    return b"".join(client.get(reverse("ledgers:export_download", args=[job.pk])).streaming_content)


def _excel(client, params) -> dict:
    wb = load_workbook(BytesIO(_download(client, reverse("stats:table_export"), params)), read_only=True)
    defs = list(wb["指标口径"].iter_rows(values_only=True))[1:]
    key_of = {(r[1], r[2]): r[0] for r in defs}
    # 业务条线, 指标, 数值, 单位, 分子, 分母, 上年同期, …
    return {key_of[(r[0], r[1])]: r for r in list(wb["统计表"].iter_rows(values_only=True))[1:]}


def _report(client, params) -> str:
    return read_text(_download(client, reverse("stats:report"), params))


def _api(client, params, key):
    return client.get(reverse("api:stats-kpi", args=[key]), params)


# --- the checks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_place_agrees_with_the_raw_tables(orgs, users, client_for, data, year):
    c = client_for(users.leader)
    params = _params(year, orgs.bureau)
    expected, last_year = raw(orgs.bureau, year), raw(orgs.bureau, year - 1)
    assert expected["reconsideration.concluded"][0] > 10 and expected["litigation.hearings"][0] > 10  # enough data to mean something
    assert expected["reconsideration.correction_rate"][2] > expected["reconsideration.correction_rate"][1] > 0
    assert expected["litigation.hearings"][0] > expected["litigation.appearance_rate"][2]  # some cases were heard twice

    dash = _dashboard(c, params)
    headline = {k for k in dash if k.startswith(("reconsideration.", "litigation."))}
    assert {"reconsideration.received", "reconsideration.correction_rate", "litigation.cases", "litigation.appearance_rate"} <= headline
    for key in headline:
        assert same(dash[key].value, expected[key][0]), (key, dash[key].value, expected[key])
        assert same(dash[key].numerator, expected[key][1]) and same(dash[key].denominator, expected[key][2]), key

    table = _table(c, params)
    excel = _excel(c, params)
    for key in KEYS:
        value, num, den = expected[key]
        card = table[key]
        assert same(card["figure"].value, value) and card["display"] == shown(key, value), (key, card["display"], value)
        assert same(card["previous_year"].value, last_year[key][0]), key
        row = excel[key]
        assert same(row[2], value) and same(row[4], num) and same(row[6], last_year[key][0]), (key, row, expected[key])
        if den is not None:
            assert same(row[5], den), key
        body = _api(c, params, key).json()
        assert same(body["value"], value) and same(body["numerator"], num) and same(body["denominator"], den), (key, body)
        assert same(body["yoy"]["value"], last_year[key][0]) and body["definition"], key

    text = _report(c, params)
    v = {k: e[0] for k, e in expected.items()}
    n = {k: int(e[1]) for k, e in expected.items()}
    d = {k: int(e[2]) for k, e in expected.items() if e[2] is not None}
    r = {k: shown(k, value) for k, value in v.items()}
    assert "行政复议工作" in text and "行政应诉工作" in text
    for sentence in (
        f"全年共收到行政复议申请{n['reconsideration.received']:,}件，",
        f"受理{n['reconsideration.accepted']:,}件，不予受理{n['reconsideration.not_accepted']:,}件；审结{n['reconsideration.concluded']:,}件。",
        f"作出变更、撤销、确认违法、确认无效、责令履行等纠错决定{n['reconsideration.correction_rate']:,}件，纠错率{r['reconsideration.correction_rate']}"
        f"（审结的案件{d['reconsideration.correction_rate']:,}件，其中作出纠错决定的案件{n['reconsideration.correction_rate']:,}件），",
        f"调解和撤回申请结案{n['reconsideration.mediation_withdrawal_rate']:,}件，调撤率{r['reconsideration.mediation_withdrawal_rate']}；"
        f"在法定期限内审结{n['reconsideration.on_time_rate']:,}件，按期审结率{r['reconsideration.on_time_rate']}。",
        f"全年共办理行政应诉案件{n['litigation.cases']:,}件，",
        f"开庭{n['litigation.hearings']:,}次，行政机关负责人出庭应诉率{r['litigation.appearance_rate']}"
        f"（开庭审理的案件{d['litigation.appearance_rate']:,}件，其中负责人出庭的案件{n['litigation.appearance_rate']:,}件），",
        f"一审判决{n['litigation.first_instance_judgments']:,}件，其中行政机关败诉{n['litigation.loss_rate']:,}件，一审败诉率{r['litigation.loss_rate']}，",
    ):
        assert sentence in text, sentence
    for key in KEYS:  # the table of each section: this year, last year
        row = f"\n{LABELS[key]}\n{shown(key, expected[key][0])}\n{shown(key, last_year[key][0])}\n"
        assert row in text, row
    assert "纠错率 =（变更 + 撤销（含部分撤销）+ 确认违法 + 确认无效 + 责令履行）" in text and "出庭率 = 行政机关负责人出庭应诉的案件数" in text
    assert "采用口径：以审结案件为分母" in text and "采用口径：按案件数（件）" in text


def test_section_staff_of_the_line_sees_the_same_figures(orgs, users, client_for, data):
    expected = raw(orgs.bureau, 2026)
    c = client_for(users.staff)
    for key in KEYS:
        assert same(_api(c, _params(2026, orgs.bureau), key).json()["value"], expected[key][0]), key


def test_drill_down_lists_the_cases_behind_the_numbers(orgs, users, client_for, data):
    c = client_for(users.leader)
    expected = raw(orgs.bureau, 2026)
    for key in ("reconsideration.received", "reconsideration.concluded", "litigation.cases"):
        resp = c.get(reverse("stats:drill"), {**_params(2026, orgs.bureau), "kpi": key})
        assert resp.status_code == 200 and resp.context["page_obj"].paginator.count == expected[key][0], key
    corrected = c.get(reverse("stats:drill"), {**_params(2026, orgs.bureau), "kpi": "reconsideration.correction_rate"})
    assert corrected.context["page_obj"].paginator.count == expected["reconsideration.correction_rate"][1]
    assert {x.outcome for x in corrected.context["page_obj"].object_list} <= set(CORRECTIVE)


@pytest.mark.parametrize("who", ["office_a", "staff_other_line"])
def test_office_and_other_section_staff_see_none_of_these_figures(orgs, users, client_for, data, who):
    user = getattr(users, who)
    c = client_for(user)
    params = {"kind": "year", "year": 2026}
    ours = lambda keys: {k for k in keys if k.startswith(("reconsideration.", "litigation."))}  # noqa: E731
    assert not ours(_dashboard(c, params)) and not ours(_table(c, params)) and not ours(_excel(c, params))
    catalogue = c.get(reverse("api:stats-kpis")).json()["results"]
    assert not ours(k["key"] for k in catalogue)
    for key in KEYS:
        assert _api(c, params, key).status_code == 404, key
        assert _api(c, _params(2026, orgs.bureau), key).status_code == 404, key
        assert c.get(reverse("stats:drill"), {**params, "kpi": key}).status_code == 404, key
    # The hotline's section counts its own orders and visits handed over to reconsideration
    # (工单转行政复议数 …): the hotline's figures, about its orders, not reconsideration's.
    text = "\n".join(line for line in _report(c, params).splitlines() if "工单" not in line and "来访" not in line)
    for word in ("行政复议", "行政应诉", "纠错率", "出庭应诉率", "败诉率"):
        assert word not in text, word
    assert c.get(reverse("stats:line", args=["reconsideration"])).status_code == 404
