"""Complaints, investigations, disciplinary actions and appeals (technical assistance is its own app).

Complainants' identities live only on Complaint (complainant_* fields) and are read only by
program staff through the staff selectors; nothing a respondent can reach renders them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName

# ---------------------------------------------------------------------------------------
# Complaints (cases)
# ---------------------------------------------------------------------------------------


class RespondentKind(models.TextChoices):
    PEER = "peer", _("Peer support specialist")
    TRAINING_ENTITY = "training_entity", _("Training entity")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    MAIL = "mail", _("Mail")
    PHONE = "phone", _("Phone")
    STAFF = "staff", _("Raised by program staff")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    INVESTIGATING = "investigating", _("Under investigation")
    DECIDED = "decided", _("Decided")
    SCREENED_OUT = "screened_out", _("Screened out")


COMPLAINT_TRANSITIONS: dict[str, set[str]] = {
    ComplaintStatus.RECEIVED: {ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.SCREENED_OUT},
    ComplaintStatus.ACKNOWLEDGED: {
        ComplaintStatus.INVESTIGATING,
        ComplaintStatus.SCREENED_OUT,
        ComplaintStatus.DECIDED,
    },
    ComplaintStatus.INVESTIGATING: {ComplaintStatus.DECIDED},
    ComplaintStatus.DECIDED: set(),
    ComplaintStatus.SCREENED_OUT: set(),
}
CLOSED_COMPLAINT_STATUSES = frozenset(s for s, targets in COMPLAINT_TRANSITIONS.items() if not targets)


class Outcome(models.TextChoices):
    DISMISSED = "dismissed", _("Dismissed")
    CORRECTIVE_ACTION = "corrective_action", _("Corrective action")
    SUSPENSION = "suspension", _("Suspension")
    REVOCATION = "revocation", _("Revocation")
    WITHDRAWAL = "withdrawal", _("Withdrawal of approval")


# Which outcomes fit which respondent: peers can be revoked, entities lose approval.
OUTCOMES_FOR = {
    RespondentKind.PEER: [Outcome.DISMISSED, Outcome.CORRECTIVE_ACTION, Outcome.SUSPENSION, Outcome.REVOCATION],
    RespondentKind.TRAINING_ENTITY: [
        Outcome.DISMISSED,
        Outcome.CORRECTIVE_ACTION,
        Outcome.SUSPENSION,
        Outcome.WITHDRAWAL,
    ],
}


class EthicsProvision(models.TextChoices):
    """Headings of the peer support Code of Ethics that findings cite."""

    RECOVERY = "recovery", _("Supports the person's own recovery and choices")
    HONESTY = "honesty", _("Is honest and keeps promises")
    CONFIDENTIALITY = "confidentiality", _("Keeps what people share private")
    BOUNDARIES = "boundaries", _("Keeps clear and safe personal boundaries")
    DUAL_RELATIONSHIPS = "dual_relationships", _("Avoids dual relationships and conflicts of interest")
    NO_HARM = "no_harm", _("Does no harm; never abuses, threatens or exploits")
    RESPECT = "respect", _("Respects every person's culture, identity and dignity")
    SCOPE = "scope", _("Works within the role of a peer; does not diagnose or prescribe")
    SELF_CARE = "self_care", _("Looks after own wellness and asks for help when needed")
    LAW = "law", _("Follows the law, Medi-Cal rules and documentation duties")
    TRAINING_STANDARDS = "training_standards", _("Training entity: teaches the approved curriculum faithfully")


class Complaint(BaseModel):
    number = models.CharField(max_length=20, unique=True)
    program = models.ForeignKey("accounts.CertificationProgram", on_delete=models.PROTECT, related_name="+")
    respondent_kind = models.CharField(max_length=20, choices=RespondentKind.choices)
    respondent_person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints_against"
    )
    respondent_entity = models.ForeignKey(
        "accounts.TrainingEntity", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints_against"
    )
    # The certification number the complainant picked, as shown to them at the time.
    respondent_reference = models.CharField(max_length=40, blank=True)
    # Private to program staff. Never rendered on respondent pages, the API for respondents, or exports.
    complainant_name = models.CharField(_("your name"), max_length=200)
    complainant_phone = models.CharField(_("your phone"), max_length=30, blank=True)
    complainant_email = models.EmailField(_("your email"), blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    incident_on = models.DateField(_("when it happened"))
    incident_description = models.TextField(_("what happened"))
    received_on = models.DateField()
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    screening_reason = models.TextField(blank=True)
    ack_due_on = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    investigation_due_on = models.DateField()
    extension_reason = models.TextField(blank=True)
    extended_on = models.DateField(null=True, blank=True)
    investigation_started_on = models.DateField(null=True, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    findings = models.TextField(blank=True)
    provisions = models.JSONField(default=list, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rules_version = models.CharField(max_length=40)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="complaint_names_one_respondent",
                condition=Q(respondent_kind="peer", respondent_person__isnull=False, respondent_entity__isnull=True)
                | Q(respondent_kind="training_entity", respondent_entity__isnull=False, respondent_person__isnull=True),
            ),
            models.CheckConstraint(
                name="complaint_extended_once_with_reason",
                condition=Q(extended_on__isnull=True) | ~Q(extension_reason=""),
            ),
            models.CheckConstraint(
                name="complaint_decided_has_outcome", condition=~Q(status="decided") | ~Q(outcome="")
            ),
        ]
        indexes = [
            models.Index(fields=["status", "ack_due_on"]),
            models.Index(fields=["status", "investigation_due_on"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def respondent(self):
        return self.respondent_person if self.respondent_kind == RespondentKind.PEER else self.respondent_entity

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_COMPLAINT_STATUSES

    def provision_labels(self) -> list[str]:
        labels = dict(EthicsProvision.choices)
        return [str(labels.get(p, p)) for p in self.provisions or []]


def evidence_path(instance, filename):
    """Superseded by RandomName (it put the complaint's number and the sender's file name in the path);
    kept because migration 0001 refers to it."""
    return f"discipline/evidence/{instance.complaint_id}/{filename}"


class CaseEntryKind(models.TextChoices):
    NOTE = "note", _("Note")
    INTERVIEW = "interview", _("Interview")
    EVIDENCE = "evidence", _("Evidence")


class CaseEntry(BaseModel):
    """A note, an interview record or a piece of evidence in a case file."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=CaseEntryKind.choices)
    text = models.TextField(blank=True)
    interviewee = models.CharField(max_length=200, blank=True)
    interviewed_on = models.DateField(null=True, blank=True)
    document = models.FileField(upload_to=RandomName("discipline/evidence", kind_field="document_kind"), blank=True)
    document_kind = models.CharField(max_length=10, blank=True)  # pdf / jpeg / png, as detected
    document_name = models.CharField(max_length=200, blank=True)
    # Evidence sent in by the complainant at intake; it may identify them, so it is staff-only too.
    from_complainant = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "case entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.complaint}"


# ---------------------------------------------------------------------------------------
# Disciplinary actions
# ---------------------------------------------------------------------------------------


class ActionKind(models.TextChoices):
    CORRECTIVE_ACTION = "corrective_action", _("Corrective action")
    SUSPENSION = "suspension", _("Suspension")
    REVOCATION = "revocation", _("Revocation")
    WITHDRAWAL = "withdrawal", _("Withdrawal of approval")


# Actions that change a certification (or an entity's approval) and are shown to the public.
STANDING_KINDS = frozenset({ActionKind.SUSPENSION, ActionKind.REVOCATION, ActionKind.WITHDRAWAL})


class ActionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Starts on its effective date")
    IN_EFFECT = "in_effect", _("In effect")
    ESCALATED = "escalated", _("Overdue, escalated")
    STAYED = "stayed", _("Paused while appealed")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended")
    OVERTURNED = "overturned", _("Overturned on appeal")


ACTION_TRANSITIONS: dict[str, set[str]] = {
    ActionStatus.SCHEDULED: {ActionStatus.IN_EFFECT, ActionStatus.STAYED, ActionStatus.OVERTURNED},
    ActionStatus.IN_EFFECT: {
        ActionStatus.ESCALATED,
        ActionStatus.COMPLETED,
        ActionStatus.ENDED,
        ActionStatus.STAYED,
        ActionStatus.OVERTURNED,
    },
    ActionStatus.ESCALATED: {ActionStatus.COMPLETED, ActionStatus.STAYED, ActionStatus.OVERTURNED},
    ActionStatus.STAYED: {ActionStatus.SCHEDULED, ActionStatus.IN_EFFECT, ActionStatus.ENDED, ActionStatus.OVERTURNED},
    # A finished action can still be overturned on appeal: the record then shows it never should have been.
    ActionStatus.COMPLETED: {ActionStatus.OVERTURNED},
    ActionStatus.ENDED: {ActionStatus.OVERTURNED},
    ActionStatus.OVERTURNED: set(),
}
# Statuses in which an action still holds (or will hold) against the respondent.
LIVE_ACTION_STATUSES = frozenset(
    {ActionStatus.SCHEDULED, ActionStatus.IN_EFFECT, ActionStatus.ESCALATED, ActionStatus.STAYED}
)


class DisciplinaryAction(BaseModel):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="disciplinary_actions"
    )
    entity = models.ForeignKey(
        "accounts.TrainingEntity", null=True, blank=True, on_delete=models.PROTECT, related_name="disciplinary_actions"
    )
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    effective_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text=_("Last day of a suspension for a set period."))
    until_condition = models.TextField(blank=True, help_text=_("A suspension until a condition is met."))
    due_on = models.DateField(null=True, blank=True, help_text=_("When corrective classes must be finished."))
    public_summary = models.TextField(blank=True)
    # The certification this action acts on and the status it had before, so an overturn can restore it.
    certification_id = models.BigIntegerField(null=True, blank=True)
    prior_status = models.CharField(max_length=20, blank=True)
    executed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rules_version = models.CharField(max_length=40)

    class Meta:
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="action_names_one_respondent",
                condition=Q(person__isnull=False, entity__isnull=True) | Q(person__isnull=True, entity__isnull=False),
            ),
            models.CheckConstraint(
                name="action_suspension_has_end_or_condition",
                condition=~Q(kind="suspension") | Q(ends_on__isnull=False) | ~Q(until_condition=""),
            ),
            models.CheckConstraint(
                name="action_ends_after_it_starts",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("effective_on")),
            ),
            models.CheckConstraint(
                name="action_corrective_has_due_date", condition=~Q(kind="corrective_action") | Q(due_on__isnull=False)
            ),
            models.CheckConstraint(
                name="action_revocation_is_peer_only", condition=~Q(kind="revocation") | Q(person__isnull=False)
            ),
            models.CheckConstraint(
                name="action_withdrawal_is_entity_only", condition=~Q(kind="withdrawal") | Q(entity__isnull=False)
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_on"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.complaint.number})"

    @property
    def respondent(self):
        return self.person or self.entity

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_ACTION_STATUSES


class RequiredClass(BaseModel):
    """One class a corrective action requires, tracked to completion."""

    action = models.ForeignKey(DisciplinaryAction, on_delete=models.PROTECT, related_name="classes")
    title = models.CharField(max_length=200)
    ce_category = models.CharField(
        max_length=20, blank=True, help_text=_("CE category that counts toward it, when taken as continuing education.")
    )
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    completed_on = models.DateField(null=True, blank=True)
    completion_source = models.CharField(max_length=20, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "required classes"

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------
# Appeals
# ---------------------------------------------------------------------------------------


class AppealSubject(models.TextChoices):
    DENIAL_OF_CERTIFICATION = "denial_certification", _("Denial of certification")
    DENIAL_OF_RENEWAL = "denial_renewal", _("Denial of renewal")
    SUSPENSION = "suspension", _("Suspension")
    REVOCATION = "revocation", _("Revocation")
    ENTITY_DENIAL_OF_APPROVAL = "entity_denial_approval", _("Training entity: denial of approval")
    ENTITY_DENIAL_OF_RENEWAL = "entity_denial_renewal", _("Training entity: denial of renewal")
    ENTITY_SUSPENSION = "entity_suspension", _("Training entity: suspension")
    ENTITY_WITHDRAWAL = "entity_withdrawal", _("Training entity: withdrawal of approval")


# An appeal of these denials names the denied record (its kind, as discipline.selectors names it);
# overturning the appeal sends that record back for review.
DENIAL_SUBJECT_KINDS = {
    AppealSubject.DENIAL_OF_CERTIFICATION: "application",
    AppealSubject.DENIAL_OF_RENEWAL: "renewal",
}
PEER_SUBJECTS = frozenset(
    {
        AppealSubject.DENIAL_OF_CERTIFICATION,
        AppealSubject.DENIAL_OF_RENEWAL,
        AppealSubject.SUSPENSION,
        AppealSubject.REVOCATION,
    }
)
ACTION_SUBJECTS = {
    AppealSubject.SUSPENSION: ActionKind.SUSPENSION,
    AppealSubject.REVOCATION: ActionKind.REVOCATION,
    AppealSubject.ENTITY_SUSPENSION: ActionKind.SUSPENSION,
    AppealSubject.ENTITY_WITHDRAWAL: ActionKind.WITHDRAWAL,
}


class AppealStatus(models.TextChoices):
    FILED = "filed", _("Filed, under review")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


APPEAL_TRANSITIONS: dict[str, set[str]] = {
    AppealStatus.FILED: {AppealStatus.DECIDED, AppealStatus.WITHDRAWN},
    AppealStatus.DECIDED: set(),
    AppealStatus.WITHDRAWN: set(),
}


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    MODIFIED = "modified", _("Modified")
    OVERTURNED = "overturned", _("Overturned")


class Appeal(BaseModel):
    number = models.CharField(max_length=20, unique=True)
    subject = models.CharField(max_length=30, choices=AppealSubject.choices)
    person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    entity = models.ForeignKey(
        "accounts.TrainingEntity", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    action = models.ForeignKey(
        DisciplinaryAction, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    # The denied certification application or renewal, when the appeal is of one PeerCert
    # decided: overturning the appeal sends it back for review.
    application = models.ForeignKey(
        "certification.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    renewal = models.ForeignKey("renewal.Renewal", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # For denials decided in another app: what was decided, when, and by whom.
    decision_reference = models.CharField(max_length=100, blank=True)
    decision_on = models.DateField()
    original_decider = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.TextField()
    filed_on = models.DateField()
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window_ends_on = models.DateField()
    review_due_on = models.DateField()
    stays_action = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=AppealStatus.choices, default=AppealStatus.FILED)
    outcome = models.CharField(max_length=12, choices=AppealOutcome.choices, blank=True)
    decision_reasons = models.TextField(blank=True)
    modification = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rules_version = models.CharField(max_length=40)

    class Meta:
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="appeal_names_one_appellant",
                condition=Q(person__isnull=False, entity__isnull=True) | Q(person__isnull=True, entity__isnull=False),
            ),
            models.CheckConstraint(
                name="appeal_filed_within_window", condition=Q(filed_on__lte=models.F("window_ends_on"))
            ),
            models.CheckConstraint(name="appeal_decided_has_outcome", condition=~Q(status="decided") | ~Q(outcome="")),
            models.CheckConstraint(
                name="appeal_decider_is_not_original_decider",
                condition=Q(decided_by__isnull=True)
                | Q(original_decider__isnull=True)
                | ~Q(decided_by=models.F("original_decider")),
            ),
            models.UniqueConstraint(fields=["action"], condition=Q(status="filed"), name="one_open_appeal_per_action"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="filed"), name="one_open_appeal_per_application"
            ),
            models.UniqueConstraint(
                fields=["renewal"], condition=Q(status="filed"), name="one_open_appeal_per_renewal"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def appellant(self):
        return self.person or self.entity
