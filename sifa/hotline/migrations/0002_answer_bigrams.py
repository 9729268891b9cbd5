"""The knowledge base's search on PostgreSQL: the same bigram index the case
search uses (cases migration 0005), over the text an operator searches."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS hotline_answer_bigrams ON hotline_answer USING gin (sifa_bigrams(upper(search_text::text)));"
DROP = "DROP INDEX IF EXISTS hotline_answer_bigrams;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial"), ("cases", "0005_bigram_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
