from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core.audit import registered_actions
from peercert.core.forms import DateInput, UswdsForm

NOT_A_DATE = _("This is not a date. Use the form YYYY-MM-DD.")


def _action_choices():
    # Called when the form is made, so a language switch relabels the list.
    return [("", _("Any")), *((value, f"{label} ({value})") for value, label in registered_actions().items())]


class AuditFilterForm(UswdsForm):
    """The auditor's filter. Every field is bounded: an action not on the registered list, an
    impossible date or an overlong text is a form error on the page, never a query."""

    actor = forms.CharField(label=_("Who (email)"), max_length=254, required=False)
    object_type = forms.ChoiceField(label=_("Kind of record"), required=False)
    object_id = forms.CharField(label=_("Record number"), max_length=64, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_action_choices)
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=DateInput, error_messages={"invalid": NOT_A_DATE}
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=DateInput, error_messages={"invalid": NOT_A_DATE}
    )

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Any")), *((t, t) for t in object_types)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
