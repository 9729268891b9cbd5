"""The registry of mediation organisations and people: committees and studios
(orgs created through orgs.services), mediators, positions, training, and the
statute's composition rules shown as warnings."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.common.errors import DomainError, PermissionRefused
from sifa.mediation import selectors
from sifa.mediation.models import Committee, Mediator, Membership, Training
from sifa.mediation.services import roster as reg
from sifa.orgs.models import Org

from .factories import mediator, profile

pytestmark = pytest.mark.django_db


def warnings(org):
    return selectors.committee_rows([org])[0]["warnings"]


def test_create_committee_and_studio(orgs, users):
    c = reg.create_committee(
        users.office_a,
        parent=orgs.office_a,
        name="A村人民调解委员会",
        short_name="A村调委会",
        committee_type="village",
        established_on=date(2020, 1, 1),
        term_start=date(2024, 1, 1),
    )
    assert c.org.kind == "committee" and c.org.parent == orgs.office_a and c.org.path.startswith(orgs.office_a.path)
    s = reg.create_committee(users.office_a, parent=c.org, name="老娘舅金牌调解工作室", short_name="老娘舅", committee_type="studio_gold")
    assert s.org.kind == "studio" and s.org.parent == c.org
    med = reg.create_committee(
        users.staff, parent=orgs.bureau, name="医疗纠纷人民调解委员会", short_name="医调委", committee_type="professional", field_code="medical"
    )
    assert med.field_code == "medical" and med.org.parent == orgs.bureau
    # The bureau lists committees per office.
    rows = selectors.committee_rows(selectors.committee_orgs(users.leader).filter(path__startswith=orgs.office_a.path))
    assert {r["org"].name for r in rows} == {"A调委会", "A村人民调解委员会", "老娘舅金牌调解工作室"}
    assert {r["office"].name for r in rows} == {"A司法所"}


@pytest.mark.parametrize(
    "actor,parent,fields,error,message",
    [
        ("office_b", "office_a", {}, DomainError, "不在您的管理范围内"),
        ("leader", "office_a", {}, PermissionRefused, "不能修改"),
        ("mediator_a", "committee_a", {"committee_type": "studio_personal"}, PermissionRefused, "不能修改"),
        ("office_a", "office_a", {"name": "A调委会"}, DomainError, "已有名为“A调委会”"),
        ("office_a", "office_a", {"committee_type": ""}, DomainError, "组织类型"),
        ("office_a", "office_a", {"field_code": "astrology"}, DomainError, "不在字典中"),
        ("office_a", "committee_a", {}, DomainError, "应设在司法所"),
        ("office_a", "office_a", {"phone": "12"}, DomainError, "电话号码格式不正确"),
    ],
)
def test_create_committee_refusals(orgs, users, actor, parent, fields, error, message):
    before = (Org.objects.count(), Committee.objects.count())
    data = {"name": "新调委会", "short_name": "新调", "committee_type": "village"} | fields
    with pytest.raises(error, match=message):
        reg.create_committee(getattr(users, actor), parent=getattr(orgs, parent), **data)
    assert (Org.objects.count(), Committee.objects.count()) == before


def test_statute_warnings(orgs, users):
    org = orgs.committee_a
    assert warnings(org)[0] == "尚未建立调解组织档案（类型、成立日期、任期）。"
    profile(org, term_start=date(2020, 1, 1))
    w = warnings(org)
    assert "委员不足3人（现有0人），人民调解委员会由委员三至九人组成。" in w and "未设主任。" in w
    assert any("本届任期已于2023-01-01届满" in x for x in w)
    Committee.objects.filter(org=org).update(term_start=date(2025, 1, 1))
    mediator(org, "甲", gender="M", position="director")
    mediator(org, "乙", gender="M", position="member")
    mediator(org, "丙", gender="M", position="member")
    mediator(org, "丁", gender="F", position="mediator")  # hired mediators are not members
    assert warnings(org) == ["委员中没有妇女成员（人民调解法第九条：应当有妇女成员）。"]
    second = mediator(org, "戊", gender="F", position="director")
    assert warnings(org) == ["主任有2人，应设主任一人。"]
    Membership.objects.filter(mediator=second).update(position="deputy")
    assert warnings(org) == []
    for i in range(6):
        mediator(org, f"委员{i}", position="member")
    assert warnings(org) == ["委员超过9人（现有10人），人民调解委员会由委员三至九人组成。"]
    # Studios are not committees: no composition rule.
    studio = reg.create_committee(users.office_a, parent=org, name="工作室", short_name="工作室", committee_type="studio_personal")
    assert warnings(studio.org) == []


def test_mediators_positions_training(orgs, users):
    profile(orgs.committee_a)
    m = reg.create_mediator(
        users.office_a,
        committee=orgs.committee_a,
        position="director",
        since=date(2024, 1, 1),
        name="周淑芬",
        gender="F",
        kind="full_time",
        level="2",
        phone="13811112222",
        user=users.mediator_a,
    )
    assert (m.org, m.level, m.get_level_display(), m.user, m.phone) == (orgs.committee_a, "2", "二级", users.mediator_a, "13811112222")
    assert list(m.memberships.values_list("committee__name", "position")) == [("A调委会", "director")]
    # A mediator may sit in a second committee.
    reg.add_membership(users.staff, m, committee=orgs.committee_b, position="member")
    assert m.memberships.filter(active=True).count() == 2
    reg.end_membership(users.staff, m.memberships.get(committee=orgs.committee_b))
    assert m.memberships.filter(active=True).count() == 1
    t = reg.add_training(users.office_a, m, on=date(2026, 5, 1), title="婚姻家庭纠纷调解技巧", organizer="演示区司法局", hours=4)
    assert Training.objects.get() == t
    reg.update_mediator(users.office_a, m, name="周淑芬", gender="F", kind="part_time", level="1", phone="", user=None, is_active=True)
    m.refresh_from_db()
    assert (m.kind, m.level, m.user) == ("part_time", "1", None)


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"name": ""}, "姓名"),
        ({"gender": "X"}, "性别"),
        ({"level": "5"}, "等级"),
        ({"phone": "abc"}, "电话号码格式不正确"),
        ({"user": "lawyer"}, "人民调解员"),
        ({"user": "mediator_a2", "committee": "committee_b"}, "人民调解员"),
        ({"position": "chief"}, "职务"),
    ],
)
def test_mediator_refusals(orgs, users, fields, message):
    data = {"name": "王某", "gender": "M", "level": "", "phone": "", "committee": "committee_a", "position": "member"} | fields
    if data.get("user"):
        data["user"] = getattr(users, data["user"])
    committee = getattr(orgs, data.pop("committee"))
    with pytest.raises(DomainError, match=message):
        reg.create_mediator(users.staff, committee=committee, **data)
    assert not Mediator.objects.exists() and not Membership.objects.exists()


def test_registry_pages(orgs, users, client_for):
    c = client_for(users.office_a)
    resp = c.post(
        reverse("mediation:committee_create"),
        {"name": "A村人民调解委员会", "short_name": "A村调委会", "parent": str(orgs.office_a.pk), "committee_type": "village", "term_years": "3"},
    )
    org = Org.objects.get(name="A村人民调解委员会")
    assert resp.status_code == 302 and resp.url == reverse("mediation:committee", args=[org.pk])
    page = c.get(reverse("mediation:committee", args=[org.pk])).content.decode()
    assert "委员不足3人" in page and "未设主任" in page
    resp = c.post(
        reverse("mediation:mediator_create"),
        {"name": "周淑芬", "gender": "F", "committee": str(org.pk), "position": "director", "kind": "full_time", "level": "3", "is_active": "on"},
    )
    m = Mediator.objects.get()
    assert resp.status_code == 302 and m.org == org
    assert c.post(reverse("mediation:training_add", args=[m.pk]), {"on": "2026-05-01", "title": "调解技巧", "hours": "3.5"}).status_code == 302
    assert c.post(reverse("mediation:membership_add", args=[m.pk]), {"committee": str(orgs.committee_a.pk), "position": "member"}).status_code == 302
    detail = c.get(reverse("mediation:mediator", args=[m.pk])).content.decode()
    assert "调解技巧" in detail and "A调委会" in detail and "三级" in detail
    listing = c.get(reverse("mediation:committees") + f"?office={orgs.office_a.pk}").content.decode()
    assert "A村人民调解委员会" in listing and "B调委会" not in listing
    assert "周淑芬" in c.get(reverse("mediation:mediators")).content.decode()
    resp = c.post(
        reverse("mediation:committee_edit", args=[org.pk]),
        {"name": "A村人民调解委员会", "short_name": "A村调委会", "committee_type": "village", "term_years": "3", "established_on": "2019-06-01"},
    )
    assert resp.status_code == 302 and Committee.objects.get(org=org).established_on == date(2019, 6, 1)
    # Bad input: Chinese message naming the field, nothing saved.
    resp = c.post(
        reverse("mediation:mediator_create"),
        {"name": "李某", "gender": "M", "committee": str(org.pk), "position": "member", "kind": "part_time", "phone": "12"},
    )
    assert resp.status_code == 400 and "电话号码格式不正确" in resp.content.decode() and Mediator.objects.count() == 1
    resp = c.post(reverse("mediation:training_add", args=[m.pk]), {"on": "", "title": "x"})
    assert resp.status_code == 400 and "请填写培训日期。" in resp.content.decode() and Training.objects.count() == 1


def test_existing_committee_gets_a_profile_through_edit(orgs, users, client_for):
    c = client_for(users.staff)
    assert not Committee.objects.exists()
    resp = c.post(
        reverse("mediation:committee_edit", args=[orgs.committee_b.pk]),
        {"name": "B调委会", "short_name": "B调", "committee_type": "township", "term_years": "3"},
    )
    assert resp.status_code == 302 and Committee.objects.get().org == orgs.committee_b


def test_mediator_edit_never_shows_the_stored_phone(orgs, users, client_for):
    m = mediator(orgs.committee_a, "周淑芬", phone="13811112222")
    c = client_for(users.office_a)
    url = reverse("mediation:mediator_edit", args=[m.pk])
    page = c.get(url).content.decode()
    assert "13811112222" not in page and "138****2222" in page
    base = {"name": "周淑芬", "gender": "F", "kind": "part_time", "level": "4", "is_active": "on", "phone": ""}
    assert c.post(url, base).status_code == 302
    m.refresh_from_db()
    assert (m.phone, m.level) == ("13811112222", "4")
    assert c.post(url, base | {"clear_phone": "on"}).status_code == 302
    m.refresh_from_db()
    assert m.phone == ""
