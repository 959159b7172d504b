"""Forms approved before conversion tables existed keep the scaled scores they were scored with:
round(raw / items x top of the scale), written out as their table, so nothing already scored changes."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations


def tables_for_old_forms(apps, schema_editor):
    ExamForm = apps.get_model("exams", "ExamForm")
    FormItem = apps.get_model("exams", "FormItem")
    ScaleConversion = apps.get_model("exams", "ScaleConversion")
    rows = []
    for form in ExamForm.objects.filter(status__in=["approved", "published", "retired"]):
        if ScaleConversion.objects.filter(form=form).exists():
            continue
        total = FormItem.objects.filter(form=form, item__kind="multiple_choice").count()
        for raw in range(total + 1):
            scaled = (
                (Decimal(raw) * form.scale_max / total).quantize(Decimal("1"), rounding=ROUND_HALF_UP) if total else 0
            )
            rows.append(ScaleConversion(form=form, raw=raw, scaled=int(scaled)))
    ScaleConversion.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("exams", "0003_retakes_breaks_shuffle_responses_conversion")]

    operations = [migrations.RunPython(tables_for_old_forms, migrations.RunPython.noop)]
