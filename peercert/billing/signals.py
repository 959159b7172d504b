"""Events billing publishes for the apps above it (integrity finds the paid lines a changed fact breaks).

eligibility_month_corrected(sender=EligibilityMonth, beneficiary_id, month, reference, actor) is sent once
after the transaction that corrected a beneficiary's verification for a month (the first day) commits.
"""

from django.dispatch import Signal

eligibility_month_corrected = Signal()


def announce_eligibility_corrected(*, beneficiary_id: int, month, reference: str, actor=None) -> None:
    """Send eligibility_month_corrected once the current transaction commits."""
    from django.db import transaction

    from peercert.billing.models import EligibilityMonth

    transaction.on_commit(
        lambda: eligibility_month_corrected.send(
            sender=EligibilityMonth, beneficiary_id=beneficiary_id, month=month, reference=reference, actor=actor
        )
    )
