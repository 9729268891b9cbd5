"""Seed the editable code lists: the 15 standard dispute types (with a few
sub-types) and the fields of professional committees. Existing codes are left
alone (an administrator may have renamed them); nothing is removed on reverse."""

from django.db import migrations

# A frozen copy: later edits of choices.py must not change what this migration does.
DISPUTE_TYPES = [
    ("01", "婚姻家庭纠纷"),
    ("02", "邻里纠纷"),
    ("03", "房屋宅基地纠纷"),
    ("04", "合同纠纷"),
    ("05", "生产经营纠纷"),
    ("06", "损害赔偿纠纷"),
    ("07", "山林土地纠纷"),
    ("08", "征地拆迁纠纷"),
    ("09", "环境污染纠纷"),
    ("10", "劳动争议纠纷"),
    ("11", "消费纠纷"),
    ("12", "医疗纠纷"),
    ("13", "道路交通事故纠纷"),
    ("14", "物业纠纷"),
    ("99", "其他纠纷"),
    ("0101", "婚姻纠纷", "01"),
    ("0102", "赡养纠纷", "01"),
    ("0103", "抚养纠纷", "01"),
    ("0104", "继承纠纷", "01"),
    ("1001", "拖欠农民工工资纠纷", "10"),
    ("1101", "电子商务纠纷", "11"),
    ("9901", "旅游纠纷", "99"),
    ("9902", "村务管理纠纷", "99"),
]
FIELDS = [
    ("medical", "医疗纠纷（医患）"),
    ("property", "物业纠纷"),
    ("labour", "劳动人事争议"),
    ("traffic", "道路交通事故"),
    ("family", "婚姻家庭"),
    ("consumer", "消费纠纷"),
    ("commercial", "商事纠纷"),
    ("ip", "知识产权"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    Entry = apps.get_model("common", "DictionaryEntry")
    for code_set, items in (("mediation_dispute_type", DISPUTE_TYPES), ("mediation_field", FIELDS)):
        existing = set(Entry.objects.filter(code_set=code_set).values_list("code", flat=True))
        for i, item in enumerate(items):
            if item[0] in existing:
                continue
            parent = Entry.objects.get(code_set=code_set, code=item[2]) if len(item) > 2 else None
            Entry.objects.create(code_set=code_set, code=item[0], label=item[1], parent=parent, sort_order=(i + 1) * 10, source="practice")


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial"), ("common", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
