"""A validation that passes keeps the rows it read; the commit validates them
again without reading the file a second time, and deletes them whatever its
outcome. A copy that is missing, of another file or damaged is not trusted:
the commit reads the file."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile

from sifa.cases.models import Case
from sifa.ledgers import parsed, readers
from sifa.ledgers.models import JobStatus

from .util import committed, row, uploaded, xlsx_bytes

pytestmark = pytest.mark.django_db


def _kept(job) -> bool:
    return job.file.storage.exists(parsed._name(job))


def test_the_commit_validates_the_kept_rows_without_reading_the_file(users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = uploaded(c, xlsx_bytes([row(i) for i in range(30)]))
    assert job.status == JobStatus.VALIDATED
    assert _kept(job)
    before = Case.all_objects.count()
    with mock.patch.object(readers, "read", side_effect=AssertionError("the file was read again")):
        job = committed(c, job)
    assert job.status == JobStatus.DONE, job.message
    assert Case.all_objects.count() == before + 30
    assert not _kept(job)


def test_rows_of_another_file_are_not_used(users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = uploaded(c, xlsx_bytes([row(i) for i in range(5)]))
    sheet = parsed.load(job, "another key")
    assert sheet is None
    # The kept copy says it was read from another file: the commit reads the upload itself.
    other = readers.read("x.xlsx", xlsx_bytes([row(i) for i in range(99)]), {readers._norm_header(h) for h in ("案由", "收案日期")})
    parsed.save(job, "not this file", other)
    real = readers.read
    with mock.patch.object(readers, "read", side_effect=real) as reading:
        job = committed(c, job)
    assert reading.call_count == 1
    assert job.status == JobStatus.DONE and job.created_count == 5
    assert not _kept(job)


def test_a_damaged_copy_is_ignored_and_the_file_read(users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = uploaded(c, xlsx_bytes([row(i) for i in range(4)]))
    storage, name = job.file.storage, parsed._name(job)
    storage.delete(name)
    storage.save(name, ContentFile(b"not zlib"))
    job = committed(c, job)
    assert job.status == JobStatus.DONE and job.created_count == 4
    assert not _kept(job)


def test_an_invalid_file_keeps_nothing_and_a_failed_commit_deletes_the_copy(users, client_for, test_ledger):
    c = client_for(users.office_a)
    bad = [row(i) for i in range(3)]
    bad[1][1] = "不是日期"
    job = uploaded(c, xlsx_bytes(bad))
    assert job.status == JobStatus.INVALID
    assert not _kept(job)
    job = uploaded(c, xlsx_bytes([row(i) for i in range(3)]), "第二个.xlsx")
    assert _kept(job)
    before = Case.all_objects.count()
    with mock.patch("sifa.ledgers.imports.import_rows", side_effect=RuntimeError("database gone")):
        job = committed(c, job)
    assert job.status == JobStatus.FAILED
    assert Case.all_objects.count() == before
    assert not _kept(job)


def test_every_kind_of_cell_comes_back_as_it_was_read(users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = uploaded(c, xlsx_bytes([row(1)]))
    values = ["文字", "", 7, -2.5, 0.1 + 0.2, True, False, None]
    values += [datetime(2025, 3, 5, 8, 30, 15, 250), date(2025, 3, 5), time(9, 5), timedelta(days=1, seconds=5)]
    sheet = readers.Sheet(3, ["案由", "收案日期"], [(4, values), (5, [None, "末行", None])])
    parsed.save(job, "k", sheet)
    back = parsed.load(job, "k")
    assert back.header_row == 3 and back.headers == ["案由", "收案日期"]
    assert back.rows[0] == (4, values)
    assert [type(v) for v in back.rows[0][1]] == [type(v) for v in values]
    assert back.rows[1] == (5, [None, "末行", None] + [None] * (len(values) - 3))


def test_a_cell_of_another_kind_keeps_nothing(users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = uploaded(c, xlsx_bytes([row(1)]))
    parsed.drop(job)
    parsed.save(job, "k", readers.Sheet(1, ["案由"], [(2, [object()])]))
    assert not _kept(job)
    assert parsed.load(job, "k") is None


def test_a_long_sheet_comes_back_whole_and_a_cut_copy_is_ignored(users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = uploaded(c, xlsx_bytes([row(1)]))
    rows = [(n, [f"案由{n}", date(2025, 1, 1 + n % 28), None, n]) for n in range(2, 2 + parsed.CHUNK * 2 + 7)]
    parsed.save(job, "k", readers.Sheet(1, ["案由", "收案日期"], rows))
    back = parsed.load(job, "k")
    assert back.rows == rows and back.header_row == 1
    storage, name = job.file.storage, parsed._name(job)
    with storage.open(name, "rb") as fh:
        whole = fh.read()
    storage.delete(name)
    storage.save(name, ContentFile(whole[: len(whole) // 2]))
    assert parsed.load(job, "k") is None
