"""The 补正期限 is the applicant's duty (行政复议法第三十一条), not the organ's:
existing clocks take that kind; a lapsed one becomes the organ's to-do."""

from django.db import migrations


def _set(apps, kind: str) -> None:
    from django.db.models import Min

    Deadline, Case = apps.get_model("deadlines", "Deadline"), apps.get_model("cases", "Case")
    clocks = Deadline.objects.filter(case__case_type="reconsideration", key="correction")
    cases = list(clocks.values_list("case_id", flat=True))
    clocks.update(kind=kind)
    # A case's 最近期限 is its nearest running clock of the organ's.
    for case_id in cases:
        running = Deadline.objects.filter(case_id=case_id, kind="organ", completed_on__isnull=True, cancelled=False, paused_since__isnull=True)
        Case.objects.filter(pk=case_id).update(next_due=running.aggregate(m=Min("due_date"))["m"])


def forwards(apps, schema_editor):
    _set(apps, "duty")


def backwards(apps, schema_editor):
    _set(apps, "organ")


class Migration(migrations.Migration):
    dependencies = [("reconsideration", "0004_application_and_suit_are_line_records"), ("deadlines", "0004_deadline_kind")]

    operations = [migrations.RunPython(forwards, backwards)]
