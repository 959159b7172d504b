"""Forms for beneficiaries, eligibility months, imports, the 270 inquiry and the access-event filter.

The forms check shapes people can fix at once; the services check every rule again.
"""

import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from peercert.core import clock
from peercert.core.forms import DateInput, UswdsForm

ELIGIBLE_CHOICES = [("yes", _("Eligible")), ("no", _("Not eligible"))]


def recent_months(count: int = 24) -> list[tuple[str, str]]:
    """This month and the ones before it, as (YYYY-MM, the month in the reader's language)."""
    month = clock.today().replace(day=1)
    choices = []
    for _n in range(count):
        choices.append((f"{month:%Y-%m}", formats.date_format(month, "YEAR_MONTH_FORMAT")))
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return choices


def month_of(value: str) -> datetime.date:
    year, month = value.split("-")
    return datetime.date(int(year), int(month), 1)


class BeneficiaryForm(UswdsForm):
    cin = forms.CharField(label=_("CIN"), max_length=9, help_text=_("8 digits, then a letter, as on the BIC card."))
    bic_id = forms.CharField(
        label=_("BIC ID"),
        max_length=14,
        required=False,
        help_text=_("14 characters: the CIN, a check digit and the card's 4-digit issue date."),
    )
    legal_first_name = forms.CharField(label=_("Legal first name"), max_length=100)
    legal_last_name = forms.CharField(label=_("Legal last name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)

    @classmethod
    def initial_for(cls, beneficiary) -> dict:
        return {name: getattr(beneficiary, name) for name in cls.base_fields}


class BeneficiarySearchForm(UswdsForm):
    cin = forms.CharField(label=_("CIN"), max_length=9, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("cin"):
            return data
        if data.get("last_name") and data.get("date_of_birth"):
            return data
        if any(data.get(k) for k in ("last_name", "date_of_birth")):
            raise forms.ValidationError(_("Search by CIN, or by last name together with date of birth."))
        return data


class EligibilityRecordForm(UswdsForm):
    month = forms.ChoiceField(label=_("Month"))
    eligible = forms.ChoiceField(
        label=_("Medi-Cal eligibility that month"), choices=ELIGIBLE_CHOICES, widget=forms.RadioSelect
    )
    aid_code = forms.CharField(label=_("Aid code"), max_length=3, required=False)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        help_text=_("The AEVS transaction number, or the letter or call the answer came from."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = recent_months()

    def clean_month(self):
        return month_of(self.cleaned_data["month"])

    def clean_eligible(self):
        return self.cleaned_data["eligible"] == "yes"


class EligibilityCorrectForm(UswdsForm):
    eligible = forms.ChoiceField(
        label=_("Medi-Cal eligibility that month"), choices=ELIGIBLE_CHOICES, widget=forms.RadioSelect
    )
    aid_code = forms.CharField(label=_("Aid code"), max_length=3, required=False)
    reference = forms.CharField(label=_("Reference"), max_length=100)
    reason = forms.CharField(label=_("Why it is corrected"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_eligible(self):
        return self.cleaned_data["eligible"] == "yes"


class EligibilityImportForm(UswdsForm):
    KIND_CHOICES = [
        ("county_file", _("County monthly eligibility file (CSV or Excel)")),
        ("x12_271", _("X12 271 response")),
    ]
    kind = forms.ChoiceField(
        label=_("What the file is"), choices=KIND_CHOICES, widget=forms.RadioSelect, initial="county_file"
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or .xlsx with the columns cin, month (YYYY-MM), eligible (Y/N), aid_code, last_name, first_name, "
            "date_of_birth; or an X12 271 (005010X279A1). Up to 5 MB."
        ),
    )


class InquiryForm(UswdsForm):
    month = forms.ChoiceField(label=_("Month of service"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = recent_months(12)

    def clean_month(self):
        return month_of(self.cleaned_data["month"])


class AccessEventFilterForm(UswdsForm):
    cin = forms.CharField(label=_("Beneficiary CIN"), max_length=9, required=False)
    user = forms.EmailField(label=_("User's email"), max_length=254, required=False)
    date_from = forms.DateField(label=_("From"), widget=DateInput, required=False)
    date_to = forms.DateField(label=_("To"), widget=DateInput, required=False)
