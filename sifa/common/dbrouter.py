"""The database router used when a read replica is configured
(DATABASE_REPLICA_URL; docs/adr/0020-read-replica.md).

Reads go to the replica only inside ``sifa.common.replica.reading_replica()``
and outside any transaction; everything else reads the primary, every write
goes to the primary, and only the primary is migrated. The answers are always
explicit: left to itself Django would send a write of a row read from the
replica back to the replica (its ``instance._state.db``), which refuses it."""

from __future__ import annotations

from .replica import PRIMARY, REPLICA, alias_for_read

_SAME_DATA = frozenset({PRIMARY, REPLICA})


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return alias_for_read()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: a row read from one may point at
        # a row read from the other.
        if obj1._state.db in _SAME_DATA and obj2._state.db in _SAME_DATA:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False  # read-only; it follows the primary's schema by streaming
        return None
