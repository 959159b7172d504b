from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.accounts.selectors import county_list
from peercert.certification.models import CertificationStatus
from peercert.core.forms import UswdsForm
from peercert.core.vocabulary import Specialization


def _status_choices():
    return [("", _("Any")), *CertificationStatus.choices]


def _specialization_choices():
    return [("", _("Any")), *Specialization.choices]


class RegistrySearchForm(UswdsForm):
    """The public search. Anyone may type anything, so every field is bounded: an overlong
    name, a made-up status or county is a form error, never a query."""

    name = forms.CharField(
        label=_("Name (or part of it)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    number = forms.CharField(label=_("Certification number"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_status_choices)
    specialization = forms.ChoiceField(label=_("Specialization"), required=False, choices=_specialization_choices)
    county = forms.ModelChoiceField(
        label=_("County of employment"), required=False, queryset=county_list(), empty_label=_("Any")
    )


class BulkVerifyForm(UswdsForm):
    """The bulk verification upload: a CSV (or .xlsx) with a header row `number` and, if wanted, `name`."""

    file = forms.FileField(
        label=_("File of certification numbers (CSV or Excel)"),
        help_text=_(
            "The first line names the columns: number, and if you like name. Up to 5,000 numbers. "
            "Numbers may be typed as 193, PSS000193 or PSS-000193."
        ),
    )
