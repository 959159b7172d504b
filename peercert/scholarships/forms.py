from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import County
from peercert.core.forms import DateInput, ReasonForm, UswdsForm
from peercert.finance.selectors import fee_choices
from peercert.scholarships.models import FunderKind

__all__ = ["ApplyForm", "AwardForm", "DisburseForm", "FundForm", "NominationForm", "ReasonForm"]

# certification.Pathway's values, repeated as choices: the form offers out-of-state reciprocity so
# that an applicant who picks it is told plainly why scholarships do not pay for it.
PATHWAY_CHOICES = [
    ("standard", _("Standard: core training and exam")),
    ("transfer_in_state", _("Transfer from another California program")),
    ("reciprocity_out_of_state", _("Certified in another state (reciprocity)")),
]


class Checkboxes(forms.CheckboxSelectMultiple):
    """USWDS checkboxes: each box beside its own label (the default puts the box inside the label,
    which USWDS hides off screen with the label's click target)."""

    template_name = "scholarships/widgets/checkboxes.html"


MONEY_WIDGET = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})


def _money_field(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, max_digits=12, decimal_places=2, widget=MONEY_WIDGET, **kwargs)


class FundForm(UswdsForm):
    name = forms.CharField(label=_("Fund name"), max_length=150)
    funder_kind = forms.ChoiceField(label=_("Who funds it"), choices=FunderKind.choices)
    county = forms.ModelChoiceField(
        label=_("County (for a county's fund)"), queryset=County.objects.order_by("name"), required=False
    )
    grant_name = forms.CharField(label=_("Grant (for a named grant)"), max_length=200, required=False)
    budget = _money_field(_("Total budget in dollars"))
    fee_codes = forms.MultipleChoiceField(label=_("Fees it may pay"), choices=(), required=False, widget=Checkboxes)
    covers_tuition = forms.BooleanField(
        label=_("It may pay training tuition at approved training entities"), required=False
    )
    nomination_required = forms.BooleanField(label=_("Applicants must be nominated by a county"), required=False)
    excluded_pathways = forms.MultipleChoiceField(
        label=_("Pathways it does not pay for"),
        help_text=_("Out-of-state reciprocity is never eligible, whatever is chosen here."),
        choices=PATHWAY_CHOICES[:2],
        required=False,
        widget=Checkboxes,
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_codes"].choices = fee_choices()


class NominationForm(UswdsForm):
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("If the person already has a PeerCert account with this email, it is nominated."),
        max_length=254,
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Why this person (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class ApplyForm(UswdsForm):
    pathway = forms.ChoiceField(label=_("How you are applying for certification"), choices=PATHWAY_CHOICES)
    need_statement = forms.CharField(
        label=_("Your financial need"),
        help_text=_("A few sentences on why you need help paying."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )
    fee_codes = forms.MultipleChoiceField(label=_("Fees to cover"), choices=(), required=False, widget=Checkboxes)
    wants_tuition = forms.BooleanField(label=_("Training tuition"), required=False)
    training_note = forms.CharField(label=_("Which training (optional)"), max_length=300, required=False)

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(fund.fee_codes) if fund else set()
        self.fields["fee_codes"].choices = [c for c in fee_choices() if c[0] in allowed]
        if fund is not None and not fund.covers_tuition:
            del self.fields["wants_tuition"]
            del self.fields["training_note"]


class AwardForm(UswdsForm):
    amount = _money_field(_("Amount in dollars"))
    fee_codes = forms.MultipleChoiceField(label=_("Fees it pays"), choices=(), required=False, widget=Checkboxes)
    covers_tuition = forms.BooleanField(label=_("It pays training tuition"), required=False)
    expires_on = forms.DateField(label=_("Pays until"), widget=DateInput)

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(fund.fee_codes) if fund else set()
        self.fields["fee_codes"].choices = [c for c in fee_choices() if c[0] in allowed]
        if fund is not None and not fund.covers_tuition:
            del self.fields["covers_tuition"]


class DisburseForm(UswdsForm):
    offering = forms.ChoiceField(label=_("Course"), choices=())
    amount = _money_field(_("Amount in dollars"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    reference = forms.CharField(label=_("Payment reference (check or transfer number)"), max_length=100)

    def __init__(self, *args, offerings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offerings = {str(o.pk): o for o in offerings}
        self.fields["offering"].choices = [
            (
                str(o.pk),
                f"{o.display_title} · {date_format(o.starts_on, 'DATE_FORMAT')} · {o.training_entity} · ${o.cost}",
            )
            for o in offerings
        ]

    def clean_offering(self):
        return self.offerings[self.cleaned_data["offering"]]
