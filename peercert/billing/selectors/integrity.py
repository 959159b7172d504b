"""What billing shows the integrity app (above it) of its service lines: the paid lines, and the gate's
rules a fact recorded after payment can break, over any set of them. Not scoped to an actor: integrity's
own selectors scope what they show; its services run these for a changed fact (actor or system)."""

import datetime

from django.db.models import Q, QuerySet

from peercert.billing import gate
from peercert.billing.models import PaymentOutcome, ServiceLine

__all__ = [
    "fact_rule_querysets",
    "paid_line_for_void",
    "overpayable_lines",
    "line_reason_label",
]

PAID = Q(remittance_status__in=[PaymentOutcome.PAID, PaymentOutcome.ADJUSTED], paid_amount__gt=0)


def overpayable_lines() -> QuerySet[ServiceLine]:
    """Lines the state paid (an 835 said paid or adjusted, with money): the ones that can be overpaid."""
    return ServiceLine.objects.filter(PAID)


def fact_rule_querysets(lines: QuerySet, today: datetime.date | None = None) -> list[tuple[str, QuerySet]]:
    """(reason code, the lines of `lines` that now fail it) for each rule a later fact can break (one SELECT each)."""
    return gate.rule_querysets(lines, codes=gate.FACT_RULES, today=today)


def line_reason_label(code: str) -> str:
    return gate.reason_label(code)


def paid_line_for_void(line_id: int) -> ServiceLine | None:
    """A paid line by id (for a void claim), or None when the state never paid it."""
    return overpayable_lines().filter(pk=line_id).exclude(payer_claim_control_number="").first()
