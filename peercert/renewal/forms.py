from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core.forms import REASON_MAX_LENGTH, ReasonForm, UswdsForm
from peercert.renewal.models import ProofOfCurrency


class SignForm(UswdsForm):
    ethics_signed_name = forms.CharField(
        label=_("Type your full legal name to sign the Code of Ethics"),
        max_length=310,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    attest = forms.BooleanField(
        label=_(
            "I confirm that what I told you is true, that I completed the continuing education shown, and that "
            "I will keep my certificates for two years."
        )
    )


class ProofForm(SignForm):
    proof = forms.ChoiceField(label=_("How you kept your skills current"), choices=ProofOfCurrency.choices)


class EvidenceForm(UswdsForm):
    file = forms.FileField(label=_("Certificate of completion (PDF, JPEG or PNG)"))


class ReviewReasonForm(ReasonForm):
    """Staff's reason for a decision. Optional here: approving needs none; denying does, and the service says so
    beside the field."""

    reason = forms.CharField(
        label=_("Reason (the peer will read it)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AuditDecisionForm(UswdsForm):
    notes = forms.CharField(
        label=_("Notes (required when not accepting)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SurrenderForm(UswdsForm):
    reason = forms.CharField(
        label=_("Why are you surrendering your certification?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirmed = forms.BooleanField(
        label=_("I understand that surrender cannot be undone. To be certified again I must apply anew.")
    )


class NameChangeForm(UswdsForm):
    new_first_name = forms.CharField(label=_("New legal first name"), max_length=100)
    new_middle_name = forms.CharField(label=_("New legal middle name"), max_length=100, required=False)
    new_last_name = forms.CharField(label=_("New legal last name"), max_length=100)
    document = forms.FileField(
        label=_("Document showing the new name (court order, marriage certificate or ID)"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
    )


class WithdrawRenewalForm(UswdsForm):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this renewal. I understand my certification expires on its date unless I renew.")
    )
