from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.renewal.models import ProofOfCurrency

# Checkboxes stay native: web/_form.html puts the label before the input, and USWDS's
# usa-checkbox__input class hides the input unless a usa-checkbox__label follows it.


class SignForm(forms.Form):
    ethics_signed_name = forms.CharField(
        label=_("Type your full legal name to sign the Code of Ethics"), max_length=310,
        widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "name"}))
    attest = forms.BooleanField(
        label=_("I confirm that what I told you is true, that I completed the continuing education shown, and that "
                "I will keep my certificates for two years."),
        widget=forms.CheckboxInput())


class ProofForm(SignForm):
    proof = forms.ChoiceField(label=_("How you kept your skills current"), choices=ProofOfCurrency.choices,
                              widget=forms.Select(attrs={"class": "usa-select"}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Certificate of completion (PDF, JPEG or PNG)"),
                           widget=forms.ClearableFileInput(attrs={"class": "usa-file-input"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the peer will read it)"), required=False,
                             widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}))


class AuditDecisionForm(forms.Form):
    notes = forms.CharField(label=_("Notes (required when not accepting)"), required=False,
                            widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}))


class SurrenderForm(forms.Form):
    reason = forms.CharField(label=_("Why are you surrendering your certification?"),
                             widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}))
    confirmed = forms.BooleanField(
        label=_("I understand that surrender cannot be undone. To be certified again I must apply anew."),
        widget=forms.CheckboxInput())


class NameChangeForm(forms.Form):
    new_first_name = forms.CharField(label=_("New legal first name"), max_length=100,
                                     widget=forms.TextInput(attrs={"class": "usa-input"}))
    new_middle_name = forms.CharField(label=_("New legal middle name"), max_length=100, required=False,
                                      widget=forms.TextInput(attrs={"class": "usa-input"}))
    new_last_name = forms.CharField(label=_("New legal last name"), max_length=100,
                                    widget=forms.TextInput(attrs={"class": "usa-input"}))
    document = forms.FileField(label=_("Document showing the new name (court order, marriage certificate or ID)"),
                               help_text=_("PDF, JPEG or PNG, up to 10 MB."),
                               widget=forms.ClearableFileInput(attrs={"class": "usa-file-input"}))
