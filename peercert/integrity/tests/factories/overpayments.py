"""Factories for integrity's overpayments part: a peer working in two counties with paid lines."""

import datetime
from decimal import Decimal

__all__ = ["paid_lines_for", "two_county_peer"]

PAID_AMOUNT = Decimal("82.50")


def two_county_peer(first_day: datetime.date, days: int) -> dict:
    """One certified peer, hired in Los Angeles and in Fresno, with every gate fact on record and a
    beneficiary in each county verified eligible for every month from first_day for `days` days."""
    from peercert.billing.tests.factories import EligibilityMonthFactory, billable_world
    from peercert.certification.models import Certification

    la = billable_world("Los Angeles", npi_seed=7100, day=first_day)
    fresno = billable_world("Fresno", npi_seed=7300, day=first_day)
    # The same person works in both counties, under one certification.
    person = la["employment"].person
    fresno_employment = fresno["employment"]
    fresno_employment.person = person
    fresno_employment.save(update_fields=["person"])
    Certification.objects.filter(pk=fresno["certification"].pk).update(person=person)
    Certification.objects.filter(pk=fresno["certification"].pk).update(
        issued_on=datetime.date(2000, 1, 1), expires_on=datetime.date(2000, 12, 31)
    )
    months = sorted({(first_day + datetime.timedelta(days=d)).replace(day=1) for d in range(days)})
    for world in (la, fresno):
        for month in months:
            if month != first_day.replace(day=1):
                EligibilityMonthFactory(beneficiary=world["beneficiary"], month=month)
    return {"la": la, "fresno": fresno, "person": person, "certification": la["certification"]}


def paid_lines_for(
    world: dict,
    first_day: datetime.date,
    days: int,
    *,
    unpaid_every: int = 0,
    beneficiary=None,
    prefix="PCN",
    days_per_claim: int = 1,
):
    """One paid H0038 line a day, all billable, days_per_claim days to a claim (payer claim control number);
    every unpaid_every-th line denied instead."""
    from peercert.billing.models import LineStatus
    from peercert.billing.tests.factories import ServiceBatchFactory, ServiceLineFactory

    batch = ServiceBatchFactory(county=world["county"], status="submitted")
    lines = []
    for d in range(days):
        denied = unpaid_every and d % unpaid_every == unpaid_every - 1
        lines.append(
            ServiceLineFactory(
                batch=batch,
                county=world["county"],
                employment=world["employment"],
                beneficiary=beneficiary or world["beneficiary"],
                service_date=first_day + datetime.timedelta(days=d),
                status=LineStatus.BILLABLE,
                charge=PAID_AMOUNT,
                remittance_status="denied" if denied else "paid",
                paid_amount=Decimal("0") if denied else PAID_AMOUNT,
                payer_claim_control_number=f"{prefix}{world['county'].pk}-{batch.pk}-{d // days_per_claim}",
                paid_on=first_day + datetime.timedelta(days=days + 5),
                source_position=d + 1,
            )
        )
    return lines
