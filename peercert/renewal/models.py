"""Keeping a certification current: renewals and reinstatements, CE audits, reminders, name changes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName


class RenewalKind(models.TextChoices):
    RENEWAL = "renewal", _("Renewal")
    REINSTATEMENT = "reinstatement", _("Late renewal (reinstatement)")


class RenewalStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Started")
    WAITING_FOR_FEE = "waiting_for_fee", _("Waiting for the fee")
    UNDER_REVIEW = "under_review", _("Being reviewed")
    APPROVED = "approved", _("Renewed")
    DENIED = "denied", _("Not renewed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


RENEWAL_TRANSITIONS: dict[str, frozenset[str]] = {
    # Submitted: approved at once, held for the fee, or sent to staff (CE audit drawn).
    RenewalStatus.IN_PROGRESS: frozenset(
        {RenewalStatus.WAITING_FOR_FEE, RenewalStatus.UNDER_REVIEW, RenewalStatus.APPROVED, RenewalStatus.WITHDRAWN}
    ),
    RenewalStatus.WAITING_FOR_FEE: frozenset(
        {RenewalStatus.UNDER_REVIEW, RenewalStatus.APPROVED, RenewalStatus.WITHDRAWN}
    ),
    RenewalStatus.UNDER_REVIEW: frozenset({RenewalStatus.APPROVED, RenewalStatus.DENIED}),
    RenewalStatus.APPROVED: frozenset(),
    # Only an appeal that overturns the denial sends it back to staff.
    RenewalStatus.DENIED: frozenset({RenewalStatus.UNDER_REVIEW}),
    RenewalStatus.WITHDRAWN: frozenset(),
}
OPEN_RENEWAL_STATUSES = (RenewalStatus.IN_PROGRESS, RenewalStatus.WAITING_FOR_FEE, RenewalStatus.UNDER_REVIEW)


class ProofOfCurrency(models.TextChoices):
    """What a reinstatement shows besides CE and ethics (rules.reinstatement_requires)."""

    REFRESHER = "refresher", _("A refresher course")
    EXAM = "exam", _("Passing the certification exam again")


class Renewal(BaseModel):
    """One renewal (or late renewal) of one certification for one cycle.

    cycle_ends_on is the expiry date the renewal answers (the due date); approval moves the
    certification's expiry to cycle_ends_on + rules.certification_term_years.
    """

    certification = models.ForeignKey("certification.Certification", on_delete=models.PROTECT, related_name="renewals")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="renewals")
    kind = models.CharField(max_length=20, choices=RenewalKind.choices, default=RenewalKind.RENEWAL)
    status = models.CharField(
        max_length=20, choices=RenewalStatus.choices, default=RenewalStatus.IN_PROGRESS, db_index=True
    )
    cycle_starts_on = models.DateField()
    cycle_ends_on = models.DateField()
    new_expires_on = models.DateField(null=True, blank=True)

    ethics_signed_name = models.CharField(max_length=310, blank=True)
    ethics_signed_on = models.DateField(null=True, blank=True)
    ethics_rules_version = models.CharField(max_length=40, blank=True)
    attested_at = models.DateTimeField(null=True, blank=True)
    proof = models.CharField(max_length=20, choices=ProofOfCurrency.choices, blank=True)

    # What the checks found when it was submitted, so the decision can be read later.
    ce_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    ce_law_ethics = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    audit_drawn = models.BooleanField(default=False)
    rules_version = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification"],
                condition=Q(status__in=OPEN_RENEWAL_STATUSES),
                name="one_open_renewal_per_certification",
            ),
            models.UniqueConstraint(
                fields=["certification", "cycle_ends_on"],
                condition=Q(status="approved"),
                name="one_approved_renewal_per_cycle",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(new_expires_on__isnull=False),
                name="approved_renewal_has_new_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status="denied") | ~Q(decision_reason=""), name="renewal_denial_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="renewal_status_submitted")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.certification_id} for {self.cycle_ends_on}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RENEWAL_STATUSES


class CEAuditStatus(models.TextChoices):
    REQUESTED = "requested", _("Evidence requested")
    SUBMITTED = "submitted", _("Evidence sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


CE_AUDIT_TRANSITIONS: dict[str, frozenset[str]] = {
    CEAuditStatus.REQUESTED: frozenset({CEAuditStatus.SUBMITTED}),
    CEAuditStatus.SUBMITTED: frozenset({CEAuditStatus.ACCEPTED, CEAuditStatus.REJECTED}),
    CEAuditStatus.ACCEPTED: frozenset(),
    # Only an appeal that overturns the renewal's denial accepts evidence once rejected.
    CEAuditStatus.REJECTED: frozenset({CEAuditStatus.ACCEPTED}),
}


class CEAudit(BaseModel):
    """The renewal was drawn for a CE audit: the peer sends proof of their hours; staff decide."""

    renewal = models.OneToOneField(Renewal, on_delete=models.PROTECT, related_name="ce_audit")
    status = models.CharField(max_length=20, choices=CEAuditStatus.choices, default=CEAuditStatus.REQUESTED)
    rate = models.DecimalField(max_digits=5, decimal_places=4)
    draw = models.DecimalField(max_digits=9, decimal_places=8, help_text=_("The reproducible draw, below the rate."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(notes=""), name="rejected_audit_has_notes")
        ]


class CEAuditEvidence(BaseModel):
    audit = models.ForeignKey(CEAudit, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=RandomName("renewal/evidence", kind_field="content_type"))
    content_type = models.CharField(max_length=10)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]


class RenewalReminder(BaseModel):
    """A reminder that went out: each (certification, expiry date, days before) once.

    The message itself is a core Notification (in the account, emailed by the worker; its
    emailed_at says when the email left); this row is the record that it was sent.
    """

    certification = models.ForeignKey(
        "certification.Certification", on_delete=models.PROTECT, related_name="renewal_reminders"
    )
    cycle_expires_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        ordering = ["certification", "-sent_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "cycle_expires_on", "days_before"], name="one_reminder_per_cycle_and_day"
            )
        ]


class NameChangeStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


NAME_CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    NameChangeStatus.REQUESTED: frozenset(
        {NameChangeStatus.APPROVED, NameChangeStatus.DENIED, NameChangeStatus.WITHDRAWN}
    ),
    NameChangeStatus.APPROVED: frozenset(),
    NameChangeStatus.DENIED: frozenset(),
    NameChangeStatus.WITHDRAWN: frozenset(),
}


class NameChange(BaseModel):
    """A legal name change with its document. Keeps the old name, so history stays readable."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="name_changes")
    status = models.CharField(max_length=20, choices=NameChangeStatus.choices, default=NameChangeStatus.REQUESTED)
    old_first_name = models.CharField(max_length=100)
    old_middle_name = models.CharField(max_length=100, blank=True)
    old_last_name = models.CharField(max_length=100)
    new_first_name = models.CharField(_("new legal first name"), max_length=100)
    new_middle_name = models.CharField(_("new legal middle name"), max_length=100, blank=True)
    new_last_name = models.CharField(_("new legal last name"), max_length=100)
    document = models.FileField(upload_to=RandomName("renewal/name-change", kind_field="document_type"))
    document_type = models.CharField(max_length=10)
    document_name = models.CharField(max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="requested"), name="one_open_name_change_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(status="denied") | ~Q(decision_reason=""), name="name_change_denial_has_reason"
            ),
        ]

    @staticmethod
    def _join(*parts) -> str:
        return " ".join(p for p in parts if p)

    @property
    def old_name(self) -> str:
        return self._join(self.old_first_name, self.old_middle_name, self.old_last_name)

    @property
    def new_name(self) -> str:
        return self._join(self.new_first_name, self.new_middle_name, self.new_last_name)
