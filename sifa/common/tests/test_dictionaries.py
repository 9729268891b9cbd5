"""Dictionary admin (字典管理): the registered code sets, two levels of entries,
add / edit / deactivate. Codes are stable; labels are editable; every change is
audited through the audit hook; refusals explain themselves and change nothing.

sifa.common may not import other sifa apps, so this test reaches the audit log
through the app registry and the users through the shared fixtures."""

from unittest import mock

import pytest
from django.apps import apps
from django.urls import reverse

from sifa.common import dictionaries
from sifa.common.models import DictionaryEntry

pytestmark = pytest.mark.django_db

SET = "test_dispute_type"


@pytest.fixture(autouse=True)
def _registered_set():
    dictionaries.register_set(SET, "测试纠纷类型")


@pytest.fixture
def seeded():
    dictionaries.ensure(SET, [("family", "婚姻家庭"), ("neighbour", "邻里"), ("divorce", "离婚", "family")], source="practice")
    return {e.code: e for e in DictionaryEntry.objects.filter(code_set=SET)}


@pytest.fixture
def admin(users, client_for):
    return client_for(users.sysadmin)


def audit(action):
    return apps.get_model("audit", "AuditEntry").objects.filter(action=action)


def state():
    return sorted(DictionaryEntry.objects.values_list("pk", "code_set", "code", "label", "parent_id", "is_active", "sort_order", "note"))


def test_sets_page_lists_registered_sets(admin, seeded):
    r = admin.get(reverse("common:dictionary_sets"))
    rows = {key: (label, total, active) for key, label, total, active in r.context["rows"]}
    assert rows[SET] == ("测试纠纷类型", 3, 3)
    assert 'data-label="字典"' in r.content.decode()


def test_unknown_set_is_404(admin):
    assert admin.get(reverse("common:dictionary_entries", args=["no_such_set"])).status_code == 404
    assert admin.post(reverse("common:dictionary_create", args=["no_such_set"]), {"code": "x", "label": "x"}).status_code == 404
    assert not DictionaryEntry.objects.filter(code_set="no_such_set").exists()


def test_entries_in_two_levels(admin, seeded):
    r = admin.get(reverse("common:dictionary_entries", args=[SET]))
    tree = [(e.code, [c.code for c in children]) for e, children in r.context["tree"]]
    assert tree == [("family", ["divorce"]), ("neighbour", [])]


def test_add_top_level_and_child(users, admin, seeded):
    r = admin.post(reverse("common:dictionary_create", args=[SET]), {"code": "labour", "label": "劳动争议", "sort_order": 40, "note": "含欠薪"})
    assert r.status_code == 302
    labour = DictionaryEntry.objects.get(code_set=SET, code="labour")
    assert (labour.label, labour.parent, labour.source, labour.is_active) == ("劳动争议", None, "local", True)
    r = admin.post(reverse("common:dictionary_create", args=[SET]), {"code": "wages", "label": "欠薪", "parent": labour.pk})
    assert r.status_code == 302
    assert DictionaryEntry.objects.get(code_set=SET, code="wages").parent == labour
    entry = audit("dictionary.create").filter(object_id=str(labour.pk)).get()
    assert entry.username == "sysadmin" and entry.detail["code"] == "labour"
    assert ("wages", "劳动争议 / 欠薪") in dictionaries.choices(SET)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "family", "label": "重复"}, "code", "已存在"),
        ({"code": "bad code", "label": "x"}, "code", "代码须为"),
        ({"code": "", "label": "x"}, "code", "必填"),
        ({"code": "ok1", "label": ""}, "label", "必填"),
        # Only top-level entries are offered as parents (two levels).
        ({"code": "ok2", "label": "x", "parent": "DIVORCE"}, "parent", "选择一个有效的选项"),
        ({"code": "ok3", "label": "x", "parent": "999999"}, "parent", "选择一个有效的选项"),
    ],
)
def test_add_refusals(admin, seeded, data, field, message):
    data = {k: (seeded["divorce"].pk if v == "DIVORCE" else v) for k, v in data.items()}
    before = state()
    r = admin.post(reverse("common:dictionary_create", args=[SET]), data)
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert state() == before
    assert not audit("dictionary.create").exists()


def test_edit_label_keeps_the_code(admin, seeded):
    family = seeded["family"]
    r = admin.post(reverse("common:dictionary_edit", args=[SET, family.pk]), {"code": "hacked", "label": "婚姻家庭纠纷", "sort_order": 1})
    assert r.status_code == 302
    family.refresh_from_db()
    assert (family.code, family.label, family.sort_order) == ("family", "婚姻家庭纠纷", 1)
    assert dictionaries.label(SET, "family") == "婚姻家庭纠纷"
    entry = audit("dictionary.update").get()
    assert entry.detail["changes"]["label"] == ["婚姻家庭", "婚姻家庭纠纷"]


def test_edit_refusals(admin, seeded):
    before = state()
    url = reverse("common:dictionary_edit", args=[SET, seeded["family"].pk])
    # An entry with children cannot become a child (two levels only).
    r = admin.post(url, {"label": "婚姻家庭", "parent": seeded["neighbour"].pk})
    assert r.status_code == 400 and "只有两级" in " ".join(r.context["form"].errors["parent"])
    r = admin.post(url, {"label": ""})
    assert r.status_code == 400 and "label" in r.context["form"].errors
    # Its own parent is not even offered.
    assert seeded["family"] not in r.context["form"].fields["parent"].queryset
    assert state() == before
    # Another set's entry is not found under this set.
    dictionaries.register_set("test_other", "另一个字典")
    other = DictionaryEntry.objects.create(code_set="test_other", code="x", label="x")
    assert admin.get(reverse("common:dictionary_edit", args=[SET, other.pk])).status_code == 404


def test_deactivate_and_reactivate(admin, seeded):
    toggle = lambda e, active: admin.post(reverse("common:dictionary_toggle", args=[SET, e.pk]), {"active": active}, follow=True)  # noqa: E731
    before = state()
    r = toggle(seeded["family"], "0")  # still has an active child
    assert "请先停用它们" in r.content.decode()
    assert state() == before
    toggle(seeded["divorce"], "0")
    toggle(seeded["family"], "0")
    assert not DictionaryEntry.objects.filter(code__in=["family", "divorce"], code_set=SET, is_active=True).exists()
    assert [code for code, _ in dictionaries.choices(SET)] == ["neighbour"]
    # The label still reads for old records.
    assert dictionaries.label(SET, "divorce") == "离婚"
    before = state()
    r = toggle(seeded["divorce"], "1")  # parent is inactive
    assert "请先启用上级" in r.content.decode()
    assert state() == before
    toggle(seeded["family"], "1")
    assert DictionaryEntry.objects.get(code_set=SET, code="family").is_active
    assert audit("dictionary.deactivate").count() == 2 and audit("dictionary.activate").count() == 1
    assert admin.get(reverse("common:dictionary_toggle", args=[SET, seeded["family"].pk])).status_code == 405


def test_menu_entry_for_sysadmin_only(users, client_for):
    from sifa.kit import menu

    def labels(user):
        return [item["label"] for group in menu.for_user(user) for item in group["items"]]

    assert "字典管理" in labels(users.sysadmin)
    for who in ("secadmin", "auditor", "leader", "office_a"):
        assert "字典管理" not in labels(getattr(users, who))


def test_labels_and_validation_read_the_list_once_and_see_an_edit_at_once(admin, seeded, django_assert_num_queries):
    dictionaries.forget()
    with django_assert_num_queries(1):  # one query for the set, then none
        assert dictionaries.label(SET, "divorce") == "离婚"
        assert dictionaries.parent(SET, "divorce") == "family" and dictionaries.parent(SET, "family") is None
        assert dictionaries.validate(SET, "neighbour", "t", "类型") == "neighbour"
        assert dictionaries.labels(SET)["family"] == "婚姻家庭"
    # An administrator's deactivation counts on the next call in this process.
    admin.post(reverse("common:dictionary_toggle", args=[SET, seeded["neighbour"].pk]), {"active": "0"})
    with pytest.raises(dictionaries.DomainError) as refused:
        dictionaries.validate(SET, "neighbour", "t", "类型")
    assert refused.value.field == "t" and "不在字典中" in refused.value.message
    with pytest.raises(dictionaries.DomainError):
        dictionaries.validate(SET, "no_such_code", "t", "类型")
    # Another process's copy is at most MAX_AGE old: past it, the list is read again.
    DictionaryEntry.objects.filter(code_set=SET, code="family").update(label="婚姻家庭纠纷")  # no signal, as from another process
    assert dictionaries.label(SET, "family") == "婚姻家庭"
    with mock.patch.object(dictionaries.time, "monotonic", return_value=dictionaries.time.monotonic() + dictionaries.MAX_AGE + 1):
        assert dictionaries.label(SET, "family") == "婚姻家庭纠纷"
