"""The indexes the sortable lists read in order (common.sorting), each ending in id
(the tiebreak), so a page stops after its rows even inside a long run of equal
values (open cases' empty closed_on, cases without a deadline): the case list by
最后变更 (updated_at, id) and 最近期限 (next_due, id); a line's list, one
case_type, by 最近期限 (case_type, next_due, id), 结案日期 (case_type,
closed_on, id) and 编码 (case_type, code). The (next_due) and (case_type,
closed_on) indexes they replace served nothing the new ones do not."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_search_code_part_and_phone_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="cases_case_case_ty_44f7d3_idx",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="cases_case_next_du_8fbcd4_idx",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["case_type", "closed_on", "id"], name="case_type_closed_order"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["next_due", "id"], name="case_due_order"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["updated_at", "id"], name="case_updated_order"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["case_type", "next_due", "id"], name="case_type_due_order"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["case_type", "code"], name="case_type_code_order"),
        ),
    ]
