"""integrity: the overpayments part's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core.forms import DateInput, UswdsForm
from peercert.integrity.models import ReasonCategory

__all__ = ["OverpaymentFilterForm", "ReportPrepareForm", "ReportSignForm", "ReturnForm"]


class OverpaymentFilterForm(UswdsForm):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Every overpayment")),
            ("unresolved", _("Not returned yet")),
            ("overdue", _("Overdue")),
            ("to_sign", _("Waiting for the signer")),
            ("returned", _("Returned")),
        ],
    )


class ReportPrepareForm(UswdsForm):
    reason_category = forms.ChoiceField(
        label=_("Reason category"), choices=ReasonCategory.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In plain words, for the state: which fact changed after payment and what the county did."),
    )


class ReportSignForm(UswdsForm):
    signer_title = forms.CharField(label=_("Your title"), max_length=200)
    attest = forms.BooleanField(
        label=_("I attest that this report is true, complete and accurate, and that the amount will be returned."),
        required=False,
    )


class ReturnForm(UswdsForm):
    returned_on = forms.DateField(label=_("Date the money was returned"), widget=DateInput)
    reference = forms.CharField(label=_("Reference (warrant, check or offset number)"), max_length=100, required=False)
