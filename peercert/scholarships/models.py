"""Scholarships as a program: funds, county nominations, applications, awards and tuition paid out.

The money itself stays in finance: each award holds one `finance.Scholarship` (amount, remaining,
released), which pays PeerCert invoices through finance's own invoice flow and pays tuition through
`finance.services.scholarship_draw`. A fund's ledger is read from its awards' scholarships, so
committed + disbursed + remaining = budget holds by construction and is checked against the
payment and disbursement rows themselves (`selectors.fund_ledger`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel

# Out-of-state reciprocity is never eligible for a scholarship, whatever a fund's rules say.
NEVER_ELIGIBLE_PATHWAYS = frozenset({"reciprocity_out_of_state"})


class FunderKind(models.TextChoices):
    COUNTY = "county", _("A county")
    DHCS = "dhcs", _("DHCS")
    GRANT = "grant", _("A named grant")


class Fund(BaseModel):
    """Money set aside by a funder to pay peers' fees and training tuition."""

    name = models.CharField(_("fund name"), max_length=150, unique=True)
    funder_kind = models.CharField(_("funder"), max_length=10, choices=FunderKind.choices)
    county = models.ForeignKey(
        "accounts.County", null=True, blank=True, on_delete=models.PROTECT, related_name="scholarship_funds"
    )
    grant_name = models.CharField(_("grant"), max_length=200, blank=True)
    budget = models.DecimalField(_("total budget"), max_digits=12, decimal_places=2)
    # Fee codes from the program rules (fee_*) an award from this fund may pay.
    fee_codes = models.JSONField(_("fees it may pay"), default=list, blank=True)
    covers_tuition = models.BooleanField(_("may pay training tuition"), default=False)
    nomination_required = models.BooleanField(_("county nomination required"), default=False)
    # Pathways (certification.Pathway values) whose applicants this fund does not pay for; the
    # services add NEVER_ELIGIBLE_PATHWAYS to whatever is chosen.
    excluded_pathways = models.JSONField(_("pathways not eligible"), default=list, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Set on funds made from the free-text fund names of awards made before the program existed.
    migrated = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="fund_budget_not_negative"),
            models.CheckConstraint(
                condition=(Q(funder_kind="county", county__isnull=False) | (~Q(funder_kind="county") & Q(county=None))),
                name="fund_county_iff_county_funder",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")), name="fund_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)

    @property
    def all_excluded_pathways(self) -> set[str]:
        return set(self.excluded_pathways or []) | NEVER_ELIGIBLE_PATHWAYS


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated (waiting for the person to apply)")
    APPLIED = "applied", _("Applied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


NOMINATION_TRANSITIONS: dict[str, frozenset[str]] = {
    NominationStatus.NOMINATED: frozenset({NominationStatus.APPLIED, NominationStatus.WITHDRAWN}),
    NominationStatus.APPLIED: frozenset(),
    NominationStatus.WITHDRAWN: frozenset(),
}


class Nomination(BaseModel):
    """County staff put a person from their county forward for a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="nominations")
    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="scholarship_nominations")
    person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="scholarship_nominations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=8, default="en")
    note = models.TextField(_("why this person"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "email"],
                condition=~Q(status="withdrawn"),
                name="one_live_nomination_per_fund_and_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.fund}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted (waiting for review)")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.AWARDED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.AWARDED: frozenset(),
    ApplicationStatus.DECLINED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}


class Application(BaseModel):
    """A person asks a fund to pay some fees or training: a short statement of need."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="scholarship_applications")
    nomination = models.OneToOneField(
        Nomination, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    pathway = models.CharField(_("certification pathway"), max_length=40)
    need_statement = models.TextField(_("financial need"))
    fee_codes = models.JSONField(_("fees to cover"), default=list, blank=True)
    wants_tuition = models.BooleanField(_("training tuition to cover"), default=False)
    training_note = models.CharField(_("training to cover"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "person"], condition=Q(status="submitted"), name="one_waiting_application_per_fund"
            ),
            models.CheckConstraint(condition=~Q(need_statement=""), name="application_states_need"),
        ]

    def __str__(self) -> str:
        return f"{self.person} to {self.fund}"


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired (unspent money returned to the fund)")
    ENDED = "ended", _("Ended early (unspent money returned to the fund)")


AWARD_TRANSITIONS: dict[str, frozenset[str]] = {
    AwardStatus.ACTIVE: frozenset({AwardStatus.EXPIRED, AwardStatus.ENDED}),
    AwardStatus.EXPIRED: frozenset(),
    AwardStatus.ENDED: frozenset(),
}


class Award(BaseModel):
    """What a fund committed to one person: its money is the finance.Scholarship beside it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="awards")
    # Empty only for an award made before the program (migrated with its free-text fund name).
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="award"
    )
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="scholarship_awards")
    scholarship = models.OneToOneField("finance.Scholarship", on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    fee_codes = models.JSONField(_("fees it pays"), default=list, blank=True)
    covers_tuition = models.BooleanField(_("pays training tuition"), default=False)
    expires_on = models.DateField(_("pays until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AwardStatus.choices, default=AwardStatus.ACTIVE)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive")]

    def __str__(self) -> str:
        return f"{self.fund}: ${self.amount} to {self.person}"


class Disbursement(BaseModel):
    """Tuition an award paid to a training entity for one offering the holder is enrolled in."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="disbursements")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey("training.Offering", on_delete=models.PROTECT, related_name="+")
    training_entity = models.ForeignKey("accounts.TrainingEntity", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            # One cost is paid once: a person's tuition for an offering, from whichever fund.
            models.UniqueConstraint(fields=["person", "offering"], name="one_tuition_disbursement_per_offering"),
        ]

    def __str__(self) -> str:
        return f"${self.amount} to {self.training_entity} for {self.offering_id}"
