"""Training: provider approvals, curricula and their DHCS review, offerings, enrollments,
completions, accommodation requests and the continuing-education ledger.

Everything here is keyed to accounts.Person, not to a certification, so training stands
on its own and certification (above) reads it through selectors.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import County, Language, Person, TrainingEntity
from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName
from peercert.core.vocabulary import CECategory, Specialization


class CurriculumKind(models.TextChoices):
    CORE = "core", _("Core certification (80 hours)")
    CONTINUING_EDUCATION = "continuing_education", _("Continuing education")
    SUPERVISOR = "supervisor", _("Supervisor training")
    SPECIALIZATION = "specialization", _("Specialization (40 hours)")


# ---------------------------------------------------------------------------------------
# Provider approval
# ---------------------------------------------------------------------------------------


class ProviderStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    SUSPENDED = "suspended", _("Suspended")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PROVIDER_TRANSITIONS: dict[str, set[str]] = {
    ProviderStatus.SUBMITTED: {ProviderStatus.UNDER_REVIEW, ProviderStatus.WITHDRAWN},
    ProviderStatus.UNDER_REVIEW: {
        ProviderStatus.APPROVED,
        ProviderStatus.RETURNED,
        ProviderStatus.DENIED,
        ProviderStatus.WITHDRAWN,
    },
    ProviderStatus.RETURNED: {ProviderStatus.SUBMITTED, ProviderStatus.WITHDRAWN},
    # approved -> approved is a renewal: a new term on the same approval.
    ProviderStatus.APPROVED: {
        ProviderStatus.APPROVED,
        ProviderStatus.SUSPENDED,
        ProviderStatus.EXPIRED,
        ProviderStatus.WITHDRAWN,
    },
    ProviderStatus.SUSPENDED: {ProviderStatus.APPROVED, ProviderStatus.WITHDRAWN},
    ProviderStatus.EXPIRED: {ProviderStatus.APPROVED, ProviderStatus.WITHDRAWN},
    ProviderStatus.DENIED: set(),
    ProviderStatus.WITHDRAWN: set(),
}

# An entity has at most one live application per training type and language.
PROVIDER_CLOSED = (ProviderStatus.DENIED, ProviderStatus.WITHDRAWN)


class ProviderApplication(BaseModel):
    """A training entity's application, and then approval, to teach one training type in one language."""

    training_entity = models.ForeignKey(TrainingEntity, on_delete=models.PROTECT, related_name="provider_applications")
    training_type = models.CharField(_("training type"), max_length=30, choices=CurriculumKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    status = models.CharField(max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.SUBMITTED)
    description = models.TextField(_("about your program"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_comments = models.TextField(blank=True)
    approved_from = models.DateField(null=True, blank=True)
    approved_until = models.DateField(null=True, blank=True)
    renewal_requested_at = models.DateTimeField(null=True, blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    fee_settled = models.BooleanField(default=False, help_text=_("Set when finance reports the fee paid or waived."))
    renewal_fee_settled = models.BooleanField(default=False)

    class Meta:
        ordering = ["training_entity__name", "training_type", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_entity", "training_type", "language"],
                condition=~Q(status__in=["denied", "withdrawn"]),
                name="one_live_provider_application_per_type_language",
            ),
            models.CheckConstraint(
                condition=Q(approved_until__isnull=True) | Q(approved_from__lte=models.F("approved_until")),
                name="provider_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_entity} · {self.get_training_type_display()} · {self.get_language_display()}"


# ---------------------------------------------------------------------------------------
# Curricula
# ---------------------------------------------------------------------------------------


class Competency(models.Model):
    """One of the core competencies (seeded as data: the 17 of the core training)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    is_core = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class Curriculum(BaseModel):
    """A course of study. Its content and hours live in versions that DHCS approves one by one."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=CurriculumKind.choices)
    specialization = models.CharField(_("specialization"), max_length=30, choices=Specialization.choices, blank=True)
    is_refresher = models.BooleanField(
        _("refresher course"),
        default=False,
        help_text=_("A continuing-education course that counts as the refresher for reinstatement."),
    )
    ce_category = models.CharField(
        _("CE category"), max_length=20, choices=CECategory.choices, default=CECategory.GENERAL
    )
    # Who owns it: the program, a county, or a training entity (at most one of the last two).
    owner_county = models.ForeignKey(County, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_training_entity = models.ForeignKey(
        TrainingEntity, null=True, blank=True, on_delete=models.PROTECT, related_name="curricula"
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="curricula")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "title"]
        verbose_name_plural = "curricula"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="specialization") & ~Q(specialization=""))
                | (~Q(kind="specialization") & Q(specialization="")),
                name="specialization_named_only_for_specialization_curricula",
            ),
            models.CheckConstraint(
                condition=Q(is_refresher=False) | Q(kind="continuing_education"),
                name="only_ce_curricula_are_refreshers",
            ),
            models.CheckConstraint(
                condition=Q(owner_county__isnull=True) | Q(owner_training_entity__isnull=True),
                name="curriculum_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for DHCS")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


VERSION_TRANSITIONS: dict[str, set[str]] = {
    VersionStatus.DRAFT: {VersionStatus.SUBMITTED},
    VersionStatus.SUBMITTED: {VersionStatus.APPROVED, VersionStatus.RETURNED, VersionStatus.REJECTED},
    VersionStatus.RETURNED: {VersionStatus.SUBMITTED},
    VersionStatus.APPROVED: {VersionStatus.SUPERSEDED},
    VersionStatus.REJECTED: set(),
    VersionStatus.SUPERSEDED: set(),
}

# Courses already taught from a version stay valid after DHCS approves a newer one.
TAUGHT_VERSION_STATUSES = (VersionStatus.APPROVED, VersionStatus.SUPERSEDED)


class CurriculumVersion(BaseModel):
    curriculum = models.ForeignKey(Curriculum, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    summary = models.TextField(_("summary of content"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rules_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["curriculum", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["curriculum", "number"], name="unique_curriculum_version_number"),
            models.UniqueConstraint(
                fields=["curriculum"], condition=Q(status="approved"), name="one_approved_version_per_curriculum"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="curriculum_version_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.curriculum} v{self.number}"


class VersionDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")
    REJECTED = "rejected", _("Rejected")


class CurriculumReview(models.Model):
    """One DHCS decision on one version. Append-only history."""

    version = models.ForeignKey(CurriculumVersion, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(max_length=20, choices=VersionDecision.choices)
    comments = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]


# ---------------------------------------------------------------------------------------
# Offerings and enrollment
# ---------------------------------------------------------------------------------------


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual (live online)")
    SELF_PACED = "self_paced", _("Self-paced online")


class OfferingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Finished")


OFFERING_TRANSITIONS: dict[str, set[str]] = {
    OfferingStatus.SCHEDULED: {OfferingStatus.CANCELLED, OfferingStatus.CLOSED},
    OfferingStatus.CANCELLED: set(),
    OfferingStatus.CLOSED: set(),
}


class Offering(BaseModel):
    training_entity = models.ForeignKey(TrainingEntity, on_delete=models.PROTECT, related_name="offerings")
    curriculum_version = models.ForeignKey(CurriculumVersion, on_delete=models.PROTECT, related_name="offerings")
    title = models.CharField(_("course title"), max_length=200, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    modality = models.CharField(_("how it is taught"), max_length=20, choices=Modality.choices)
    location = models.CharField(_("location or link"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    cost = models.DecimalField(_("cost to the student"), max_digits=8, decimal_places=2, default=0)
    accommodation_contact = models.CharField(_("who to ask for an accommodation"), max_length=200)
    status = models.CharField(max_length=20, choices=OfferingStatus.choices, default=OfferingStatus.SCHEDULED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="offering_dates_in_order"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="offering_capacity_positive"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="offering_hours_positive"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="offering_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.starts_on:%Y-%m-%d})"

    @property
    def display_title(self) -> str:
        return self.title or self.curriculum_version.curriculum.title


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


ENROLLMENT_TRANSITIONS: dict[str, set[str]] = {
    EnrollmentStatus.ENROLLED: {EnrollmentStatus.CANCELLED},
    EnrollmentStatus.WAITLISTED: {EnrollmentStatus.ENROLLED, EnrollmentStatus.CANCELLED},
    EnrollmentStatus.CANCELLED: set(),
}


class Attendance(models.TextChoices):
    UNMARKED = "unmarked", _("Not marked")
    ATTENDED = "attended", _("Attended")
    PARTIAL = "partial", _("Attended part")
    ABSENT = "absent", _("Absent")


class Enrollment(BaseModel):
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrollments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_enrollments")
    status = models.CharField(max_length=20, choices=EnrollmentStatus.choices)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.UNMARKED)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offering", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "person"],
                condition=~Q(status="cancelled"),
                name="one_live_enrollment_per_person_offering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.offering}"


# ---------------------------------------------------------------------------------------
# Completions and rosters
# ---------------------------------------------------------------------------------------


class RosterUpload(BaseModel):
    """A roster file that passed validation and was written. Its hash makes re-uploads visible."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="roster_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    row_count = models.PositiveIntegerField()
    created_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]


class CompletionSource(models.TextChoices):
    SINGLE = "single", _("Recorded one at a time")
    ROSTER = "roster", _("Roster upload")


class Completion(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_completions")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    ce_category = models.CharField(max_length=20, choices=CECategory.choices, default=CECategory.GENERAL)
    # person+offering: the same roster uploaded twice finds every key taken and adds nothing.
    idempotency_key = models.CharField(max_length=64, unique=True, editable=False)
    source = models.CharField(max_length=20, choices=CompletionSource.choices, default=CompletionSource.SINGLE)
    roster_upload = models.ForeignKey(
        RosterUpload, null=True, blank=True, on_delete=models.PROTECT, related_name="completions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "offering"], name="one_completion_per_person_offering"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="completion_hours_positive"),
        ]
        indexes = [models.Index(fields=["person", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.person} completed {self.offering}"

    @staticmethod
    def key_for(person_id: int, offering_id: int) -> str:
        return f"{person_id}:{offering_id}"

    @property
    def certificate_number(self) -> str:
        return f"TC-{self.pk:08d}"


# ---------------------------------------------------------------------------------------
# Accommodation requests
# ---------------------------------------------------------------------------------------


class AccommodationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACCOMMODATION_TRANSITIONS: dict[str, set[str]] = {
    AccommodationStatus.SUBMITTED: {
        AccommodationStatus.GRANTED,
        AccommodationStatus.PARTLY_GRANTED,
        AccommodationStatus.DENIED,
        AccommodationStatus.WITHDRAWN,
    },
    AccommodationStatus.GRANTED: set(),
    AccommodationStatus.PARTLY_GRANTED: set(),
    AccommodationStatus.DENIED: set(),
    AccommodationStatus.WITHDRAWN: set(),
}


# Superseded by RandomName (they put the person's id and their file name in the path); kept because
# migration 0001 refers to them.
def _confidential_path(instance, filename):
    return f"confidential/training/accommodations/{instance.person_id}/{filename}"


def _evidence_path(instance, filename):
    return f"confidential/training/ce-evidence/{instance.person_id}/{filename}"


class AccommodationRequest(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_accommodations")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="accommodation_requests")
    needs = models.TextField(_("what you need"))
    document = models.FileField(
        _("supporting document from a licensed provider"),
        upload_to=RandomName("confidential/training/accommodations", kind_field="document_kind"),
    )
    document_kind = models.CharField(max_length=10, blank=True)  # pdf / jpeg / png, as detected
    document_name = models.CharField(max_length=255, blank=True)  # as the peer named it
    status = models.CharField(max_length=20, choices=AccommodationStatus.choices, default=AccommodationStatus.SUBMITTED)
    decision = models.TextField(_("decision and what will be provided"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


# ---------------------------------------------------------------------------------------
# Self-reported continuing education
# ---------------------------------------------------------------------------------------


class CEActivityStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


CE_ACTIVITY_TRANSITIONS: dict[str, set[str]] = {
    CEActivityStatus.SUBMITTED: {CEActivityStatus.ACCEPTED, CEActivityStatus.REJECTED},
    CEActivityStatus.ACCEPTED: set(),
    CEActivityStatus.REJECTED: set(),
}


class CEActivity(BaseModel):
    """Continuing education a peer took elsewhere and reports with evidence."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ce_activities")
    title = models.CharField(_("course or activity"), max_length=200)
    provider_name = models.CharField(_("who offered it"), max_length=200)
    completed_on = models.DateField(_("date finished"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    ce_category = models.CharField(_("category"), max_length=20, choices=CECategory.choices)
    evidence = models.FileField(
        _("certificate or other proof"),
        upload_to=RandomName("confidential/training/ce-evidence", kind_field="evidence_kind"),
    )
    evidence_kind = models.CharField(max_length=10, blank=True)  # pdf / jpeg / png, as detected
    evidence_name = models.CharField(max_length=255, blank=True)  # as the peer named it
    status = models.CharField(max_length=20, choices=CEActivityStatus.choices, default=CEActivityStatus.SUBMITTED)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name_plural = "CE activities"
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="ce_activity_hours_positive")]
        indexes = [models.Index(fields=["person", "completed_on"])]
