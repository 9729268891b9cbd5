"""COPY inserts store what bulk_create stores: the same row, field by field
(encrypted text, JSON, dates with their time zone, foreign keys), and give
the objects their primary keys, numbered by the table's own sequence."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone

from sifa.cases.choices import EventKind
from sifa.cases.models import CaseEvent, Party
from sifa.cases.parties import build_party
from sifa.cases.tests.factories import make_case
from sifa.common import copyinsert

pytestmark = pytest.mark.django_db


def _parties(case, n):
    fields = {"role": "applicant", "name": "欧阳明", "id_number": "11010519491231002X", "phone": "13812345678"}
    fields |= {"address": "福州市鼓楼区", "birth_date": date(1949, 12, 31)}
    return [build_party(case, dict(fields, name=f"欧阳明{i}"), i) for i in range(n)]


AT = timezone.now()


def _events(case, actor, n):
    at = AT
    data = {"文件": "台账.xlsx"}
    return [CaseEvent(case=case, at=at, actor=actor, actor_name="某某", kind=EventKind.IMPORTED, label=f"导入{i}", data=data | {"row": i}) for i in range(n)]


def _rows(model, objs):
    got = model.objects.filter(pk__in=[o.pk for o in objs]).order_by("pk")
    times = ("created_at", "at")  # not form fields: compared by hand
    return [{k: v for k, v in model_to_dict(o).items() if k != "id"} | {t: getattr(o, t, None) for t in times} for o in got]


def test_copy_stores_what_bulk_create_stores(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    copied = copyinsert.insert(Party, _parties(case, 3))
    created = Party.objects.bulk_create(_parties(case, 3))
    assert all(p.pk for p in copied) and len({p.pk for p in copied}) == 3
    assert all(not p._state.adding for p in copied)
    a, b = _rows(Party, copied), _rows(Party, created)
    for row in a + b:
        row.pop("created_at")
    assert a == b
    assert Party.objects.get(pk=copied[0].pk).id_number == "11010519491231002X"  # decrypted as stored
    events = copyinsert.insert(CaseEvent, _events(case, users.office_a, 2))
    assert _rows(CaseEvent, events) == _rows(CaseEvent, CaseEvent.objects.bulk_create(_events(case, users.office_a, 2)))
    stored = CaseEvent.objects.get(pk=events[1].pk)
    assert stored.data == {"row": 1, "文件": "台账.xlsx"} and stored.at == events[1].at and stored.case_id == case.pk


def test_numbers_come_from_the_tables_sequence(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    first = copyinsert.insert(Party, _parties(case, 2))
    after = Party.objects.create(case=case, name="后来者")
    assert after.pk > max(p.pk for p in first)  # the sequence moved past the numbers taken
    assert copyinsert.insert(Party, []) == []


def test_an_unsaved_related_object_is_refused_and_nothing_written(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    unsaved = type(case)(title="未保存")
    before = Party.objects.count()
    with pytest.raises(ValueError, match="unsaved related object"):
        copyinsert.insert(Party, [*_parties(case, 1), Party(case=unsaved, name="甲")])
    assert Party.objects.count() == before


def test_on_sqlite_it_is_bulk_create(orgs, users):
    if connection.vendor == "postgresql":
        pytest.skip("the COPY path is covered above")
    case = make_case(users.office_a, orgs.office_a)
    objs = copyinsert.insert(Party, _parties(case, 2))
    assert Party.objects.filter(pk__in=[p.pk for p in objs]).count() == 2


def test_rows_without_keys_are_numbered_by_the_table(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    before = Party.objects.filter(case=case).count()
    objs = copyinsert.insert(Party, _parties(case, 3), keys=False)
    assert Party.objects.filter(case=case).count() == before + 3
    if connection.vendor == "postgresql":
        assert all(p.pk is None for p in objs)  # nobody refers to them: no numbers taken ahead
