"""Issued Open Badges credentials and the signed status lists that say whether each still holds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.vocabulary import Specialization

# Bits per status list: the Bitstring Status List spec's minimum (16 KB uncompressed), so a list
# never tells how many credentials it covers. Index n lives in list n // LIST_SIZE at bit n % LIST_SIZE.
LIST_SIZE = 131_072
# Credentials per list: half its bits, each at a random free position (the spec's herd privacy: an
# index says nothing of when a credential was issued, and a free position is found in a try or two).
LIST_FILL = LIST_SIZE // 2


class StatusPurpose(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension")
    REVOCATION = "revocation", _("Revocation")


class IssuedCredential(BaseModel):
    """One signed OpenBadgeCredential: for a certification (specialization blank) or one of its specializations.

    status_index is drawn once (a random free bit of the list StatusIndexCounter says is filling)
    and never reused, so a bit in a status list always means this credential. token is the signed VC-JWT the peer downloads.
    """

    certification = models.ForeignKey(
        "certification.Certification", on_delete=models.PROTECT, related_name="open_badge_credentials"
    )
    specialization = models.CharField(max_length=40, choices=Specialization.choices, blank=True)
    status_index = models.PositiveBigIntegerField(unique=True)
    jti = models.CharField(max_length=60, unique=True)
    kid = models.CharField(max_length=100)
    issued_at = models.DateTimeField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    token = models.TextField()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gt=models.F("valid_from")), name="credential_cycle"),
        ]
        indexes = [models.Index(fields=["certification", "specialization", "valid_until"], name="credential_lookup")]

    def __str__(self) -> str:
        return self.jti

    @property
    def list_number(self) -> int:
        return self.status_index // LIST_SIZE


class StatusIndexCounter(models.Model):
    """How many status-list indexes were handed out, less one (one row, locked while drawing)."""

    name = models.CharField(max_length=30, primary_key=True)
    last_value = models.BigIntegerField(default=-1)


class StatusList(BaseModel):
    """A signed BitstringStatusListCredential, kept so a request never rebuilds it.

    Re-signed whenever a certification whose credentials it covers changes status.
    """

    purpose = models.CharField(max_length=20, choices=StatusPurpose.choices)
    number = models.PositiveIntegerField()
    token = models.TextField()
    set_bits = models.PositiveIntegerField(default=0)
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["purpose", "number"], name="one_status_list_per_number")]

    def __str__(self) -> str:
        return self.list_id

    @property
    def list_id(self) -> str:
        return f"{self.purpose}-{self.number}"
