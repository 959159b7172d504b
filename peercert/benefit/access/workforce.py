"""Access-matrix rows for providers, employments, supervision and the statewide view.

Written out by hand, not imported from permissions.py: the matrix checks the permissions, so it must
not take its expectations from them. The world's records are in Los Angeles, the county of the
matrix's county users.
"""

import datetime
from decimal import Decimal

from peercert.accounts.roles import Role

READERS = {Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}
COUNTY_STAFF = {Role.COUNTY_STAFF}
STATEWIDE = {Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}


def _provider(w):
    return {"provider_id": w["benefit_provider"].pk}


def _employment(w):
    return {"employment_id": w["benefit_employment"].pk}


def _assignment(w):
    return {"assignment_id": w["benefit_assignment"].pk}


ACCESS: dict = {
    "benefit:provider_list": {"allow": READERS},
    "benefit:provider_add": {"allow": COUNTY_STAFF},
    "benefit:provider_detail": {"allow": READERS, "kwargs": _provider},
    "benefit:provider_edit": {"allow": COUNTY_STAFF, "kwargs": _provider},
    "benefit:employment_list": {"allow": READERS},
    "benefit:employment_add": {"allow": COUNTY_STAFF},
    "benefit:employment_detail": {"allow": READERS, "kwargs": _employment},
    "benefit:employment_edit": {"allow": COUNTY_STAFF, "kwargs": _employment},
    "benefit:employment_hire": {"allow": COUNTY_STAFF, "kwargs": _employment},
    "benefit:employment_hire_correct": {"allow": COUNTY_STAFF, "kwargs": _employment},
    "benefit:employment_end": {"allow": COUNTY_STAFF, "kwargs": _employment},
    "benefit:employment_direction": {"allow": COUNTY_STAFF, "kwargs": _employment},
    "benefit:employment_assign": {"allow": COUNTY_STAFF, "kwargs": _employment},
    "benefit:assignment_end": {"allow": COUNTY_STAFF, "kwargs": _assignment},
    "benefit:supervision": {"allow": READERS},
    "benefit:supervision_policy": {"allow": COUNTY_STAFF},
    "benefit:supervision_ceiling": {"allow": STATEWIDE},
    "benefit:supervision_ceiling_set": {"allow": {Role.DHCS_APPROVER}},
    "benefit:workforce_by_county": {"allow": STATEWIDE},
}


def build_world(w) -> dict:
    """A Los Angeles provider, a recorded employment there and an active supervisor assignment."""
    from peercert.accounts.models import County, Person
    from peercert.benefit.models import Employment, EmploymentStatus, Provider, SupervisorAssignment

    county = County.objects.get(name="Los Angeles")
    provider = Provider.objects.create(
        county=county,
        name="Matrix Wellness Center",
        kind="contracted",
        npi="1234567893",
        address_line1="100 Cesar E Chavez Ave",
        city="Los Angeles",
        postal_code="90033",
        active_from=datetime.date(2022, 7, 1),
        smhs=True,
    )
    peer = Person.objects.create(
        legal_first_name="Matrix", legal_last_name="Peer", date_of_birth=datetime.date(1990, 1, 1)
    )
    supervisor = Person.objects.create(
        legal_first_name="Matrix", legal_last_name="Supervisor", email="sup@matrix.example"
    )
    employment = Employment.objects.create(
        person=peer,
        provider=provider,
        county=county,
        position_title="Peer Support Specialist",
        fte=Decimal("1.00"),
        start_on=datetime.date(2025, 1, 6),
        smhs=True,
        status=EmploymentStatus.RECORDED,
    )
    assignment = SupervisorAssignment.objects.create(
        supervisor=supervisor,
        employment=employment,
        county=county,
        start_on=employment.start_on,
        training_due_on=employment.start_on + datetime.timedelta(days=60),
    )
    return {"benefit_provider": provider, "benefit_employment": employment, "benefit_assignment": assignment}
