"""integrity: the reviews part's forms. Bounded fields; the services check the rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import CertificationProgram, County
from peercert.core.forms import REASON_MAX_LENGTH, DateInput, UswdsForm
from peercert.integrity.models.reviews import FindingCategory, FindingOutcome, RecordKind, ReviewParty

TEXT_MAX = 4000


class UswdsCheckboxes(forms.CheckboxSelectMultiple):
    """Each box drawn as a USWDS checkbox (input, then its label)."""

    template_name = "integrity/reviews/_checkboxes.html"


class ReviewOpenForm(UswdsForm):
    party = forms.ChoiceField(label=_("Who is reviewed"), choices=ReviewParty.choices)
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("name"),
        required=False,
        help_text=_("For a county review."),
    )
    program = forms.ModelChoiceField(
        label=_("Certification program"),
        queryset=CertificationProgram.objects.order_by("name"),
        required=False,
        help_text=_("For a program review."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.MultipleChoiceField(
        label=_("Records to review"),
        choices=RecordKind.choices,
        widget=UswdsCheckboxes,
        help_text=_(
            "A county keeps employments, supervision and paid service lines; a program keeps applications and certifications."
        ),
    )
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period until"), widget=DateInput)
    seed = forms.IntegerField(
        label=_("Sample seed (optional)"),
        required=False,
        min_value=0,
        max_value=2_147_483_646,
        help_text=_("Leave blank to draw one. The same seed draws the same records again."),
    )


class FindingForm(UswdsForm):
    outcome = forms.ChoiceField(
        label=_("Finding"),
        choices=[
            (FindingOutcome.COMPLIANT, FindingOutcome.COMPLIANT.label),
            (FindingOutcome.NOT_COMPLIANT, FindingOutcome.NOT_COMPLIANT.label),
        ],
    )
    category = forms.ChoiceField(
        label=_("What is not compliant"), choices=[("", "—"), *FindingCategory.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the record is not compliant."),
    )


class CorrectiveActionForm(UswdsForm):
    description = forms.CharField(
        label=_("What must be done"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, help_text=_("Staff of the party under review."))
    due_on = forms.DateField(label=_("Due by"), widget=DateInput)
    finding = forms.ModelChoiceField(label=_("Finding it answers (optional)"), queryset=None, required=False)

    def __init__(self, *args, owners, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.email
        self.fields["finding"].queryset = findings


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ResponseForm(UswdsForm):
    response = forms.CharField(label=_("What was done"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = MultipleFileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("Up to 5 files: PDF, JPEG or PNG, 10 MB each."),
    )


class DecisionForm(UswdsForm):
    note = forms.CharField(
        label=_("Note"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you send the response back."),
    )


class CloseForm(UswdsForm):
    note = forms.CharField(
        label=_("Closing note (optional)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
