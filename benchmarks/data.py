"""Scale data for the benchmark: an organisation tree, users who handle cases,
and cases with parties, assignments and deadlines loaded by PostgreSQL COPY.

Shape (a city bureau, 10 district bureaus, 8 judicial offices each, 2
mediation committees per office; 250 places that own cases):

* every case has a real case code, a date in 2022–2026, ~10 % still open with
  a deadline (most of them old, so overdue), a handler from the place's pool
  of handlers (4 per office, 4 per bureau) for 95 % of cases, a second worker
  (协办人) by assignment for 1 in 7, and 0.2 % are sealed;
* every case has one party (姓名 with its pinyin and initials, as
  ``cases.parties`` stores them), 30 % a second one.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

TODAY = date(2026, 11, 20)
YEARS = (2022, 2023, 2024, 2025, 2026)
HANDLERS_PER_PLACE = 4

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力国荣志鹏斌宇浩凯秀梅"
# The most common full names: 1 party in 20 bears one of them (so a search for
# 张伟 finds cases at every size, as it does in real registers).
COMMON = ("张伟", "王伟", "王芳", "李伟", "李娜", "张敏", "李静", "王静", "刘伟", "王秀英")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def build_tree():
    from sifa.mediation.choices import COMMITTEE
    from sifa.orgs.choices import OrgKind
    from sifa.orgs.services import create_org

    city = create_org(actor=None, name="基准市司法局", short_name="基市", kind=OrgKind.CITY_BUREAU, region_code="350100")
    bureaus, places = [], []
    for b in range(10):
        bureau = create_org(actor=None, name=f"第{b + 1}区司法局", short_name=f"区{b + 1}", kind=OrgKind.BUREAU, region_code=f"3501{b + 2:02d}", parent=city)
        bureaus.append(bureau)
        places.append(bureau)
        for o in range(8):
            office = create_org(
                actor=None,
                name=f"区{b + 1}第{o + 1}司法所",
                short_name=f"{b + 1}-{o + 1}所",
                kind=OrgKind.OFFICE,
                parent=bureau,
                region_code=bureau.region_code,
            )
            places.append(office)
            for m in range(2):
                places.append(
                    create_org(
                        actor=None,
                        name=f"区{b + 1}-{o + 1}第{m + 1}调委会",
                        short_name=f"{b}{o}{m}调",
                        kind=COMMITTEE,
                        parent=office,
                        region_code=bureau.region_code,
                    )
                )
    return city, bureaus, places


def users_for(city, bureaus):
    """The users the scenarios sign in as. ``office`` is also one of the
    handlers of its office (so the bell has something to count)."""
    from sifa.accounts.models import User
    from sifa.accounts.roles import Role

    office = next(o for o in bureaus[0].children.all().order_by("id"))
    mk = lambda name, role, org, **kw: User.objects.create(username=name, full_name=name, role=role, org=org, **kw)  # noqa: E731
    return {
        "city_leader": mk("city_leader", Role.LEADER, city),
        "leader": mk("leader", Role.LEADER, bureaus[0]),
        "staff": mk("staff", Role.SECTION, bureaus[0], lines=["testline"]),
        "office": mk("office", Role.OFFICE, office),
    }


def load_users():
    """The scenario users of an already loaded database (by name)."""
    from sifa.accounts.models import User

    return {u.username: u for u in User.objects.filter(username__in=("city_leader", "leader", "staff", "office")).select_related("org")}


def handler_pools(places, office_user):
    """{place pk: [user pk, …]}: 4 handlers per office (its committees share
    them) and 4 section staff per bureau."""
    from sifa.accounts.models import User
    from sifa.accounts.roles import Role
    from sifa.mediation.choices import COMMITTEE
    from sifa.orgs.choices import OrgKind

    pools: dict[int, list[int]] = {}
    for p in places:
        if p.kind == COMMITTEE:
            continue
        role = Role.OFFICE if p.kind == OrgKind.OFFICE else Role.SECTION
        extra = {"lines": ["testline"]} if role == Role.SECTION else {}
        users = [office_user] if office_user.org_id == p.pk else []
        while len(users) < HANDLERS_PER_PLACE:
            users.append(User.objects.create(username=f"h{p.pk}-{len(users)}", full_name=f"承办人{p.pk}-{len(users)}", role=role, org=p, **extra))
        pools[p.pk] = [u.pk for u in users]
    for p in places:
        if p.kind == COMMITTEE:
            pools[p.pk] = pools[p.parent_id]
    return pools


def _names(rng: random.Random, n: int = 4000) -> tuple[list, list]:
    """(rare, common) lists of (name, initials, pinyin)."""
    from sifa.common.text import pinyin_full, pinyin_initials

    out = set()
    while len(out) < n:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        out.add(rng.choice(SURNAMES) + given)
    with_pinyin = lambda names: [(name, pinyin_initials(name), pinyin_full(name)) for name in names]  # noqa: E731
    return with_pinyin(sorted(out - set(COMMON))), with_pinyin(COMMON)


class Loader:
    """Cases, parties, assignments and deadlines by COPY, with codes from
    per-(bureau, year) sequences and ids chosen here (so the rows that point
    at a case can be written in the same pass)."""

    def __init__(self, places, pools, seed=7):
        from sifa.orgs.selectors import bureau_of

        self.places = places
        self.pools = pools
        self.bureau = {p.pk: bureau_of(p) for p in places}
        self.seq: dict[tuple[int, int], int] = {}
        self.rng = random.Random(seed)
        self.names, self.common = _names(random.Random(seed + 1))
        self.loaded = 0
        with connection.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM cases_case")
            self.next_id = cur.fetchone()[0] + 1

    def _rows(self, n, parties, assignments):
        from sifa.cases import codes

        rng = self.rng
        now = timezone.now()
        for _ in range(n):
            org = rng.choice(self.places)
            bureau = self.bureau[org.pk]
            year = rng.choice(YEARS)
            last = date(year, 12, 31) if year < TODAY.year else TODAY
            opened = date(year, 1, 1) + timedelta(days=rng.randrange((last - date(year, 1, 1)).days + 1))
            key = (bureau.pk, year)
            self.seq[key] = s = self.seq.get(key, 0) + 1
            closed, outcome, status, due = None, "", "registered", None
            r = rng.random()
            closed_on = opened + timedelta(days=rng.randrange(1, 60))
            if r < 0.9 and closed_on <= TODAY:
                closed = closed_on
                outcome, status = ("success", "closed") if rng.random() < 0.85 else ("refused", "refused")
            else:
                status = rng.choice(("registered", "accepted", "accepted", "suspended"))
                due = opened + timedelta(days=60)
            pool = self.pools[org.pk]
            handler = rng.choice(pool) if rng.random() < 0.95 else None
            case_id = self.next_id
            self.next_id += 1
            for k in range(2 if rng.random() < 0.3 else 1):
                name, initials, pinyin = rng.choice(self.common if rng.random() < 0.05 else self.names)
                parties.append((case_id, "applicant" if k == 0 else "respondent", "natural", name, initials, pinyin, k, now))
            if rng.random() < 1 / 7:
                other = rng.choice([u for u in pool if u != handler])
                assignments.append((case_id, other, "assistant", now, True))
            yield (
                case_id,
                codes.build(bureau.region_code, "ZZ", year, s),
                "testline",
                bureau.pk,
                org.pk,
                org.path,
                status,
                f"基准案件{s}",
                "",
                rng.choice(("in_person", "phone", "online", "referral", "initiative")),
                opened,
                closed,
                outcome,
                year,
                s,
                "",
                due,
                rng.random() < 0.002,
                False,
                1,
                False,
                "",
                now,
                now,
                handler,
            )

    def load(self, n, chunk=100_000):
        cols = (
            "id, code, case_type, bureau_id, owner_org_id, org_path, status, title, summary, channel, opened_on, closed_on, outcome, year, seq, "
            "doc_number, next_due, is_sealed, legal_hold, version, is_deleted, deleted_reason, created_at, updated_at, handler_id"
        )
        party_cols = "case_id, role, kind, name, name_initials, name_pinyin, sort_order, created_at"
        party_blank = ", id_type, id_number, id_hash, phone, phone_last4, address, gender, ethnicity, legal_rep"
        # Cases made since the last load (the API and import measures) took ids too.
        with connection.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM cases_case")
            self.next_id = max(self.next_id, cur.fetchone()[0] + 1)
        done = 0
        while done < n:
            k = min(chunk, n - done)
            parties, assignments = [], []
            with connection.cursor() as cur:
                with cur.cursor.copy(f"COPY cases_case ({cols}) FROM STDIN") as copy:
                    for row in self._rows(k, parties, assignments):
                        copy.write_row(row)
                with cur.cursor.copy(f"COPY cases_party ({party_cols}{party_blank}) FROM STDIN") as copy:
                    for row in parties:
                        copy.write_row(row + ("",) * 9)
                with cur.cursor.copy("COPY cases_caseassignment (case_id, user_id, role, assigned_at, active) FROM STDIN") as copy:
                    for row in assignments:
                        copy.write_row(row)
            done += k
            self.loaded += k
            log(f"  {self.loaded:,} cases")
        with connection.cursor() as cur:
            for table in ("cases_case", "cases_party", "cases_caseassignment"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            # One open deadline per open case (the dashboard's overdue / due-soon panel, the bell).
            cur.execute(
                """INSERT INTO deadlines_deadline (case_id, key, label, kind, duty, basis, start_date, amount, unit, extended, paused_days, due_date,
                   cancelled, rule_text, provisional, created_at, updated_at)
                   SELECT c.id, 'decide', '办结期限', 'organ', '', '', c.opened_on, 60, 'day', 0, 0, c.next_due, false, '', false, now(), now()
                   FROM cases_case c WHERE c.next_due IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM deadlines_deadline d WHERE d.case_id = c.id)"""
            )
            for (bureau_pk, year), value in self.seq.items():
                region = next(b.region_code for b in self.bureau.values() if b.pk == bureau_pk)
                cur.execute(
                    "INSERT INTO cases_counter (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    [f"code:{region}:ZZ:{year}", value],
                )
            for table in ("cases_case", "cases_party", "cases_caseassignment", "deadlines_deadline"):
                cur.execute(f"VACUUM ANALYZE {table}")
