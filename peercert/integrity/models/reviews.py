"""integrity: DHCS monitoring reviews of a county or a certification program, the records sampled,
the findings on them, and the corrective action plan the reviewed party answers.

The record sampled is kept as one nullable foreign key per kind (employment, supervision
assignment, paid service line, application, certification), with a CheckConstraint that exactly
the column of its kind is set. Chosen over a generic (kind, id) pair because each key keeps
on_delete=PROTECT (a sampled record cannot vanish from under a finding), pages join the record in
one query, and the database still says which kind each row is. The service line key has no
database constraint (billing.ServiceLine is partitioned by month on PostgreSQL); Django still
protects it on delete.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName

__all__ = [
    "AWAITING_PARTY",
    "COUNTY_KINDS",
    "CORRECTIVE_ACTION_TRANSITIONS",
    "CorrectiveActionItem",
    "CorrectiveActionStatus",
    "FindingCategory",
    "FindingOutcome",
    "ITEM_NOUN",
    "OPEN_REVIEW_STATUSES",
    "PROGRAM_KINDS",
    "REVIEW_NOUN",
    "REVIEW_TRANSITIONS",
    "RECORD_FIELDS",
    "RecordKind",
    "Review",
    "ReviewEvidence",
    "ReviewParty",
    "ReviewRecord",
    "ReviewStatus",
]

REVIEW_NOUN = gettext_noop("monitoring review")
ITEM_NOUN = gettext_noop("corrective action")


class ReviewParty(models.TextChoices):
    COUNTY = "county", _("County behavioral health plan")
    PROGRAM = "program", _("Certification program")


class RecordKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    SUPERVISION = "supervision", _("Supervision assignment")
    SERVICE_LINE = "service_line", _("Paid service line")
    APPLICATION = "application", _("Application")
    CERTIFICATION = "certification", _("Certification")


COUNTY_KINDS = (RecordKind.EMPLOYMENT, RecordKind.SUPERVISION, RecordKind.SERVICE_LINE)
PROGRAM_KINDS = (RecordKind.APPLICATION, RecordKind.CERTIFICATION)
# The column each kind of sampled record is kept in.
RECORD_FIELDS = {
    RecordKind.EMPLOYMENT: "employment",
    RecordKind.SUPERVISION: "supervision",
    RecordKind.SERVICE_LINE: "service_line",
    RecordKind.APPLICATION: "application",
    RecordKind.CERTIFICATION: "certification",
}


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SAMPLED = "sampled", _("Records sampled")
    CORRECTIVE_ACTION = "corrective_action", _("Corrective action")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    # Drawn once the scope and period are set; a review may be called off before it starts.
    ReviewStatus.PLANNED: frozenset({ReviewStatus.SAMPLED, ReviewStatus.CANCELLED}),
    # Every record compliant: closed; any not compliant: a corrective action plan is issued.
    ReviewStatus.SAMPLED: frozenset({ReviewStatus.CORRECTIVE_ACTION, ReviewStatus.CLOSED, ReviewStatus.CANCELLED}),
    # Closed when DHCS has accepted the response to every item.
    ReviewStatus.CORRECTIVE_ACTION: frozenset({ReviewStatus.CLOSED}),
    ReviewStatus.CLOSED: frozenset(),
    ReviewStatus.CANCELLED: frozenset(),
}
OPEN_REVIEW_STATUSES = (ReviewStatus.PLANNED, ReviewStatus.SAMPLED, ReviewStatus.CORRECTIVE_ACTION)


class Review(BaseModel):
    """One DHCS monitoring review of a county (or a certification program) over a period."""

    party = models.CharField(_("who is reviewed"), max_length=10, choices=ReviewParty.choices)
    county = models.ForeignKey("accounts.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        "accounts.CertificationProgram", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    # The record kinds the review looks at, a list of RecordKind values (checked by the service).
    scope = models.JSONField(_("scope"), default=list)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED, db_index=True)
    # The seed of the sample: the same seed over the same records draws the same sample.
    seed = models.PositiveIntegerField(_("sample seed"))
    sample_size = models.PositiveIntegerField(null=True, blank=True, help_text=_("Records drawn of each kind."))
    rules_version = models.CharField(max_length=40, blank=True)
    sampled_at = models.DateTimeField(null=True, blank=True)
    plan_issued_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="integrity_review_names_its_party",
                condition=Q(party="county", county__isnull=False, program__isnull=True)
                | Q(party="program", program__isnull=False, county__isnull=True),
            ),
            models.CheckConstraint(
                name="integrity_review_period_in_order", condition=Q(period_end__gte=models.F("period_start"))
            ),
            models.CheckConstraint(name="integrity_review_status_known", condition=Q(status__in=ReviewStatus.values)),
        ]
        indexes = [models.Index(fields=["county", "status"]), models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def reviewed(self):
        return self.county if self.party == ReviewParty.COUNTY else self.program


class FindingOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet reviewed")
    COMPLIANT = "compliant", _("Compliant")
    NOT_COMPLIANT = "not_compliant", _("Not compliant")


class FindingCategory(models.TextChoices):
    DOCUMENTATION = "documentation", _("Documentation missing or incomplete")
    CERTIFICATION = "certification", _("Certification not active or not on record")
    SUPERVISION = "supervision", _("Supervision or supervisor training")
    HIRING = "hiring", _("Hiring or employment record")
    BILLING = "billing", _("Billing, coding or units")
    TIMELINESS = "timeliness", _("Deadline missed")
    OTHER = "other", _("Other")


def _one_record_of_its_kind() -> Q:
    cases = Q()
    for kind, field in RECORD_FIELDS.items():
        others = {f"{f}__isnull": True for f in RECORD_FIELDS.values() if f != field}
        cases |= Q(kind=kind, **{f"{field}__isnull": False}, **others)
    return cases


class ReviewRecord(BaseModel):
    """One record drawn into a review's sample, and DHCS's finding on it."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    # Position in the sample (1 is drawn first): the order the seed gave.
    position = models.PositiveIntegerField()
    employment = models.ForeignKey(
        "benefit.Employment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervision = models.ForeignKey(
        "benefit.SupervisorAssignment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_line = models.ForeignKey(
        "billing.ServiceLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    application = models.ForeignKey(
        "certification.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certification = models.ForeignKey(
        "certification.Certification", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=FindingOutcome.choices, default=FindingOutcome.PENDING)
    category = models.CharField(max_length=20, choices=FindingCategory.choices, blank=True)
    note = models.TextField(blank=True)
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "kind", "position"]
        constraints = [
            models.CheckConstraint(name="integrity_review_record_kind", condition=_one_record_of_its_kind()),
            models.UniqueConstraint(fields=["review", "kind", "position"], name="integrity_review_record_position"),
            models.UniqueConstraint(
                fields=["review", "employment"],
                condition=Q(employment__isnull=False),
                name="integrity_sampled_employment_once",
            ),
            models.UniqueConstraint(
                fields=["review", "supervision"],
                condition=Q(supervision__isnull=False),
                name="integrity_sampled_supervision_once",
            ),
            models.UniqueConstraint(
                fields=["review", "service_line"],
                condition=Q(service_line__isnull=False),
                name="integrity_sampled_line_once",
            ),
            models.UniqueConstraint(
                fields=["review", "application"],
                condition=Q(application__isnull=False),
                name="integrity_sampled_application_once",
            ),
            models.UniqueConstraint(
                fields=["review", "certification"],
                condition=Q(certification__isnull=False),
                name="integrity_sampled_certification_once",
            ),
            # A record found not compliant says in what way; a compliant or pending one has no category.
            models.CheckConstraint(
                name="integrity_finding_category",
                condition=Q(outcome="not_compliant", category__gt="") | (~Q(outcome="not_compliant") & Q(category="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.record_id}"

    @property
    def record_id(self) -> int:
        return getattr(self, f"{RECORD_FIELDS[self.kind]}_id")


class CorrectiveActionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not yet sent)")
    OPEN = "open", _("Waiting for the response")
    RESPONDED = "responded", _("Response sent to DHCS")
    RETURNED = "returned", _("Sent back for more")
    ACCEPTED = "accepted", _("Accepted")


CORRECTIVE_ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    # Written while the findings are recorded; opened for the reviewed party when the plan is issued.
    CorrectiveActionStatus.DRAFT: frozenset({CorrectiveActionStatus.OPEN}),
    CorrectiveActionStatus.OPEN: frozenset({CorrectiveActionStatus.RESPONDED}),
    # DHCS follows up: accepts the response, or sends it back for more.
    CorrectiveActionStatus.RESPONDED: frozenset({CorrectiveActionStatus.ACCEPTED, CorrectiveActionStatus.RETURNED}),
    CorrectiveActionStatus.RETURNED: frozenset({CorrectiveActionStatus.RESPONDED}),
    CorrectiveActionStatus.ACCEPTED: frozenset(),
}
AWAITING_PARTY = (CorrectiveActionStatus.OPEN, CorrectiveActionStatus.RETURNED)


class CorrectiveActionItem(BaseModel):
    """One item of a review's corrective action plan: what the reviewed party must do, who, by when."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="items")
    finding = models.ForeignKey(ReviewRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    description = models.TextField(_("what must be done"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due by"))
    status = models.CharField(
        max_length=12, choices=CorrectiveActionStatus.choices, default=CorrectiveActionStatus.DRAFT, db_index=True
    )
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set once by the daily job the first day the item is overdue; never cleared (it happened).
    escalated_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="integrity_cap_status_known", condition=Q(status__in=CorrectiveActionStatus.values)
            ),
            models.CheckConstraint(
                name="integrity_cap_response_when_responded",
                condition=~Q(status__in=["responded", "accepted"]) | Q(responded_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="integrity_cap_due")]

    def __str__(self) -> str:
        return self.description[:80]


class ReviewEvidence(BaseModel):
    """A document the reviewed party sent with a response (checked at upload, served as an attachment)."""

    item = models.ForeignKey(CorrectiveActionItem, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=10)
    file = models.FileField(upload_to=RandomName("integrity/reviews", "kind"))
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name
