"""Access-matrix rows for beneficiaries, eligibility, imports, the 270 and the access events.

Written out by hand, not imported from permissions.py: the matrix checks the permissions, so it must
not take its expectations from them. The world's records are in Los Angeles, the county of the
matrix's county users. County staff (not billing) never see beneficiaries.
"""

import datetime

from peercert.accounts.roles import Role

BILLING = {Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR}
READERS = BILLING | {Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}
ACCESS_READERS = {Role.AUDITOR, Role.DHCS_ANALYST}


def _beneficiary(w):
    return {"beneficiary_id": w["billing_elig_beneficiary"].pk}


def _month(w):
    return {"month_id": w["billing_elig_month"].pk}


def _import(w):
    return {"import_id": w["billing_elig_import"].pk}


ACCESS: dict = {
    "billing:beneficiary_list": {"allow": READERS},
    "billing:beneficiary_add": {"allow": BILLING},
    "billing:beneficiary_detail": {"allow": READERS, "kwargs": _beneficiary},
    "billing:beneficiary_edit": {"allow": BILLING, "kwargs": _beneficiary},
    "billing:eligibility_add": {"allow": BILLING, "kwargs": _beneficiary},
    "billing:eligibility": {"allow": READERS},
    "billing:eligibility_import": {"allow": BILLING},
    "billing:eligibility_import_detail": {"allow": READERS, "kwargs": _import},
    "billing:eligibility_inquiry": {"allow": BILLING},
    "billing:eligibility_correct": {"allow": BILLING, "kwargs": _month},
    "billing:access_events": {"allow": ACCESS_READERS},
}


def build_world(w) -> dict:
    """A Los Angeles beneficiary with a verified month, from an imported county file."""
    from django.utils import timezone

    from peercert.accounts.models import County
    from peercert.billing.models import Beneficiary, EligibilityImport, EligibilityMonth, EligibilitySource

    county = County.objects.get(name="Los Angeles")
    beneficiary = Beneficiary.objects.create(
        county=county,
        cin="97000001M",
        legal_first_name="Matrix",
        legal_last_name="Beneficiary",
        date_of_birth=datetime.date(1985, 3, 2),
    )
    record = EligibilityImport.objects.create(
        county=county, source=EligibilitySource.COUNTY_FILE, original_name="matrix.csv", sha256="0" * 64, rows=1
    )
    month = EligibilityMonth.objects.create(
        beneficiary=beneficiary,
        month=timezone.localdate().replace(day=1),
        eligible=True,
        aid_code="1H",
        source=EligibilitySource.COUNTY_FILE,
        imported_from=record,
        verified_at=timezone.now(),
    )
    return {"billing_elig_beneficiary": beneficiary, "billing_elig_month": month, "billing_elig_import": record}
