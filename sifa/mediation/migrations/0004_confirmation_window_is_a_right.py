"""The 司法确认申请期限 is the parties' right (人民调解法第三十三条), not the
committee's duty: existing clocks take that kind, so none reads 超期."""

from django.db import migrations


def _set(apps, kind: str) -> None:
    from django.db.models import Min

    Deadline, Case = apps.get_model("deadlines", "Deadline"), apps.get_model("cases", "Case")
    clocks = Deadline.objects.filter(case__case_type="mediation", key="confirmation_window")
    cases = list(clocks.values_list("case_id", flat=True))
    clocks.update(kind=kind)
    # A case's 最近期限 is its nearest running clock of the organ's.
    for case_id in cases:
        running = Deadline.objects.filter(case_id=case_id, kind="organ", completed_on__isnull=True, cancelled=False, paused_since__isnull=True)
        Case.objects.filter(pk=case_id).update(next_due=running.aggregate(m=Min("due_date"))["m"])


def forwards(apps, schema_editor):
    _set(apps, "right")


def backwards(apps, schema_editor):
    _set(apps, "organ")


class Migration(migrations.Migration):
    dependencies = [("mediation", "0003_dispute_is_a_line_record"), ("deadlines", "0004_deadline_kind")]

    operations = [migrations.RunPython(forwards, backwards)]
