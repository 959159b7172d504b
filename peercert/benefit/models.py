"""The county side of the benefit: who employs and supervises peers, at what rate, under which authority.

Counties record their providers and the peers they employ there, formally hire them, assign trained
supervisors and a directing professional; they propose rates that DHCS decides; DHCS records the
federal authorities that make peer services billable. When a certification's status changes, the
counties that employ the peer get a workforce alert and their webhooks an event.

Nothing here is deleted: employments end, assignments end, rates are superseded by dated periods.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName


class DeliverySystem(models.TextChoices):
    SMHS = "smhs", _("Specialty mental health services (SMHS)")
    DMC = "dmc", _("Drug Medi-Cal (DMC)")
    DMC_ODS = "dmc_ods", _("Drug Medi-Cal Organized Delivery System (DMC-ODS)")


# The three delivery systems are kept as one boolean column each (serves_smhs, ...), so that the
# gate and the sweeps can filter on them in plain SQL.
SYSTEM_FIELDS = {DeliverySystem.SMHS: "smhs", DeliverySystem.DMC: "dmc", DeliverySystem.DMC_ODS: "dmc_ods"}
# What each delivery system is called on accounts.County's opt-in flags.
COUNTY_OPT_IN_FIELDS = {
    DeliverySystem.SMHS: "opts_in_smhs",
    DeliverySystem.DMC: "opts_in_dmc",
    DeliverySystem.DMC_ODS: "opts_in_dmc_ods",
}


class DeliverySystems(models.Model):
    """The delivery systems a row covers, as three booleans (abstract)."""

    smhs = models.BooleanField(_("SMHS"), default=False)
    dmc = models.BooleanField(_("DMC"), default=False)
    dmc_ods = models.BooleanField(_("DMC-ODS"), default=False)

    class Meta:
        abstract = True

    @property
    def delivery_systems(self) -> list[str]:
        return [system for system, field in SYSTEM_FIELDS.items() if getattr(self, field)]

    @property
    def delivery_system_labels(self) -> list[str]:
        return [str(DeliverySystem(s).label) for s in self.delivery_systems]

    def covers(self, system: str) -> bool:
        return bool(getattr(self, SYSTEM_FIELDS[system]))


def _some_system() -> Q:
    return Q(smhs=True) | Q(dmc=True) | Q(dmc_ods=True)


# ---- Providers -------------------------------------------------------------------------------


class ProviderKind(models.TextChoices):
    COUNTY_OPERATED = "county_operated", _("County-operated clinic")
    CONTRACTED = "contracted", _("Contracted organization")


class Provider(BaseModel, DeliverySystems):
    """A county's own clinic or an organization it contracts with, where peers are employed."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("provider name"), max_length=200)
    kind = models.CharField(_("kind of provider"), max_length=20, choices=ProviderKind.choices)
    npi = models.CharField(_("organization NPI"), max_length=10)
    address_line1 = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    postal_code = models.CharField(_("ZIP code"), max_length=10)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["county", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "npi"], name="benefit_provider_npi_once_per_county"),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="benefit_provider_active_dates_in_order",
            ),
            models.CheckConstraint(condition=_some_system(), name="benefit_provider_serves_a_system"),
        ]

    def __str__(self) -> str:
        return self.name


# ---- Employment, hire, direction --------------------------------------------------------------


class EmploymentStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded, not yet hired")
    HIRED = "hired", _("Hired")
    ENDED = "ended", _("Ended")


EMPLOYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    # Formal hire is its own dated step; an offer that falls through ends without one.
    EmploymentStatus.RECORDED: frozenset({EmploymentStatus.HIRED, EmploymentStatus.ENDED}),
    EmploymentStatus.HIRED: frozenset({EmploymentStatus.ENDED}),
    # History is kept: an ended employment is never reopened; a return is a new employment.
    EmploymentStatus.ENDED: frozenset(),
}
OPEN_EMPLOYMENT_STATUSES = (EmploymentStatus.RECORDED, EmploymentStatus.HIRED)


class EndReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned")
    TERMINATED = "terminated", _("Employment terminated")
    CONTRACT_ENDED = "contract_ended", _("Contract or grant ended")
    CERTIFICATION_LAPSED = "certification_lapsed", _("Certification no longer active")
    TRANSFERRED = "transferred", _("Moved to another provider")
    NEVER_STARTED = "never_started", _("Offer withdrawn before the hire")
    OTHER = "other", _("Other")


class Employment(BaseModel, DeliverySystems):
    """A person's job as a peer at one provider. A person may hold several at once."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="employments")
    # Copied from the provider so county scoping and the sweeps filter one table.
    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+", editable=False)
    position_title = models.CharField(_("position title"), max_length=150)
    fte = models.DecimalField(_("full-time equivalent (FTE)"), max_digits=3, decimal_places=2)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=30, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note on the ending"), max_length=500, blank=True)
    individual_npi = models.CharField(_("the peer's individual NPI"), max_length=10, blank=True)
    status = models.CharField(
        max_length=20, choices=EmploymentStatus.choices, default=EmploymentStatus.RECORDED, db_index=True
    )
    hired_on = models.DateField(_("formal hire date"), null=True, blank=True)
    hired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The certification that made the hire possible, as it was on the hire date.
    hire_certification_number = models.CharField(max_length=20, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["county", "provider", "-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="benefit_employment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1), name="benefit_employment_fte_between_0_and_1"
            ),
            models.CheckConstraint(
                condition=~Q(status="hired") | Q(hired_on__isnull=False), name="benefit_hired_employment_has_date"
            ),
            models.CheckConstraint(
                condition=Q(hired_on__isnull=True) | Q(hired_on__gte=F("start_on")),
                name="benefit_hire_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | (Q(end_on__isnull=False) & ~Q(end_reason="")),
                name="benefit_ended_employment_has_date_and_reason",
            ),
            models.CheckConstraint(condition=_some_system(), name="benefit_employment_in_a_system"),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="benefit_employment_person"),
            models.Index(fields=["county", "status", "updated_at"], name="benefit_employment_county"),
        ]

    def __str__(self) -> str:
        return f"{self.position_title} at {self.provider}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_EMPLOYMENT_STATUSES


class CredentialKind(models.TextChoices):
    LICENSED = "licensed", _("Licensed")
    WAIVERED = "waivered", _("Waivered")
    REGISTERED = "registered", _("Registered (associate)")


class DirectingProfessional(BaseModel):
    """The behavioral health professional under whose direction an employed peer provides services.

    Dated, because the professional can change during an employment and billing asks about a day.
    """

    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="directing_professionals")
    name = models.CharField(_("professional's full name"), max_length=200)
    credential_kind = models.CharField(
        _("licensed, waivered or registered"), max_length=20, choices=CredentialKind.choices
    )
    license_type = models.CharField(
        _("license or registration type"), max_length=60, help_text=_("For example LCSW, LMFT, psychologist.")
    )
    license_number = models.CharField(_("license or registration number"), max_length=40)
    issuing_board = models.CharField(_("issuing board"), max_length=150)
    start_on = models.DateField(_("directs from"))
    end_on = models.DateField(_("directs until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["employment", "-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="benefit_direction_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.license_type} {self.license_number})"


# ---- Supervision ------------------------------------------------------------------------------


class SupervisionCeiling(BaseModel):
    """DHCS's statewide limit on peers per supervisor, from a date. Counties set their own within it."""

    effective_from = models.DateField(_("in force from"), unique=True)
    max_peers_per_supervisor = models.PositiveSmallIntegerField(_("most peers one supervisor may supervise"))
    reason = models.CharField(_("why"), max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(max_peers_per_supervisor__gte=1), name="benefit_ceiling_at_least_one")
        ]


class SupervisionPolicy(BaseModel):
    """A county's supervision staffing policy from a date: the most peers one supervisor may have."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("in force from"))
    max_peers_per_supervisor = models.PositiveSmallIntegerField(_("most peers one supervisor may supervise"))
    reason = models.CharField(_("why"), max_length=500, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["county", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "effective_from"], name="benefit_one_policy_per_county_day"),
            models.CheckConstraint(condition=Q(max_peers_per_supervisor__gte=1), name="benefit_policy_at_least_one"),
        ]
        verbose_name_plural = "supervision policies"


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Supervising")
    ENDED = "ended", _("Ended")


ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssignmentStatus.ACTIVE: frozenset({AssignmentStatus.ENDED}),
    AssignmentStatus.ENDED: frozenset(),
}


class SupervisorAssignment(BaseModel):
    """A supervisor assigned to one employed peer, from a date.

    The supervisor must finish supervisor training by training_due_on (start plus the program rule
    supervisor_training_within_days); past it, untrained, the assignment is flagged and counts as
    no trained supervisor.
    """

    supervisor = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="supervisor_assignments")
    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+", editable=False)
    start_on = models.DateField(_("supervises from"))
    end_on = models.DateField(_("supervises until"), null=True, blank=True)
    training_due_on = models.DateField(_("supervisor training due by"))
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE, db_index=True
    )
    end_reason = models.CharField(_("why it ended"), max_length=500, blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["county", "supervisor", "-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="benefit_assignment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(end_on__isnull=False), name="benefit_ended_assignment_has_date"
            ),
            models.UniqueConstraint(
                fields=["supervisor", "employment"],
                condition=Q(status="active"),
                name="benefit_one_active_assignment_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["supervisor", "status"], name="benefit_assignment_supervisor")]


# ---- Codes, rates, federal authorities --------------------------------------------------------


class BillingCode(BaseModel, DeliverySystems):
    """A HCPCS code a certified peer may bill, and the delivery systems it is allowed in, for a period.

    The state fixes these; a code's row is superseded by a new dated row, never edited in place.
    """

    code = models.CharField(_("HCPCS code"), max_length=5)
    description = models.CharField(_("description"), max_length=200)
    unit_minutes = models.PositiveSmallIntegerField(_("minutes per unit"), null=True, blank=True)
    effective_from = models.DateField(_("allowed from"))
    effective_to = models.DateField(_("allowed until"), null=True, blank=True)

    class Meta:
        ordering = ["code", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="benefit_code_once_per_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="benefit_code_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class RateKind(models.TextChoices):
    COUNTY = "county", _("County rate (for DHCS approval)")
    INTERIM = "interim", _("Interim DMC rate (set by DHCS)")


class RateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting DHCS decision")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


RATE_TRANSITIONS: dict[str, frozenset[str]] = {
    RateStatus.DRAFT: frozenset({RateStatus.SUBMITTED, RateStatus.WITHDRAWN}),
    RateStatus.SUBMITTED: frozenset(
        {RateStatus.APPROVED, RateStatus.RETURNED, RateStatus.REJECTED, RateStatus.WITHDRAWN}
    ),
    # Returned: the proposer fixes it and submits again, or gives it up.
    RateStatus.RETURNED: frozenset({RateStatus.SUBMITTED, RateStatus.WITHDRAWN}),
    # An approved rate stands for its period; a change is a new period, approved in its turn.
    RateStatus.APPROVED: frozenset(),
    RateStatus.REJECTED: frozenset(),
    RateStatus.WITHDRAWN: frozenset(),
}


class Rate(BaseModel):
    """A rate per unit for one code in one delivery system, for a period.

    County rates are proposed by the county and decided by a DHCS approver. Interim DMC rates are set
    by DHCS the same way (proposed by one DHCS user, approved by another); an interim rate with no
    county applies statewide. Approved periods for the same county, kind, system and code never overlap.
    """

    kind = models.CharField(max_length=10, choices=RateKind.choices, default=RateKind.COUNTY)
    county = models.ForeignKey("accounts.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    delivery_system = models.CharField(_("delivery system"), max_length=10, choices=DeliverySystem.choices)
    code = models.CharField(_("HCPCS code"), max_length=5)
    amount = models.DecimalField(_("rate per unit (dollars)"), max_digits=9, decimal_places=2)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=RateStatus.choices, default=RateStatus.DRAFT, db_index=True)
    justification = models.TextField(_("basis for the rate"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["county", "delivery_system", "code", "-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="benefit_rate_positive"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="benefit_rate_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="interim") | Q(county__isnull=False), name="benefit_county_rate_has_county"
            ),
            models.CheckConstraint(
                condition=~Q(kind="interim") | Q(delivery_system__in=["dmc", "dmc_ods"]),
                name="benefit_interim_rates_are_dmc",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["returned", "rejected"]) | ~Q(decision_comment=""),
                name="benefit_rate_return_has_comment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["county", "delivery_system", "code", "status", "effective_from"], name="benefit_rate_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_delivery_system_display()} ${self.amount}"


class AuthorityKind(models.TextChoices):
    STATE_PLAN_AMENDMENT = "spa", _("State Plan amendment")
    WAIVER_1115 = "waiver_1115", _("Section 1115 demonstration waiver")
    WAIVER_1915B = "waiver_1915b", _("Section 1915(b) waiver")


class FederalAuthority(BaseModel, DeliverySystems):
    """A State Plan amendment or waiver that makes peer services billable, for a period."""

    number = models.CharField(_("SPA or waiver number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AuthorityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    approved_on = models.DateField(_("approved by CMS on"))
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    document = models.FileField(upload_to=RandomName("benefit/authorities", kind_field="document_type"), blank=True)
    document_type = models.CharField(max_length=10, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-effective_from", "number"]
        verbose_name_plural = "federal authorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="benefit_authority_dates_in_order",
            ),
            models.CheckConstraint(condition=_some_system(), name="benefit_authority_covers_a_system"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class AuthorityCode(models.Model):
    """One HCPCS code a federal authority covers: a row each, so "in force for this code" is a join."""

    authority = models.ForeignKey(FederalAuthority, on_delete=models.CASCADE, related_name="code_rows")
    code = models.CharField(max_length=5)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "code"], name="benefit_authority_code_once")]
        indexes = [models.Index(fields=["code", "authority"], name="benefit_authority_code")]


# ---- Workforce alerts and webhooks -------------------------------------------------------------


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Needs attention")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


ALERT_TRANSITIONS: dict[str, frozenset[str]] = {
    AlertStatus.OPEN: frozenset({AlertStatus.ACKNOWLEDGED}),
    AlertStatus.ACKNOWLEDGED: frozenset(),
}


class WorkforceAlert(BaseModel):
    """A county employs a peer whose certification status just changed: one per county and change."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    status_change = models.ForeignKey(
        "certification.CertificationStatusChange", on_delete=models.PROTECT, related_name="+"
    )
    certification = models.ForeignKey("certification.Certification", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    effective_on = models.DateField()
    status = models.CharField(max_length=15, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "status_change"], name="benefit_one_alert_per_county_change")
        ]
        indexes = [models.Index(fields=["county", "status", "created_at"], name="benefit_alert_worklist")]


class WebhookStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    RETIRED = "retired", _("Removed")


WEBHOOK_TRANSITIONS: dict[str, frozenset[str]] = {
    WebhookStatus.ACTIVE: frozenset({WebhookStatus.PAUSED, WebhookStatus.RETIRED}),
    WebhookStatus.PAUSED: frozenset({WebhookStatus.ACTIVE, WebhookStatus.RETIRED}),
    # Kept with its deliveries for the record.
    WebhookStatus.RETIRED: frozenset(),
}


class Webhook(BaseModel):
    """An https address a county registered to receive workforce events, signed with its own secret."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    url = models.URLField(_("address (https)"), max_length=500)
    description = models.CharField(_("what it is for"), max_length=200, blank=True)
    # The signing key must be read to sign each body, so it is kept (shown once to the county when made).
    secret = models.CharField(max_length=128, editable=False)
    status = models.CharField(max_length=10, choices=WebhookStatus.choices, default=WebhookStatus.ACTIVE, db_index=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_delivered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["county", "url"]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Gave up after retries")


DELIVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    DeliveryStatus.PENDING: frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.FAILED}),
    DeliveryStatus.DELIVERED: frozenset(),
    # A county fixing its receiver may send a failed event again.
    DeliveryStatus.FAILED: frozenset({DeliveryStatus.PENDING}),
}


class WebhookDelivery(BaseModel):
    """One event for one webhook: sent by a background task, retried with backoff until it is taken."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.PROTECT, related_name="deliveries")
    alert = models.ForeignKey(WorkforceAlert, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    # Fixed at the first attempt, so every retry sends (and signs) the same bytes.
    body = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "alert"], name="benefit_one_delivery_per_hook_alert")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="benefit_delivery_due")]


class DeliveryAttempt(models.Model):
    """What happened when one delivery was tried once."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_rows")
    attempted_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "attempted_at", "id"]
