from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.finance.models import PaymentMethod


def _input(**attrs):
    return forms.TextInput(attrs={"class": "usa-input", **attrs})


class TestCardForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"), max_length=30, widget=_input(autocomplete="off", inputmode="numeric"),
        help_text=_("This is a demonstration and no real money is taken. Use the test card 4242 4242 4242 4242."),
    )


class OfflinePaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Paid by"), widget=forms.Select(attrs={"class": "usa-select"}),
        choices=[(PaymentMethod.CHECK.value, PaymentMethod.CHECK.label),
                 (PaymentMethod.MONEY_ORDER.value, PaymentMethod.MONEY_ORDER.label)],
    )
    amount = forms.DecimalField(label=_("Amount in dollars"), min_value=0, max_digits=10, decimal_places=2,
                                widget=forms.NumberInput(attrs={"class": "usa-input", "step": "0.01"}))
    external_reference = forms.CharField(label=_("Check or money order number"), max_length=100, widget=_input())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}))


class ScholarshipApplyForm(forms.Form):
    scholarship = forms.ModelChoiceField(label=_("Scholarship"), queryset=None,
                                         widget=forms.Select(attrs={"class": "usa-select"}))

    def __init__(self, *args, scholarships=None, **kwargs):
        super().__init__(*args, **kwargs)
        from peercert.finance.models import Scholarship

        ids = [s.pk for s in scholarships or []]
        self.fields["scholarship"].queryset = Scholarship.objects.filter(pk__in=ids)
