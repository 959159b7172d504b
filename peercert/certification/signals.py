"""Events certification publishes for the apps above it.

certification_status_changed(sender=Certification, changes=QuerySet[CertificationStatusChange]) is sent
once after the transaction that changed one certification's status, or many at once (the daily expiry
and vacate sweeps), commits. `changes` is a lazy queryset naming exactly the history rows written, so a
receiver can work on the whole set in SQL (a join or a subquery) without loading the rows.

certification_issued(sender=Certification, certification=<the row>) is sent once after the transaction
that issued a certification (a transfer included) or renewed it commits (credentials signs the new cycle).
"""

from django.dispatch import Signal

certification_status_changed = Signal()
certification_issued = Signal()


def announce_status_changes(changes) -> None:
    """Send certification_status_changed for these history rows once the current transaction commits."""
    from django.db import transaction

    from peercert.certification.models import Certification

    transaction.on_commit(lambda: certification_status_changed.send(sender=Certification, changes=changes))


def announce_issued(certification) -> None:
    """Send certification_issued once the current transaction commits (issue and each renewal)."""
    from django.db import transaction

    from peercert.certification.models import Certification

    transaction.on_commit(lambda: certification_issued.send(sender=Certification, certification=certification))
