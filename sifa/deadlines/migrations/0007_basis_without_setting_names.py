"""Clocks started before the rule's text was cleaned keep a setting's name in
their stored 依据 ("…30日内（SIFA_MEDIATION_FOLLOWUP_DAYS）"), which the case's
期限 tab shows to staff: drop it (issue 18: no developer text where users look)."""

import re

from django.db import migrations

SETTING = re.compile(r"（SIFA_[A-Z0-9_]+）|\(SIFA_[A-Z0-9_]+\)")


def forwards(apps, schema_editor):
    Deadline = apps.get_model("deadlines", "Deadline")
    for dl in Deadline.objects.filter(basis__contains="SIFA_").only("pk", "basis").iterator():
        Deadline.objects.filter(pk=dl.pk).update(basis=SETTING.sub("（天数可由本局设置）", dl.basis)[:200])


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0006_procedure_clocks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
