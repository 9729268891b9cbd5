"""API shapes of 社区矫正 (/api/v1/correction/) and 调查评估
(/api/v1/correction_assessment/). The person leaves masked (the kernel's case
serializers); the offence, sentence and prohibition stay on the file page, never
in a list; the audited reveal endpoint is the only way to full values."""

from rest_framework import serializers

from sifa.cases.serializers import CaseDetailSerializer, CaseListSerializer, PartyInput

from .choices import Category, DecisionOrgan, Entruster
from .models import Inquiry, Subject


class SubjectRecordSerializer(serializers.ModelSerializer):
    category = serializers.CharField(read_only=True)
    decision_organ = serializers.CharField(read_only=True)
    grade = serializers.CharField(read_only=True)

    class Meta:
        model = Subject
        # Not in the API at all: the offence, the sentence and the prohibition (encrypted at rest,
        # shown on the audited file page), nor the plan's and appraisal's free text.
        exclude = ["case", "crime", "sentence", "prohibition", "personal_summary", "appraisal", "resettlement_advice"]


class SubjectListSerializer(CaseListSerializer):
    category = serializers.CharField(source="subject.get_category_display", read_only=True)
    grade = serializers.CharField(source="subject.get_grade_display", read_only=True)
    term_end = serializers.DateField(source="subject.term_end", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "category", "grade", "term_end"]


class SubjectDetailSerializer(CaseDetailSerializer):
    record = SubjectRecordSerializer(source="subject", read_only=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "record"]


class SubjectCreateSerializer(serializers.Serializer):
    owner_org = serializers.IntegerField(label="执行地司法所", help_text="司法所的 id")
    parties = PartyInput(many=True, help_text="社区矫正对象（role: subject，须有身份证号码）")
    correction_category = serializers.ChoiceField(choices=Category.choices, source="category", help_text="矫正类别")
    decision_organ = serializers.ChoiceField(choices=DecisionOrgan.choices, default=DecisionOrgan.COURT)
    decision_org_name = serializers.CharField(max_length=100)
    judgment_no = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    effective_on = serializers.DateField(help_text="判决、裁定、决定生效日期")
    notified_on = serializers.DateField(required=False, allow_null=True, default=None)
    opened_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="收到法律文书日期")
    crime = serializers.CharField(max_length=200)
    sentence = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    additional_penalty = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    prohibition = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    term_start = serializers.DateField()
    term_end = serializers.DateField()


class InquiryRecordSerializer(serializers.ModelSerializer):
    entruster = serializers.CharField(read_only=True)
    proposed_category = serializers.CharField(read_only=True)
    opinion = serializers.CharField(read_only=True)

    class Meta:
        model = Inquiry
        exclude = ["case", "crime", "opinion_text"]


class InquiryListSerializer(CaseListSerializer):
    entruster = serializers.CharField(source="inquiry.entruster_name", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "entruster"]


class InquiryDetailSerializer(CaseDetailSerializer):
    record = InquiryRecordSerializer(source="inquiry", read_only=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "record"]


class InquiryCreateSerializer(serializers.Serializer):
    owner_org = serializers.IntegerField(label="受托机构", help_text="司法局或司法所的 id")
    parties = PartyInput(many=True, help_text="被调查评估对象（role: assessed，须有身份证号码）")
    entruster = serializers.ChoiceField(choices=Entruster.choices)
    entruster_name = serializers.CharField(max_length=100)
    letter_no = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    fast_track = serializers.BooleanField(required=False, default=False)
    crime = serializers.CharField(max_length=200)
    # A plain code (the same choice set as the person's category would get two enum names in the schema).
    proposed_category = serializers.CharField(help_text="拟适用矫正类别：" + "、".join(f"{v}（{label}）" for v, label in Category.choices))
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
