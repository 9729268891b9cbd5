"""API shapes of 法律援助 (/api/v1/legal-aid/). Personal data leaves masked (the
kernel's case serializers; the applicant's income and economic situation are
never in the API); the audited reveal endpoint is the only way to full values."""

from rest_framework import serializers

from sifa.cases.serializers import CaseDetailSerializer, CaseListSerializer, PartyInput

from .choices import GROUPS, Category, Ground, Kind, NotifyingOrgan, Stage
from .models import LegalAid


class LegalAidRecordSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name", read_only=True, default="")
    # Plain codes here (their enums are the create body's ``aid_kind`` / ``legal_ground``).
    kind = serializers.CharField(read_only=True)
    ground = serializers.CharField(read_only=True)

    class Meta:
        model = LegalAid
        exclude = ["case", "income", "economy"]


class LegalAidListSerializer(CaseListSerializer):
    category = serializers.CharField(source="legalaid.get_category_display", read_only=True)
    kind = serializers.CharField(source="legalaid.get_kind_display", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "category", "kind"]


class LegalAidDetailSerializer(CaseDetailSerializer):
    record = LegalAidRecordSerializer(source="legalaid", read_only=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "record"]


class LegalAidCreateSerializer(serializers.Serializer):
    owner_org = serializers.IntegerField(label="法律援助机构", help_text="法律援助中心的 id（通办：司法所也可为本局的中心登记）")
    aid_kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.APPLY, source="kind", help_text="来源：申请 / 通知辩护（代理）/ 羁押人员申请转交")
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=Category.choices)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True, default="")
    legal_ground = serializers.ChoiceField(
        choices=Ground.choices, required=False, allow_blank=True, default="", source="ground", help_text="援助依据（法律援助法条款）"
    )
    capital = serializers.BooleanField(required=False, default=False)
    notifying_organ = serializers.ChoiceField(choices=NotifyingOrgan.choices, required=False, allow_blank=True, default="")
    notifying_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notice_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    groups = serializers.ListField(child=serializers.ChoiceField(choices=list(GROUPS.items())), required=False, default=list)
    parties = PartyInput(many=True, help_text="申请人（至少一位）")
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
    submitted_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="羁押人员申请转交：其提出申请的日期")
