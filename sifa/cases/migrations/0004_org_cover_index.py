"""The organisation subtree with the columns that counting and scoping read,
as one covering index (PostgreSQL: INCLUDE). KPI aggregates, list counts and
the deadline panels read a bureau's or office's cases from it alone
(index-only scans) instead of visiting one heap page per case; see
benchmarks/. Moved here from stats migration 0001 (stats 0002 drops that
one), with ``next_due`` added for the list's deadline filters. Other
databases skip it."""

from django.db import migrations

COLUMNS = "id, case_type, opened_on, closed_on, status, outcome, channel, owner_org_id, next_due, is_deleted, is_sealed, handler_id"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS case_org_cover ON cases_case (org_path varchar_pattern_ops) INCLUDE ({COLUMNS})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_org_cover")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_list_order")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
