"""值班律师排班 (法律援助法 §14, §30): a week of the roster by workstation and day; the
centre's registering users arrange it (排班、复制上周排班、删除), the line's other users
read their bureau's, a lawyer reads their own shifts; every write audited, every
refusal changing nothing; every role on every route."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sifa.audit.models import AuditEntry
from sifa.common.errors import PermissionRefused, Refused
from sifa.registers.services import create_entry

from ..models import DutyHelp, DutyShift, Provider
from ..registers import DUTY_HELPS
from ..services import roster
from .test_legal_aid import provider

pytestmark = pytest.mark.django_db

MONDAY = roster.week_of(timezone.localdate())


def other_provider(orgs, name="邻区律师", user=None):
    return Provider.objects.create(center=orgs.other_legal_aid, org_path=orgs.other_legal_aid.path, name=name, user=user)


def shift(center, p, on=MONDAY, station="court", station_name="测试区人民法院", actor=None, note=""):
    from sifa.accounts.models import User

    actor = actor or User.objects.get(username="staff")
    fields = {"station": station, "station_name": station_name, "on": on, "provider": p, "note": note}
    return DutyShift.objects.create(center=center, org_path=center.path, created_by=actor, **fields)


def state():
    return list(DutyShift.objects.order_by("pk").values_list("pk", "center_id", "station", "station_name", "on", "provider_id", "note"))


def audited(action) -> int:
    return AuditEntry.objects.filter(action=action).count()


# (week page, add form, copy last week, delete one of the district centre's shifts)
EXPECTED = {
    "leader": (200, 403, 403, 403),
    "stat_admin": (200, 403, 403, 403),  # 统计管理员 reads as the leader does
    "staff": (200, 200, 302, 302),
    "staff_x": (404, 404, 404, 404),
    "office_a": (200, 200, 302, 302),
    "office_b": (200, 200, 302, 302),
    "mediator_a": (404, 404, 404, 404),
    "mediator_a2": (404, 404, 404, 404),
    "lawyer": (200, 403, 403, 404),  # reads their own shifts only; this one is someone else's
    "sysadmin": (404, 404, 404, 404),
    "secadmin": (404, 404, 404, 404),
    "auditor": (404, 404, 404, 404),
    "other_office": (200, 200, 302, 404),  # arranges the neighbouring centre; ours is not theirs
    "other_leader": (200, 403, 403, 404),
}


def test_every_role_on_every_route(users, orgs, client_for):
    mine, theirs = provider(orgs, name="本区值班律师"), other_provider(orgs)
    shift(orgs.legal_aid, mine)
    shift(orgs.other_legal_aid, theirs, station_name="邻区人民法院")
    for user in vars(users).values():
        c = client_for(user)
        target = shift(orgs.legal_aid, mine, on=MONDAY + timedelta(days=1), station_name=f"{user.username}工作站")
        before = state()
        got = (
            c.get(reverse("legal_aid:roster")).status_code,
            c.get(reverse("legal_aid:shift_create")).status_code,
            c.post(reverse("legal_aid:roster_copy"), {"week": MONDAY.isoformat()}).status_code,
            c.post(reverse("legal_aid:shift_delete", args=[target.pk])).status_code,
        )
        assert got == EXPECTED[user.username], user.username
        if got[3] != 302:
            assert state() == before, user.username  # a refusal changes nothing
        else:
            assert not DutyShift.objects.filter(pk=target.pk).exists(), user.username
        page = c.get(reverse("legal_aid:roster"))
        if page.status_code == 200:
            body = page.content.decode()
            ours = user.org.path.startswith(orgs.bureau.path) and user.role != "lawyer"
            assert ("本区值班律师" in body) == ours, user.username
            assert ("邻区律师" in body) == user.org.path.startswith(orgs.other_bureau.path), user.username
            assert ("复制上周排班" in body) == (got[1] == 200), user.username
    # Reading a shift's delete with GET is not a way in.
    assert client_for(users.staff).get(reverse("legal_aid:shift_delete", args=[DutyShift.objects.first().pk])).status_code == 405
    # The menu offers the roster to the line's users.
    assert "值班排班" in client_for(users.leader).get(reverse("legal_aid:list")).content.decode()


def test_the_week_runs_monday_to_sunday_with_links_to_the_weeks_around(users, orgs, client_for):
    p = provider(orgs, name="周律师")
    wednesday = MONDAY + timedelta(days=2)
    shift(orgs.legal_aid, p, on=wednesday, station="detention", station_name="测试区看守所", note="上午")
    shift(orgs.legal_aid, provider(orgs, name="下周律师"), on=MONDAY + timedelta(days=7))
    c = client_for(users.leader)
    r = c.get(reverse("legal_aid:roster"), {"week": wednesday.isoformat()})
    body = r.content.decode()
    assert r.status_code == 200 and r.context["start"] == MONDAY and r.context["end"] == MONDAY + timedelta(days=6)
    assert "周律师" in body and "测试区看守所" in body and "上午" in body and "下周律师" not in body
    assert f"week={(MONDAY - timedelta(days=7)).isoformat()}" in body and f"week={(MONDAY + timedelta(days=7)).isoformat()}" in body
    [row] = r.context["rows"]
    assert row["station"] == "看守所" and [len(cell) for cell in row["cells"]] == [0, 0, 1, 0, 0, 0, 0]
    assert [len(day["shifts"]) for day in r.context["by_day"]] == [0, 0, 1, 0, 0, 0, 0]  # the phone's list per day
    # The next week; a week that is not a date is this week.
    assert "下周律师" in c.get(reverse("legal_aid:roster"), {"week": (MONDAY + timedelta(days=9)).isoformat()}).content.decode()
    assert c.get(reverse("legal_aid:roster"), {"week": "2026-13-40"}).context["start"] == MONDAY


def test_adding_a_shift_and_bad_input_naming_the_field(users, orgs, client_for):
    p = provider(orgs, name="李律师")
    volunteer = provider(orgs, name="志愿者甲", kind="volunteer")
    gone = provider(orgs, name="已停用律师")
    Provider.objects.filter(pk=gone.pk).update(is_active=False)
    theirs = other_provider(orgs)
    c = client_for(users.office_a)
    form = c.get(reverse("legal_aid:shift_create")).content.decode()
    assert "李律师" in form and "志愿者甲" not in form and "已停用律师" not in form and "邻区律师" not in form
    data = {"station": "procuratorate", "station_name": "测试区人民检察院", "on": MONDAY.isoformat(), "provider": p.pk, "note": "全天"}
    r = c.post(reverse("legal_aid:shift_create"), data)
    assert r.status_code == 302 and f"week={MONDAY.isoformat()}" in r["Location"]
    s = DutyShift.objects.get()
    assert (s.center, s.org_path, s.station, s.station_name, s.on, s.provider, s.note, s.created_by) == (
        orgs.legal_aid,
        orgs.legal_aid.path,
        "procuratorate",
        "测试区人民检察院",
        MONDAY,
        p,
        "全天",
        users.office_a,
    )
    assert audited("legal_aid.shift_add") == 1
    before, logged = state(), AuditEntry.objects.count()
    far = timezone.localdate() + timedelta(days=400)
    for bad, words in (
        ({"provider": theirs.pk}, "值班律师"),  # another bureau's lawyer
        ({"provider": volunteer.pk}, "值班律师"),  # not a lawyer
        ({"provider": gone.pk}, "值班律师"),  # left the registry
        ({}, "已排在"),  # the same shift again
        ({"station_name": "  测试区人民检察院 "}, "已排在"),
        ({"on": far.isoformat()}, "值班日期：最多只能排一年以内的班"),
        ({"on": "明天"}, "值班日期"),
        ({"station_name": ""}, "请填写工作站名称"),
        ({"station": "police"}, "工作站："),
    ):
        r = c.post(reverse("legal_aid:shift_create"), data | bad)
        assert r.status_code == 400 and words in r.content.decode(), bad
    assert state() == before and AuditEntry.objects.filter(action__startswith="legal_aid.shift").count() == 1
    assert AuditEntry.objects.count() == logged
    # The service refuses the same way, naming the field.
    with pytest.raises(Refused) as exc:
        roster.add_shift(users.staff, orgs.legal_aid, station="court", station_name="法院", on=MONDAY, provider=theirs)
    assert exc.value.field == "provider"
    with pytest.raises(Refused) as exc:
        roster.add_shift(users.staff, orgs.legal_aid, station="court", station_name="法院", on=far, provider=p)
    assert exc.value.field == "on"
    with pytest.raises(PermissionRefused):
        roster.add_shift(users.staff, orgs.other_legal_aid, station="court", station_name="法院", on=MONDAY, provider=theirs)
    with pytest.raises(PermissionRefused):
        roster.add_shift(users.leader, orgs.legal_aid, station="court", station_name="法院", on=MONDAY, provider=p)
    assert state() == before
    # A leader may not post the form either.
    assert client_for(users.leader).post(reverse("legal_aid:shift_create"), data | {"on": (MONDAY + timedelta(days=1)).isoformat()}).status_code == 403
    assert state() == before


def test_copying_last_week_skips_those_already_there(users, orgs, client_for):
    a, b, gone = provider(orgs, name="甲律师"), provider(orgs, name="乙律师"), provider(orgs, name="丙律师")
    last = MONDAY - timedelta(days=7)
    shift(orgs.legal_aid, a, on=last, note="上午")
    shift(orgs.legal_aid, b, on=last + timedelta(days=3), station="detention", station_name="测试区看守所")
    shift(orgs.legal_aid, gone, on=last + timedelta(days=6))
    shift(orgs.legal_aid, a, on=last - timedelta(days=1))  # the week before: not copied
    shift(orgs.legal_aid, b, on=MONDAY + timedelta(days=3), station="detention", station_name="测试区看守所")  # already there
    Provider.objects.filter(pk=gone.pk).update(is_active=False)
    theirs = shift(orgs.other_legal_aid, other_provider(orgs), on=last)
    c = client_for(users.staff)
    r = c.post(reverse("legal_aid:roster_copy"), {"week": (MONDAY + timedelta(days=2)).isoformat()})
    assert r.status_code == 302 and f"week={MONDAY.isoformat()}" in r["Location"]
    week = DutyShift.objects.filter(on__gte=MONDAY, on__lt=MONDAY + timedelta(days=7))
    assert sorted(week.values_list("provider__name", "on", "note")) == [
        ("乙律师", MONDAY + timedelta(days=3), ""),
        ("甲律师", MONDAY, "上午"),
    ]
    assert not DutyShift.objects.filter(center=orgs.other_legal_aid, on__gte=MONDAY).exists() and theirs.on == last
    assert audited("legal_aid.shift_copy") == 1
    entry = AuditEntry.objects.get(action="legal_aid.shift_copy")
    assert entry.detail["copied"] == 1 and entry.detail["week"] == MONDAY.isoformat()
    # Again: everything is there already; nothing changes, nothing is audited.
    before = state()
    assert roster.copy_week(users.staff, MONDAY) == (0, 3)
    assert state() == before and audited("legal_aid.shift_copy") == 1
    # Refused: a week more than a year ahead; a reader; the line's outsiders.
    with pytest.raises(Refused) as exc:
        roster.copy_week(users.staff, timezone.localdate() + timedelta(days=400))
    assert exc.value.field == "week"
    with pytest.raises(PermissionRefused):
        roster.copy_week(users.leader, MONDAY)
    assert client_for(users.leader).post(reverse("legal_aid:roster_copy"), {"week": MONDAY.isoformat()}).status_code == 403
    assert client_for(users.mediator_a).post(reverse("legal_aid:roster_copy"), {"week": MONDAY.isoformat()}).status_code == 404
    assert state() == before


def test_a_lawyer_sees_only_their_own_shifts(users, orgs, client_for):
    own = provider(orgs, name="自己律师", user=users.lawyer)
    shift(orgs.legal_aid, own, station_name="测试区人民法院")
    shift(orgs.legal_aid, provider(orgs, name="同事律师"), station_name="测试区人民检察院")
    c = client_for(users.lawyer)
    body = c.get(reverse("legal_aid:roster")).content.decode()
    assert "自己律师" in body and "测试区人民法院" in body and "同事律师" not in body and "测试区人民检察院" not in body
    assert "只显示您本人的值班安排" in body and "复制上周排班" not in body
    assert list(roster.visible_shifts(users.lawyer).values_list("provider", flat=True)) == [own.pk]
    # Their own shift is theirs to read, not to delete.
    mine = DutyShift.objects.get(provider=own)
    before = state()
    assert c.post(reverse("legal_aid:shift_delete", args=[mine.pk])).status_code == 403 and state() == before


def test_deleting_a_shift_leaves_the_helps_and_another_bureaus_is_404(users, orgs, client_for):
    p = provider(orgs)
    s = shift(orgs.legal_aid, p)
    theirs = shift(orgs.other_legal_aid, other_provider(orgs))
    values = {"owner_org": orgs.legal_aid, "person_name": "周九", "person_phone": "", "person_id_number": "", "result": "", "summary": "程序选择"}
    extra = {"on": MONDAY, "station": "court", "station_name": "测试区人民法院", "help_kind": "procedure", "plea_witnessed": False}
    entry = create_entry(users.staff, DUTY_HELPS, values | extra)
    DutyHelp.objects.filter(pk=entry.pk).update(lawyer=p)
    helps = list(DutyHelp.objects.values_list("pk", "station", "station_name", "lawyer_id", "help_kind", "on"))
    # Another bureau's shift: 404, nothing changed, nothing audited.
    before = state()
    assert client_for(users.staff).post(reverse("legal_aid:shift_delete", args=[theirs.pk])).status_code == 404
    assert client_for(users.other_leader).post(reverse("legal_aid:shift_delete", args=[s.pk])).status_code == 404
    assert client_for(users.leader).post(reverse("legal_aid:shift_delete", args=[s.pk])).status_code == 403
    with pytest.raises(PermissionRefused):
        roster.remove_shift(users.staff, theirs)
    assert state() == before and audited("legal_aid.shift_remove") == 0
    # The centre's own: removed and audited; the logged help is as it was.
    r = client_for(users.staff).post(reverse("legal_aid:shift_delete", args=[s.pk]))
    assert r.status_code == 302 and f"week={MONDAY.isoformat()}" in r["Location"]
    assert not DutyShift.objects.filter(pk=s.pk).exists() and DutyShift.objects.filter(pk=theirs.pk).exists()
    assert audited("legal_aid.shift_remove") == 1
    assert AuditEntry.objects.get(action="legal_aid.shift_remove").detail["provider"] == p.name
    assert list(DutyHelp.objects.values_list("pk", "station", "station_name", "lawyer_id", "help_kind", "on")) == helps
