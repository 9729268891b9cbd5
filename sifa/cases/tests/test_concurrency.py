"""50 cases created at once from parallel connections get 50 distinct,
gap-free numbers (PostgreSQL row lock on the counter)."""

import threading

import pytest
from django.db import connection, connections

from sifa.cases.models import Case

from .factories import make_case


@pytest.mark.django_db(transaction=True)
def test_parallel_creation_gets_distinct_gap_free_numbers(orgs, users):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is a PostgreSQL property")
    n = 50
    barrier = threading.Barrier(n)
    errors = []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            make_case(users.office_a, orgs.office_a, title=f"并发{i}", parties=[])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(Case.objects.filter(title__startswith="并发").values_list("seq", flat=True))
    assert seqs == list(range(1, n + 1))
    assert Case.objects.filter(title__startswith="并发").values("code").distinct().count() == n
