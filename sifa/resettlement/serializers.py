"""API shapes of 安置帮教 (/api/v1/resettlement/). The person leaves masked (the
kernel's case serializers: ID number, phone and 户籍地); the offence, the sentence,
the residence and the correction file's summary stay on the audited file page,
never in the API; the audited reveal endpoint is the only way to full values."""

from rest_framework import serializers

from sifa.cases.serializers import CaseDetailSerializer, CaseListSerializer

from .choices import Origin
from .models import Releasee


class ReleaseeRecordSerializer(serializers.ModelSerializer):
    origin = serializers.CharField(read_only=True)
    origin_label = serializers.CharField(source="get_origin_display", read_only=True)
    handover_way = serializers.CharField(read_only=True)
    placement = serializers.CharField(read_only=True)
    end_kind = serializers.CharField(read_only=True)
    verification = serializers.CharField(read_only=True)

    class Meta:
        model = Releasee
        # Not in the API at all: the offence, the sentence and the residence (encrypted at rest,
        # shown on the audited file page), nor the correction file's summary.
        exclude = ["case", "crime", "sentence", "residence", "correction_summary"]


class ResettlementListSerializer(CaseListSerializer):
    origin = serializers.CharField(source="releasee.get_origin_display", read_only=True)
    released_on = serializers.DateField(source="releasee.released_on", read_only=True)
    expected_release_on = serializers.DateField(source="releasee.expected_release_on", read_only=True)
    key_person = serializers.BooleanField(source="releasee.key_person", read_only=True)
    grade = serializers.CharField(source="releasee.grade", read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "origin", "released_on", "expected_release_on", "key_person", "grade"]


class ResettlementDetailSerializer(CaseDetailSerializer):
    record = ReleaseeRecordSerializer(source="releasee", read_only=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "record"]


class ResettlementCreateSerializer(serializers.Serializer):
    """预释放登记: the person the prison (看守所) notified, registered 待释放."""

    owner_org = serializers.IntegerField(label="承办司法所", help_text="户籍地司法所的 id")
    name = serializers.CharField(max_length=100, help_text="姓名")
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="", help_text="居民身份证号码")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    household = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", help_text="户籍地")
    origin = serializers.ChoiceField(choices=Origin.choices, default=Origin.PRISON, help_text="来源")
    institution = serializers.CharField(max_length=100, help_text="释放单位（监狱、看守所或社区矫正机构）")
    crime = serializers.CharField(max_length=200, help_text="罪名")
    sentence = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="原判刑罚及刑期")
    sentence_start = serializers.DateField(required=False, allow_null=True, default=None)
    sentence_end = serializers.DateField(required=False, allow_null=True, default=None)
    notice_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="收到释放通知日期")
    expected_release_on = serializers.DateField(required=False, allow_null=True, default=None)
    released_on = serializers.DateField(required=False, allow_null=True, default=None)
    key_person = serializers.BooleanField(required=False, default=False, help_text="重点帮教对象（必接必送）")
    residence = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", help_text="实际居住地")
    opened_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="登记日期")
