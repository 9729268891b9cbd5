"""API shapes of the line. Personal data leaves masked (the core's PartySerializer);
each case carries its named deadlines with their due dates."""

from __future__ import annotations

from rest_framework import serializers

from sifa.cases import settle
from sifa.cases.serializers import CaseDetailSerializer, CaseListSerializer, PartyInput

from . import selectors
from .choices import FY_CHANNELS, Instance
from .models import Activity, Application, NormReview, Opinion, Suit, SuitHearing, SuitJudgment, Suspension


class ApplicationSerializer(serializers.ModelSerializer):
    respondent_label = serializers.SerializerMethodField()
    category_label = serializers.SerializerMethodField()

    class Meta:
        model = Application
        exclude = ["case", "extension_approved_by"]

    def get_respondent_label(self, obj) -> str:
        return selectors.agency_label(obj.respondent_agency)

    def get_category_label(self, obj) -> str:
        return selectors.category_label(obj.category)


# Code fields are plain strings with a label beside them (several models name a
# field "kind"; as enums their schema names would collide).
class ActivitySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_label",
            "on",
            "method",
            "scheduled_for",
            "place",
            "status",
            "held_on",
            "respondent_head_attended",
            "mediation_result",
            "summary",
        ]


class SuspensionSerializer(serializers.ModelSerializer):
    ground_label = serializers.CharField(source="get_ground_display", read_only=True)

    class Meta:
        model = Suspension
        fields = ["id", "ground", "ground_label", "note", "started_on", "ended_on"]


class OpinionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Opinion
        fields = ["id", "kind", "kind_label", "addressee", "content", "issued_on", "served_on", "feedback_on", "feedback", "rectified"]


class NormReviewSerializer(serializers.ModelSerializer):
    origin_label = serializers.CharField(source="get_origin_display", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = NormReview
        exclude = ["case"]


class StageSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    note = serializers.CharField()


class FyListSerializer(CaseListSerializer):
    stage = serializers.SerializerMethodField()
    respondent_agency = serializers.CharField(source="application.respondent_agency", read_only=True)
    category = serializers.CharField(source="application.category", read_only=True)
    procedure = serializers.CharField(source="application.procedure", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + ["stage", "respondent_agency", "category", "procedure"]

    def get_stage(self, obj) -> str:
        return settle.stage(obj).label


class FyDetailSerializer(CaseDetailSerializer):
    stage = serializers.SerializerMethodField()
    application = ApplicationSerializer(read_only=True)
    activities = ActivitySerializer(source="fy_activities", many=True, read_only=True)
    suspensions = SuspensionSerializer(source="fy_suspensions", many=True, read_only=True)
    opinions = OpinionSerializer(source="fy_opinions", many=True, read_only=True)
    norm_reviews = NormReviewSerializer(source="fy_norm_reviews", many=True, read_only=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = CaseDetailSerializer.Meta.fields + ["stage", "application", "activities", "suspensions", "opinions", "norm_reviews"]

    def get_stage(self, obj) -> StageSerializer:
        s = settle.stage(obj)
        return {"key": s.key, "label": s.label, "note": s.note}


class FyCreateSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False, help_text="收到申请日期，默认今天")
    channel = serializers.ChoiceField(choices=list(FY_CHANNELS.items()), default="in_person")
    parties = PartyInput(many=True, help_text="申请人（role=applicant，至少一位）、委托代理人（agent）、第三人（third_party）")
    respondent_agency = serializers.CharField(help_text="字典 respondent_agency 的代码")
    category = serializers.CharField(help_text="字典 fy_category 的代码")
    contested_act = serializers.CharField(max_length=300)
    act_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    act_date = serializers.DateField(required=False, allow_null=True, default=None)
    known_on = serializers.DateField(required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    request = serializers.CharField(max_length=4000)
    reasons = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")
    is_inaction = serializers.BooleanField(required=False, allow_null=True, default=None)
    compensation_claim = serializers.BooleanField(required=False, default=False)
    hearing_requested = serializers.BooleanField(required=False, default=False)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SuitSerializer(serializers.ModelSerializer):
    defendant_label = serializers.SerializerMethodField()

    class Meta:
        model = Suit
        exclude = ["case"]

    def get_defendant_label(self, obj) -> str:
        return selectors.agency_label(obj.defendant_agency)


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuitHearing
        exclude = ["case"]


class JudgmentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_loss = serializers.BooleanField(read_only=True)

    class Meta:
        model = SuitJudgment
        exclude = ["case"]


class YsListSerializer(CaseListSerializer):
    defendant_agency = serializers.CharField(source="suit.defendant_agency", read_only=True)
    court = serializers.CharField(source="suit.court", read_only=True)
    court_case_number = serializers.CharField(source="suit.court_case_number", read_only=True)
    instance = serializers.CharField(source="suit.instance", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + ["defendant_agency", "court", "court_case_number", "instance"]


class YsDetailSerializer(CaseDetailSerializer):
    suit = SuitSerializer(read_only=True)
    hearings = HearingSerializer(source="ys_hearings", many=True, read_only=True)
    judgments = JudgmentSerializer(source="ys_judgments", many=True, read_only=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = CaseDetailSerializer.Meta.fields + ["suit", "hearings", "judgments"]


class YsCreateSerializer(serializers.Serializer):
    served_on = serializers.DateField(required=False, help_text="收到起诉状副本日期，默认今天")
    parties = PartyInput(many=True, help_text="原告（role=plaintiff，至少一位）、原告委托代理人（agent）、第三人（third_party）")
    defendant_agency = serializers.CharField(help_text="字典 respondent_agency 的代码")
    court = serializers.CharField(max_length=100)
    court_case_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    instance = serializers.ChoiceField(choices=Instance.choices, default=Instance.FIRST)
    filed_on = serializers.DateField(required=False, allow_null=True, default=None)
    cause = serializers.CharField(max_length=100)
    contested_act = serializers.CharField(max_length=300)
    related_code = serializers.CharField(max_length=19, required=False, allow_blank=True, default="")
    reconsideration_co_defendant = serializers.BooleanField(required=False, default=False)
    head_notified = serializers.BooleanField(required=False, default=False)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
