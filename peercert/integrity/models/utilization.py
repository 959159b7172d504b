"""integrity: the utilization part's records.

UtilizationRule: a utilization limit as data, effective-dated and versioned. Statewide (county empty) or one
county's stricter local limit. Ending or superseding a rule sets its last day and keeps the row, so the
gate's holds (which name the rule and its version) stay readable.

UtilizationReview: a county's review of its paid lines in a period: a reproducible random sample plus the
lines the outlier checks flag (ReviewLine), each with at most one finding (LineFinding).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel

__all__ = [
    "FINDING_CATEGORIES",
    "LineFindingCategory",
    "LineFindingOutcome",
    "LineFinding",
    "UTILIZATION_REVIEW_TRANSITIONS",
    "RULE_TRANSITIONS",
    "ReviewLine",
    "UtilizationReviewStatus",
    "RuleKind",
    "RuleStatus",
    "SelectedBecause",
    "UtilizationReview",
    "UtilizationRule",
]


class RuleKind(models.TextChoices):
    BENEFICIARY_DAY_UNITS = "beneficiary_day_units", _("Most units per beneficiary per day for a code")
    PEER_DAY_UNITS = "peer_day_units", _("Most units per peer per day, across beneficiaries and providers")
    LOCKOUT = "lockout", _("Two codes not billable for the same beneficiary on the same day")
    MONTHLY_FREQUENCY = "monthly_frequency", _("Most services of a code per beneficiary per month")


class RuleStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    ENDED = "ended", _("Ended")
    SUPERSEDED = "superseded", _("Superseded by a new version")


RULE_TRANSITIONS: dict[str, frozenset[str]] = {
    RuleStatus.CURRENT: frozenset({RuleStatus.ENDED, RuleStatus.SUPERSEDED}),
    # History: an ended or superseded version never changes again.
    RuleStatus.ENDED: frozenset(),
    RuleStatus.SUPERSEDED: frozenset(),
}


class UtilizationRule(BaseModel):
    """One version of one utilization limit. The gate applies every version in force on the date of service
    (the stricter of statewide and county)."""

    county = models.ForeignKey(
        "accounts.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a statewide rule."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RuleKind.choices)
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=5, blank=True, help_text=_("HCPCS code (none for a peer's day)."))
    other_code = models.CharField(_("locked-out code"), max_length=5, blank=True)
    limit = models.PositiveIntegerField(_("limit"), null=True, blank=True)
    delivery_system = models.CharField(_("delivery system"), max_length=10, blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    status = models.CharField(max_length=12, choices=RuleStatus.choices, default=RuleStatus.CURRENT)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Billing manual section."))
    end_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["county__name", "kind", "code", "-effective_from", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="integrity_rule_period_in_order",
            ),
            models.CheckConstraint(
                condition=(Q(kind="lockout") & Q(limit__isnull=True) & ~Q(code="") & ~Q(other_code=""))
                | (Q(kind="peer_day_units") & Q(limit__gt=0) & Q(code="") & Q(other_code=""))
                | (Q(kind__in=["beneficiary_day_units", "monthly_frequency"]) & Q(limit__gt=0) & ~Q(code=""))
                & Q(other_code=""),
                name="integrity_rule_fields_fit_kind",
            ),
            # A lockout pair is stored in order, so (A, B) and (B, A) are the same rule.
            models.CheckConstraint(
                condition=~Q(kind="lockout") | Q(code__lt=F("other_code")), name="integrity_lockout_pair_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="current") | Q(end_reason=""), name="integrity_current_rule_has_no_end_reason"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="integrity_rule_version_from_one"),
        ]
        indexes = [models.Index(fields=["kind", "code", "effective_from"], name="integrity_rule_lookup")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class UtilizationReviewStatus(models.TextChoices):
    OPEN = "open", _("Open: lines to review")
    CLOSED = "closed", _("Closed")


UTILIZATION_REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    UtilizationReviewStatus.OPEN: frozenset({UtilizationReviewStatus.CLOSED}),
    UtilizationReviewStatus.CLOSED: frozenset(),
}


class UtilizationReview(BaseModel):
    """A county's utilization review of its paid lines with dates of service in a period."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("first day of service"))
    period_end = models.DateField(_("last day of service"))
    seed = models.PositiveIntegerField(_("sample seed"), help_text=_("The same seed draws the same sample."))
    sample_rate = models.DecimalField(max_digits=5, decimal_places=4)
    outlier_multiple = models.DecimalField(max_digits=6, decimal_places=2)
    rules_version = models.CharField(max_length=50, blank=True)
    paid_lines = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=UtilizationReviewStatus.choices, default=UtilizationReviewStatus.OPEN
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="integrity_utilization_review_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Utilization review {self.pk}"


class SelectedBecause(models.TextChoices):
    SAMPLE = "sample", _("Drawn in the random sample")
    PEER_DAY = "peer_day", _("The peer billed more than the daily limit across providers")
    UNITS_ABOVE_MEDIAN = "units_above_median", _("Units far above the county's median for the code")


class ReviewLine(models.Model):
    """One paid line a review looks at, and why it was chosen (a line flagged twice is one row)."""

    id = models.BigAutoField(primary_key=True)
    review = models.ForeignKey(UtilizationReview, on_delete=models.PROTECT, related_name="lines")
    # db_constraint=False: billing's service lines are partitioned by month on PostgreSQL.
    line = models.ForeignKey("billing.ServiceLine", on_delete=models.PROTECT, db_constraint=False, related_name="+")
    sampled = models.BooleanField(default=False)
    peer_day = models.BooleanField(default=False)
    units_above_median = models.BooleanField(default=False)

    class Meta:
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "line"], name="integrity_review_line_once"),
            models.CheckConstraint(
                condition=Q(sampled=True) | Q(peer_day=True) | Q(units_above_median=True),
                name="integrity_review_line_has_a_reason",
            ),
        ]

    def reasons(self) -> list[str]:
        return [
            str(label)
            for value, label in SelectedBecause.choices
            if getattr(self, "sampled" if value == "sample" else value)
        ]


class LineFindingOutcome(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    NOT_SUPPORTED = "not_supported", _("Not supported")


class LineFindingCategory(models.TextChoices):
    NONE = "", _("None")
    DOCUMENTATION = "documentation", _("Documentation")
    MEDICAL_NECESSITY = "medical_necessity", _("Medical necessity")
    OTHER = "other", _("Other")


FINDING_CATEGORIES = (
    LineFindingCategory.DOCUMENTATION,
    LineFindingCategory.MEDICAL_NECESSITY,
    LineFindingCategory.OTHER,
)


class LineFinding(BaseModel):
    """A reviewer's finding on one line of a review. Not supported needs a category and a note."""

    review_line = models.OneToOneField(ReviewLine, on_delete=models.PROTECT, related_name="finding")
    line = models.ForeignKey("billing.ServiceLine", on_delete=models.PROTECT, db_constraint=False, related_name="+")
    outcome = models.CharField(_("finding"), max_length=15, choices=LineFindingOutcome.choices)
    category = models.CharField(_("category"), max_length=20, choices=LineFindingCategory.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="supported") & Q(category=""))
                | (Q(outcome="not_supported") & Q(category__in=list(FINDING_CATEGORIES)) & ~Q(note="")),
                name="integrity_finding_fits_outcome",
            ),
        ]
