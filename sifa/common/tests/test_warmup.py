"""The server's start-up work (sifa.common.warmup): what the first request would
otherwise pay is done, and nothing reads the database."""

from __future__ import annotations

import gc

from django.urls import clear_url_caches, get_resolver


def test_warm_builds_reverse_tables_and_freezes_the_start_up_heap(django_db_blocker):
    from sifa.common.warmup import warm

    clear_url_caches()
    assert not get_resolver()._populated
    gc.unfreeze()
    try:
        with django_db_blocker.block():
            warm()  # a database access would raise here: the server starts before PostgreSQL does
        resolver = get_resolver()
        assert resolver._populated, "the root's reverse table was not built"
        namespaces = [sub for _p, sub in resolver.namespace_dict.values()]
        assert namespaces and all(sub._populated for sub in namespaces)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
