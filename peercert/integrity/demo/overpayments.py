"""Demo data for integrity's overpayments part. Safe to run again.

A Los Angeles peer whose services the state already paid (billing's demo 835) has the certification
revoked back to the first of those services, as a hearing decided late; the overpayment was identified
40 days ago, so it is 5 days from its 45-day escalation, with its 60-day clock running."""

import datetime

from django.db import transaction

DEMO_REASON = "Revoked after a hearing; effective the date of the conduct (demo)."
DAYS_AGO = 40


def seed(stdout) -> None:
    from peercert.billing import selectors as billing_selectors
    from peercert.certification import selectors as certification_selectors
    from peercert.certification import services as certification_services
    from peercert.core import clock
    from peercert.integrity import services
    from peercert.integrity.models import FactKind, OverpaymentLine

    if OverpaymentLine.objects.filter(fact_kind=FactKind.CERTIFICATION_STATUS, county__name="Los Angeles").exists():
        stdout.write("  integrity overpayments: the demo overpayment is already there")
        return
    paid = billing_selectors.overpayable_lines().filter(county__name="Los Angeles").exclude(employment__isnull=True)
    # Not the demo peer who signs in (peer@): their certification stays active for the other demos.
    paid = paid.exclude(employment__person__user__email__startswith="peer@")
    first = paid.order_by("service_date", "id").first()
    if first is None:
        stdout.write("  integrity overpayments: no paid Los Angeles line in the demo, so no overpayment")
        return
    person = first.employment.person
    certification = certification_selectors.certification_active_on(person, first.service_date)
    if certification is None:
        stdout.write("  integrity overpayments: the demo peer has no active certification to revoke")
        return
    today = clock.today()
    with transaction.atomic():
        certification_services.certification_change_status(
            actor=None,
            certification=certification,
            to_status="revoked",
            reason=DEMO_REASON,
            effective_on=first.service_date,
            source="discipline",
        )
        changes = certification_selectors.status_changes_since(clock.now() - datetime.timedelta(minutes=5))
        result = services.overpayments_find_for_certification_changes(
            changes=changes.filter(certification_id=certification.pk, to_status="revoked"),
            today=today - datetime.timedelta(days=DAYS_AGO),
        )
    stdout.write(
        f"  integrity overpayments: {person.full_name}'s certification revoked back to {first.service_date}; "
        f"{result['lines']} paid lines in {result['overpayments']} overpayment(s), identified {DAYS_AGO} days ago"
    )
