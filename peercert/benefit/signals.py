"""Events benefit publishes for the apps above it (integrity finds the paid lines a changed fact breaks).

employment_facts_changed(sender=Employment, kind, employment_ids, start, end, reference, actor) is sent
once after the transaction that changed a fact billing's gate reads commits:
  kind "hire_date"       a formal hire date corrected (the interval between the old and the new date);
  kind "employment_end"  an employment ended (from the day after its end, end None);
  kind "supervision"     a supervisor assignment ended (from the day after it ends, end None).
employment_ids names the employments, [start, end] the service dates the change can touch (end None:
open-ended), reference a short text naming the record that changed ("employment 12").
"""

from django.dispatch import Signal

employment_facts_changed = Signal()


def announce_employment_facts(*, kind: str, employment_ids, start, end=None, reference: str, actor=None) -> None:
    """Send employment_facts_changed once the current transaction commits."""
    from django.db import transaction

    from peercert.benefit.models import Employment

    ids = list(employment_ids)
    transaction.on_commit(
        lambda: employment_facts_changed.send(
            sender=Employment, kind=kind, employment_ids=ids, start=start, end=end, reference=reference, actor=actor
        )
    )
