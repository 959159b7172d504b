"""Forms for claims out and remittance in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.billing.models import ClaimFrequency
from peercert.core.forms import UswdsForm

__all__ = ["CorrectionForm", "DenialWorkForm", "RemittanceUploadForm"]


class RemittanceUploadForm(UswdsForm):
    county = forms.ModelChoiceField(label=_("County"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("The state's 835 file"),
        help_text=_("The X12 835 remittance advice for one payment, as the state sent it."),
    )

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if counties is not None and counties.count() == 1:
            self.fields["county"].widget = forms.HiddenInput()
            self.fields["county"].initial = counties.first().pk


class CorrectionForm(UswdsForm):
    frequency = forms.ChoiceField(
        label=_("What to send"),
        choices=[
            (ClaimFrequency.REPLACEMENT.value, _("A replacement claim (frequency 7): the claim as it stands now")),
            (ClaimFrequency.VOID.value, _("A void (frequency 8): take the claim back")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DenialWorkForm(UswdsForm):
    note = forms.CharField(
        label=_("What was done"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: eligibility month corrected, claim sent again in batch 12."),
    )
