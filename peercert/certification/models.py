"""Applications on every pathway, their review, and the certifications they lead to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName
from peercert.core.vocabulary import Specialization


class Pathway(models.TextChoices):
    STANDARD = "standard", _("Standard: core training and exam")
    GRANDPARENTING = "grandparenting", _("Grandparenting (closed)")
    RECIPROCITY_OUT_OF_STATE = "reciprocity_out_of_state", _("Certified in another state")
    TRANSFER_IN_STATE = "transfer_in_state", _("Transfer from another California program")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    REVISION_REQUESTED = "revision_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.SUBMITTED: frozenset({ApplicationStatus.IN_REVIEW, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.IN_REVIEW: frozenset(
        {
            ApplicationStatus.REVISION_REQUESTED,
            ApplicationStatus.APPROVED,
            ApplicationStatus.DENIED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    # A fixed application goes back to its reviewer when it has one, else to the pile.
    ApplicationStatus.REVISION_REQUESTED: frozenset(
        {ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.WITHDRAWN}
    ),
    # The 12-month window for training and exam lapses.
    ApplicationStatus.APPROVED: frozenset({ApplicationStatus.EXPIRED}),
    # Only an appeal that overturns the denial puts it back in the review queue.
    ApplicationStatus.DENIED: frozenset({ApplicationStatus.SUBMITTED}),
    ApplicationStatus.WITHDRAWN: frozenset(),
    ApplicationStatus.EXPIRED: frozenset(),
}
OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.REVISION_REQUESTED,
)
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.REVISION_REQUESTED)
APPLICATION_REFERENCE_PREFIX = "APP"
REVIEWABLE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.REVISION_REQUESTED)


class LivedExperience(models.TextChoices):
    SELF = "self", _("My own recovery (as a consumer)")
    FAMILY = "family", _("As a parent, caregiver or family member of someone in recovery")


class ExperienceArea(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental illness")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    BOTH = "both", _("Both")


class Application(BaseModel):
    """One person's application to one certification program, on one pathway.

    The applicant fills it in over several steps (each saved on its own); it is then
    submitted, reviewed requirement by requirement, and approved or denied. Names and
    date of birth are kept as the applicant typed them here: the application is a
    document, and the reviewer compares it with the photo ID.
    """

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="certification_applications")
    program = models.ForeignKey("accounts.CertificationProgram", on_delete=models.PROTECT, related_name="+")
    pathway = models.CharField(max_length=30, choices=Pathway.choices)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )

    # About the applicant
    legal_first_name = models.CharField(_("legal first name"), max_length=100, blank=True)
    legal_middle_name = models.CharField(_("legal middle name"), max_length=100, blank=True)
    legal_last_name = models.CharField(_("legal last name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    county = models.ForeignKey(
        "accounts.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county where you work or plan to work"),
    )

    # Orientation, lived experience, ethics
    orientation_acknowledged_at = models.DateTimeField(null=True, blank=True)
    lived_experience = models.CharField(max_length=10, choices=LivedExperience.choices, blank=True)
    experience_area = models.CharField(max_length=20, choices=ExperienceArea.choices, blank=True)
    willing_to_share = models.BooleanField(null=True, blank=True)
    ethics_signed_name = models.CharField(max_length=310, blank=True)
    ethics_signed_on = models.DateField(null=True, blank=True)
    ethics_rules_version = models.CharField(max_length=40, blank=True)

    # Pathway-specific answers
    peer_work_hours = models.PositiveIntegerField(null=True, blank=True)
    employed_as_peer_on_cutoff = models.BooleanField(null=True, blank=True)
    out_of_state_state = models.CharField(max_length=2, blank=True)
    out_of_state_number = models.CharField(max_length=60, blank=True)
    out_of_state_no_pending_discipline = models.BooleanField(null=True, blank=True)
    ce_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    ce_law_ethics_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    prior_program_name = models.CharField(max_length=200, blank=True)
    prior_certification_number = models.CharField(max_length=60, blank=True)
    # When the reported peer work and CE were done, so the rules' windows can be checked.
    peer_work_from = models.DateField(_("peer work from"), null=True, blank=True)
    peer_work_to = models.DateField(_("peer work to"), null=True, blank=True)
    ce_earned_since = models.DateField(_("continuing education earned since"), null=True, blank=True)

    # Progress through the form, so it can be left and resumed
    steps_completed = models.JSONField(default=list, blank=True)

    # Review
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The processing clock runs only while the program holds the application.
    review_clock_started_at = models.DateTimeField(null=True, blank=True)
    review_days_banked = models.PositiveIntegerField(default=0)
    revision_message = models.TextField(blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    valid_until = models.DateField(null=True, blank=True)
    entered_by_staff = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_application_per_person_program",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(valid_until__isnull=False), name="approved_application_has_window"
            ),
            models.CheckConstraint(condition=~Q(status="denied") | ~Q(decision_reason=""), name="denial_has_reason"),
        ]
        indexes = [models.Index(fields=["program", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"Application {self.pk} ({self.get_pathway_display()})"

    @property
    def legal_name(self) -> str:
        return " ".join(p for p in (self.legal_first_name, self.legal_middle_name, self.legal_last_name) if p)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def reference_id(self) -> str:
        """The number the applicant quotes and the reviewer searches by (APP-000123)."""
        return f"{APPLICATION_REFERENCE_PREFIX}-{self.pk:06d}" if self.pk else ""


class DocumentKind(models.TextChoices):
    PHOTO_ID = "photo_id", _("Government photo ID")
    DIPLOMA = "diploma", _("High school diploma or equivalent")
    LETTER = "letter", _("Letter of recommendation")
    EMPLOYMENT_VERIFICATION = "employment_verification", _("Employment verification")
    OUT_OF_STATE_CERTIFICATE = "out_of_state_certificate", _("Certificate from another state")
    TRAINING_CERTIFICATE = "training_certificate", _("Core training certificate")


class ApplicationDocument(BaseModel):
    """A file the applicant uploaded, checked by its contents. Removed files are kept, marked removed."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    file = models.FileField(upload_to=RandomName("certification/documents", kind_field="content_type"))
    content_type = models.CharField(max_length=10)  # pdf / jpeg / png, as detected
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    name_on_document = models.CharField(
        max_length=310, blank=True, help_text=_("For a photo ID: the name exactly as printed on it.")
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class Outcome(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class RequirementDecision(BaseModel):
    """One requirement of an application's pathway, checked by the system or decided by a reviewer."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="requirements")
    code = models.CharField(max_length=40)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.UNDECIDED)
    automatic = models.BooleanField(default=False, help_text=_("Set by the system from the application's data."))
    notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "position"]
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="one_decision_per_requirement")]

    def __str__(self) -> str:
        return f"{self.code}: {self.outcome}"


class MilestoneKind(models.TextChoices):
    TRAINING_COMPLETED = "training_completed", _("Core training completed")
    EXAM_PASSED = "exam_passed", _("Certification exam passed")


class RecordedMilestone(BaseModel):
    """A fact staff record by hand until the training and exams apps report it themselves."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    occurred_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="one_milestone_per_kind")]


class CertificationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    VACATED = "vacated", _("Vacated")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    SURRENDERED = "surrendered", _("Surrendered")


CERTIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    CertificationStatus.ACTIVE: frozenset(
        {
            CertificationStatus.EXPIRED,
            CertificationStatus.SUSPENDED,
            CertificationStatus.REVOKED,
            CertificationStatus.SURRENDERED,
        }
    ),
    # Reinstated (fees, CE, ethics, refresher or exam) or, after the vacate period, vacated.
    CertificationStatus.EXPIRED: frozenset(
        {CertificationStatus.ACTIVE, CertificationStatus.VACATED, CertificationStatus.REVOKED}
    ),
    # A suspension ends (back to active), runs past the expiry date, or becomes a revocation.
    CertificationStatus.SUSPENDED: frozenset(
        {
            CertificationStatus.ACTIVE,
            CertificationStatus.EXPIRED,
            CertificationStatus.REVOKED,
            CertificationStatus.SURRENDERED,
        }
    ),
    # Only an appeal that overturns the revocation brings it back.
    CertificationStatus.REVOKED: frozenset({CertificationStatus.ACTIVE}),
    CertificationStatus.SURRENDERED: frozenset(),
    CertificationStatus.VACATED: frozenset(),
}


class Certification(BaseModel):
    """A peer support specialist certification: the record the registry shows."""

    number = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="certifications")
    program = models.ForeignKey("accounts.CertificationProgram", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="certifications"
    )
    status = models.CharField(max_length=20, choices=CertificationStatus.choices, default=CertificationStatus.ACTIVE)
    issued_on = models.DateField()
    expires_on = models.DateField()
    status_changed_on = models.DateField(null=True, blank=True)
    county = models.ForeignKey(
        "accounts.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county of employment, when known"),
    )
    rules_version = models.CharField(max_length=40, blank=True)
    # The holder's folded name (Person.search_name), copied so the registry can page any
    # status in name order from one index. Kept in step by save() and a Person signal.
    sort_name = models.CharField(max_length=310, default="", editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")), name="certification_expires_after_issue"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CertificationStatus.values), name="certification_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "sort_name", "number"], name="cert_status_sort"),
            models.Index(fields=["person", "status"], name="cert_person_status"),
            models.Index(fields=["county", "status"], name="cert_county_status"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self.sort_name and self.person_id:
            self.sort_name = self.person.search_name
        super().save(*args, **kwargs)

    @property
    def specialization_values(self) -> list[str]:
        return [s.specialization for s in self.specializations.all()]

    @property
    def specialization_labels(self) -> list[str]:
        return [str(Specialization(v).label) for v in sorted(self.specialization_values)]


class CertificationSpecialization(BaseModel):
    """A specialization shown with the certification (filled by the training records later)."""

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="specializations")
    specialization = models.CharField(max_length=40, choices=Specialization.choices)
    added_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certification", "specialization"], name="one_row_per_specialization")
        ]
        indexes = [models.Index(fields=["specialization", "certification"], name="cert_spec_lookup")]


class CertificationStatusChange(BaseModel):
    """History of a certification's status: every change keeps its date, reason and actor."""

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=CertificationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CertificationStatus.choices)
    effective_on = models.DateField()
    reason = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=60, blank=True, help_text=_("What caused it: issue, discipline, renewal..."))

    class Meta:
        ordering = ["certification", "effective_on", "id"]


class CertificationNumberRecord(BaseModel):
    """Every number a certification has carried, with the program that held it.

    A transfer between California programs keeps the record and adds a line here; a
    number from a program outside PeerCert is kept so the old number still verifies.
    """

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="number_history")
    number = models.CharField(max_length=60, db_index=True)
    program = models.ForeignKey(
        "accounts.CertificationProgram", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    program_name = models.CharField(max_length=200)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        # A number from before PeerCert may have no start date: it comes first.
        ordering = ["certification", models.F("valid_from").asc(nulls_first=True), "id"]


class NumberCounter(models.Model):
    """The last certification number issued. Locked row: concurrent issuance waits its turn.

    Numbers only grow and certifications are never deleted, so a number is never reused.
    """

    name = models.CharField(max_length=30, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)


# ---- After approval: the core training certificate ------------------------------------


class TrainingCertificateStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


TRAINING_CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {
    TrainingCertificateStatus.SUBMITTED: frozenset(
        {TrainingCertificateStatus.ACCEPTED, TrainingCertificateStatus.REJECTED}
    ),
    # A rejected certificate stays on record; the applicant uploads a new one (a new row).
    TrainingCertificateStatus.ACCEPTED: frozenset(),
    TrainingCertificateStatus.REJECTED: frozenset(),
}


class TrainingCertificateSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded by the applicant")
    ROSTER = "roster", _("Matched from a training entity's roster")


class TrainingCertificate(BaseModel):
    """The 80-hour core training certificate an approved standard applicant sends, and its review.

    Either an uploaded file (a document of kind training_certificate) or a match with a
    completion a training entity reported on its roster. The review clock runs from
    submitted_at against ProgramRules training_certificate_review_target_days.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="training_certificates")
    source = models.CharField(max_length=10, choices=TrainingCertificateSource.choices)
    document = models.ForeignKey(ApplicationDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The training app's completion, for a roster match (an id: training is a lower app).
    completion_id = models.PositiveBigIntegerField(null=True, blank=True)
    completed_on = models.DateField(_("date the training was completed"))
    provider_name = models.CharField(_("training entity"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10,
        choices=TrainingCertificateStatus.choices,
        default=TrainingCertificateStatus.SUBMITTED,
        db_index=True,
    )
    submitted_at = models.DateTimeField()
    due_on = models.DateField()
    rules_version = models.CharField(max_length=40, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="submitted"),
                name="one_training_certificate_waiting",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="accepted"),
                name="one_training_certificate_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="training_certificate_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(source="roster", completion_id__isnull=False) | Q(source="upload", document__isnull=False),
                name="training_certificate_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"Training certificate {self.pk} ({self.get_status_display()})"

    @property
    def reference_id(self) -> str:
        return f"TC-{self.pk}"


# --- for oversight reports: the voluntary demographic answers ---


class RaceEthnicity(models.TextChoices):
    AMERICAN_INDIAN = "american_indian", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black or African American")
    HISPANIC = "hispanic", _("Hispanic or Latino")
    MIDDLE_EASTERN = "middle_eastern", _("Middle Eastern or North African")
    PACIFIC_ISLANDER = "pacific_islander", _("Native Hawaiian or Pacific Islander")
    WHITE = "white", _("White")
    MULTIPLE = "multiple", _("More than one")
    OTHER = "other", _("Another race or ethnicity")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NONBINARY = "nonbinary", _("Nonbinary")
    TRANSGENDER = "transgender", _("Transgender")
    OTHER = "other", _("Another gender identity")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", _("Straight or heterosexual")
    GAY_LESBIAN = "gay_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Another orientation")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class YesNoPreferNot(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class AgeGroup(models.TextChoices):
    UNDER_25 = "under_25", _("18 to 24")
    FROM_25 = "25_34", _("25 to 34")
    FROM_35 = "35_44", _("35 to 44")
    FROM_45 = "45_54", _("45 to 54")
    FROM_55 = "55_64", _("55 to 64")
    FROM_65 = "65_plus", _("65 or older")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class ApplicantDemographics(BaseModel):
    """The voluntary answers an applicant gives about themselves, kept apart from the application.

    Every question is optional and offers "prefer not to say"; blank means not answered. Reviewers never
    see these (no review page reads them): only the state reports count them, in aggregate. One row per
    person, the latest answers winning, so a renewal or a second application does not count them twice.
    """

    person = models.OneToOneField("accounts.Person", on_delete=models.PROTECT, related_name="demographics")
    race_ethnicity = models.CharField(_("race or ethnicity"), max_length=20, choices=RaceEthnicity.choices, blank=True)
    gender_identity = models.CharField(_("gender identity"), max_length=20, choices=GenderIdentity.choices, blank=True)
    sexual_orientation = models.CharField(
        _("sexual orientation"), max_length=20, choices=SexualOrientation.choices, blank=True
    )
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices, blank=True)
    veteran = models.CharField(
        _("served in the U.S. military"), max_length=10, choices=YesNoPreferNot.choices, blank=True
    )
    disability = models.CharField(
        _("lives with a disability"), max_length=10, choices=YesNoPreferNot.choices, blank=True
    )
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "applicant demographics"

    def __str__(self) -> str:
        return f"Demographic answers of person {self.person_id}"
