"""API shapes of the hotline (/api/v1/hotline/). The caller's phone leaves masked
(the kernel's case serializers); the audited reveal endpoint is the only way to
full values."""

from rest_framework import serializers

from sifa.cases.serializers import CaseDetailSerializer, CaseListSerializer, PartyInput

from .choices import Appointment, Category, Channel, Kind, Satisfaction
from .models import WorkOrder


class WorkOrderRecordSerializer(serializers.ModelSerializer):
    # Plain codes here (their enums are the create body's, named apart for the schema).
    channel = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)
    appointment = serializers.CharField(read_only=True)
    target = serializers.CharField(read_only=True)
    satisfaction = serializers.CharField(read_only=True)
    callback_way = serializers.CharField(read_only=True)
    dispatched_to = serializers.CharField(source="dispatched_to_name", read_only=True)

    class Meta:
        model = WorkOrder
        exclude = ["case", "dispatched_to_name"]


class WorkOrderListSerializer(CaseListSerializer):
    channel = serializers.CharField(source="workorder.get_channel_display", read_only=True)
    order_kind = serializers.CharField(source="workorder.get_kind_display", read_only=True)
    legal_category = serializers.CharField(source="workorder.get_category_display", read_only=True)
    external_ref = serializers.CharField(source="workorder.external_ref", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "channel", "order_kind", "legal_category", "external_ref"]


class WorkOrderDetailSerializer(CaseDetailSerializer):
    record = WorkOrderRecordSerializer(source="workorder", read_only=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "record"]


class WorkOrderCreateSerializer(serializers.Serializer):
    owner_org = serializers.IntegerField(label="受理单位", help_text="司法局、公共法律服务中心或司法所的 id")
    order_channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.HOTLINE, source="channel", help_text="受理渠道")
    order_kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.CONSULT, source="kind", help_text="工单类型")
    appointment = serializers.ChoiceField(choices=Appointment.choices, required=False, allow_blank=True, default="", help_text="预约事项（工单类型为预约时）")
    legal_category = serializers.ChoiceField(choices=Category.choices, default=Category.OTHER, source="category", help_text="法律类别")
    urgent = serializers.BooleanField(required=False, default=False)
    parties = PartyInput(many=True, help_text="诉求人（role: caller），可有对方当事人（respondent）")
    summary = serializers.CharField(max_length=4000, help_text="诉求内容")
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True, default="", help_text="转办平台工单编号（12345/110）")
    answer = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="", help_text="即时解答内容：填写则工单即时办结")
    # A plain code (the same choice set as legal aid's rating would get two enum names in the schema).
    caller_rating = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        source="satisfaction",
        help_text="来电人评价：" + "、".join(f"{v}（{label}）" for v, label in Satisfaction.choices),
    )
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
