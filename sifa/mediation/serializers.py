"""API shapes of people's mediation. Personal data leaves masked, as in the
core's case API (the audited reveal endpoint is the only way to full values)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from rest_framework import serializers

from sifa.cases.selectors import rows_in_hand
from sifa.cases.serializers import CaseDetailSerializer, CaseListSerializer, PartyInput
from sifa.common import identity
from sifa.common.serializers import FieldsBuiltOnce

from .choices import Source
from .models import Committee, Dispute, DisputeMediator, FollowUpVisit, JudicialConfirmation, Mediator, Membership, RiskReport, Session, Training


class DisputeFieldsSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    source_group_label = serializers.CharField(source="get_source_group_display", read_only=True)
    agreement_form_label = serializers.CharField(source="get_agreement_form_display", read_only=True)
    performance_label = serializers.CharField(source="get_performance_display", read_only=True)
    risk_status_label = serializers.CharField(source="get_risk_status_display", read_only=True)

    class Meta:
        model = Dispute
        exclude = ["case"]


class DisputeMediatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="mediator.name", read_only=True)

    class Meta:
        model = DisputeMediator
        fields = ["mediator", "name", "is_lead", "assigned_on"]


class SessionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    case_id = serializers.IntegerField(source="dispute_id", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "case_id", "kind", "kind_label", "on", "at_time", "place", "participants", "mediators", "record", "held"]


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpVisit
        fields = ["id", "on", "method", "visited", "performance", "satisfaction", "sued", "new_risk", "notes", "measures", "visitor"]


class RiskReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskReport
        fields = ["id", "reported_on", "reported_to", "contact", "measures"]


class ConfirmationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = JudicialConfirmation
        fields = ["court", "applied_on", "status", "status_label", "accepted_on", "court_case_number", "decided_on", "note"]


class DisputeListSerializer(CaseListSerializer):
    source = serializers.CharField(source="dispute.source", read_only=True)
    dispute_type = serializers.CharField(source="dispute.dispute_type", read_only=True)
    risk_flag = serializers.BooleanField(source="dispute.risk_flag", read_only=True)
    risk_status = serializers.CharField(source="dispute.risk_status", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + ["source", "dispute_type", "risk_flag", "risk_status"]


class MediationBlock(serializers.Serializer):
    dispute = DisputeFieldsSerializer()
    mediators = DisputeMediatorSerializer(many=True)
    sessions = SessionSerializer(many=True)
    visits = VisitSerializer(many=True)
    risk_reports = RiskReportSerializer(many=True)
    confirmation = ConfirmationSerializer(allow_null=True)


class DisputeDetailSerializer(CaseDetailSerializer):
    mediation = serializers.SerializerMethodField()

    class Meta(CaseDetailSerializer.Meta):
        fields = CaseDetailSerializer.Meta.fields + ["mediation"]

    def get_mediation(self, case) -> MediationBlock:
        d = case.record
        held = {name: rows_in_hand(d, related) for name, related, _model, _serializer in _LISTS}
        confirmation = Dispute._meta.get_field("confirmation")
        if None in held.values() or not confirmation.is_cached(d):
            # Which of them have rows, in one query: most disputes have a mediator and a
            # session or two, few a visit, a risk report or a court's confirmation. A
            # dispute just registered (the POST's answer) has them in hand: no query.
            which = {f"has_{name}": Exists(model.objects.filter(dispute=OuterRef("pk"))) for name, _related, model, _serializer in _LISTS}
            which["has_confirmation"] = Exists(JudicialConfirmation.objects.filter(dispute=OuterRef("pk")))
            has = Dispute.objects.filter(pk=d.pk).values(**which).get()
            for name, related, _model, _serializer in _LISTS:
                if held[name] is None:
                    rows = getattr(d, related).all()
                    held[name] = list(rows.select_related("mediator") if name == "mediators" else rows) if has[f"has_{name}"] else []
            if not has["has_confirmation"]:
                confirmation.set_cached_value(d, None)
        found = getattr(d, "confirmation", None)
        # MediationBlock's parts one by one (the same answer): the block would build a
        # serializer for each empty list too.
        out = {"dispute": DisputeFieldsSerializer(d).data}
        for name, _related, _model, serializer in _LISTS:
            out[name] = serializer(held[name], many=True).data if held[name] else []
        out["confirmation"] = ConfirmationSerializer(found).data if found is not None else None
        return out


# MediationBlock's lists: its field, the dispute's relation, the rows' model and serializer.
_LISTS = (
    ("mediators", "mediator_links", DisputeMediator, DisputeMediatorSerializer),
    ("sessions", "sessions", Session, SessionSerializer),
    ("visits", "visits", FollowUpVisit, VisitSerializer),
    ("risk_reports", "risk_reports", RiskReport, RiskReportSerializer),
)


class DisputeCreateSerializer(serializers.Serializer):
    owner_org = serializers.IntegerField(label="调解组织", help_text="调解组织（调委会或调解工作室）的机构 id")
    source = serializers.ChoiceField(choices=Source.choices)
    dispute_type = serializers.CharField(max_length=40, help_text="纠纷类型字典代码，如 02 邻里纠纷")
    summary = serializers.CharField(max_length=4000)
    parties = PartyInput(many=True, help_text="至少一名申请人和一名被申请人")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount_in_dispute = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None)
    referred_by = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
    confirm_duplicate = serializers.BooleanField(required=False, default=False, help_text="当事人已有在办纠纷时，确认仍然登记")


class MineResponse(serializers.Serializer):
    disputes = DisputeListSerializer(many=True)
    next_sessions = SessionSerializer(many=True)
    due_followups = serializers.ListField(child=serializers.DictField())


# --- roster ------------------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    position_label = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "committee", "committee_name", "position", "position_label", "since", "active"]  # id: to end it


class TrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Training
        fields = ["on", "title", "organizer", "hours"]


class MediatorSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    phone = serializers.SerializerMethodField()
    # A plain string, not an enum: "kind" already names the party-kind enum in the schema.
    kind = serializers.CharField(read_only=True, help_text="full_time 专职 / part_time 兼职")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    has_account = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Mediator
        fields = ["id", "name", "gender", "org", "org_name", "kind", "kind_label", "level", "level_label", "phone", "has_account", "is_active", "memberships"]

    def get_phone(self, obj) -> str:
        return identity.mask_phone(obj.phone)

    def get_has_account(self, obj) -> bool:
        return obj.user_id is not None


class MediatorDetailSerializer(MediatorSerializer):
    trainings = TrainingSerializer(many=True, read_only=True)

    class Meta(MediatorSerializer.Meta):
        fields = MediatorSerializer.Meta.fields + ["note", "trainings"]


class CommitteeProfileSerializer(serializers.ModelSerializer):
    committee_type_label = serializers.CharField(source="get_committee_type_display", read_only=True)

    class Meta:
        model = Committee
        fields = ["committee_type", "committee_type_label", "field_code", "established_on", "term_start", "term_years", "filed_on", "note"]


class CommitteeRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="org.pk")
    name = serializers.CharField(source="org.name")
    short_name = serializers.CharField(source="org.short_name")
    kind = serializers.CharField(source="org.kind")
    office = serializers.CharField(source="office.name", default=None)
    profile = CommitteeProfileSerializer(allow_null=True)
    members = serializers.IntegerField(help_text="在任委员（主任、副主任、委员）人数")
    mediators = serializers.IntegerField(help_text="在任人员总数（含聘任调解员）")
    warnings = serializers.ListField(child=serializers.CharField(), help_text="人民调解法第八、九条的组成要求提示")


class RosterItem(serializers.Serializer):
    mediator = serializers.IntegerField(source="mediator_id")
    name = serializers.CharField(source="mediator.name")
    gender = serializers.CharField(source="mediator.gender")
    position = serializers.CharField()
    position_label = serializers.CharField(source="get_position_display")


class CommitteeWithRoster(CommitteeRowSerializer):
    roster = RosterItem(many=True)


# A position with its mediator's id.
class MembershipRecord(MembershipSerializer):
    class Meta(MembershipSerializer.Meta):
        fields = ["mediator", *MembershipSerializer.Meta.fields]


class TrainingRecord(TrainingSerializer):
    class Meta(TrainingSerializer.Meta):
        fields = ["id", "mediator", *TrainingSerializer.Meta.fields]
