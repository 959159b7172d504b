"""The certification exam: item bank, forms, authorizations, sessions, accommodations, attempts, scores.

Results are keyed to the Person, so the exam stands without the certification app; certification
grants authorizations through exams.services and reads results through exams.selectors.
"""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName
from peercert.core.vocabulary import ExamContentArea

# ---------------------------------------------------------------------------------------------
# Item bank
# ---------------------------------------------------------------------------------------------


class ItemKind(models.TextChoices):
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple-choice item")
    PRACTICAL = "practical", _("Practical application task")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In program review")
    AWAITING_DHCS = "awaiting_dhcs", _("Waiting for DHCS approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved by DHCS")
    RETIRED = "retired", _("Retired")


ITEM_TRANSITIONS: dict[str, set[str]] = {
    ItemStatus.DRAFT: {ItemStatus.IN_REVIEW, ItemStatus.RETIRED},
    ItemStatus.IN_REVIEW: {ItemStatus.AWAITING_DHCS, ItemStatus.RETURNED},
    ItemStatus.AWAITING_DHCS: {ItemStatus.APPROVED, ItemStatus.RETURNED},
    ItemStatus.RETURNED: {ItemStatus.IN_REVIEW, ItemStatus.RETIRED},
    ItemStatus.APPROVED: {ItemStatus.RETIRED},
    ItemStatus.RETIRED: set(),
}

OPTION_LETTERS = "ABCDEF"


class Item(BaseModel):
    """One version of a question or practical task. Editing an approved item makes a new version."""

    program = models.ForeignKey("accounts.CertificationProgram", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("item code"), max_length=20, help_text=_("Stays the same across versions."))
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=ItemKind.choices, default=ItemKind.MULTIPLE_CHOICE)
    content_area = models.CharField(_("content area"), max_length=30, choices=ExamContentArea.choices)
    competency = models.CharField(_("competency"), max_length=200, blank=True)
    stem = models.TextField(_("question or scenario"))
    options = models.JSONField(_("answer options"), default=list, blank=True)
    key = models.PositiveSmallIntegerField(_("correct option (0 = A)"), null=True, blank=True)
    tolerance = models.PositiveSmallIntegerField(
        _("grader tolerance (points)"),
        null=True,
        blank=True,
        help_text=_("Two graders' totals may differ by this much before a third grader must adjudicate."),
    )
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    flagged_for_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code", "version"], name="exam_item_code_version_unique"),
            models.CheckConstraint(
                name="exam_item_kind_fields",
                condition=(Q(kind="multiple_choice", key__isnull=False) | Q(kind="practical", tolerance__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def is_practical(self) -> bool:
        return self.kind == ItemKind.PRACTICAL

    @property
    def key_letter(self) -> str:
        return OPTION_LETTERS[self.key] if self.key is not None else ""

    def lettered_options(self) -> list[tuple[int, str, str]]:
        return [(i, OPTION_LETTERS[i], text) for i, text in enumerate(self.options)]

    @property
    def max_points(self) -> int:
        return sum(c.points for c in self.criteria.all())


class RubricCriterion(BaseModel):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(max_length=300)
    points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="exam_criterion_position_unique"),
            models.CheckConstraint(condition=Q(points__gt=0), name="exam_criterion_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSEMBLED = "assembled", _("Assembled")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


FORM_TRANSITIONS: dict[str, set[str]] = {
    FormStatus.DRAFT: {FormStatus.ASSEMBLED},
    FormStatus.ASSEMBLED: {FormStatus.ASSEMBLED, FormStatus.APPROVED},
    FormStatus.APPROVED: {FormStatus.PUBLISHED},
    FormStatus.PUBLISHED: {FormStatus.RETIRED},
    FormStatus.RETIRED: set(),
}


class PassRule(models.TextChoices):
    RAW = "raw", _("Raw cut score (number of items correct)")
    SCALED = "scaled", _("Scaled cut score")


class ExamForm(BaseModel):
    """One edition of the exam: a blueprint, the items picked for it, and its pass rule.

    Pass: the written score meets the cut (raw items correct, or the scaled score the form's conversion
    table gives that raw score, set when the form is approved) AND, when the form has practical tasks,
    the practical points reach practical_cut_percent.
    """

    program = models.ForeignKey("accounts.CertificationProgram", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("form code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(max_length=20, choices=FormStatus.choices, default=FormStatus.DRAFT)
    practical_task_count = models.PositiveSmallIntegerField(_("practical tasks"), default=0)
    pass_rule = models.CharField(_("pass rule"), max_length=10, choices=PassRule.choices, default=PassRule.SCALED)
    cut_score = models.PositiveIntegerField(_("written cut score"))
    scale_max = models.PositiveIntegerField(
        _("top of the scale"), default=100, help_text=_("Used by the scaled rule only.")
    )
    practical_cut_percent = models.PositiveSmallIntegerField(_("practical pass mark (percent)"), default=70)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    assembled_at = models.DateTimeField(null=True, blank=True)
    kr20 = models.DecimalField(_("reliability (KR-20)"), max_digits=6, decimal_places=4, null=True, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    analysis_attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(practical_cut_percent__lte=100), name="exam_form_practical_cut_percent"),
            models.CheckConstraint(condition=Q(scale_max__gt=0), name="exam_form_scale_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class BlueprintRow(BaseModel):
    form = models.ForeignKey(ExamForm, on_delete=models.CASCADE, related_name="blueprint")
    content_area = models.CharField(max_length=30, choices=ExamContentArea.choices)
    item_count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["form", "content_area"]
        constraints = [models.UniqueConstraint(fields=["form", "content_area"], name="exam_blueprint_area_unique")]


class FormItem(models.Model):
    form = models.ForeignKey(ExamForm, on_delete=models.CASCADE, related_name="form_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="form_items")
    position = models.PositiveSmallIntegerField()
    # Filled by item analysis.
    p_value = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    point_biserial = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ["form", "position"]
        constraints = [
            models.UniqueConstraint(fields=["form", "item"], name="exam_form_item_unique"),
            models.UniqueConstraint(fields=["form", "position"], name="exam_form_position_unique"),
        ]


class ScaleConversion(models.Model):
    """One row of a form's conversion table: a raw written score (items correct) and its scaled score.

    Set by the program manager when the form is approved (equating the form to the scale); scoring
    reads the scaled score from here, never from a percent of the items."""

    form = models.ForeignKey(ExamForm, on_delete=models.CASCADE, related_name="conversion")
    raw = models.PositiveSmallIntegerField()
    scaled = models.PositiveIntegerField()

    class Meta:
        ordering = ["form", "raw"]
        constraints = [models.UniqueConstraint(fields=["form", "raw"], name="exam_conversion_raw_unique")]


# ---------------------------------------------------------------------------------------------
# Authorization to test
# ---------------------------------------------------------------------------------------------


class ExamAuthorization(BaseModel):
    """Permission to test within an approval window, with the attempts paid for so far."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="exam_authorizations")
    valid_until = models.DateField()
    attempts_paid = models.PositiveSmallIntegerField(default=1)
    attempts_used = models.PositiveSmallIntegerField(default=0)
    reference = models.CharField(max_length=100)
    rules_version = models.CharField(max_length=40)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "reference"], name="exam_authorization_reference_unique"),
            models.CheckConstraint(
                condition=Q(attempts_used__lte=F("attempts_paid")), name="exam_authorization_used_within_paid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} until {self.valid_until:%Y-%m-%d}"

    @property
    def attempts_left(self) -> int:
        return self.attempts_paid - self.attempts_used


class AttemptFee(BaseModel):
    """One paid attempt on an authorization; the reference makes a repeated notice harmless."""

    authorization = models.ForeignKey(ExamAuthorization, on_delete=models.PROTECT, related_name="fees")
    reference = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authorization", "reference"], name="exam_attempt_fee_unique")]


# ---------------------------------------------------------------------------------------------
# Sessions, registrations, accommodations
# ---------------------------------------------------------------------------------------------


class Delivery(models.TextChoices):
    ONLINE = "online", _("Online with a remote proctor")
    IN_PERSON = "in_person", _("In person at a test site")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


SESSION_TRANSITIONS: dict[str, set[str]] = {
    SessionStatus.SCHEDULED: {SessionStatus.CANCELLED},
    SessionStatus.CANCELLED: set(),
}


class ExamSession(BaseModel):
    program = models.ForeignKey("accounts.CertificationProgram", on_delete=models.PROTECT, related_name="+")
    form = models.ForeignKey(ExamForm, on_delete=models.PROTECT, related_name="sessions")
    delivery = models.CharField(max_length=20, choices=Delivery.choices)
    site_name = models.CharField(_("site"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("minutes for the written part"))
    rules_version = models.CharField(max_length=40)
    capacity = models.PositiveSmallIntegerField(_("seats"))
    proctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="exam_session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(delivery="online") | ~Q(site_name=""), name="exam_session_in_person_has_site"
            ),
        ]

    def __str__(self) -> str:
        from peercert.exams.times import local_datetime

        where = self.city or _("Online")
        return f"{local_datetime(self.starts_at)} · {where}"


class AccommodationKind(models.TextChoices):
    EXTRA_TIME = "extra_time", _("Extra time")
    SEPARATE_ROOM = "separate_room", _("Separate room")
    READER = "reader", _("Reader")
    BREAKS = "breaks", _("Extra breaks")
    ASSISTIVE_TECHNOLOGY = "assistive_technology", _("Assistive technology")
    OTHER = "other", _("Other")


class AccommodationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACCOMMODATION_TRANSITIONS: dict[str, set[str]] = {
    AccommodationStatus.SUBMITTED: {
        AccommodationStatus.APPROVED,
        AccommodationStatus.DENIED,
        AccommodationStatus.WITHDRAWN,
    },
    AccommodationStatus.APPROVED: set(),
    AccommodationStatus.DENIED: set(),
    AccommodationStatus.WITHDRAWN: set(),
}


class AccommodationRequest(BaseModel):
    """A request for reasonable accommodation (ADA). Confidential: the candidate and exam staff only."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="exam_accommodations")
    kinds = models.JSONField(_("what is needed"), default=list)
    details = models.TextField(_("details"), blank=True)
    provider_name = models.CharField(_("licensed provider's name"), max_length=200)
    provider_license = models.CharField(_("provider's license number"), max_length=60)
    document = models.FileField(
        _("provider's form"), upload_to=RandomName("exams/accommodations", kind_field="document_kind")
    )
    document_kind = models.CharField(max_length=10)  # pdf / jpeg / png, as detected
    document_name = models.CharField(max_length=255, blank=True)  # as the candidate named it
    status = models.CharField(max_length=20, choices=AccommodationStatus.choices, default=AccommodationStatus.SUBMITTED)
    time_multiplier = models.DecimalField(_("time multiplier"), max_digits=3, decimal_places=2, default=Decimal("1.00"))
    separate_room = models.BooleanField(default=False)
    decision_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(time_multiplier__gte=1), name="exam_accommodation_multiplier_min"),
        ]

    def __str__(self) -> str:
        return f"Accommodation #{self.pk}"

    def kind_labels(self) -> list[str]:
        labels = dict(AccommodationKind.choices)
        return [str(labels.get(k, k)) for k in self.kinds]


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    RESCHEDULED = "rescheduled", _("Moved to another session")


REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    RegistrationStatus.REGISTERED: {
        RegistrationStatus.CHECKED_IN,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.RESCHEDULED,
    },
    RegistrationStatus.CHECKED_IN: set(),
    RegistrationStatus.CANCELLED: set(),
    RegistrationStatus.RESCHEDULED: set(),
}
ACTIVE_REGISTRATION = (RegistrationStatus.REGISTERED,)


class Registration(BaseModel):
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="exam_registrations")
    authorization = models.ForeignKey(ExamAuthorization, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED)
    accommodation = models.ForeignKey(
        AccommodationRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    time_multiplier = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("1.00"))
    photo_id_confirmed = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session__starts_at", "person__legal_last_name"]
        constraints = [
            # One upcoming seat per candidate, anywhere.
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="registered"), name="exam_one_open_registration_per_person"
            ),
            models.CheckConstraint(condition=Q(time_multiplier__gte=1), name="exam_registration_multiplier_min"),
            models.CheckConstraint(
                condition=~Q(status="checked_in") | Q(photo_id_confirmed=True), name="exam_check_in_needs_photo_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"

    @property
    def allowed_minutes(self) -> int:
        return int((Decimal(self.session.minutes) * self.time_multiplier).to_integral_value())


class Incident(BaseModel):
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="incidents")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    description = models.TextField()

    class Meta:
        ordering = ["-occurred_at"]


# ---------------------------------------------------------------------------------------------
# Attempts, answers, practical scores
# ---------------------------------------------------------------------------------------------


class AttemptStatus(models.TextChoices):
    CHECKED_IN = "checked_in", _("Checked in, not started")
    IN_PROGRESS = "in_progress", _("Written part in progress")
    SUBMITTED = "submitted", _("Submitted, waiting for grading")
    SCORED = "scored", _("Scored")


ATTEMPT_TRANSITIONS: dict[str, set[str]] = {
    AttemptStatus.CHECKED_IN: {AttemptStatus.IN_PROGRESS, AttemptStatus.SUBMITTED},
    AttemptStatus.IN_PROGRESS: {AttemptStatus.SUBMITTED},
    AttemptStatus.SUBMITTED: {AttemptStatus.SCORED},
    AttemptStatus.SCORED: set(),
}


class Result(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Did not pass")


def new_shuffle_seed() -> int:
    return secrets.randbelow(2**31)


class Attempt(BaseModel):
    """One sitting of the exam: begins at check-in (the attempt is then counted).

    The break: break_started_at is set once; the deadline moves on by the whole break allowance
    then, and back by what was not used when the candidate resumes early (break_ended_at). Items
    and options are shown in an order drawn from shuffle_seed, the same every time for the attempt.
    """

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="attempt")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="exam_attempts")
    form = models.ForeignKey(ExamForm, on_delete=models.PROTECT, related_name="attempts")
    taken_on = models.DateField()
    status = models.CharField(max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.CHECKED_IN)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, default="browser")
    written_raw = models.PositiveSmallIntegerField(null=True, blank=True)
    written_total = models.PositiveSmallIntegerField(null=True, blank=True)
    written_scaled = models.PositiveIntegerField(null=True, blank=True)
    practical_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    practical_total = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    rules_version = models.CharField(max_length=40)
    shuffle_seed = models.PositiveIntegerField(default=new_shuffle_seed)
    break_started_at = models.DateTimeField(null=True, blank=True)
    break_ended_at = models.DateTimeField(null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(default=0)  # the allowance when the break began
    auto_submitted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scored") | ~Q(result=""), name="exam_scored_attempt_has_result"
            ),
            models.CheckConstraint(
                condition=Q(break_ended_at__isnull=True) | Q(break_started_at__isnull=False),
                name="exam_break_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.form.code} · {self.taken_on:%Y-%m-%d}"

    def seconds_left(self, now: datetime.datetime) -> int:
        """Seconds of answering time left; the clock stands still during the break."""
        if self.deadline_at is None:
            return 0
        if self.on_break(now):
            return max(0, int((self.deadline_at - self.break_until).total_seconds()))
        return max(0, int((self.deadline_at - now).total_seconds()))

    @property
    def break_until(self) -> datetime.datetime | None:
        """When the break ends: when the candidate resumed, or the end of the allowance."""
        if self.break_started_at is None:
            return None
        return self.break_ended_at or self.break_started_at + datetime.timedelta(minutes=self.break_minutes)

    def on_break(self, now: datetime.datetime) -> bool:
        return self.break_started_at is not None and self.break_ended_at is None and now < self.break_until

    @property
    def break_taken(self) -> bool:
        return self.break_started_at is not None


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    choice = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "item"], name="exam_one_answer_per_item")]


class PracticalResponse(BaseModel):
    """What the candidate did on a practical task: their written response and an optional file
    (PDF, JPEG or PNG, checked by core.uploads and served only as an attachment). Graders read it
    beside the rubric."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="practical_responses")
    task = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("your response"), blank=True)
    document = models.FileField(
        _("file"), upload_to=RandomName("exams/practical", kind_field="document_kind"), blank=True
    )
    document_kind = models.CharField(max_length=10, blank=True)  # pdf / jpeg / png, as detected
    document_name = models.CharField(max_length=255, blank=True)  # as the candidate named it

    class Meta:
        ordering = ["attempt", "task"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "task"], name="exam_one_response_per_task"),
        ]


class GraderRole(models.IntegerChoices):
    FIRST = 1, _("First grader")
    SECOND = 2, _("Second grader")
    ADJUDICATOR = 3, _("Adjudicating grader")


class PracticalScore(BaseModel):
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="practical_scores")
    task = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveSmallIntegerField(choices=GraderRole.choices)
    total = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["attempt", "task", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "task", "sequence"], name="exam_practical_score_sequence"),
            models.UniqueConstraint(fields=["attempt", "task", "grader"], name="exam_practical_one_score_per_grader"),
        ]


class CriterionScore(models.Model):
    score = models.ForeignKey(PracticalScore, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["score", "criterion"], name="exam_criterion_score_unique")]
