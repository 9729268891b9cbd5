"""The organisation tree pages (system administrator): tree, create, edit,
move, deactivate; bad input answers in Chinese beside the field and changes
nothing; every other role gets 404."""

import pytest
from django.urls import reverse

from sifa.accounts.tests.matrix import ROLES, expected, snapshot
from sifa.audit.models import AuditEntry
from sifa.cases.models import Case
from sifa.cases.tests.factories import make_case
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org

pytestmark = pytest.mark.django_db


def _form(org=None, **over):
    data = {
        "name": "新建司法所",
        "short_name": "新所",
        "kind": OrgKind.OFFICE,
        "parent": "",
        "region_code": "359901",
        "address": "",
        "phone": "",
        "sort_order": 5,
        "is_active": "on",
    }
    if org is not None:
        data.update(
            name=org.name,
            short_name=org.short_name,
            kind=org.kind,
            parent=org.parent_id or "",
            region_code=org.region_code,
            address=org.address,
            phone=org.phone,
            sort_order=org.sort_order,
            is_active="on" if org.is_active else "",
        )
    data.update(over)
    return {k: v for k, v in data.items() if v != "" or k in ("parent", "name", "short_name", "region_code")}


@pytest.fixture
def admin(users, client_for):
    return client_for(users.sysadmin)


@pytest.mark.parametrize("who", ROLES)
def test_access_matrix(orgs, users, client_for, who):
    c = client_for(getattr(users, who))
    for url in (reverse("orgs:tree"), reverse("orgs:create"), reverse("orgs:edit", args=[orgs.office_a.pk])):
        assert c.get(url).status_code == expected("sysadmin", who, 200), url
    if who == "sysadmin":
        return
    before = snapshot()
    assert c.post(reverse("orgs:create"), _form(parent=orgs.bureau.pk)).status_code == 404
    assert c.post(reverse("orgs:edit", args=[orgs.office_a.pk]), _form(orgs.office_a, name="改名")).status_code == 404
    assert snapshot() == before


def test_anonymous_goes_to_login(orgs, client):
    assert client.get(reverse("orgs:tree"))["Location"].startswith(reverse("accounts:login"))
    before = snapshot()
    assert client.post(reverse("orgs:create"), _form(parent=orgs.bureau.pk)).status_code == 302
    assert snapshot() == before


def test_tree_is_indented_by_depth(orgs, admin):
    r = admin.get(reverse("orgs:tree"))
    rows = r.context["rows"]
    assert [o.path for o in rows] == sorted(o.path for o in rows)
    body = r.content.decode()
    assert "A调委会" in body and 'style="width:3rem"' in body  # city 0 → bureau 1 → office 2 → committee 3
    assert 'data-label="名称"' in body


def test_create_under_a_bureau(orgs, admin):
    r = admin.post(reverse("orgs:create"), _form(parent=orgs.bureau.pk, phone="0591-87654321", address="东街1号"))
    assert r.status_code == 302
    org = Org.objects.get(name="新建司法所")
    assert org.parent == orgs.bureau and org.path == f"{orgs.bureau.path}{org.pk}/" and org.depth == 2
    assert org.phone == "0591-87654321" and org.sort_order == 5
    assert AuditEntry.objects.filter(action="org.create", object_id=str(org.pk), username="sysadmin").exists()


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"name": ""}, "name", "必填"),
        ({"short_name": ""}, "short_name", "必填"),
        ({"region_code": "35990"}, "region_code", "6位数字"),
        ({"region_code": "35990x"}, "region_code", "6位数字"),
        ({"phone": "abc"}, "phone", "电话号码格式不正确"),
        ({"kind": "planet"}, "kind", "选择一个有效的选项"),
        ({"parent": ""}, "parent", "不能设在“顶层”之下"),
        ({"kind": "committee", "parent": "CITY"}, "parent", "不能设在“市司法局”之下"),
        ({"name": "A司法所"}, "name", "已有名为“A司法所”的机构"),
        ({"sort_order": "-1"}, "sort_order", "大于或等于0"),
    ],
)
def test_create_refusals(orgs, admin, over, field, message):
    over = {k: (orgs.city.pk if v == "CITY" else v) for k, v in over.items()}
    data = _form(**{"parent": orgs.bureau.pk, **over})
    before = snapshot()
    r = admin.post(reverse("orgs:create"), data)
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert snapshot() == before


def test_move_an_office_rewrites_paths_of_subtree_and_cases(orgs, users, admin):
    case = make_case(users.office_a, orgs.committee_a)
    r = admin.post(reverse("orgs:edit", args=[orgs.office_a.pk]), _form(orgs.office_a, parent=orgs.other_bureau.pk))
    assert r.status_code == 302
    office = Org.objects.get(pk=orgs.office_a.pk)
    committee = Org.objects.get(pk=orgs.committee_a.pk)
    assert office.path == f"{orgs.other_bureau.path}{office.pk}/"
    assert committee.path == f"{office.path}{committee.pk}/" and committee.depth == 3
    assert Case.all_objects.get(pk=case.pk).org_path == committee.path
    entry = AuditEntry.objects.filter(action="org.update", object_id=str(office.pk)).latest("id")
    assert "parent" in entry.detail


def test_cannot_move_under_own_subtree(orgs, admin):
    before = snapshot()
    # The form does not even offer the subtree; a forged POST is refused too.
    r = admin.post(reverse("orgs:edit", args=[orgs.office_a.pk]), _form(orgs.office_a, parent=orgs.committee_a.pk))
    assert r.status_code == 400 and "parent" in r.context["form"].errors
    assert snapshot() == before
    r = admin.get(reverse("orgs:edit", args=[orgs.office_a.pk]))
    assert orgs.committee_a not in r.context["form"].fields["parent"].queryset


@pytest.mark.parametrize(
    ("target", "over", "field", "message"),
    [
        # A committee under the office cannot sit under a "studio".
        ("office_a", {"kind": "studio"}, "kind", "不能设在"),
        # The committee has mediators, who cannot belong to an "other" org.
        ("committee_a", {"kind": OrgKind.OTHER}, "kind", "请先调整用户"),
        ("office_a", {"is_active": ""}, "is_active", "请先停用全部下级机构"),
        ("committee_a", {"is_active": ""}, "is_active", "还有启用的用户"),
        ("office_a", {"name": "B司法所"}, "name", "已有名为“B司法所”的机构"),
    ],
)
def test_edit_refusals(orgs, users, admin, target, over, field, message):
    org = getattr(orgs, target)
    before = snapshot()
    r = admin.post(reverse("orgs:edit", args=[org.pk]), _form(org, **over))
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert snapshot() == before


def test_deactivate_a_leaf_without_users(orgs, admin):
    r = admin.post(reverse("orgs:edit", args=[orgs.committee_c.pk]), _form(orgs.committee_c, is_active=""))
    assert r.status_code == 302
    assert not Org.objects.get(pk=orgs.committee_c.pk).is_active
    # An inactive org is not offered for new accounts.
    from sifa.accounts.forms import UserCreateForm

    assert orgs.committee_c not in UserCreateForm().fields["org"].queryset


def test_edit_unknown_org_is_404(admin):
    assert admin.get(reverse("orgs:edit", args=[999999])).status_code == 404
