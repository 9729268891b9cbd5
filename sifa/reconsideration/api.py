"""/api/v1/reconsideration/ and /api/v1/litigation/: list (filtered like the
pages), register, detail (with each case's named deadlines and due dates).
Steps are the kernel's: ``reconsideration/<id>/steps/``. Scoping is the pages':
another office's case answers 404."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema

from sifa.cases.api import LineCase, LineCases, deprecated_step_route
from sifa.orgs.selectors import bureau_of

from . import services
from .choices import FY_KEY, YS_KEY
from .serializers import FyCreateSerializer, FyDetailSerializer, FyListSerializer, YsCreateSerializer, YsDetailSerializer, YsListSerializer

LIST_PARAMS = [
    OpenApiParameter("q", str, description="编码、当事人姓名、拼音首字母或身份证号"),
    OpenApiParameter("status", str, description="状态；open = 在办"),
]


@extend_schema(tags=["行政复议"], parameters=LIST_PARAMS)
class FyList(LineCases):
    """GET: 行政复议案件列表（个人信息已脱敏）；POST: 登记行政复议申请。"""

    list_key = FY_KEY
    serializer_class = FyListSerializer
    create_serializer_class = FyCreateSerializer
    detail_serializer_class = FyDetailSerializer

    @extend_schema(summary="行政复议案件列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="登记行政复议申请", request=FyCreateSerializer, responses={201: FyDetailSerializer})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def register(self, user, data):
        return services.register_application(user, org=bureau_of(user.org), **data)


@extend_schema(tags=["行政应诉"], parameters=LIST_PARAMS)
class YsList(LineCases):
    """GET: 行政应诉案件列表；POST: 登记行政应诉案件。"""

    list_key = YS_KEY
    serializer_class = YsListSerializer
    create_serializer_class = YsCreateSerializer
    detail_serializer_class = YsDetailSerializer

    @extend_schema(summary="行政应诉案件列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="登记行政应诉案件", request=YsCreateSerializer, responses={201: YsDetailSerializer})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def register(self, user, data):
        return services.register_suit(user, org=bureau_of(user.org), **data)


@extend_schema(tags=["行政复议"], summary="行政复议案件详情（含各项期限及届满日，个人信息已脱敏）")
class FyDetail(LineCase):
    case_type = FY_KEY
    serializer_class = FyDetailSerializer


@extend_schema(tags=["行政应诉"], summary="行政应诉案件详情（含各项期限及届满日，个人信息已脱敏）")
class YsDetail(LineCase):
    case_type = YS_KEY
    serializer_class = YsDetailSerializer


api_urlpatterns = [
    path("reconsideration/", FyList.as_view(), name="reconsideration-list"),
    path("reconsideration/<int:pk>/", FyDetail.as_view(), name="reconsideration-detail"),
    deprecated_step_route("reconsideration/<int:pk>/transitions/<str:name>/", "reconsideration-transition", FY_KEY),
    path("litigation/", YsList.as_view(), name="litigation-list"),
    path("litigation/<int:pk>/", YsDetail.as_view(), name="litigation-detail"),
    deprecated_step_route("litigation/<int:pk>/transitions/<str:name>/", "litigation-transition", YS_KEY),
]
