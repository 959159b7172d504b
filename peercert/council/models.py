"""The Stakeholder Advisory Council: calls for members, applications, members and their terms,
meetings with their agenda, minutes and attendance, and the council's recommendations with the
program's written response.

Every status is a TextChoices with its *_TRANSITIONS map beside it; services move them with
core.transitions.transition, never by assignment.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName

# What a refused status change calls each record, in the reader's language.
CALL = gettext_noop("call for members")
APPLICATION = gettext_noop("council application")
MEMBER = gettext_noop("council membership")
MEETING = gettext_noop("council meeting")
RECOMMENDATION = gettext_noop("recommendation")


class Population(models.TextChoices):
    """The Medi-Cal populations a seat represents. Staff see the membership by these to find gaps."""

    BLACK = "black", _("Black and African American communities")
    LATINO = "latino", _("Latino and Latinx communities")
    ASIAN_PACIFIC = "asian_pacific", _("Asian American, Native Hawaiian and Pacific Islander communities")
    NATIVE = "native", _("American Indian and Alaska Native communities")
    LGBTQ = "lgbtq", _("LGBTQ+ communities")
    YOUTH = "youth", _("Youth and transition-age youth")
    OLDER_ADULTS = "older_adults", _("Older adults")
    UNHOUSED = "unhoused", _("People experiencing homelessness")
    JUSTICE = "justice", _("People involved with the justice system")
    RURAL = "rural", _("Rural and frontier communities")
    VETERANS = "veterans", _("Veterans")
    FAMILIES = "families", _("Parents, caregivers and families")
    DISABILITY = "disability", _("People with disabilities")
    RECOVERY = "recovery", _("People in recovery from substance use")
    PEERS = "peers", _("Certified peer support specialists")
    PROVIDERS = "providers", _("Counties, providers and other stakeholders")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# A call is written, opened on its dates and closed; a closed call may reopen (its dates extended).
CALL_TRANSITIONS: dict[str, set[str]] = {
    CallStatus.DRAFT: {CallStatus.OPEN},
    CallStatus.OPEN: {CallStatus.CLOSED},
    CallStatus.CLOSED: {CallStatus.OPEN},
}


class CouncilCall(BaseModel):
    """An open call for council members: what it is for and the dates applications are taken."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the call is for"))
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    seats = models.PositiveIntegerField(_("seats to fill"), default=1)
    status = models.CharField(max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="council_call_dates")
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SELECTED = "selected", _("Selected")
    DECLINED = "declined", _("Not selected")


APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.RECEIVED: {ApplicationStatus.SELECTED, ApplicationStatus.DECLINED},
    ApplicationStatus.SELECTED: set(),
    ApplicationStatus.DECLINED: set(),
}


class CouncilApplication(BaseModel):
    """Someone's application to sit on the council, sent from the public form."""

    call = models.ForeignKey(CouncilCall, on_delete=models.PROTECT, related_name="applications")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    community = models.CharField(_("community or stakeholder group you represent"), max_length=300)
    population = models.CharField(_("population"), max_length=20, choices=Population.choices)
    lived_experience = models.TextField(_("lived experience"))
    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "call"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.call})"


class MemberStatus(models.TextChoices):
    SEATED = "seated", _("Seated")
    ENDED = "ended", _("Term ended")


MEMBER_TRANSITIONS: dict[str, set[str]] = {
    MemberStatus.SEATED: {MemberStatus.ENDED},
    MemberStatus.ENDED: set(),
}


class CouncilMember(BaseModel):
    """A seat held for a term. `user` is the sign-in that sees meeting materials before they are public."""

    application = models.OneToOneField(
        CouncilApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="member"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="council_seats"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    seat = models.CharField(_("seat"), max_length=200)
    population = models.CharField(_("population represented"), max_length=20, choices=Population.choices)
    county = models.ForeignKey(
        "accounts.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    term_starts_on = models.DateField(_("term starts on"))
    term_ends_on = models.DateField(_("term ends on"))
    status = models.CharField(max_length=10, choices=MemberStatus.choices, default=MemberStatus.SEATED)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["seat", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(term_ends_on__gt=models.F("term_starts_on")), name="council_term_dates")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.seat}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned (members only)")
    ANNOUNCED = "announced", _("Announced")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes published")
    CANCELLED = "cancelled", _("Cancelled")


# Planned: members and staff see it. Announced: the public sees the date, place and agenda.
# Minutes are published only on or after the meeting date (the service checks the day).
MEETING_TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.PLANNED: {MeetingStatus.ANNOUNCED, MeetingStatus.CANCELLED},
    MeetingStatus.ANNOUNCED: {MeetingStatus.MINUTES_PUBLISHED, MeetingStatus.CANCELLED},
    MeetingStatus.MINUTES_PUBLISHED: set(),
    MeetingStatus.CANCELLED: set(),
}

PUBLIC_MEETING_STATUSES = (MeetingStatus.ANNOUNCED, MeetingStatus.MINUTES_PUBLISHED, MeetingStatus.CANCELLED)


class CouncilMeeting(BaseModel):
    title = models.CharField(_("title"), max_length=200)
    meets_on = models.DateField(_("meeting date"))
    starts_at = models.TimeField(_("start time (Pacific)"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link to join online"), blank=True)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(
        _("minutes (PDF)"), upload_to=RandomName("council/minutes", "minutes_file_kind"), blank=True
    )
    minutes_file_kind = models.CharField(max_length=10, blank=True)
    minutes_file_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes_published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-meets_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.meets_on:%Y-%m-%d})"

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes.strip() or self.minutes_file)


class CouncilAttendance(BaseModel):
    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("present"))

    class Meta:
        ordering = ["member__seat", "member__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="council_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member} at {self.meeting}"


class RecommendationStatus(models.TextChoices):
    RECEIVED = "received", _("Awaiting the program's response")
    RESPONDED = "responded", _("Response written")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn by the council")


# A response may be rewritten until it is published; a published recommendation stays public.
RECOMMENDATION_TRANSITIONS: dict[str, set[str]] = {
    RecommendationStatus.RECEIVED: {RecommendationStatus.RESPONDED, RecommendationStatus.WITHDRAWN},
    RecommendationStatus.RESPONDED: {RecommendationStatus.RESPONDED, RecommendationStatus.PUBLISHED},
    RecommendationStatus.PUBLISHED: set(),
    RecommendationStatus.WITHDRAWN: set(),
}


class CouncilRecommendation(BaseModel):
    meeting = models.ForeignKey(
        CouncilMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("the council's recommendation"))
    made_on = models.DateField(_("made on"))
    response = models.TextField(_("the program's response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.RECEIVED
    )

    class Meta:
        ordering = ["-made_on", "-id"]

    def __str__(self) -> str:
        return self.title
