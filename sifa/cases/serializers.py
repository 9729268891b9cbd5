"""API shapes of cases. Personal data leaves masked (SECURITY.md); the reveal
endpoint is the only way to the full value and it is audited."""

from django import forms
from rest_framework import serializers

from sifa.common.serializers import FieldsBuiltOnce

from .choices import Gender, IdType, PartyKind
from .models import Case, CaseEvent, Party
from .parties import masked


class PartySerializer(FieldsBuiltOnce, serializers.ModelSerializer):
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


class CaseListSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
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


class StepBrief(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()


class CaseDetailSerializer(CaseListSerializer):
    parties = PartySerializer(many=True, read_only=True)
    deadlines = DeadlineBriefSerializer(many=True, read_only=True)
    summary = serializers.CharField(read_only=True)
    channel = serializers.CharField(read_only=True)
    documents = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + ["summary", "channel", "parties", "deadlines", "documents", "steps"]

    def get_documents(self, obj) -> list[str]:
        ct = obj.type
        return [d.key for d in ct.documents if d.available(obj)] if ct else []

    def get_steps(self, obj) -> StepBrief(many=True):
        """The steps the requesting user may take now (the case page's buttons)."""
        from .services import allowed_steps

        request = self.context.get("request")
        return [{"name": t.name, "label": t.label} for t in allowed_steps(request.user, obj)] if request else []


class PartyInput(serializers.Serializer):
    role = serializers.CharField(help_text="当事人身份，取值见该业务的当事人身份")
    kind = serializers.ChoiceField(choices=PartyKind.choices, required=False, default=PartyKind.NATURAL)
    name = serializers.CharField(max_length=100)
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    legal_rep = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class StepField(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    type = serializers.CharField()
    choices = serializers.ListField(child=serializers.ListField(child=serializers.CharField()), required=False)


class StepInfo(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    target = serializers.CharField(allow_null=True)
    reason_required = serializers.BooleanField()
    fields = StepField(many=True)


def _field_type(field) -> str:
    for cls, name in (
        (forms.DateField, "date"),
        (forms.TimeField, "time"),
        (forms.BooleanField, "boolean"),
        (forms.DecimalField, "decimal"),
        (forms.IntegerField, "integer"),
        (forms.ModelMultipleChoiceField, "id[]"),
        (forms.ModelChoiceField, "id"),
        (forms.FileField, "file"),
        (forms.ChoiceField, "choice"),
    ):
        if isinstance(field, cls):
            return name
    return "string"


def step_info(step, form=None) -> dict:
    """A step and the fields of its form, as the step catalogue lists them."""
    fields = []
    for name, f in form.fields.items() if form is not None else ():
        item = {"name": name, "label": str(f.label), "required": f.required, "type": _field_type(f)}
        if isinstance(f, forms.ChoiceField) and not isinstance(f, forms.ModelChoiceField):
            item["choices"] = [[str(k), str(v)] for k, v in f.choices]
        elif isinstance(f, forms.ModelChoiceField) and f.queryset is not None:
            item["choices"] = [[str(o.pk), str(f.label_from_instance(o))] for o in f.queryset[:200]]
        fields.append(item)
    return {
        "name": step.name,
        "label": step.label,
        "sources": list(step.sources),
        "target": step.target,
        "reason_required": step.reason_required,
        "fields": fields,
    }


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


# The 409 of a registration whose parties already have an open case (services.PossibleDuplicate).
class DuplicateItem(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    owner_org = serializers.CharField()


class DuplicateResponse(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    field = serializers.CharField()
    duplicates = DuplicateItem(many=True)


# --- assignment (承办人 and others on a case) -----------------------------------------------------


class AssigneeSerializer(serializers.Serializer):
    """One person who may be made the case's handler or be assigned to it."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    org = serializers.CharField(source="org.name")
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")


class AssignRequestSerializer(serializers.Serializer):
    user = serializers.IntegerField(label="被指派人员", min_value=1, max_value=2**63 - 1, help_text="人员的 id（见 GET 返回的可指派人员）")
    role = serializers.CharField(label="分工", required=False, default="handler", help_text="分工代码：handler 承办人、assistant 协办人 …")
    make_handler = serializers.BooleanField(label="设为承办人", required=False, default=False)
    reason = serializers.CharField(label="说明", required=False, allow_blank=True, default="", max_length=200)
