from django import forms

from .forms import StyledFormMixin
from .models import DictionaryEntry


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label}（{obj.code}）" + ("" if obj.is_active else "（已停用）")


class _EntryFields(forms.Form):
    code = forms.CharField(label="代码", max_length=40, help_text="记录中保存的是代码，创建后不可修改。")
    label = forms.CharField(label="名称", max_length=100)
    parent = EntryChoiceField(queryset=DictionaryEntry.objects.none(), label="上级", required=False, empty_label="（无，一级字典项）")
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0, required=False, help_text="从小到大排列。")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, parents=None, editing: DictionaryEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents.exclude(pk=editing.pk) if editing is not None else parents
        if editing is not None:
            # The code is shown but never submitted: it cannot change.
            del self.fields["code"]


class DictionaryEntryForm(StyledFormMixin, _EntryFields):
    """The fields are settled in _EntryFields (parent queryset, no code when
    editing) before the mixin styles them."""
