"""Each free-text fund name on an award made before the program becomes a fund (a named grant, with a
budget equal to what was awarded from it), and each such award becomes that fund's Award, so the old
awards keep paying and their history reads the same."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Sum


def forwards(apps, schema_editor):
    Scholarship = apps.get_model("finance", "Scholarship")
    Fund = apps.get_model("scholarships", "Fund")
    Award = apps.get_model("scholarships", "Award")
    from peercert.core.rules import RULE_SPEC

    every_fee = sorted(n for n, (kind, _v, _l) in RULE_SPEC.items() if kind == "money" and n.startswith("fee_"))
    old = Scholarship.objects.filter(award__isnull=True)
    for row in old.values("fund_name").annotate(total=Sum("amount")).order_by("fund_name"):
        name = row["fund_name"].strip() or "Unnamed fund"
        fund, _created = Fund.objects.get_or_create(
            name=name[:150],
            defaults={
                "funder_kind": "grant",
                "grant_name": name[:200],
                "budget": Decimal("0.00"),
                "fee_codes": every_fee,
                "excluded_pathways": ["reciprocity_out_of_state"],
                "opens_on": old.filter(fund_name=row["fund_name"]).order_by("created_at").first().created_at.date(),
                "migrated": True,
            },
        )
        fund.budget += row["total"]
        fund.save(update_fields=["budget"])
        for s in old.filter(fund_name=row["fund_name"]).order_by("pk"):
            Award.objects.create(
                fund=fund,
                person_id=s.person_id,
                scholarship_id=s.pk,
                amount=s.amount,
                fee_codes=s.fee_codes or every_fee,
                covers_tuition=False,
                expires_on=s.expires_on,
                status="active",
                awarded_by_id=s.awarded_by_id,
            )


class Migration(migrations.Migration):
    dependencies = [("scholarships", "0001_initial"), ("finance", "0002_scholarship_expiry_and_release")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
