from django import forms

from sifa.common.forms import StyledForm


class ImportForm(StyledForm):
    case_type = forms.ChoiceField(label="业务台账")
    file = forms.FileField(label="台账文件（.xlsx 或 .csv）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, ledgers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [(led.case_type, led.label) for led in ledgers]
        # StyledFormMixin validated the bound form before the choices existed; validate again.
        self._errors = None


class ExportForm(StyledForm):
    reveal = forms.BooleanField(label="导出完整的证件号码、电话和住址（将记录审计）", required=False)
