"""GET /api/v1/deadlines/calculate?start=YYYY-MM-DD&amount=N&unit=workday|day|month

Open to the same roles as the calculator page (case roles and the system
administrator, who keeps the holiday table); bad parameters answer 400 with a
Chinese ``detail`` naming each parameter."""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from . import calendar
from .forms import CalculatorForm
from .selectors import may_calculate


@extend_schema(
    summary="期限计算",
    parameters=[
        OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="起算日（不计入期间）"),
        OpenApiParameter("amount", OpenApiTypes.INT, required=True, description="期间长度"),
        OpenApiParameter("unit", OpenApiTypes.STR, required=True, enum=["workday", "day", "month"], description="单位"),
    ],
    responses=inline_serializer(
        "DeadlineCalculation",
        {
            "start": serializers.DateField(),
            "amount": serializers.IntegerField(),
            "unit": serializers.CharField(),
            "due": serializers.DateField(),
            "nominal_due": serializers.DateField(),
            "rule": serializers.CharField(),
            "provisional": serializers.BooleanField(),
        },
    ),
)
@api_view(["GET"])
def calculate(request):
    if not may_calculate(request.user):
        return Response({"detail": "您的角色不能使用期限计算。"}, status=403)
    form = CalculatorForm(request.query_params)
    if not form.is_valid():
        errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
        return Response({"detail": form.errors_text(), "errors": errors}, status=400)
    d = form.cleaned_data
    res = calendar.compute_due(d["start"], d["amount"], d["unit"])
    return Response(
        {
            "start": d["start"].isoformat(),
            "amount": d["amount"],
            "unit": d["unit"],
            "due": res.due.isoformat(),
            "nominal_due": res.nominal.isoformat(),
            "rule": res.rule,
            "provisional": res.provisional,
        }
    )


class DutyDone(APIView):
    @extend_schema(summary="完成一项定期义务", request=None, responses={200: None})
    def post(self, request, pk):
        from .duties import mark_done
        from .models import Deadline

        dl = Deadline.objects.exclude(duty="").filter(pk=pk).first()
        if dl is None:
            raise Http404("未找到该案件。")
        dl = mark_done(request.user, dl)
        return Response({"id": dl.pk, "label": dl.label, "due_date": dl.due_date, "completed_on": dl.completed_on})


api_urlpatterns = [
    path("deadlines/calculate", calculate, name="deadlines-calculate"),
    path("deadlines/<int:pk>/done/", DutyDone.as_view(), name="deadlines-duty-done"),
]
