from django.db import migrations

COUNTIES = [
    "Alameda", "Alpine", "Amador", "Butte", "Calaveras", "Colusa", "Contra Costa", "Del Norte", "El Dorado",
    "Fresno", "Glenn", "Humboldt", "Imperial", "Inyo", "Kern", "Kings", "Lake", "Lassen", "Los Angeles", "Madera",
    "Marin", "Mariposa", "Mendocino", "Merced", "Modoc", "Mono", "Monterey", "Napa", "Nevada", "Orange", "Placer",
    "Plumas", "Riverside", "Sacramento", "San Benito", "San Bernardino", "San Diego", "San Francisco", "San Joaquin",
    "San Luis Obispo", "San Mateo", "Santa Barbara", "Santa Clara", "Santa Cruz", "Shasta", "Sierra", "Siskiyou",
    "Solano", "Sonoma", "Stanislaus", "Sutter", "Tehama", "Trinity", "Tulare", "Tuolumne", "Ventura", "Yolo", "Yuba",
]

# Counties running the Drug Medi-Cal Organized Delivery System; the rest bill State Plan DMC.
# Opt-ins are starting values that county staff keep current.
DMC_ODS = {
    "Alameda", "Contra Costa", "El Dorado", "Fresno", "Imperial", "Kern", "Los Angeles", "Marin", "Merced",
    "Monterey", "Napa", "Nevada", "Orange", "Placer", "Riverside", "Sacramento", "San Benito", "San Bernardino",
    "San Diego", "San Francisco", "San Joaquin", "San Luis Obispo", "San Mateo", "Santa Barbara", "Santa Clara",
    "Santa Cruz", "Stanislaus", "Tulare", "Ventura", "Yolo", "Humboldt", "Lassen", "Mendocino", "Modoc", "Shasta",
    "Siskiyou", "Solano",
}


def load(apps, schema_editor):
    County = apps.get_model("accounts", "County")
    CertificationProgram = apps.get_model("accounts", "CertificationProgram")
    StateAgency = apps.get_model("accounts", "StateAgency")
    for index, name in enumerate(COUNTIES, start=1):
        County.objects.update_or_create(
            name=name,
            defaults={
                # The state's county codes are the alphabetical order; FIPS codes are 06 + odd numbers.
                "code": f"{index:02d}",
                "fips": f"06{2 * index - 1:03d}",
                "opts_in_smhs": True,
                "opts_in_dmc": name not in DMC_ODS,
                "opts_in_dmc_ods": name in DMC_ODS,
            },
        )
    CertificationProgram.objects.get_or_create(
        code="statewide",
        defaults={"name": "California Medi-Cal Peer Support Specialist Certification Program",
                  "kind": "statewide", "email": "certification@peercert.example"},
    )
    StateAgency.objects.get_or_create(code="dhcs", defaults={"name": "Department of Health Care Services"})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
