"""Forms for providers, employments, hires, directing professionals and supervision.

They parse and bound the input; the services decide (NPI, opt-ins, dates, the ratio).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import County
from peercert.benefit.models import CredentialKind, DeliverySystem, EndReason, ProviderKind
from peercert.core.forms import DateInput, UswdsForm

__all__ = [
    "AssignmentEndForm",
    "AssignmentForm",
    "CeilingForm",
    "DirectionForm",
    "EmploymentEditForm",
    "EmploymentEndForm",
    "EmploymentForm",
    "HireForm",
    "PolicyForm",
    "ProviderForm",
]

SYSTEM_CHOICES = DeliverySystem.choices


class UswdsCheckboxes(forms.CheckboxSelectMultiple):
    """Each box drawn as a USWDS checkbox (input, then its label), which hides the bare input."""

    template_name = "benefit/workforce/_checkboxes.html"


def _systems_field(help_text=None):
    return forms.MultipleChoiceField(
        label=_("Delivery systems"),
        choices=SYSTEM_CHOICES,
        widget=UswdsCheckboxes,
        help_text=help_text,
    )


class ProviderForm(UswdsForm):
    name = forms.CharField(label=_("Provider name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of provider"), choices=ProviderKind.choices)
    npi = forms.CharField(
        label=_("Organization NPI"),
        max_length=10,
        help_text=_("The 10-digit National Provider Identifier from NPPES."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    delivery_systems = _systems_field(_("Only the systems your county opted into."))
    address_line1 = forms.CharField(label=_("Street address"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    postal_code = forms.CharField(label=_("ZIP code"), max_length=10)
    active_from = forms.DateField(label=_("Active from"), widget=DateInput)
    active_to = forms.DateField(label=_("Active until"), widget=DateInput, required=False)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None and len(counties) > 1:
            # Someone on staff of several counties says which one the provider belongs to.
            self.fields = {
                "county": forms.ModelChoiceField(
                    label=_("County"),
                    queryset=County.objects.filter(pk__in=[c.pk for c in counties]),
                ),
                **self.fields,
            }

    @classmethod
    def initial_for(cls, provider) -> dict:
        return {
            "name": provider.name,
            "kind": provider.kind,
            "npi": provider.npi,
            "delivery_systems": provider.delivery_systems,
            "address_line1": provider.address_line1,
            "city": provider.city,
            "postal_code": provider.postal_code,
            "active_from": provider.active_from,
            "active_to": provider.active_to,
        }


class EmploymentEditForm(UswdsForm):
    position_title = forms.CharField(label=_("Position title"), max_length=150)
    fte = forms.DecimalField(
        label=_("Full-time equivalent (FTE)"),
        min_value=0,
        max_value=1,
        max_digits=3,
        decimal_places=2,
        help_text=_("From 0.01 to 1.00; 1.00 is full time."),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    delivery_systems = _systems_field(_("Only the systems the provider serves."))
    individual_npi = forms.CharField(
        label=_("The peer's individual NPI"),
        max_length=10,
        required=False,
        help_text=_("Only if the peer has one."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    @classmethod
    def initial_for(cls, employment) -> dict:
        return {
            "position_title": employment.position_title,
            "fte": employment.fte,
            "delivery_systems": employment.delivery_systems,
            "individual_npi": employment.individual_npi,
        }


class EmploymentForm(EmploymentEditForm):
    """A new employment: the peer (by number, or name and birth date), the provider, the job."""

    certification_number = forms.CharField(
        label=_("Certification number"),
        max_length=20,
        required=False,
        help_text=_("For example PSS-000193. Or leave it empty and give the legal name and date of birth."),
    )
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput, required=False)
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=None)
    start_on = forms.DateField(label=_("Start date"), widget=DateInput)

    field_order = [
        "certification_number",
        "legal_name",
        "date_of_birth",
        "provider",
        "position_title",
        "fte",
        "delivery_systems",
        "start_on",
        "individual_npi",
    ]

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class HireForm(UswdsForm):
    hired_on = forms.DateField(
        label=_("Formal hire date"),
        widget=DateInput,
        help_text=_("The peer's certification must be active on this day."),
    )


class HireCorrectForm(UswdsForm):
    hired_on = forms.DateField(
        label=_("Correct formal hire date"),
        widget=DateInput,
        help_text=_("The day the hire really happened. The peer's certification must be active on it."),
    )
    reason = forms.CharField(label=_("Why the date changes"), max_length=500)


class EmploymentEndForm(UswdsForm):
    end_on = forms.DateField(label=_("Last day"), widget=DateInput)
    end_reason = forms.ChoiceField(label=_("Why it ended"), choices=EndReason.choices)
    end_note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DirectionForm(UswdsForm):
    name = forms.CharField(label=_("Professional's full name"), max_length=200)
    credential_kind = forms.ChoiceField(label=_("Licensed, waivered or registered"), choices=CredentialKind.choices)
    license_type = forms.CharField(
        label=_("License or registration type"), max_length=60, help_text=_("For example LCSW, LMFT, psychologist.")
    )
    license_number = forms.CharField(label=_("License or registration number"), max_length=40)
    issuing_board = forms.CharField(
        label=_("Issuing board"), max_length=150, help_text=_("For example Board of Behavioral Sciences.")
    )
    start_on = forms.DateField(label=_("Directs from"), widget=DateInput)


class AssignmentForm(UswdsForm):
    supervisor_email = forms.EmailField(
        label=_("Supervisor's email"),
        required=False,
        help_text=_(
            "The email on their PeerCert record. Or give a certification number, or legal name and date of birth."
        ),
    )
    supervisor_number = forms.CharField(label=_("Supervisor's certification number"), max_length=20, required=False)
    supervisor_name = forms.CharField(label=_("Supervisor's legal name"), max_length=200, required=False)
    supervisor_birth = forms.DateField(label=_("Supervisor's date of birth"), widget=DateInput, required=False)
    start_on = forms.DateField(label=_("Supervises from"), widget=DateInput)


class AssignmentEndForm(UswdsForm):
    end_on = forms.DateField(label=_("Last day of supervision"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PolicyForm(UswdsForm):
    max_peers_per_supervisor = forms.IntegerField(
        label=_("Most peers one supervisor may supervise"), min_value=1, max_value=200
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput)
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)


class CeilingForm(UswdsForm):
    max_peers_per_supervisor = forms.IntegerField(
        label=_("Most peers one supervisor may supervise, statewide"), min_value=1, max_value=200
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput)
    reason = forms.CharField(label=_("Why"), max_length=500)
