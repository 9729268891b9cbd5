"""A public application form for the core test line (ZZ), so the portal is tested
without any real business line (the portal must not import one)."""

from __future__ import annotations

from contextlib import contextmanager

from django import forms
from django.core.files.uploadedfile import UploadedFile

from sifa.cases.choices import Channel, EventKind
from sifa.cases.services import create_case
from sifa.cases.tests import testline
from sifa.common.forms import StyledForm
from sifa.kit import portal as registry
from sifa.kit import registry as cases_registry
from sifa.kit import registry as kit_registry

KEY = "testline"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=MultipleFileInput(), required=False, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(FilesField, self).clean(d, initial) for d in items if isinstance(d, UploadedFile)]


class TestApplicationForm(StyledForm):
    name = forms.CharField(label="申请人姓名", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=30)
    request = forms.CharField(label="请求事项", max_length=200)
    attachments = FilesField(label="材料")


def submit(cleaned: dict, org):
    case = create_case(
        None,
        case_type=testline.KEY,
        owner_org=org,
        title=f"网上申请：{cleaned['request']}",
        parties=[{"role": "applicant", "name": cleaned["name"], "phone": cleaned["phone"]}],
        channel=Channel.ONLINE,
        check_access=False,
    )
    if cleaned.get("attachments"):
        from sifa.attachments.services import attach_to_event

        attach_to_event(None, case, case.events.get(kind=EventKind.CREATED), cleaned["attachments"])
    return case


FORM = registry.PublicForm(
    key=KEY, label="测试申请", case_type=testline.KEY, form_class=TestApplicationForm, submit=submit, next_steps="五个工作日内审查。", order=999
)


@contextmanager
def public_testline(tracking: bool = True):
    """The test line with public tracking on and its online form registered, for one test."""
    ct = cases_registry.case_type(testline.KEY)
    old = ct.public_tracking
    ct.public_tracking = tracking
    kit_registry.add_public_form(FORM)
    try:
        yield ct
    finally:
        ct.public_tracking = old
        kit_registry.remove_public_form(KEY)
