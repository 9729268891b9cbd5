"""Whose period a deadline is (the organ's duty, a party's right, a party's
duty): only the organ's can be 超期. The partial index of the running
deadlines (0003) becomes the index of the organ's running clocks, which is
what the dashboard's panels and the bell read."""

from django.db import migrations, models

RUNNING = (
    "CREATE INDEX IF NOT EXISTS deadline_running_due ON deadlines_deadline (due_date, id) INCLUDE (case_id) "
    "WHERE completed_on IS NULL AND NOT cancelled AND paused_since IS NULL{extra}"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS deadline_running_due")
        schema_editor.execute(RUNNING.format(extra=" AND kind = 'organ'"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS deadline_running_due")
        schema_editor.execute(RUNNING.format(extra=""))


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0003_running_due_index")]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="kind",
            field=models.CharField(
                choices=[("organ", "机关办理期限"), ("right", "当事人权利期间"), ("duty", "当事人义务期间")],
                default="organ",
                max_length=10,
                verbose_name="性质",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
