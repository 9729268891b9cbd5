"""/api/v1/mediation/: disputes (list, detail, create, each step), sessions,
visits, my view, the risk list; committees and mediators (read and written)
come from ``api_registry.py``. Same scoping as the pages: disputes through
``visible_to`` / ``access_case``; another office's record answers 404 like a
missing one."""

from __future__ import annotations

from django import forms
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record
from sifa.cases.api import CaseScopedMixin, CaseTransition, TransitionResult
from sifa.cases.serializers import TransitionRequestSerializer
from sifa.common.errors import DomainError, PermissionRefused

from . import selectors
from .api_registry import registry_urlpatterns
from .choices import CASE_TYPE
from .serializers import (
    DisputeCreateSerializer,
    DisputeDetailSerializer,
    DisputeListSerializer,
    DuplicateResponse,
    MineResponse,
    SessionSerializer,
    StepInfo,
    VisitSerializer,
)
from .services import DuplicateDispute, register_dispute
from .workflow import WORKFLOW


class LineMixin(CaseScopedMixin):
    case_types = (CASE_TYPE,)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        selectors.require_line(request.user)


@extend_schema(
    summary="人民调解纠纷列表",
    parameters=[
        OpenApiParameter("status", str, description="状态；open = 在办"),
        OpenApiParameter("committee", int, description="调解组织 id"),
        OpenApiParameter("dispute_type", str, description="纠纷大类代码"),
        OpenApiParameter("source", str, description="来源分类：application / initiative / referral"),
        OpenApiParameter("risk", bool, description="仅风险预警"),
        OpenApiParameter("q", str, description="编码、当事人姓名、拼音首字母或身份证号"),
    ],
)
class DisputeList(LineMixin, generics.ListCreateAPIView):
    serializer_class = DisputeListSerializer

    def get_serializer_class(self):
        return DisputeCreateSerializer if self.request.method == "POST" else DisputeListSerializer

    def get_queryset(self):
        from sifa.cases.selectors import search

        p = self.request.query_params
        qs = self.scoped_cases()
        if p.get("q"):
            qs = search(self.request.user, p["q"], qs)
        if p.get("status") == "open":
            qs = qs.filter(status__in=selectors.status_open())
        elif p.get("status"):
            qs = qs.filter(status=p["status"])
        if (p.get("committee") or "").isdigit():
            qs = qs.filter(owner_org_id=p["committee"])
        if p.get("dispute_type"):
            qs = qs.filter(dispute__dispute_type_top=p["dispute_type"])
        if p.get("source"):
            qs = qs.filter(dispute__source_group=p["source"])
        if p.get("risk") in ("1", "true"):
            qs = qs.filter(dispute__risk_flag=True)
        return qs.select_related("owner_org", "handler", "dispute").order_by("-opened_on", "-id")

    @extend_schema(
        summary="登记人民调解纠纷",
        request=DisputeCreateSerializer,
        responses={201: DisputeDetailSerializer, 409: DuplicateResponse},
        description="当事人（按身份证号，无证件号的按姓名）已有在办纠纷时返回 409 和疑似重复的纠纷；核对后以 confirm_duplicate=true 再次提交。",
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        if not has_cap(user, HANDLE):
            raise PermissionRefused("您的角色只能查看，不能登记纠纷。")
        body = DisputeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        org = selectors.registration_orgs(user).filter(pk=d.pop("owner_org")).first()
        if org is None:
            raise DomainError("调解组织无效或不在您可登记的范围内。", field="owner_org")
        try:
            case = register_dispute(user, owner_org=org, **d)
        except DuplicateDispute as exc:
            items = [{"id": c.pk, "code": c.code, "title": c.title, "owner_org": c.owner_org.name} for c in exc.matches]
            return Response({"detail": exc.message, "code": exc.code, "field": exc.field, "duplicates": items}, status=status.HTTP_409_CONFLICT)
        return Response(DisputeDetailSerializer(case).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="人民调解纠纷详情（个人信息已脱敏）")
class DisputeDetail(LineMixin, generics.RetrieveAPIView):
    serializer_class = DisputeDetailSerializer

    def get_object(self):
        case = selectors.access_dispute(self.request.user, self.kwargs["pk"])
        record("case.view", actor=self.request.user, obj=case, detail={"via": "api"})
        return case


@extend_schema(summary="调查/调解记录（含已安排的调解）")
class DisputeSessions(LineMixin, generics.ListAPIView):
    serializer_class = SessionSerializer
    pagination_class = None

    def get_queryset(self):
        case = selectors.access_dispute(self.request.user, self.kwargs["pk"])
        return case.dispute.sessions.all()


@extend_schema(summary="回访记录")
class DisputeVisits(LineMixin, generics.ListAPIView):
    serializer_class = VisitSerializer
    pagination_class = None

    def get_queryset(self):
        case = selectors.access_dispute(self.request.user, self.kwargs["pk"])
        return case.dispute.visits.all()


@extend_schema(
    summary="执行调解办理步骤",
    request=TransitionRequestSerializer,
    responses={200: TransitionResult},
    description="data 为该步骤表单的字段（见 /api/v1/mediation/steps/）；拒绝时返回 400/403 和中文 detail，版本不一致返回 409，均不改变任何数据。",
)
class DisputeStep(LineMixin, CaseTransition):
    def post(self, request, pk, name):
        selectors.access_dispute(request.user, pk)
        return super().post(request, pk, name)


def _field_type(field) -> str:
    return {
        forms.DateField: "date",
        forms.TimeField: "time",
        forms.BooleanField: "boolean",
        forms.DecimalField: "decimal",
        forms.IntegerField: "integer",
        forms.ModelMultipleChoiceField: "id[]",
        forms.ModelChoiceField: "id",
        forms.ChoiceField: "choice",
    }.get(type(field), "string")


@extend_schema(summary="办理步骤及其字段", responses={200: StepInfo(many=True)})
class Steps(LineMixin, APIView):
    def get(self, request):
        out = []
        for t in WORKFLOW.transitions:
            fields = []
            if t.form is not None:
                form = t.form(None, None, case=None)
                for name, f in form.fields.items():
                    item = {"name": name, "label": str(f.label), "required": f.required, "type": _field_type(f)}
                    if isinstance(f, forms.ChoiceField) and not isinstance(f, forms.ModelChoiceField):
                        item["choices"] = [[str(k), str(v)] for k, v in f.choices]
                    fields.append(item)
            out.append(
                {"name": t.name, "label": t.label, "sources": list(t.sources), "target": t.target, "reason_required": t.reason_required, "fields": fields}
            )
        return Response(out)


@extend_schema(summary="我的调解：在办纠纷、待开展的调解、待回访", responses={200: MineResponse})
class Mine(LineMixin, APIView):
    def get(self, request):
        user = request.user
        follow = [
            {"case_id": d.case_id, "code": d.case.code, "due_date": d.due_date.isoformat(), "light": light} for d, light in selectors.due_followups(user)[:50]
        ]
        return Response(
            {
                "disputes": DisputeListSerializer(selectors.mine(user).select_related("owner_org", "handler", "dispute")[:100], many=True).data,
                "next_sessions": SessionSerializer(selectors.next_sessions(user)[:50], many=True).data,
                "due_followups": follow,
            }
        )


@extend_schema(summary="防止民转刑：有风险预警的在办纠纷", parameters=[OpenApiParameter("all", bool, description="含已处置的预警")])
class Risks(LineMixin, generics.ListAPIView):
    serializer_class = DisputeListSerializer

    def get_queryset(self):
        return selectors.risk_list(self.request.user, include_resolved=self.request.query_params.get("all") in ("1", "true"))


api_urlpatterns = [
    path("mediation/disputes/", DisputeList.as_view(), name="mediation-disputes"),
    path("mediation/disputes/<int:pk>/", DisputeDetail.as_view(), name="mediation-dispute"),
    path("mediation/disputes/<int:pk>/sessions/", DisputeSessions.as_view(), name="mediation-sessions"),
    path("mediation/disputes/<int:pk>/visits/", DisputeVisits.as_view(), name="mediation-visits"),
    path("mediation/disputes/<int:pk>/steps/<str:name>/", DisputeStep.as_view(), name="mediation-step"),
    path("mediation/steps/", Steps.as_view(), name="mediation-steps"),
    path("mediation/mine/", Mine.as_view(), name="mediation-mine"),
    path("mediation/risks/", Risks.as_view(), name="mediation-risks"),
    *registry_urlpatterns,
]
