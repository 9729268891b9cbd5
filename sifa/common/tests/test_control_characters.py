"""Control characters (issue 20): a portal applicant named with U+0001 made every
Word document of their case answer 500. Text loses them where it enters (every
StyledForm, every API body) and again where a document is written, so a record
already stored with them still gives documents that open."""

from __future__ import annotations

from io import BytesIO

import pytest
from django import forms
from django.db import models
from django.test import Client
from django.urls import reverse
from docx import Document

from sifa.cases.models import Case, CaseEvent, Party
from sifa.cases.tests.factories import make_case
from sifa.common import docgen
from sifa.common.forms import StyledForm
from sifa.common.parsers import clean_tree
from sifa.common.text import clean_text, xml_safe
from sifa.kit import registry

NAME = "\x01张\x0b三"
# Every C0 control but tab, LF and CR, plus DEL: none survives.
CONTROLS = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\x7f"
# Forms and the API keep refusing NUL (400 naming the field), as they did before: it is
# never typed. Everything else is dropped.
TYPED = CONTROLS.replace("\x00", "")
# What PostgreSQL stores (it refuses only NUL) and XML does not allow.
STORED = "\x01\x08\x0b\x0c\x1c\x1f"


# --- the function ----------------------------------------------------------------------------------


def test_clean_text_drops_controls_and_keeps_breaks_only_in_multiline_text():
    assert clean_text(NAME) == "张三"
    assert clean_text(f"a{CONTROLS}b") == clean_text(f"a{CONTROLS}b", multiline=True) == "ab"
    assert clean_text("一\t二\r\n三\n") == "一 二 三 "  # one line: breaks become one space
    assert clean_text("一\t二\r\n三\n", multiline=True) == "一\t二\r\n三\n"
    assert clean_text("x\u2028y\x85z") == "x y z"  # what str.splitlines() breaks at
    assert clean_text("a\ud800b\uffffc") == "abc"  # no database or document encodes these
    assert clean_text("") == "" and clean_text("普通文字 ok") == "普通文字 ok"
    assert clean_text("a\x00\x01b", keep_nul=True) == "a\x00b"
    assert xml_safe(f"a{CONTROLS}\t\n\rb") == "a\x7f\t\n\rb"  # DEL is legal XML; the input side drops it


# --- Django forms --------------------------------------------------------------------------------


class PartyForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=10)
    facts = forms.CharField(label="事实", widget=forms.Textarea, required=False)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, required=False)


def test_every_styled_form_cleans_its_text_fields():
    form = PartyForm({"name": f"{NAME}\n", "facts": f"第一行\x01\n\t第二行{TYPED}", "password": "a\x01b"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "张三"
    assert form.cleaned_data["facts"] == "第一行\n\t第二行"  # a Textarea keeps tab and line breaks
    assert form.cleaned_data["password"] == "a\x01b"  # a secret is compared, never printed: as typed


def test_a_value_of_control_characters_only_is_missing_and_nul_is_refused():
    form = PartyForm({"name": "\x01\x02\x7f"})
    assert not form.is_valid() and "name" in form.errors
    form = PartyForm({"name": "张\x00三"})
    assert not form.is_valid() and "name" in form.errors


def test_a_field_added_after_construction_is_cleaned_too():
    form = PartyForm({"name": "张三", "late": "\x01晚\x02"})
    form.fields["late"] = forms.CharField()
    assert form.is_valid() and form.cleaned_data["late"] == "晚"


# --- the API: every body passes the cleaning parsers ---------------------------------------------------


def test_clean_tree_cleans_every_string_however_deep():
    deep = {"a": [NAME, {"b": NAME, "n": 1, "t": True}]}
    for _ in range(3000):  # deeper than Python's recursion limit
        deep = [deep]
    out = clean_tree(deep)
    while isinstance(out, list):
        out = out[0]
    assert out == {"a": ["张三", {"b": "张三", "n": 1, "t": True}]}


@pytest.mark.django_db
def test_api_bodies_lose_control_characters_json_form_and_serializer_alike(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    c = Client()
    c.force_login(users.office_a)
    ct = registry.case_type(case.case_type)
    step = lambda name, body: c.post(reverse(f"api:{ct.api_root}-step", args=[case.pk, name]), body, content_type="application/json")  # noqa: E731
    # A serializer field (the step's reason) ...
    r = step("refuse", {"reason": f"材料{TYPED}不全\x01"})
    assert r.status_code == 200, r.content.decode()
    assert CaseEvent.objects.get(case=case, transition="refuse").reason == "材料不全"


@pytest.mark.django_db
def test_api_form_bodies_are_cleaned_too(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    c = Client()
    c.force_login(users.office_a)
    ct = registry.case_type(case.case_type)
    # A multipart body (what a browser form sends), the step form behind it.
    r = c.post(reverse(f"api:{ct.api_root}-step", args=[case.pk, "refuse"]), {"reason": "\x01不符\x0b合条件"})
    assert r.status_code == 200, r.content.decode()
    assert CaseEvent.objects.get(case=case, transition="refuse").reason == "不符合条件"


# --- documents ----------------------------------------------------------------------------------------


def is_a4_gbt9704(section) -> bool:
    """A4, portrait or landscape, with the GB/T 9704 margins (python-docx's own default is US Letter)."""
    mm = lambda v: round(v / 36000)  # noqa: E731  (EMU per millimetre)
    size = sorted((mm(section.page_width), mm(section.page_height)))
    margins = (mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin))
    return size == [210, 297] and margins == (37, 35, 28, 26)


def _opens(data: bytes) -> str:
    """The document's text; it must open in python-docx and be A4 in every section."""
    d = Document(BytesIO(data))
    assert d.sections and all(is_a4_gbt9704(s) for s in d.sections), "A4, GB/T 9704"
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells])


def test_every_building_block_writes_any_text():
    bad = f"{CONTROLS}\ud800\ufffe张三"
    doc = docgen.OfficialDocument()
    doc.org_header(bad)
    doc.title(bad, bad)
    doc.heading(bad)
    doc.paragraph(bad)
    doc.fields([(bad, bad)])
    doc.table([bad, "列"], [[bad, None]])
    doc.form_table([(bad, bad)])
    doc.signature(bad, None)
    doc.signatures([bad])
    doc.footnote(bad)
    text = _opens(doc.bytes())
    assert text.count("张三") == 14 and not set(text) & set(CONTROLS) - {"\x7f"}  # DEL is legal XML


def test_a_stored_value_never_becomes_a_command_in_a_document_template():
    # str.splitlines() breaks at VT, FF, U+001C–U+001E, U+0085 and U+2028: none starts a line.
    for brk in ("\x0b", "\x0c", "\x1c", "\x85", "\u2028"):
        paragraphs = [p.text for p in Document(BytesIO(docgen.from_markup(f"@field 申请人 ¦ 张三{brk}@title 伪造\n正文"))).paragraphs]
        assert "伪造" not in paragraphs and paragraphs[-1] == "正文", (brk, paragraphs)
        assert paragraphs[0].startswith("申请人：张三") and paragraphs[0].endswith("@title 伪造"), (brk, paragraphs)


def _store_controls(case: Case) -> None:
    """Control characters written straight to the database, as before the input was cleaned."""
    Party.objects.filter(case=case).update(name=f"{STORED}张{STORED}三")
    Case.objects.filter(pk=case.pk).update(title=f"{STORED}{case.title}")
    rec = case.record
    if rec is not None:
        free_text = [f.name for f in rec._meta.concrete_fields if isinstance(f, models.TextField) and not f.choices and type(f) is models.TextField]
        type(rec).objects.filter(pk=rec.pk).update(**dict.fromkeys(free_text, f"{STORED}文字{STORED}"))


@pytest.mark.django_db
@pytest.mark.parametrize("key", [ct.key for ct in registry.case_types()])
def test_stored_control_characters_still_give_every_document_of_the_line(users, orgs, key):
    """Every line: its sample case with control characters stored in the parties'
    names, the title and the record's free text; every document it offers answers
    200 with a Word file python-docx opens."""
    ct = registry.case_type(key)
    from sifa.cases import selectors

    for user in (users.office_a, users.staff):
        org = selectors.creatable_orgs(user, key).order_by("depth", "id").first()
        if org is not None:
            break
    else:
        pytest.skip(f"nobody in the test world registers {key}")
    case = ct.sample(user, org)
    _store_controls(case)
    case = Case.all_objects.get(pk=case.pk)
    c = Client()
    c.force_login(user)
    offered = [d for d in ct.documents if d.available(case)]
    for doc in offered:
        r = c.get(reverse("cases:document", args=[case.pk, doc.key]))
        assert r.status_code == 200, (key, doc.key, r.status_code)
        text = _opens(r.content)
        assert text.strip() and not set(text) & set(STORED), (key, doc.key)
