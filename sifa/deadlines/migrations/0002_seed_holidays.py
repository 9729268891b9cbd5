"""Load official holidays and make-up working days from chinese-calendar."""

from django.db import migrations


def forwards(apps, schema_editor):
    from chinese_calendar import constants

    Holiday = apps.get_model("deadlines", "Holiday")
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    from sifa.deadlines.services import _cn_name

    rows = []
    years = set()
    for table, kind in ((constants.holidays, "holiday"), (constants.workdays, "workday")):
        for d, name in table.items():
            years.add(d.year)
            rows.append(Holiday(date=d, kind=kind, name=_cn_name(str(getattr(name, "value", name) or "")), source="package"))
    Holiday.objects.bulk_create(rows, ignore_conflicts=True)
    CalendarYear.objects.bulk_create([CalendarYear(year=y, source="package", note="chinese-calendar") for y in sorted(years)], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
