"""integrity: the utilization part's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core import clock
from peercert.core.forms import DateInput, UswdsForm
from peercert.core.rules import rules_on
from peercert.integrity.models.utilization import LineFindingCategory, LineFindingOutcome, RuleKind

__all__ = ["FindingForm", "ReviewOpenForm", "RuleEndForm", "RuleForm", "RuleSupersedeForm"]

SYSTEM_CHOICES = [
    ("", _("Every delivery system")),
    ("smhs", _("Specialty mental health services (SMHS)")),
    ("dmc", _("Drug Medi-Cal (DMC)")),
    ("dmc_ods", _("Drug Medi-Cal Organized Delivery System (DMC-ODS)")),
]


class RuleForm(UswdsForm):
    scope = forms.ChoiceField(label=_("Where the rule applies"))
    kind = forms.ChoiceField(label=_("Kind of rule"), choices=RuleKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(
        label=_("HCPCS code"), max_length=5, required=False, help_text=_("Leave empty for a peer's day.")
    )
    other_code = forms.CharField(
        label=_("Locked-out code"), max_length=5, required=False, help_text=_("For a lockout only.")
    )
    limit = forms.IntegerField(
        label=_("Limit"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Units (per day) or services (per month). Not for a lockout."),
    )
    delivery_system = forms.ChoiceField(label=_("Delivery system"), choices=SYSTEM_CHOICES, required=False)
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput)
    effective_to = forms.DateField(label=_("In force until (optional)"), widget=DateInput, required=False)
    source = forms.CharField(label=_("Billing manual section (optional)"), max_length=200, required=False)

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(scopes)
        default = rules_on(clock.today()).utilization_peer_day_units_default
        self.fields["limit"].help_text = _(
            "Units (per day) or services (per month). Not for a lockout. The program's default for a peer's "
            "day is %(units)s units."
        ) % {"units": default}


class RuleSupersedeForm(UswdsForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    limit = forms.IntegerField(label=_("New limit"), min_value=1, max_value=10000, required=False)
    effective_from = forms.DateField(label=_("New version in force from"), widget=DateInput)
    effective_to = forms.DateField(label=_("In force until (optional)"), widget=DateInput, required=False)
    reason = forms.CharField(label=_("Why it changes"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RuleEndForm(UswdsForm):
    last_day = forms.DateField(label=_("Last day in force"), widget=DateInput)
    reason = forms.CharField(label=_("Why it ends"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewOpenForm(UswdsForm):
    period_start = forms.DateField(label=_("First day of service"), widget=DateInput)
    period_end = forms.DateField(label=_("Last day of service"), widget=DateInput)
    seed = forms.IntegerField(
        label=_("Sample seed (optional)"),
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text=_("The same seed draws the same sample. Leave empty for a new draw; the seed is recorded."),
    )


class FindingForm(UswdsForm):
    outcome = forms.ChoiceField(label=_("Finding"), choices=LineFindingOutcome.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(
        label=_("Why not supported"),
        choices=[("", _("Not applicable (supported)"))] + [c for c in LineFindingCategory.choices if c[0]],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
