"""Program rules: the numbers the state can change without a code change.

RULE_SPEC names every rule, its kind and the value seeded from the program's published
schedule (../shared/domain.md). A ProgramRuleSet row holds one version of all of them.
"""

import bisect
import datetime
from dataclasses import dataclass
from decimal import Decimal

from peercert.core import clock
from peercert.core.errors import ApplicationError

# name: (kind, seeded value, plain description shown to staff)
RULE_SPEC: dict[str, tuple[str, object, str]] = {
    # Fees (dollars, all non-refundable)
    "fee_application": ("money", "100.00", "Application fee"),
    "fee_exam": ("money", "150.00", "Exam fee"),
    "fee_exam_retake": ("money", "150.00", "Exam retake fee"),
    "fee_renewal": ("money", "80.00", "Renewal fee"),
    "fee_reinstatement": ("money", "80.00", "Reinstatement fee"),
    "fee_late": ("money", "25.00", "Late renewal fee (assumed)"),
    "fee_training_entity_application": (
        "money",
        "300.00",
        "Training entity application, per training type and language",
    ),
    "fee_training_entity_renewal": ("money", "300.00", "Training entity renewal"),
    "fee_supervisor_training": ("money", "0.00", "Supervisor training"),
    # Certification
    "minimum_age": ("int", 18, "Minimum age to apply"),
    "core_training_hours": ("int", 80, "Core certification training hours"),
    "core_competencies": ("int", 17, "Core competencies in the core training"),
    "specialization_training_hours": ("int", 40, "Hours of each specialization training"),
    "application_valid_months": ("int", 12, "Months an approved application stays open for training and exam"),
    "application_review_target_days": ("int", 30, "Target days to review an application"),
    "training_certificate_review_target_days": ("int", 14, "Target days to review a training certificate"),
    "certification_term_years": ("int", 2, "Years a certification lasts before renewal"),
    "grandparenting_employed_on": ("date", "2022-01-01", "Grandparenting: employed as a peer on this date"),
    "grandparenting_closed_after": ("date", "2022-12-31", "Grandparenting: last day applications were accepted"),
    "peer_work_hours_required": ("int", 1550, "Hours of peer work for grandparenting and reciprocity"),
    "peer_work_lookback_years": ("int", 3, "Years within which peer work hours count (assumed)"),
    "reciprocity_letters_required": ("int", 3, "Letters of recommendation for out-of-state reciprocity"),
    "reciprocity_ce_lookback_years": ("int", 2, "Out-of-state reciprocity: years within which the CE hours count"),
    # Exam
    "exam_items": ("int", 120, "Multiple-choice items on the written exam"),
    "exam_minutes": ("int", 150, "Minutes allowed for the written exam"),
    "exam_break_minutes": ("int", 10, "Break allowed during the exam, in minutes"),
    "exam_max_attempts": ("int", 3, "Exam attempts within one approval window"),
    "exam_item_p_min": (
        "decimal",
        "0.20",
        "Item analysis: flag items fewer than this share of candidates answer correctly",
    ),
    "exam_item_p_max": (
        "decimal",
        "0.95",
        "Item analysis: flag items more than this share of candidates answer correctly",
    ),
    "exam_item_rpb_min": (
        "decimal",
        "0.15",
        "Item analysis: flag items whose point-biserial correlation is below this",
    ),
    "exam_accommodation_max_multiplier": (
        "decimal",
        "2.00",
        "Largest extra-time multiplier an accommodation may grant",
    ),
    # Renewal and continuing education
    "ce_hours_required": ("int", 20, "Continuing-education hours per two-year cycle"),
    "ce_law_ethics_hours_required": ("int", 6, "Of which in law and ethics"),
    "renewal_window_days": ("int", 90, "Days before expiry that renewal opens"),
    "renewal_reminder_days": ("int_list", [90, 60, 30, 7], "Days before expiry that reminders go out"),
    "vacate_after_years": ("int", 4, "Years after the due date before an unrenewed certification is vacated"),
    "ce_audit_rate": ("decimal", "0.10", "Share of renewals drawn for a continuing-education audit"),
    "reinstatement_requires": ("text", "refresher_or_exam", "What reinstatement needs besides CE and ethics"),
    # Training entities
    "training_entity_term_years": ("int", 2, "Years a training entity's approval lasts before renewal"),
    "training_entity_renewal_window_days": (
        "int",
        90,
        "Days before an approval ends that its renewal may be requested",
    ),
    # Supervision
    "supervisor_training_within_days": ("int", 60, "Days a new supervisor has to finish supervisor training (assumed)"),
    "supervision_max_peers_default": (
        "int",
        12,
        "Peers one supervisor may supervise where the county has set no limit (assumed)",
    ),
    # Discipline
    "complaint_lookback_years": ("int", 3, "Years after an incident that a complaint is accepted"),
    "complaint_ack_business_days": ("int", 5, "Business days to acknowledge a complaint"),
    "investigation_days": ("int", 90, "Calendar days to finish an investigation"),
    "investigation_extension_days": ("int", 30, "Days one extension adds"),
    "appeal_window_days": ("int", 30, "Days to file an appeal (assumed)"),
    "appeal_review_days": ("int", 90, "Days to decide an appeal"),
    "appeal_stays_action": ("bool", False, "Whether filing an appeal pauses the action appealed"),
    "assistance_response_business_days": (
        "int",
        3,
        "Business days to answer a technical-assistance question (assumed)",
    ),
    # Billing and reporting
    "overpayment_report_days": ("int", 60, "Days to report and return an overpayment"),
    "overpayment_escalation_days": (
        "int",
        45,
        "Days after identification that an unreturned overpayment goes to the county's supervisors and signer",
    ),
    "claim_timely_filing_months": (
        "int",
        12,
        "Months after the month of service within which a claim must be billed (assumed)",
    ),
    # Utilization (integrity): the limits themselves are UtilizationRule rows; these drive the review.
    "utilization_peer_day_units_default": (
        "int",
        32,
        "Most units a peer bills in a day across beneficiaries and providers, seeded as the statewide rule (assumed)",
    ),
    "utilization_review_sample_rate": (
        "decimal",
        "0.05",
        "Share of a county's paid lines drawn for utilization review",
    ),
    "utilization_outlier_median_multiple": (
        "decimal",
        "3.00",
        "A line is an outlier when its units are at least this many times the county's median for the code",
    ),
    "small_cell_suppression": ("int", 11, "Public figures below this count are suppressed"),
    "registry_update_hours": ("int", 72, "Hours within which the registry must show a status change"),
    # DHCS monitoring reviews (integrity)
    "review_sample_size": ("int", 10, "Records a DHCS monitoring review samples of each kind (assumed)"),
    "corrective_action_min_days": ("int", 14, "Fewest days a corrective action plan item gives to respond (assumed)"),
}


def seeded_rules() -> dict:
    return {name: default for name, (_kind, default, _label) in RULE_SPEC.items()}


def _convert(kind: str, value):
    if kind == "money" or kind == "decimal":
        return Decimal(str(value))
    if kind == "int":
        return int(value)
    if kind == "int_list":
        return [int(v) for v in value]
    if kind == "date":
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    if kind == "bool":
        return bool(value)
    return value


@dataclass(frozen=True)
class Rules:
    version: str
    effective_from: datetime.date
    values: dict

    def __getattr__(self, name):
        try:
            kind = RULE_SPEC[name][0]
        except KeyError:
            raise AttributeError(f"No program rule named {name!r}") from None
        return _convert(kind, self.values[name])


def rules_on(day: datetime.date | None = None) -> Rules:
    """The rule set in force on a day (today by default)."""
    from peercert.core.models import ProgramRuleSet

    day = day or clock.today()
    row = ProgramRuleSet.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if row is None:
        raise _none_in_force(day)
    return _rules_from(row)


def rules_picker(*, older_use_first: bool = False):
    """rules_on for many days from one query: returns day -> Rules (for imports and batch jobs).

    older_use_first: a day before the first rule set gets the first one instead of an error
    (records of decisions made before PeerCert).
    """
    from peercert.core.models import ProgramRuleSet

    rows = list(ProgramRuleSet.objects.order_by("effective_from"))
    starts = [r.effective_from for r in rows]
    built: dict[int, Rules] = {}

    def pick(day: datetime.date) -> Rules:
        index = bisect.bisect_right(starts, day) - 1
        if index < 0:
            if not (older_use_first and rows):
                raise _none_in_force(day)
            index = 0
        if index not in built:
            built[index] = _rules_from(rows[index])
        return built[index]

    return pick


def _rules_from(row) -> Rules:
    return Rules(version=row.version, effective_from=row.effective_from, values={**seeded_rules(), **row.rules})


def _none_in_force(day: datetime.date) -> ApplicationError:
    return ApplicationError("No program rules are in force on %(day)s.", params={"day": day}, code="state")


def rule_rows(rules: Rules) -> list[dict]:
    """Rules as rows for staff to read: name, description and value."""
    return [
        {"name": name, "label": label, "kind": kind, "value": getattr(rules, name)}
        for name, (kind, _default, label) in RULE_SPEC.items()
    ]


def appeal_window_ends(decided_on: datetime.date) -> datetime.date:
    """The last day to appeal a decision made on a day, by the rules in force that day."""
    return decided_on + datetime.timedelta(days=rules_on(decided_on).appeal_window_days)


def appeal_deadline(record, denied_status: str) -> datetime.date | None:
    """The last day to appeal a denied record (an application or a renewal, with decided_at); None if not denied."""
    from django.utils import timezone

    if record.status != denied_status or record.decided_at is None:
        return None
    return appeal_window_ends(timezone.localdate(record.decided_at))
