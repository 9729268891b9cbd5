"""Search finds what people type (cases.selectors.search): part of a case code
("0246" inside 359901TJ2026000246X) and a phone number by its last four digits.

* ``case_code_trgm``: a GIN trigram index on the code, which answers
  ``code LIKE '%0246%'`` without reading every case (PostgreSQL only; pg_trgm is
  a trusted extension, created already by migration 0002). Codes are ASCII and
  stored upper-case, so trigrams (not the bigrams of migration 0005, built for
  two-character Chinese names) are the selective choice: every code of a bureau
  and year shares the bigrams of its region and year.
* ``party_phone_last4``: a b-tree on the last four digits, the candidates of a
  phone search (the phone itself is encrypted). On both databases.

Outside the model state on purpose, like 0005: an expression/opclass index only
PostgreSQL has, and a plain index the ORM never needs to know about."""

from django.db import migrations

PG_CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS case_code_trgm ON cases_case USING gin (code gin_trgm_ops);
"""
PG_DROP = "DROP INDEX IF EXISTS case_code_trgm;"
PHONE_CREATE = "CREATE INDEX IF NOT EXISTS party_phone_last4 ON cases_party (phone_last4);"
PHONE_DROP = "DROP INDEX IF EXISTS party_phone_last4;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    schema_editor.execute(PHONE_CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    schema_editor.execute(PHONE_DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_procedures")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
