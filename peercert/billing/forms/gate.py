"""Forms for billing's gate: a service file, one line by hand, a held line's correction, an override."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core.forms import DateInput, ReasonForm, UswdsForm

__all__ = ["LineCorrectForm", "LineForm", "OverrideForm", "ServiceFileForm"]

SYSTEM_CHOICES = [
    ("smhs", _("Specialty mental health services (SMHS)")),
    ("dmc", _("Drug Medi-Cal (DMC)")),
    ("dmc_ods", _("Drug Medi-Cal Organized Delivery System (DMC-ODS)")),
]


class ServiceFileForm(UswdsForm):
    file = forms.FileField(
        label=_("Service file"),
        help_text=_(
            "The EHR's 837P (X12), or a CSV or Excel file with the columns rendering_npi (or certification_number), "
            "cin, service_date, minutes, code, delivery_system, place_of_service, modifiers, group_size, reference."
        ),
    )
    delivery_system = forms.ChoiceField(
        label=_("Delivery system of an 837P's lines"), choices=SYSTEM_CHOICES, initial="smhs"
    )


class _LineFields(UswdsForm):
    employment = forms.TypedChoiceField(label=_("Peer and provider"), coerce=int)
    cin = forms.CharField(label=_("Beneficiary's CIN"), max_length=9, help_text=_("8 digits, then a letter."))
    service_date = forms.DateField(label=_("Date of service"), widget=DateInput)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=1440)
    code = forms.CharField(label=_("HCPCS code"), max_length=5, initial="H0038")
    delivery_system = forms.ChoiceField(label=_("Delivery system"), choices=SYSTEM_CHOICES)

    def __init__(self, *args, employments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employment"].choices = [("", _("Choose a peer")), *employments]


class LineForm(_LineFields):
    place_of_service = forms.CharField(label=_("Place of service"), max_length=2, initial="11")
    modifiers = forms.CharField(
        label=_("Modifiers"), max_length=20, required=False, help_text=_("Up to four, such as HE, HQ.")
    )
    group_size = forms.IntegerField(label=_("Group size (group services)"), min_value=2, max_value=99, required=False)
    reference = forms.CharField(label=_("Your reference"), max_length=50, required=False)


class LineCorrectForm(_LineFields):
    pass


class OverrideForm(ReasonForm):
    pass
