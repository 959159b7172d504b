from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core.forms import ReasonForm, UswdsForm
from peercert.finance.models import PaymentMethod

__all__ = ["OfflinePaymentForm", "ReasonForm", "ScholarshipApplyForm", "TestCardForm"]


class TestCardForm(UswdsForm):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("This is a demonstration and no real money is taken. Use the test card 4242 4242 4242 4242."),
    )


class OfflinePaymentForm(UswdsForm):
    method = forms.ChoiceField(
        label=_("Paid by"),
        choices=[
            (PaymentMethod.CHECK.value, PaymentMethod.CHECK.label),
            (PaymentMethod.MONEY_ORDER.value, PaymentMethod.MONEY_ORDER.label),
        ],
    )
    amount = forms.DecimalField(
        label=_("Amount in dollars"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    external_reference = forms.CharField(label=_("Check or money order number"), max_length=100)


class ScholarshipApplyForm(UswdsForm):
    scholarship = forms.ModelChoiceField(label=_("Scholarship"), queryset=None)

    def __init__(self, *args, scholarships=None, **kwargs):
        super().__init__(*args, **kwargs)
        from peercert.finance.models import Scholarship

        ids = [s.pk for s in scholarships or []]
        self.fields["scholarship"].queryset = Scholarship.objects.filter(pk__in=ids)
