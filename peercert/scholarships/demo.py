"""Demo data for scholarships, loaded by `manage.py seed_demo`. Idempotent.

A DHCS fund anyone may apply to and a Los Angeles County fund needing nominations, with two
nominations, an application, awards and a tuition disbursement where the demo has an enrollment.
"""

import datetime
from decimal import Decimal

from peercert.accounts.models import County, Person
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.scholarships.models import Application, Fund
from peercert.scholarships.services import (
    application_award,
    application_submit,
    disbursement_record,
    fund_create,
    nomination_create,
)

DEMO_PEER_EMAIL = "peer@demo.peercert.example"
DHCS_FUND = "DHCS Peer Workforce Scholarship"
COUNTY_FUND = "Los Angeles County Peer Scholarship"


def seed(out) -> None:
    from peercert.accounts.models import RoleAssignment

    today = clock.today()
    opens = today - datetime.timedelta(days=60)
    la = County.objects.filter(name="Los Angeles").first()
    county_staff = (
        RoleAssignment.objects.filter(role=Role.COUNTY_STAFF, county=la).select_related("user").first() if la else None
    )
    dhcs = Fund.objects.filter(name=DHCS_FUND).first() or fund_create(
        actor=None,
        name=DHCS_FUND,
        funder_kind="dhcs",
        budget=Decimal("25000.00"),
        fee_codes=["fee_application", "fee_exam", "fee_exam_retake", "fee_renewal", "fee_reinstatement"],
        covers_tuition=True,
        opens_on=opens,
        closes_on=today + datetime.timedelta(days=300),
        description="Statewide help with certification fees and core training tuition.",
    )
    county_fund = None
    if la is not None:
        county_fund = Fund.objects.filter(name=COUNTY_FUND).first() or fund_create(
            actor=None,
            name=COUNTY_FUND,
            funder_kind="county",
            county=la,
            budget=Decimal("10000.00"),
            fee_codes=["fee_application", "fee_exam"],
            covers_tuition=True,
            nomination_required=True,
            opens_on=opens,
            closes_on=today + datetime.timedelta(days=200),
        )
    peer = Person.objects.filter(user__email=DEMO_PEER_EMAIL).select_related("user").first()
    if county_fund is not None and county_staff is not None and not county_fund.nominations.exists():
        nomination_create(
            actor=county_staff.user, fund=county_fund, name="Rosa Delgado", email="rosa.delgado@demo.peercert.example"
        )
        if peer is not None:
            nomination_create(actor=county_staff.user, fund=county_fund, email=DEMO_PEER_EMAIL)
    if peer is not None and not Application.objects.filter(person=peer).exists():
        application = application_submit(
            actor=peer.user,
            fund=dhcs,
            pathway="standard",
            need_statement="I work part time and cannot pay the exam fee and the training.",
            fee_codes=["fee_exam"],
            wants_tuition=True,
        )
        award = application_award(
            actor=None,
            application=application,
            amount=Decimal("650.00"),
            fee_codes=["fee_exam"],
            covers_tuition=True,
            expires_on=today + datetime.timedelta(days=180),
        )
        from peercert.training import selectors as training_selectors

        enrollment = (
            training_selectors.enrollments_for_person(peer).filter(status="enrolled", offering__cost__gt=0).first()
        )
        if enrollment is not None:
            try:
                disbursement_record(
                    actor=None,
                    award=award,
                    offering=enrollment.offering,
                    amount=min(enrollment.offering.cost, Decimal("500.00")),
                    paid_on=today,
                    reference="DEMO-EFT-0001",
                )
            except ApplicationError as exc:  # the demo goes on without a disbursement
                if out is not None and hasattr(out, "write"):
                    out.write(f"scholarships: no demo disbursement ({exc})\n")
    if out is not None and hasattr(out, "write"):
        out.write("scholarships: demo funds, nominations, an award ready\n")
