"""Forms for the benefit's alerts and webhooks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.benefit.models import AlertStatus
from peercert.core.forms import UswdsForm

__all__ = ["AcknowledgeForm", "AlertFilterForm", "WebhookForm"]


class AcknowledgeForm(UswdsForm):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What your county did about it, for example: supervisor told, services paused."),
    )


class WebhookForm(UswdsForm):
    url = forms.URLField(
        label=_("Address (https)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Your EHR's or HR system's https address that receives PeerCert's signed events."),
    )
    description = forms.CharField(label=_("What it is for"), max_length=200, required=False)


class AlertFilterForm(UswdsForm):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *AlertStatus.choices])
    q = forms.CharField(label=_("Name or certification number"), required=False, max_length=100)
