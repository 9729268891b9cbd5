"""Substring search (``icontains``) on case titles and party names at
province scale, for the short Chinese terms people type (张伟 is two
characters). The trigram indexes of migration 0002 serve neither: Django's
``icontains`` compiles to ``UPPER(col) LIKE UPPER(term)``, which an index on
the bare column cannot answer, and a two-character term has no trigram. These
index the set of two-character pieces (bigrams) of ``UPPER(col)``: a text
holding the term holds all its bigrams, so ``sifa_bigrams(UPPER(col)) @>
sifa_bigrams(UPPER(term))`` is a necessary condition a GIN index answers, and
the LIKE then checks the few rows it leaves (``cases.selectors.search``).
PostgreSQL only; elsewhere search scans, as before."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION sifa_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i) $$;
CREATE INDEX IF NOT EXISTS case_title_bigrams ON cases_case USING gin (sifa_bigrams(upper(title::text)));
CREATE INDEX IF NOT EXISTS party_name_bigrams ON cases_party USING gin (sifa_bigrams(upper(name::text)));
DROP INDEX IF EXISTS case_title_trgm;
DROP INDEX IF EXISTS party_name_trgm;
"""

DROP = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS party_name_trgm ON cases_party USING gin (name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS case_title_trgm ON cases_case USING gin (title gin_trgm_ops);
DROP INDEX IF EXISTS case_title_bigrams;
DROP INDEX IF EXISTS party_name_bigrams;
DROP FUNCTION IF EXISTS sifa_bigrams(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_org_cover_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
