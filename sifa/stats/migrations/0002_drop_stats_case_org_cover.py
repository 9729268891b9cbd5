"""The covering index on the case table belongs to the cases app now (cases
migration 0004, ``case_org_cover``); drop the statistics' copy once that one
exists. Reversing recreates it as stats 0001 made it."""

from django.db import migrations

COLUMNS = "id, case_type, opened_on, closed_on, status, outcome, channel, owner_org_id, is_deleted, is_sealed, handler_id"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS stats_case_org_cover")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS stats_case_org_cover ON cases_case (org_path varchar_pattern_ops) INCLUDE ({COLUMNS})")


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_stats_indexes"), ("cases", "0004_org_cover_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
