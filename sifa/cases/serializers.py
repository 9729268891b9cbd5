"""API shapes of cases. Personal data leaves masked (SECURITY.md); the reveal
endpoint is the only way to the full value and it is audited."""

from rest_framework import serializers

from .models import Case, CaseEvent, Party
from .parties import masked


class PartySerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    role_label = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "role", "role_label", "kind", "name", "id_type", "id_number", "phone", "address", "gender"]

    def _m(self, obj):
        cache = self.context.setdefault("_masked", {})
        if obj.pk not in cache:
            cache[obj.pk] = masked(obj)
        return cache[obj.pk]

    def get_id_number(self, obj) -> str:
        return self._m(obj)["id_number"]

    def get_phone(self, obj) -> str:
        return self._m(obj)["phone"]

    def get_address(self, obj) -> str:
        return self._m(obj)["address"]

    def get_role_label(self, obj) -> str:
        ct = obj.case.type if obj.case_id else None
        return (ct.party_roles or {}).get(obj.role, obj.role) if ct else obj.role


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["id", "at", "actor_name", "kind", "transition", "label", "from_status", "to_status", "reason"]


class DeadlineBriefSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    start_date = serializers.DateField()
    amount = serializers.IntegerField()
    unit = serializers.CharField()
    extended = serializers.IntegerField()
    paused_days = serializers.IntegerField()
    paused_since = serializers.DateField(allow_null=True)
    due_date = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)
    basis = serializers.CharField()
    rule_text = serializers.CharField()
    light = serializers.SerializerMethodField()

    def get_light(self, obj) -> str:
        from sifa.deadlines.selectors import light

        return light(obj)


class CaseListSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)
    owner_org = serializers.CharField(source="owner_org.name", read_only=True)
    handler = serializers.CharField(source="handler.display_name", default=None, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "code",
            "case_type",
            "type_label",
            "title",
            "status",
            "status_label",
            "owner_org",
            "handler",
            "opened_on",
            "closed_on",
            "outcome",
            "next_due",
            "doc_number",
            "version",
            "updated_at",
        ]


class CaseDetailSerializer(CaseListSerializer):
    parties = PartySerializer(many=True, read_only=True)
    deadlines = DeadlineBriefSerializer(many=True, read_only=True)
    summary = serializers.CharField(read_only=True)
    channel = serializers.CharField(read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + ["summary", "channel", "parties", "deadlines"]


class TransitionRequestSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="读取时的版本号；不一致时返回 409")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, help_text="办理日期，默认今天")
    data = serializers.DictField(required=False, default=dict, help_text="该操作所需的业务数据")

    def validate_data(self, value):
        # The step's data ends up in JSON columns, which cannot hold a NUL character.
        if _has_nul(value):
            raise serializers.ValidationError("业务数据中不能含有空字符（\\u0000）。")
        return value


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False
