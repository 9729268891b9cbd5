"""/api/v1/hotline/: the list (filtered like the page), registration and
one case are the kernel's, declared in ``line.py`` (``CaseType.api``); so are
the steps (``hotline/<id>/steps/``).

What is here is the transferring platforms' side (12345/110), called with the
token of a service account (role ``hotline_platform``, made by
``manage.py hotline_platform_account``), never by a person:

* ``POST hotline/transfers/``: push a transferred order. Idempotent on the
  platform's reference: the first push creates the order (in the intake list of
  the account's unit), a re-send answers the same order, and a re-send marked
  ``redo`` (重办) reopens a replied or closed one (``services.receive_transfer``).
* ``GET hotline/transfers/<reference>/?platform=``: the order's status and reply,
  only for an order in the account's scope (404 otherwise, as for a missing one).
* ``GET hotline/replies/?platform=&since=&until=``: the replies of a period, the
  rows of the page's export (转办答复回传, ``services/replies.py``), as JSON.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.audit.services import record, refused
from sifa.common import identity
from sifa.common.errors import DomainError

from . import services
from .choices import PLATFORMS, Category, Kind
from .models import WorkOrder
from .services import replies

PLATFORM_ROLE = "hotline_platform"
PLATFORM_CHOICES = [(c.value, c.label) for c in PLATFORMS]
# A platform's order is a consultation, a request for help, a complaint or a suggestion:
# an appointment (预约) needs the service booked, which a transfer does not carry.
TRANSFER_KINDS = [c for c in Kind.choices if c[0] != Kind.APPOINTMENT]
# The service's field names (the registration form's) as this body names them.
SERVICE_FIELDS = {"external_ref": "reference", "channel": "platform", "name": "caller_name", "phone": "caller_phone", "opened_on": "received_on"}


class PlatformAccountOnly(BasePermission):
    """Only a transferring platform's service account, with its token. A person's
    token or session is refused (403) even when the person works the hotline: these
    routes are the platform's contract, the people have the pages and the kernel's API."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False  # DRF answers 401 (the token scheme is named in WWW-Authenticate)
        if user.role != PLATFORM_ROLE:
            raise PermissionDenied("本接口仅供12345、110转办平台的对接账号调用，个人账号不能使用。")
        if request.auth is None:
            # A service account never signs in on a page; a session here was not made by the platform.
            raise PermissionDenied("转办平台对接账号须使用 API 令牌调用本接口。")
        return True


class PlatformView(APIView):
    permission_classes = [IsAuthenticated, PlatformAccountOnly]


def _validated(serializer) -> dict:
    """The body's data, or a DomainError naming the first bad field in Chinese
    (400, the same shape as every refusal: detail, code, field), with every
    field's messages under ``errors``."""
    if serializer.is_valid():
        return dict(serializer.validated_data)
    name, errors = next(iter(serializer.errors.items()))
    message = str(errors[0] if isinstance(errors, list) else errors)
    field = serializer.fields.get(name)
    label = str(field.label) if field is not None and field.label else ""
    if label and label not in message:
        message = f"{label}：{message}"
    exc = DomainError(message, field=name if field is not None else None)
    exc.extra = {"errors": serializer.errors}
    raise exc


# --- shapes -----------------------------------------------------------------------------------------


class CodeField(serializers.ChoiceField):
    """A code of one of the line's choice sets (kind, category), documented as a string
    with its codes in the description. As an enum the schema generator would name it by
    the field ("category"), which other lines' bodies use for other choice sets, and
    which the registration body already names otherwise (LegalCategoryEnum): both warn."""


class CodeFieldSchema(OpenApiSerializerFieldExtension):
    target_class = CodeField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string"}


def _codes(choices) -> str:
    return "；".join(f"{value}：{label}" for value, label in choices)


class TransferIn(serializers.Serializer):
    platform = serializers.ChoiceField(label="转办平台", choices=PLATFORM_CHOICES, help_text="12345 或 110")
    reference = serializers.CharField(label="转办平台工单编号", max_length=64, help_text="平台自己的工单编号：同一编号重复推送只对应一张工单")
    caller_name = serializers.CharField(label="诉求人姓名", max_length=100)
    caller_phone = serializers.CharField(label="联系电话", max_length=30, required=False, allow_blank=True, default="")
    summary = serializers.CharField(label="诉求内容", max_length=4000)
    kind = CodeField(label="工单类型", choices=TRANSFER_KINDS, required=False, default=Kind.CONSULT, help_text=_codes(TRANSFER_KINDS))
    category = CodeField(label="法律类别", choices=Category.choices, required=False, default=Category.OTHER, help_text=_codes(Category.choices))
    urgent = serializers.BooleanField(label="紧急", required=False, default=False, help_text="应急类：当日办结")
    due = serializers.DateField(label="转办平台要求办结日期", required=False, allow_null=True, default=None)
    received_on = serializers.DateField(label="派单日期", required=False, allow_null=True, default=None, help_text="平台派单的日期，缺省为今天")
    redo = serializers.BooleanField(label="重办", required=False, default=False, help_text="平台要求重办：已反馈或已办结的工单重新办理")
    redo_reason = serializers.CharField(label="重办原因", max_length=500, required=False, allow_blank=True, default="")

    def validate_caller_phone(self, value):
        value = (value or "").strip()
        if not value:
            return ""
        try:
            return identity.normalize_phone(value)
        except DomainError as exc:
            raise serializers.ValidationError(exc.message) from None

    def validate_received_on(self, value):
        # Said here under this body's name (the service would name its own field, 收案日期).
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError("不能晚于今天。")
        return value


class TransferOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="本平台的工单编码")
    status = serializers.CharField()
    status_label = serializers.CharField()
    action = serializers.ChoiceField(
        choices=[("created", "新建工单"), ("existing", "已有工单，未作改变"), ("reopened", "已有工单，已按重办重新办理")],
        help_text="created：新建（201）；existing：该编号已有工单（200）；reopened：重办，工单已重新办理（200）",
    )


class Refusal(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明")
    code = serializers.CharField()
    field = serializers.CharField(required=False, help_text="出错的字段")


class TransferState(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    platform = serializers.CharField()
    reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_on = serializers.DateField()
    due = serializers.DateField(allow_null=True, help_text="平台要求办结日期")
    answered_on = serializers.DateField(allow_null=True, help_text="答复/办理反馈日期")
    answer = serializers.CharField(help_text="答复内容（尚未答复为空）")
    handling_unit = serializers.CharField(help_text="承办单位：已派单的为承办单位，否则为受理单位")
    satisfaction = serializers.CharField(help_text="满意度代码（未回访为空）")
    satisfaction_label = serializers.CharField()
    redos = serializers.IntegerField(help_text="重办次数")
    closed_on = serializers.DateField(allow_null=True)


class ReplyQuery(serializers.Serializer):
    platform = serializers.ChoiceField(label="转办平台", choices=PLATFORM_CHOICES)
    since = serializers.DateField(label="答复日期自")
    until = serializers.DateField(label="答复日期至")


# One field per column of the platform's sheet (replies.COLUMNS), so the two never differ.
ReplyRow = type(
    "ReplyRow",
    (serializers.Serializer,),
    {
        key: serializers.DateField(allow_null=True, help_text=header) if key == "finished_on" else serializers.CharField(help_text=header)
        for key, header, _width in replies.COLUMNS
    },
)


class RepliesOut(serializers.Serializer):
    platform = serializers.CharField()
    since = serializers.DateField()
    until = serializers.DateField()
    count = serializers.IntegerField()
    results = ReplyRow(many=True)


def _outcome(received: services.Received) -> dict:
    case = received.case
    return {"id": case.pk, "code": case.code, "status": case.status, "status_label": case.status_label, "action": received.action}


def _state(case, rec: WorkOrder) -> dict:
    return {
        "id": case.pk,
        "code": case.code,
        "platform": rec.channel,
        "reference": rec.external_ref,
        "status": case.status,
        "status_label": case.status_label,
        "received_on": case.opened_on,
        "due": rec.external_due,
        "answered_on": rec.answered_on,
        "answer": rec.answer,
        "handling_unit": rec.dispatched_to_name or case.owner_org.name,
        "satisfaction": rec.satisfaction,
        "satisfaction_label": rec.get_satisfaction_display() if rec.satisfaction else "",
        "redos": rec.redos,
        "closed_on": case.closed_on,
    }


# --- views -----------------------------------------------------------------------------------------

PUSH_DOC = (
    "12345、110平台以对接账号的令牌（Authorization: Token …）推送转办工单。同一平台的同一工单编号只对应一张工单："
    "首次推送新建（201，进入受理单位的待分配列表）；重复推送返回原工单（200，action=existing）；"
    "redo=true 且原工单已反馈或已办结的，按重办重新办理（200，action=reopened）。"
    "个人账号的令牌或登录会话返回 403；请求体有误返回 400（field 指明字段）；编号属于其他单位的返回 409。均不改变任何数据。"
)


@extend_schema(
    summary="接收转办平台推送的工单（12345/110）",
    description=PUSH_DOC,
    request=TransferIn,
    responses={201: TransferOut, 200: TransferOut, 400: Refusal, 403: Refusal, 409: Refusal},
    tags=["12348工单"],
)
class Transfers(PlatformView):
    def post(self, request):
        d = _validated(TransferIn(data=request.data))
        try:
            received = services.receive_transfer(request.user, **d)
        except DomainError as exc:
            exc.field = SERVICE_FIELDS.get(exc.field, exc.field)
            raise
        # Every push is on the audit trail, a re-send too: what the platform sent, and what it did.
        record(
            "hotline.transfer_received",
            actor=request.user,
            obj=received.case,
            detail={"platform": d["platform"], "reference": d["reference"], "action": received.action, "redo": d["redo"]},
        )
        code = status.HTTP_201_CREATED if received.action == "created" else status.HTTP_200_OK
        return Response(_outcome(received), status=code)


@extend_schema(
    summary="查询转办工单的办理状态和答复",
    parameters=[OpenApiParameter("platform", OpenApiTypes.STR, required=True, enum=[c.value for c in PLATFORMS], description="转办平台：12345 或 110")],
    responses={200: TransferState, 400: Refusal, 403: Refusal, 404: Refusal},
    tags=["12348工单"],
)
class TransferDetail(PlatformView):
    def get(self, request, reference):
        platform = (request.query_params.get("platform") or "").strip()
        if platform not in {c.value for c in PLATFORMS}:
            raise DomainError("转办平台：请以 platform 参数指明 12345 或 110。", field="platform")
        # Only this account's unit's orders of this platform: another unit's answers 404, as a missing one.
        rec = (
            WorkOrder.objects.filter(channel=platform, external_ref=reference.strip(), case__org_path__startswith=request.user.org.path, case__is_deleted=False)
            .select_related("case__owner_org")
            .first()
        )
        if rec is None:
            # As the kernel's access_case does: the refusal is on the audit trail, the answer a plain 404.
            refused("case.access", actor=request.user, object_type="hotline.workorder", object_id=reference.strip()[:64], reason="not found or not in scope")
            raise Http404()
        case = rec.case
        record("case.view", actor=request.user, obj=case, detail={"via": "api", "platform": platform})
        return Response(_state(case, case.workorder))


@extend_schema(
    summary="转办工单答复回传（按答复日期）",
    description="本单位受理、在期间内答复（已反馈或已办结）的该平台工单，每张一行，字段同“转办答复回传”导出表；一次最多一年。",
    parameters=[ReplyQuery],
    responses={200: RepliesOut, 400: Refusal, 403: Refusal},
    tags=["12348工单"],
)
class Replies(PlatformView):
    def get(self, request):
        d = _validated(ReplyQuery(data=request.query_params))
        rows = list(replies.reply_rows(replies.replied_orders(request.user, d["platform"], d["since"], d["until"])))
        # Audited as the page's export is: the answers of a period leave the system.
        detail = {"platform": d["platform"], "since": d["since"], "until": d["until"], "rows": len(rows), "codes": [r["code"] for r in rows[:20]], "via": "api"}
        record("hotline.replies_export", actor=request.user, detail=detail)
        return Response({"platform": d["platform"], "since": d["since"], "until": d["until"], "count": len(rows), "results": ReplyRow(rows, many=True).data})


api_urlpatterns = [
    path("hotline/transfers/", Transfers.as_view(), name="hotline-transfers"),
    path("hotline/transfers/<str:reference>/", TransferDetail.as_view(), name="hotline-transfer"),
    path("hotline/replies/", Replies.as_view(), name="hotline-replies"),
]
