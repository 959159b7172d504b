"""Access-matrix rows for the benefit's rates (see peercert/core/access.py).

Written out by hand, not imported from permissions.py: the matrix checks the permissions, so it
must not take its expectations from them. County roles in the matrix are Los Angeles's, and the
sample rate is a Los Angeles county rate, submitted by the matrix's county staff.
"""

from peercert.accounts.roles import Role

COUNTY = {Role.COUNTY_STAFF, Role.COUNTY_BILLING}
DHCS = {Role.DHCS_ANALYST, Role.DHCS_APPROVER}
STATEWIDE = DHCS | {Role.AUDITOR}
READERS = COUNTY | STATEWIDE


def _rate(w):
    return {"rate_id": w["rates_rate"].pk}


def _authority(w):
    return {"authority_id": w["rates_authority"].pk}


ACCESS: dict = {
    "benefit:codes": {"allow": READERS},
    "benefit:rates": {"allow": READERS},
    "benefit:rate_propose": {"allow": {Role.COUNTY_STAFF}},
    "benefit:rate_detail": {"allow": READERS, "kwargs": _rate},
    "benefit:rate_edit": {"allow": {Role.COUNTY_STAFF}, "kwargs": _rate},
    "benefit:rate_submit": {"allow": {Role.COUNTY_STAFF}, "kwargs": _rate},
    "benefit:rate_withdraw": {"allow": {Role.COUNTY_STAFF}, "kwargs": _rate},
    "benefit:rate_decide": {"allow": {Role.DHCS_APPROVER}, "kwargs": _rate},
    "benefit:interim_rates": {"allow": STATEWIDE},
    "benefit:interim_rate_propose": {"allow": DHCS},
    "benefit:authorities": {"allow": READERS},
    "benefit:authority_record": {"allow": DHCS},
    "benefit:authority_detail": {"allow": READERS, "kwargs": _authority},
    "benefit:authority_end": {"allow": DHCS, "kwargs": _authority},
    "benefit:authority_document": {"allow": READERS, "kwargs": _authority},
}


def build_world(w) -> dict:
    """A submitted Los Angeles H0038 SMHS rate proposed by the county staff, and an authority with a PDF."""
    import datetime

    from django.core.files.base import ContentFile

    from peercert.accounts.models import County
    from peercert.benefit.models import FederalAuthority, Rate, RateStatus
    from peercert.core import samples

    staff = w["users"][Role.COUNTY_STAFF]
    rate = Rate.objects.create(
        county=County.objects.get(name="Los Angeles"),
        delivery_system="smhs",
        code="H0038",
        amount="41.25",
        effective_from=datetime.date(2026, 7, 1),
        status=RateStatus.SUBMITTED,
        proposed_by=staff,
    )
    authority = FederalAuthority(
        number="SPA 22-0026 (matrix)",
        kind="spa",
        title="Peer support services",
        approved_on=datetime.date(2022, 6, 1),
        effective_from=datetime.date(2022, 7, 1),
        smhs=True,
        document_type="pdf",
        document_name="spa.pdf",
    )
    authority.document.save("spa.pdf", ContentFile(samples.PDF), save=False)
    authority.save()
    authority.code_rows.create(code="H0038")
    return {"rates_rate": rate, "rates_authority": authority}
