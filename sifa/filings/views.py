"""Pages of 填报: the bureau's indicators (统计管理员), each indicator's rounds and
their review, and 我的填报 with its fill form (office and bureau staff). Views
parse, check the role, call one service or selector and render; an object outside
the user's scope answers 404 like a missing one, a role that may not 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sifa.common.errors import DomainError
from sifa.kit.kpis import THEME_LABELS

from . import selectors, services
from .choices import Status
from .forms import FillForm, IndicatorForm, OpenRoundForm, ReasonForm

NOT_MANAGER = "只有统计管理员可以管理填报指标。"
NOT_FILLER = "您的角色不填报统计数据。"


def _manager(user) -> None:
    if not selectors.may_manage(user):
        raise PermissionDenied(NOT_MANAGER)


def _crumbs(*tail) -> list:
    return [("填报指标", reverse("filings:indicators")), *tail]


def _form_page(request, form, title: str, cancel_url: str, act, *, crumbs: list, template="includes/form_page.html", extra=None):
    """A form page: a valid POST runs ``act(form)``, which writes and returns where to
    go; a refusal shows beside its field (or above the form) with its status."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                return act(form)
            except DomainError as exc:
                if exc.field in form.fields:
                    form.add_domain_error(exc)
                else:
                    form.add_error(None, exc.message)
                status = exc.status_code
    context = {"title": title, "form": form, "cancel_url": cancel_url, "breadcrumbs": crumbs}
    return render(request, template, context | (extra or {}), status=status)


# --- indicators (统计管理员) -------------------------------------------------------------------------------


@login_required
def indicators(request):
    _manager(request.user)
    rows = selectors.indicator_rows(request.user)
    for ind in rows:
        ind.theme_label = THEME_LABELS.get(ind.theme, ind.theme)
    return render(
        request,
        "filings/indicators.html",
        {"rows": rows, "bureau": selectors.managed_bureau(request.user), "breadcrumbs": [("填报指标", None)]},
    )


@login_required
def indicator_create(request):
    user = request.user
    _manager(user)
    form = IndicatorForm(request.POST or None)

    def act(form):
        ind = services.create_indicator(user, form.values())
        messages.success(request, f"已新建填报指标“{ind.name}”。")
        return redirect("filings:indicator", pk=ind.pk)

    return _form_page(request, form, "新建填报指标", reverse("filings:indicators"), act, crumbs=_crumbs(("新建", None)))


@login_required
def indicator_edit(request, pk):
    user = request.user
    _manager(user)
    ind = selectors.access_indicator(user, pk)
    initial = {name: getattr(ind, name) for name in services.INDICATOR_FIELDS} | {"version": ind.version}
    locked = ("period_kind", "level") if ind.rounds.exists() else ()
    form = IndicatorForm(request.POST or None, initial=initial, locked=locked)

    def act(form):
        services.update_indicator(user, ind.pk, form.values(), expected_version=form.cleaned_data.get("version"))
        messages.success(request, "已保存。")
        return redirect("filings:indicator", pk=ind.pk)

    crumbs = _crumbs((ind.name, reverse("filings:indicator", args=[ind.pk])), ("修改", None))
    return _form_page(request, form, f"修改填报指标：{ind.name}", reverse("filings:indicator", args=[ind.pk]), act, crumbs=crumbs)


@login_required
def indicator(request, pk):
    """An indicator, its rounds (counts by status) and the form to open the next one."""
    user = request.user
    _manager(user)
    ind = selectors.access_indicator(user, pk)
    return render(
        request,
        "filings/indicator.html",
        {
            "ind": ind,
            "theme": THEME_LABELS.get(ind.theme, ind.theme),
            "rounds": selectors.rounds_of(ind),
            "form": OpenRoundForm(indicator=ind),
            "targets": selectors.target_orgs(ind).count(),
            "breadcrumbs": _crumbs((ind.name, None)),
        },
    )


@login_required
def round_open(request, pk):
    user = request.user
    _manager(user)
    ind = selectors.access_indicator(user, pk)
    form = OpenRoundForm(request.POST or None, indicator=ind)

    def act(form):
        rnd, made = services.open_round(user, ind.pk, form.period())
        if made:
            messages.success(request, f"已开启{rnd.label}填报，{made}个单位待填报。")
        else:
            messages.info(request, f"{rnd.label}的填报已开启，没有新增填报单位。")
        return redirect("filings:round", pk=rnd.pk)

    crumbs = _crumbs((ind.name, reverse("filings:indicator", args=[ind.pk])), ("开启填报", None))
    return _form_page(request, form, f"开启填报：{ind.name}", reverse("filings:indicator", args=[ind.pk]), act, crumbs=crumbs)


@login_required
def round_review(request, pk):
    """One round: every organisation's figure and status, with 退回 / 锁定 / 解锁."""
    user = request.user
    _manager(user)
    rnd = selectors.access_round(user, pk)
    today = timezone.localdate()
    rows = [(f, f.shown_status(today)) for f in selectors.round_filings(rnd)]
    locked = [f.value for f, _ in rows if f.status == Status.LOCKED and f.value is not None]
    ind = rnd.indicator
    return render(
        request,
        "filings/round.html",
        {
            "rnd": rnd,
            "ind": ind,
            "rows": rows,
            "locked_total": selectors.display(sum(locked), ind.unit) if locked else "—",
            "locked_count": len(locked),
            "breadcrumbs": _crumbs((ind.name, reverse("filings:indicator", args=[ind.pk])), (rnd.label, None)),
        },
    )


def _review_reason(request, pk, *, move: str, label: str, verb: str):
    user = request.user
    _manager(user)
    filing = selectors.access_review_filing(user, pk)
    form = ReasonForm(request.POST or None, label=label, initial={"version": filing.version})
    do = services.return_filing if move == "return" else services.unlock_filing

    def act(form):
        done = do(user, filing.pk, form.cleaned_data["reason"], expected_version=form.cleaned_data.get("version"))
        messages.success(request, f"已{verb}：{done.org.name}。")
        return redirect("filings:round", pk=filing.round_id)

    rnd = filing.round
    crumbs = _crumbs(
        (rnd.indicator.name, reverse("filings:indicator", args=[rnd.indicator_id])), (rnd.label, reverse("filings:round", args=[rnd.pk])), (verb, None)
    )
    title = f"{verb}：{filing.org.name} · {rnd.indicator.name} · {rnd.label}"
    return _form_page(
        request, form, title, reverse("filings:round", args=[rnd.pk]), act, crumbs=crumbs, template="filings/reason.html", extra={"filing": filing}
    )


@login_required
def filing_return(request, pk):
    return _review_reason(request, pk, move="return", label="退回原因", verb="退回")


@login_required
def filing_unlock(request, pk):
    return _review_reason(request, pk, move="unlock", label="解锁原因", verb="解锁")


@login_required
@require_POST
def filing_lock(request, pk):
    user = request.user
    _manager(user)
    filing = selectors.access_review_filing(user, pk)
    try:
        services.lock_filing(user, filing.pk, expected_version=request.POST.get("version") or None)
        messages.success(request, f"已锁定（审核通过）：{filing.org.name}。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("filings:round", pk=filing.round_id)


# --- 我的填报 (office and bureau staff) ------------------------------------------------------------------


@login_required
def mine(request):
    user = request.user
    if not selectors.may_fill(user):
        raise PermissionDenied(NOT_FILLER)
    today = timezone.localdate()
    rows = [(f, f.shown_status(today)) for f in selectors.my_filings(user)[:200]]
    return render(request, "filings/mine.html", {"rows": rows, "breadcrumbs": [("我的填报", None)]})


@login_required
def fill(request, pk):
    user = request.user
    if not selectors.may_fill(user):
        raise PermissionDenied(NOT_FILLER)
    filing = selectors.access_own_filing(user, pk)
    ind = filing.round.indicator
    # 1200.00 shows as 1200 (``normalize`` drops the zeros, ``:f`` keeps it out of exponent form).
    initial = {"value": "" if filing.value is None else f"{filing.value.normalize():f}", "note": filing.note, "version": filing.version}
    form = FillForm(request.POST or None, unit=ind.unit, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        # A submitted or locked filing is refused by the service itself (and audited as refused).
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                d = form.cleaned_data
                services.save_filing(user, filing.pk, value=d["value"], note=d["note"], submit=submit, expected_version=d.get("version"))
            except DomainError as exc:
                if exc.field in form.fields:
                    form.add_domain_error(exc)
                else:
                    form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, "已上报，等待统计管理员审核。" if submit else "已保存草稿（尚未上报）。")
                return redirect("filings:mine") if submit else redirect("filings:fill", pk=filing.pk)
    code, label, colour = filing.shown_status()
    return render(
        request,
        "filings/fill.html",
        {
            "filing": filing,
            "ind": ind,
            "form": form,
            "status": (code, label, colour),
            "theme": THEME_LABELS.get(ind.theme, ind.theme),
            "breadcrumbs": [("我的填报", reverse("filings:mine")), (f"{ind.name} · {filing.round.label}", None)],
        },
        status=status,
    )
