"""知识库: the answers operators search while on a call (the panel beside the call
form asks ``search`` as they type), and the pages where the bureau keeps them.
Users outside the line get 404; readers (offices, leaders) are refused the
writing pages (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.cases import selectors as case_selectors
from sifa.common.errors import DomainError

from .. import selectors
from ..choices import CASE_TYPE
from ..forms import KnowledgeEditForm, KnowledgeForm, SearchForm
from ..services import knowledge


def _search(request, *, active_only=True):
    form = SearchForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.search_answers(request.user, d.get("q", ""), d.get("category", ""), active_only=active_only)
    return form, selectors.ordered_answers(qs, d.get("order", ""))


@login_required
def index(request):
    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    keeper = selectors.keeper_org(user)
    # Keepers list their 停用 entries too (to take them back into use); readers never.
    form, qs = _search(request, active_only=keeper is None)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "rows": page.object_list, "keeper": keeper, "breadcrumbs": [("知识库", None)]}
    return render(request, "hotline/knowledge_list.html", context)


@login_required
def search(request):
    """The panel on the call form: the eight best matches, as an HTML fragment."""
    case_selectors.require_line(request.user, CASE_TYPE)
    form, qs = _search(request)
    rows = list(qs[:8]) if form.is_valid() and (form.cleaned_data.get("q") or form.cleaned_data.get("category")) else []
    return render(request, "hotline/_knowledge_results.html", {"rows": rows, "asked": bool(request.GET.get("q"))})


@login_required
def detail(request, pk):
    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    a = selectors.answers(user, active_only=False).filter(pk=pk).first()
    if a is None:
        raise Http404()
    context = {"a": a, "can_edit": selectors.keeper_org(user) == a.org, "breadcrumbs": [("知识库", reverse("hotline:knowledge")), (a.question, None)]}
    return render(request, "hotline/knowledge_detail.html", context)


def _form_page(request, form, title, save, *, keeper, status=200):
    if request.method == "POST" and form.is_valid():
        try:
            a = save(form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status_code
        else:
            messages.success(request, f"已保存：{a.question}")
            return redirect("hotline:knowledge_detail", pk=a.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "title": title,
        "form": form,
        "cancel_url": reverse("hotline:knowledge"),
        "keeper": keeper,
        "breadcrumbs": [("知识库", reverse("hotline:knowledge")), (title, None)],
    }
    return render(request, "hotline/knowledge_form.html", context, status=status)


def _keeper(user):
    case_selectors.require_line(user, CASE_TYPE)
    org = selectors.keeper_org(user)
    if org is None:
        raise PermissionDenied(knowledge.NOT_A_KEEPER)
    return org


@login_required
def create(request):
    org = _keeper(request.user)
    form = KnowledgeForm(request.POST or None)
    return _form_page(request, form, "新增知识库条目", lambda d: knowledge.create_answer(request.user, org, **d), keeper=org)


@login_required
def edit(request, pk):
    org = _keeper(request.user)
    a = selectors.answers(request.user, active_only=False).filter(pk=pk).first()
    if a is None:
        raise Http404()
    if a.org_id != org.pk:
        raise PermissionDenied("该条目由其他单位维护，您不能修改。")
    initial = {f: getattr(a, f) for f in knowledge.FIELDS} | {"seen": knowledge.version(a)}
    form = KnowledgeEditForm(request.POST or None, initial=initial)
    return _form_page(request, form, f"修改知识库条目：{a.question}", lambda d: knowledge.update_answer(request.user, a, **d), keeper=org)


@login_required
@require_POST
def use(request, pk):
    """引用: the operator took this answer into the reply (counted; the copy is done in the page)."""
    case_selectors.require_line(request.user, CASE_TYPE)
    if not knowledge.note_use(request.user, pk):
        raise Http404()
    return HttpResponse(status=204)
