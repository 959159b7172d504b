from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import County, Language
from peercert.core.forms import DateInput, ReasonForm, UswdsForm
from peercert.council.models import Population

__all__ = [
    "ApplyForm",
    "AttendanceForm",
    "CallForm",
    "MeetingForm",
    "MinutesForm",
    "ReasonForm",
    "RecommendationForm",
    "ResponseForm",
    "SelectForm",
]


def _text(label, rows=5, **kw):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kw)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class ApplyForm(UswdsForm):
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Your phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    county = forms.ModelChoiceField(label=_("Your county"), queryset=County.objects.order_by("name"))
    language = forms.ChoiceField(label=_("The language you prefer"), choices=Language.choices)
    community = forms.CharField(
        label=_("The community or stakeholder group you would represent"),
        max_length=300,
        help_text=_("For example: Latina mothers in the Central Valley, or peer specialists in rural counties."),
    )
    population = forms.ChoiceField(label=_("The population closest to it"), choices=Population.choices)
    lived_experience = _text(
        _("Your lived experience"),
        help_text=_(
            "What you have lived through that you would bring to the council. Share only what you are comfortable sharing."
        ),
        max_length=4000,
    )


class CallForm(UswdsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("What the call is for and who should apply"))
    opens_on = forms.DateField(label=_("Applications open on"), widget=DateInput)
    closes_on = forms.DateField(label=_("Applications close on"), widget=DateInput)
    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, max_value=50, initial=1)


class SelectForm(UswdsForm):
    seat = forms.CharField(label=_("Seat"), max_length=200, help_text=_("For example: Community seat 3."))
    population = forms.ChoiceField(label=_("Population this seat represents"), choices=Population.choices)
    term_starts_on = forms.DateField(label=_("Term starts on"), widget=DateInput)
    term_ends_on = forms.DateField(label=_("Term ends on"), widget=DateInput)


class MeetingForm(UswdsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    meets_on = forms.DateField(label=_("Meeting date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Start time (Pacific)"), widget=TimeInput)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(label=_("Link to join online"), required=False, assume_scheme="https")
    agenda = _text(_("Agenda"), rows=8)


class MinutesForm(MeetingForm):
    minutes = _text(_("Minutes (page text)"), rows=10, required=False)
    minutes_file = forms.FileField(
        label=_("Minutes (PDF)"), required=False, help_text=_("A PDF of at most 10 MB. It replaces any earlier file.")
    )


class AttendanceForm(UswdsForm):
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class RecommendationForm(UswdsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = _text(_("The council's recommendation"), rows=6)
    made_on = forms.DateField(label=_("Made on"), widget=DateInput)
    meeting = forms.ModelChoiceField(label=_("At the meeting"), queryset=None, required=False)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ResponseForm(UswdsForm):
    response = _text(_("The program's response"), rows=6, max_length=8000)
