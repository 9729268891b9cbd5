"""The running deadlines (not completed, not cancelled, not paused) in due
order, with their case (PostgreSQL: a partial index with INCLUDE). The
dashboard's overdue / due-soon panels read the first ones in order and count
the rest without visiting the table, and the bell finds a user's few among
them; see benchmarks/. Other databases skip it."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS deadline_running_due ON deadlines_deadline (due_date, id) INCLUDE (case_id) "
    "WHERE completed_on IS NULL AND NOT cancelled AND paused_since IS NULL"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS deadline_running_due")


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_seed_holidays")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
