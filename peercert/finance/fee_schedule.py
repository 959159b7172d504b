"""The public fee schedule: every fee_* program rule in force today, the next dated schedule, and
who may have each fee waived or paid by a scholarship.

The amounts come only from ProgramRuleSet (core.rules); this module adds what the rules do not
say: each fee's name in the reader's language, who pays it, and whether a scholarship may pay it.
Read by the public page (finance.views.fee_schedule) and GET /api/v1/fees.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from peercert.core import clock
from peercert.core.models import ProgramRuleSet
from peercert.core.rules import Rules, rules_on
from peercert.finance.selectors import fee_label, known_fee_codes

# Fees a scholarship fund may pay (issue 18: application, exam, retake, renewal and reinstatement
# fees). Late fees and the fees organizations pay are not among them. Out-of-state reciprocity
# applicants are never eligible: their invoices are made with scholarship_eligible=False.
SCHOLARSHIP_FEES = frozenset({"fee_application", "fee_exam", "fee_exam_retake", "fee_renewal", "fee_reinstatement"})

# fee code -> (name, who pays it)
FEES = {
    "fee_application": (_("Application fee"), _("Each applicant for certification, when they apply.")),
    "fee_exam": (_("Exam fee"), _("Each applicant, when they register for the certification exam.")),
    "fee_exam_retake": (_("Exam retake fee"), _("An applicant who takes the exam again.")),
    "fee_renewal": (_("Renewal fee"), _("A certified peer, every time they renew.")),
    "fee_reinstatement": (_("Reinstatement fee"), _("A peer whose certification lapsed, to have it reinstated.")),
    "fee_late": (_("Late renewal fee"), _("A peer who renews after their certification's renewal date.")),
    "fee_training_entity_application": (
        _("Training entity application fee"),
        _("A training entity, for each training type and language it applies to offer."),
    ),
    "fee_training_entity_renewal": (_("Training entity renewal fee"), _("A training entity renewing its approval.")),
    "fee_supervisor_training": (
        _("Supervisor training fee"),
        _("A supervisor of peers taking the supervisor training."),
    ),
}

WAIVER = _("Program staff may waive it; every waiver is recorded with its reason.")
NO_CHARGE = _("There is nothing to pay.")
SCHOLARSHIP_YES = _("Yes, from a scholarship fund that covers it. Not for out-of-state reciprocity applicants.")
SCHOLARSHIP_NO_ORGANIZATION = _("No. Organizations pay their own fees.")
SCHOLARSHIP_NO = _("No.")
ORGANIZATION_FEES = frozenset({"fee_training_entity_application", "fee_training_entity_renewal"})
RECIPROCITY_NOTE = _(
    "Out-of-state reciprocity applicants pay all their fees themselves: scholarships never pay them. "
    "Fees are not refundable."
)


@dataclass(frozen=True)
class Fee:
    code: str
    name: str
    amount: Decimal
    who_pays: str
    waiver: str
    scholarship: bool
    scholarship_note: str


@dataclass(frozen=True)
class Schedule:
    version: str
    effective_from: datetime.date
    fees: list[Fee]


def _fee(code: str, rules: Rules) -> Fee:
    name, who = FEES.get(code, (fee_label(code), ""))
    amount = getattr(rules, code)
    scholarship = code in SCHOLARSHIP_FEES and amount > 0
    if scholarship:
        note = SCHOLARSHIP_YES
    elif code in ORGANIZATION_FEES:
        note = SCHOLARSHIP_NO_ORGANIZATION
    else:
        note = SCHOLARSHIP_NO
    return Fee(
        code=code,
        name=str(name),
        amount=amount,
        who_pays=str(who),
        waiver=str(WAIVER if amount > 0 else NO_CHARGE),
        scholarship=scholarship,
        scholarship_note=str(note),
    )


def _schedule(rules: Rules) -> Schedule:
    return Schedule(
        version=rules.version,
        effective_from=rules.effective_from,
        fees=[_fee(code, rules) for code in known_fee_codes()],
    )


def fee_schedule(day: datetime.date | None = None) -> tuple[Schedule, Schedule | None]:
    """The schedule in force on a day (today by default) and the next dated one, if any."""
    day = day or clock.today()
    current = _schedule(rules_on(day))
    upcoming = ProgramRuleSet.objects.filter(effective_from__gt=day).order_by("effective_from").first()
    return current, (_schedule(rules_on(upcoming.effective_from)) if upcoming else None)
