"""Forms for the benefit's rates and federal authorities.

The forms check shape (a date is a date, a choice is a choice); the services check the rules
(opt-ins, the code table, overlaps) and their refusals land beside the field they name.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.benefit.models import AuthorityKind, DeliverySystem, RateStatus
from peercert.core.forms import DateInput, UswdsForm

__all__ = [
    "AuthorityEndForm",
    "AuthorityForm",
    "DecisionForm",
    "InterimRateForm",
    "RateFilterForm",
    "RateForm",
]

INTERIM_SYSTEM_CHOICES = [
    (DeliverySystem.DMC.value, DeliverySystem.DMC.label),
    (DeliverySystem.DMC_ODS.value, DeliverySystem.DMC_ODS.label),
]


class RateForm(UswdsForm):
    """A county rate: the county (when the user keeps more than one), then the terms."""

    county = forms.ChoiceField(label=_("County"))
    delivery_system = forms.ChoiceField(label=_("Delivery system"), choices=DeliverySystem.choices)
    code = forms.ChoiceField(label=_("HCPCS code"))
    amount = forms.DecimalField(
        label=_("Rate per unit, in dollars"),
        max_digits=12,
        decimal_places=2,
        help_text=_("For one unit of the code (15 minutes for H0038), like 41.25."),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput)
    effective_to = forms.DateField(
        label=_("In force until"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for a rate with no end date."),
    )
    justification = forms.CharField(
        label=_("Basis for the rate"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the rate was set (cost report, fee schedule), for the DHCS reviewer."),
    )

    def __init__(self, *args, counties=(), codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = list(codes)
        counties = list(counties)
        if len(counties) > 1:
            self.fields["county"].choices = [(str(c.pk), c.name) for c in counties]
        else:
            del self.fields["county"]
        self.counties = {str(c.pk): c for c in counties}

    def chosen_county(self):
        """The county the rate is for: the one chosen, or the only one the user keeps."""
        if "county" in self.fields:
            return self.counties[self.cleaned_data["county"]]
        return next(iter(self.counties.values()), None)


class InterimRateForm(RateForm):
    """An interim DMC rate: DMC or DMC-ODS only; a county, or none for a statewide rate."""

    def __init__(self, *args, counties=(), codes=(), **kwargs):
        super().__init__(*args, counties=(), codes=codes, **kwargs)
        self.fields["delivery_system"].choices = INTERIM_SYSTEM_CHOICES
        self.fields["county"] = forms.ChoiceField(
            label=_("County"),
            required=False,
            choices=[
                ("", _("Statewide (every county without its own interim rate)")),
                *[(str(c.pk), c.name) for c in counties],
            ],
        )
        self.order_fields(["county"])
        self.counties = {str(c.pk): c for c in counties}

    def chosen_county(self):
        return self.counties.get(self.cleaned_data.get("county") or "")


class DecisionForm(UswdsForm):
    """A DHCS approver's decision on a submitted rate."""

    APPROVE, RETURN, REJECT = "approve", "return", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, _("Approve")),
            (RETURN, _("Return with comments, so it can be changed")),
            (REJECT, _("Reject")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment for the county"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return or reject: say what to change or why."),
    )


class RateFilterForm(UswdsForm):
    """The filters of DHCS's rate queue (read from GET; junk is ignored, not an error page)."""

    county = forms.ChoiceField(label=_("County"), required=False)
    system = forms.ChoiceField(
        label=_("Delivery system"), required=False, choices=[("", _("Any system")), *DeliverySystem.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *RateStatus.choices])

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("Any county")), *[(str(c.pk), c.name) for c in counties]]

    def values(self) -> dict:
        """The valid filters; a field with junk in it is left out."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        county = data.get("county") or ""
        return {
            "county_id": int(county) if county else None,
            "system": data.get("system") or "",
            "status": data.get("status") or "",
        }


class AuthorityForm(UswdsForm):
    number = forms.CharField(label=_("SPA or waiver number"), max_length=40, help_text=_("For example SPA 22-0026."))
    kind = forms.ChoiceField(label=_("Kind"), choices=AuthorityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    delivery_systems = forms.MultipleChoiceField(
        label=_("Delivery systems it covers"), choices=DeliverySystem.choices, widget=forms.CheckboxSelectMultiple
    )
    codes = forms.MultipleChoiceField(label=_("Billing codes it covers"), widget=forms.CheckboxSelectMultiple)
    approved_on = forms.DateField(label=_("Approved by CMS on"), widget=DateInput)
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput)
    effective_to = forms.DateField(
        label=_("In force until"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty while it has no end date."),
    )
    document = forms.FileField(
        label=_("Approval document (PDF)"),
        required=False,
        help_text=_("The CMS approval letter or the approved pages, as a PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = list(codes)


class AuthorityEndForm(UswdsForm):
    effective_to = forms.DateField(label=_("Last day in force"), widget=DateInput)
    reason = forms.CharField(
        label=_("Why it ends"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
