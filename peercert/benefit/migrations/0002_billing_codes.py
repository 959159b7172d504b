"""The HCPCS codes a certified peer may bill and their delivery systems, as the state fixed them."""

import datetime

from django.db import migrations

# (code, description, minutes per unit, smhs, dmc, dmc_ods)
CODES = [
    ("H0038", "Self-help/peer services, per 15 minutes", 15, True, True, True),
    ("H0025", "Behavioral health prevention education service (assumed code)", 15, True, True, True),
    ("H0050", "Contingency management (assumed code; DMC-ODS only)", None, False, False, True),
]
SINCE = datetime.date(2022, 7, 1)


def load(apps, schema_editor):
    BillingCode = apps.get_model("benefit", "BillingCode")
    for code, description, minutes, smhs, dmc, dmc_ods in CODES:
        BillingCode.objects.get_or_create(
            code=code,
            effective_from=SINCE,
            defaults={
                "description": description,
                "unit_minutes": minutes,
                "smhs": smhs,
                "dmc": dmc,
                "dmc_ods": dmc_ods,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("benefit", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
