"""Covering indexes for the statistics queries on the case table (PostgreSQL).

Every KPI query reads the cases of one organisation subtree ("org_path LIKE
'/1/2/%'") and aggregates a few columns with FILTERs. With these columns in the
index, PostgreSQL answers from the index alone (index-only scan) instead of
visiting one heap page per case; see benchmarks/. The index belongs to the
case table; it lives here because only the statistics need it (proposed for
cases.Case.Meta.indexes in the report of this change). Other databases skip it.
"""

from django.db import migrations

COLUMNS = "id, case_type, opened_on, closed_on, status, outcome, channel, owner_org_id, is_deleted, is_sealed, handler_id"

CREATE = [
    f"CREATE INDEX IF NOT EXISTS stats_case_org_cover ON cases_case (org_path varchar_pattern_ops) INCLUDE ({COLUMNS})",
]
DROP = ["DROP INDEX IF EXISTS stats_case_org_cover"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_party_name_trigram")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
