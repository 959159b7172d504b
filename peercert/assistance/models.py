"""Technical assistance: questions people ask the program, staff's saved answers and the public FAQ.

The tables were created by the discipline app and keep their names (discipline_*), so moving
the models here moved no data; see migrations/0001_initial.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from peercert.core.models import BaseModel

# What a refused status change calls the record, in the reader's language.
QUESTION = gettext_noop("question")


class AssistanceCategory(models.TextChoices):
    APPLYING = "applying", _("Applying for certification")
    TRAINING = "training", _("Training and classes")
    EXAM = "exam", _("The exam")
    FEES = "fees", _("Fees and scholarships")
    RENEWAL = "renewal", _("Renewal and continuing education")
    ACCOUNT = "account", _("My account or this website")
    OTHER = "other", _("Something else")


class AssistanceStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# A closed question reopens when its asker writes again; staff close it from any state.
ASSISTANCE_TRANSITIONS: dict[str, set[str]] = {
    AssistanceStatus.OPEN: {AssistanceStatus.ANSWERED, AssistanceStatus.CLOSED},
    AssistanceStatus.ANSWERED: {AssistanceStatus.OPEN, AssistanceStatus.CLOSED},
    AssistanceStatus.CLOSED: {AssistanceStatus.OPEN},
}


class AssistanceRequest(BaseModel):
    number = models.CharField(max_length=20, unique=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assistance_requests"
    )
    name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("your email"))
    phone = models.CharField(_("your phone"), max_length=30, blank=True)
    category = models.CharField(_("topic"), max_length=20, choices=AssistanceCategory.choices)
    subject = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("your question"))
    status = models.CharField(max_length=12, choices=AssistanceStatus.choices, default=AssistanceStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    respond_by = models.DateField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    rules_version = models.CharField(max_length=40)

    class Meta:
        db_table = "discipline_assistancerequest"
        ordering = ["respond_by", "id"]
        # The name the index was created with under discipline; a new name would rebuild it.
        indexes = [models.Index(fields=["status", "respond_by"], name="discipline__status_4cad5e_idx")]

    def __str__(self) -> str:
        return f"{self.number}: {self.subject}"


class AssistanceMessage(BaseModel):
    """A reply from staff or a follow-up from the person who asked."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_staff = models.BooleanField()
    body = models.TextField()

    class Meta:
        db_table = "discipline_assistancemessage"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message on {self.request.number}"


class SavedAnswer(BaseModel):
    title = models.CharField(_("title"), max_length=200, unique=True)
    category = models.CharField(_("topic"), max_length=20, choices=AssistanceCategory.choices, blank=True)
    body = models.TextField(_("answer"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        db_table = "discipline_savedanswer"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


FAQ_LANGUAGES = [("en", "English"), ("es", "Español")]


class FaqEntry(BaseModel):
    question = models.CharField(_("question"), max_length=300, unique=True)
    answer = models.TextField(_("answer"))
    category = models.CharField(_("topic"), max_length=20, choices=AssistanceCategory.choices)
    order = models.PositiveIntegerField(_("order on the page"), default=100)
    is_published = models.BooleanField(_("shown to the public"), default=True)
    # An entry is written in English, or is the translation of an English entry into another language
    # (the page shows a reader the translation in their language when there is one, else the English).
    language = models.CharField(_("language"), max_length=8, choices=FAQ_LANGUAGES, default="en")
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
    )

    class Meta:
        db_table = "discipline_faqentry"
        ordering = ["category", "order", "id"]
        verbose_name_plural = "FAQ entries"
        constraints = [
            models.UniqueConstraint(fields=["translation_of", "language"], name="assistance_faq_one_per_language"),
            models.CheckConstraint(
                condition=models.Q(translation_of__isnull=True, language="en")
                | (models.Q(translation_of__isnull=False) & ~models.Q(language="en")),
                name="assistance_faq_translation_not_english",
            ),
        ]

    def __str__(self) -> str:
        return self.question
