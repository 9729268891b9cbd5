"""Seed the line's editable code lists: matter categories (§11), 不予受理 reasons
(§30) and a plausible set of district agencies (a deployment edits them)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from sifa.reconsideration import choices as codelists

    Entry = apps.get_model("common", "DictionaryEntry")

    def ensure(code_set, items, source):
        created = 0
        existing = set(Entry.objects.filter(code_set=code_set).values_list("code", flat=True))
        for i, item in enumerate(items):
            code, label = item[0], item[1]
            if code in existing:
                continue
            parent = Entry.objects.get(code_set=code_set, code=item[2]) if len(item) > 2 else None
            Entry.objects.create(code_set=code_set, code=code, label=label, parent=parent, sort_order=(i + 1) * 10, source=source)
            created += 1
        return created

    codelists.seed(ensure)


class Migration(migrations.Migration):
    dependencies = [("reconsideration", "0001_initial"), ("common", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
