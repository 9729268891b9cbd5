"""/api/v1/cases/: list, detail, search, by code, timeline, reveal; the steps of
every case type (``<api root>/<id>/steps/``); and the bases a line's own API is
declared with (``LineCases``, ``LineCase``). The same scoping as the pages:
``visible_to`` / ``access_case``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record
from sifa.common.errors import DomainError, PermissionRefused
from sifa.kit import registry
from sifa.kit.casetype import BUREAU

from . import assignees, selectors, services
from . import parties as party_services
from .models import Party
from .serializers import (
    AssigneeSerializer,
    AssignRequestSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    EventSerializer,
    StepInfo,
    TransitionRequestSerializer,
    step_info,
)


def line_only(case_type: str) -> type:
    """A mixin for a line's own endpoints: users outside the line get 404, as on its pages."""

    class LineOnly:
        def initial(self, request, *args, **kwargs):
            super().initial(request, *args, **kwargs)
            selectors.require_line(request.user, case_type)

    return LineOnly


class CaseScopedMixin:
    """Base for every line's case API: the queryset is what the user may see,
    optionally narrowed to the line's case types."""

    case_types: tuple[str, ...] = ()

    def scoped_cases(self):
        qs = selectors.visible_to(self.request.user)
        if self.case_types:
            qs = qs.filter(case_type__in=self.case_types)
        return qs


@extend_schema(
    summary="案件列表",
    parameters=[
        OpenApiParameter("q", str, description="案件编码（全部或其中一段，如 0246）、当事人姓名或拼音首字母、电话号码（后四位或完整号码）、身份证号"),
        OpenApiParameter("case_type", str),
        OpenApiParameter("status", str),
    ],
)
class CaseList(CaseScopedMixin, generics.ListAPIView):
    serializer_class = CaseListSerializer

    def get_queryset(self):
        p = self.request.query_params
        qs = self.scoped_cases()
        if p.get("q"):
            qs = selectors.search(self.request.user, p["q"], qs)
        if p.get("case_type"):
            qs = qs.filter(case_type=p["case_type"])
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        return qs.select_related("owner_org", "handler").order_by("-opened_on", "-id")


@extend_schema(summary="案件详情（个人信息已脱敏）")
class CaseDetail(CaseScopedMixin, generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer

    def get_object(self):
        case = selectors.access_case(self.request.user, self.kwargs["pk"])
        record("case.view", actor=self.request.user, obj=case, detail={"via": "api"})
        return case


@extend_schema(summary="按案件编码查询")
class CaseByCode(CaseDetail):
    def get_object(self):
        case = selectors.access_case(self.request.user, code=self.kwargs["code"])
        record("case.view", actor=self.request.user, obj=case, detail={"via": "api"})
        return case


@extend_schema(summary="办理进展（时间线）")
class CaseTimeline(generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = None

    def get_queryset(self):
        case = selectors.access_case(self.request.user, self.kwargs["pk"])
        return selectors.timeline(case)


class TransitionResult(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    version = serializers.IntegerField()
    event = EventSerializer()


def take_step(request, pk, name, *, case_type: str | None = None) -> Response:
    """POST one step: the body's ``data`` goes through the step's form, as on the page."""
    if case_type is not None:
        selectors.access_line_case(request.user, pk, case_type)
    body = TransitionRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    d = body.validated_data
    event = services.transition(request.user, pk, name, data=d.get("data") or {}, reason=d.get("reason", ""), expected_version=d.get("version"), on=d.get("on"))
    case = event.case
    case.refresh_from_db()
    return Response(
        {"status": case.status, "status_label": case.status_label, "version": case.version, "event": EventSerializer(event).data},
        status=status.HTTP_200_OK,
    )


STEP_DOC = "data 为该步骤表单的字段（见同一案件的 steps/ 目录）；拒绝时返回 400/403 和中文 detail（field 指明字段），版本不一致返回 409，均不改变任何数据。"


class CaseSteps(APIView):
    """GET: the steps the user may take on this case now, each with its form's
    fields — exactly the buttons the case page shows."""

    case_type = ""

    def get(self, request, pk):
        case = selectors.access_line_case(request.user, pk, self.case_type)
        rec = case.record
        return Response([step_info(t, services.bind_step_form(t, case, rec) if t.form else None) for t in services.allowed_steps(request.user, case)])


class CaseStep(APIView):
    case_type = ""

    def post(self, request, pk, name):
        return take_step(request, pk, name, case_type=self.case_type)


def step_routes() -> list:
    """/api/v1/<api root>/<pk>/steps/ and …/steps/<name>/ for every case type."""
    out = []
    for ct in registry.case_types():
        root = ct.api_root.replace("/", "_")

        # A function of its own per case type: the schema annotations sit on the function.
        def catalogue(self, request, pk):
            return CaseSteps.get(self, request, pk)

        def take(self, request, pk, name):
            return CaseStep.post(self, request, pk, name)

        catalogue = extend_schema(
            summary="本案当前可执行的办理步骤及其字段", responses={200: StepInfo(many=True)}, tags=[ct.label], operation_id=f"{root}_case_steps"
        )(catalogue)
        take = extend_schema(
            summary="执行办理步骤",
            request=TransitionRequestSerializer,
            responses={200: TransitionResult},
            description=STEP_DOC,
            tags=[ct.label],
            operation_id=f"{root}_case_step",
        )(take)
        steps = type(f"{root.title()}Steps", (CaseSteps,), {"case_type": ct.key, "get": catalogue})
        step = type(f"{root.title()}Step", (CaseStep,), {"case_type": ct.key, "post": take})
        out += [
            path(f"{ct.api_root}/<int:pk>/steps/", steps.as_view(), name=f"{ct.api_root}-steps"),
            path(f"{ct.api_root}/<int:pk>/steps/<str:name>/", step.as_view(), name=f"{ct.api_root}-step"),
        ]
    return out


def deprecated_step_route(route: str, name: str, case_type: str | None = None):
    """An old step URL kept for one release (ADR 0010): the same step, marked deprecated."""

    @extend_schema(summary="执行办理步骤（旧地址，将在下一版本移除）", request=TransitionRequestSerializer, responses={200: TransitionResult}, deprecated=True)
    class Old(APIView):
        def post(self, request, pk, name):
            return take_step(request, pk, name, case_type=case_type)

    Old.__name__ = Old.__qualname__ = f"Deprecated{name.title().replace('-', '')}"
    return path(route, Old.as_view(), name=name)


def _param_type(field):
    from django import forms

    if isinstance(field, (forms.ModelChoiceField, forms.IntegerField)):
        return int
    if isinstance(field, forms.BooleanField):
        return bool
    return OpenApiTypes.DATE if isinstance(field, forms.DateField) else str


def filter_parameters(spec, aliases: dict) -> list:
    """The list page's filter form as the list endpoint's query parameters."""
    old = {new: name for name, new in aliases.items()}
    out = []
    for name, f in spec.filter_form.base_fields.items():
        text = {"status": "状态；open = 在办", "q": "案件编码（全部或其中一段）、当事人姓名或拼音首字母、电话号码、身份证号"}.get(name, str(f.label or name))
        if name in old:
            text += f"（旧参数名 {old[name]} 仍可用）"
        out.append(OpenApiParameter(name, _param_type(f), description=text))
    return out


def case_routes() -> list:
    """The declared endpoints (``CaseType.api``) of every case type."""
    out = []
    for ct in registry.case_types():
        a = ct.api
        if a is None:
            continue
        spec = registry.list_spec(a.list_key or ct.key)
        tags, base = [ct.label], a.path or f"{ct.api_root}/"
        list_name, detail_name = a.route_names(ct.api_root)

        def get(self, request, *args, **kwargs):
            return LineCases.get(self, request, *args, **kwargs)

        def post(self, request, *args, **kwargs):
            return LineCases.post(self, request, *args, **kwargs)

        attrs = {
            "list_key": spec.key,
            "serializer_class": a.list_serializer,
            "create_serializer_class": a.create_serializer,
            "detail_serializer_class": a.detail_serializer,
            "param_aliases": a.param_aliases,
            "register": (lambda self, user, data, fn=a.register: fn(user, **data)) if a.register else LineCases.register,
            "get": extend_schema(summary=a.summaries[0] or f"{ct.label}案件列表", parameters=filter_parameters(spec, a.param_aliases), tags=tags)(get),
        }
        if a.create_serializer is not None:
            responses = {201: a.detail_serializer, **a.create_errors}
            summary = a.summaries[1] or f"登记{ct.label}案件"
            attrs["post"] = extend_schema(summary=summary, request=a.create_serializer, responses=responses, description=a.create_description, tags=tags)(post)
        else:
            attrs["http_method_names"] = ["get", "head", "options"]
        name = "".join(part.title() for part in ct.api_root.replace("/", "_").split("_"))
        many = type(f"{name}List", (LineCases,), attrs)
        one = type(f"{name}Detail", (LineCase,), {"case_type": ct.key, "serializer_class": a.detail_serializer})
        one = extend_schema(summary=a.summaries[2] or f"{ct.label}案件详情（含各项期限及届满日，个人信息已脱敏）", tags=tags)(one)
        out += [path(base, many.as_view(), name=list_name), path(f"{base}<int:pk>/", one.as_view(), name=detail_name)]
    return out


# --- the bases of a line's case API ----------------------------------------------------------------------


class LineCases(CaseScopedMixin, generics.ListCreateAPIView):
    """GET: the line's cases, filtered with the same form as its list page
    (``list_key``); POST: register one through the line's own service."""

    list_key = ""
    create_serializer_class = None
    detail_serializer_class = None
    # old query parameter -> the filter form's field, kept for API clients
    param_aliases: dict[str, str] = {}

    def get_serializer_class(self):
        return self.create_serializer_class if self.request.method == "POST" else self.serializer_class

    def get_queryset(self):
        from .lines import filtered

        user = self.request.user
        spec = registry.list_spec(self.list_key)
        selectors.require_line(user, spec.case_type)
        params = self.request.query_params.copy()
        for old, new in self.param_aliases.items():
            if old in params and new not in params:
                params[new] = params[old]
        _form, qs = filtered(user, spec, params)
        return qs.select_related("owner_org", "handler", *spec.related)

    def create(self, request, *args, **kwargs):
        spec = registry.list_spec(self.list_key)
        if not selectors.may_register(request.user, spec.case_type):
            raise PermissionRefused(f"您的角色不能登记{registry.case_type(spec.case_type).label}案件。")
        body = self.create_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "parties" in data:
            data["parties"] = [dict(p) for p in data["parties"]]
        declared = self.create_serializer_class._declared_fields.get("owner_org")
        data["owner_org"] = self.owner_org(request.user, spec.case_type, data.get("owner_org"), getattr(declared, "label", None) or "登记机构")
        case = self.register(request.user, data)
        return Response(self.detail_serializer_class(case, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    def owner_org(self, user, case_type: str, pk, label: str):
        """Where the case is registered: the bureau for a bureau-level line, else
        the org the body names, among those the user may register under."""
        orgs = selectors.creatable_orgs(user, case_type)
        org = orgs.first() if registry.case_type(case_type).level == BUREAU else orgs.filter(pk=pk).first() if str(pk or "").isdigit() else None
        if org is None:
            raise DomainError(f"{label}无效或不在您可登记的范围内。", field="owner_org")
        return selectors.checked_creatable([org], user, case_type)[0]

    def register(self, user, data: dict):
        raise NotImplementedError


class LineCase(generics.RetrieveAPIView):
    """One case of the line (404 for another line's or another office's), audited as viewed."""

    case_type = ""

    def get_object(self):
        case = selectors.access_line_case(self.request.user, self.kwargs["pk"], self.case_type)
        record("case.view", actor=self.request.user, obj=case, detail={"via": "api"})
        return case


class RevealResult(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


@extend_schema(summary="查看完整个人信息（审计记录）", request=None, responses={200: RevealResult})
class PartyReveal(APIView):
    def post(self, request, pk, field):
        party = Party.objects.filter(pk=pk).first()
        if party is None:
            from django.http import Http404

            raise Http404()
        value = party_services.reveal(request.user, party, field)
        return Response({"field": field, "value": value})


class CaseAssignees(APIView):
    """The people who may be made this case's handler (承办人) or be assigned to it —
    only those who would see the case — and the assignment itself (``services.assign``,
    which refuses anyone else, audited, changing nothing)."""

    def _writable(self, request, pk):
        case = selectors.access_case(request.user, pk)
        if not has_cap(request.user, HANDLE):
            raise PermissionRefused("您的角色只能查看，不能修改案件。")
        return case

    @extend_schema(summary="可指派人员（能查看本案的人员）", responses={200: AssigneeSerializer(many=True)})
    def get(self, request, pk):
        case = self._writable(request, pk)
        return Response(AssigneeSerializer(assignees.assignable_users(case), many=True).data)

    @extend_schema(summary="指派人员（可设为承办人）", request=AssignRequestSerializer, responses={200: CaseDetailSerializer})
    def post(self, request, pk):
        case = self._writable(request, pk)
        body = AssignRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        user = get_user_model().objects.filter(pk=d["user"]).first()
        if user is None:
            raise DomainError("被指派人员：该人员不存在。", field="user")
        case = services.assign(request.user, case, user, role=d["role"], make_handler=d["make_handler"], reason=d["reason"])
        case.refresh_from_db()
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


class CaseTypeInfo(serializers.Serializer):
    key = serializers.CharField()
    letters = serializers.CharField()
    label = serializers.CharField()
    states = serializers.DictField(child=serializers.CharField())


@extend_schema(summary="业务类型与状态", responses={200: CaseTypeInfo(many=True)})
class CaseTypes(APIView):
    def get(self, request):
        return Response([{"key": ct.key, "letters": ct.letters, "label": ct.label, "states": ct.workflow.states} for ct in registry.case_types()])


api_urlpatterns = [
    path("cases/", CaseList.as_view(), name="cases-list"),
    path("cases/types/", CaseTypes.as_view(), name="cases-types"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="cases-detail"),
    path("cases/by-code/<str:code>/", CaseByCode.as_view(), name="cases-by-code"),
    path("cases/<int:pk>/timeline/", CaseTimeline.as_view(), name="cases-timeline"),
    path("cases/<int:pk>/assignees/", CaseAssignees.as_view(), name="cases-assignees"),
    deprecated_step_route("cases/<int:pk>/transitions/<str:name>/", "cases-transition"),
    path("parties/<int:pk>/reveal/<str:field>/", PartyReveal.as_view(), name="parties-reveal"),
    *step_routes(),
    *case_routes(),
]

from .api_work import work_urlpatterns  # noqa: E402 (it imports the views, which import this module's neighbours)

api_urlpatterns += work_urlpatterns
