"""Substring search on party names and case titles at province scale: trigram
GIN indexes on PostgreSQL (pg_trgm is a trusted extension). SQLite scans."""

from django.db import migrations

SQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS party_name_trgm ON cases_party USING gin (name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS case_title_trgm ON cases_case USING gin (title gin_trgm_ops);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS party_name_trgm; DROP INDEX IF EXISTS case_title_trgm;")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
