from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import TrainingEntity
from peercert.core.forms import DateInput, UswdsForm
from peercert.discipline.models import (
    DENIAL_SUBJECT_KINDS,
    OUTCOMES_FOR,
    AppealOutcome,
    AppealSubject,
    CaseEntryKind,
    Channel,
    ComplaintStatus,
    EthicsProvision,
    Outcome,
    RespondentKind,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _text(label, **kw):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 5}), **kw)


class ComplaintForm(UswdsForm):
    complainant_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "name"}),
    )
    complainant_phone = forms.CharField(
        label=_("Your phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "tel", "type": "tel"}),
    )
    complainant_email = forms.EmailField(
        label=_("Your email"),
        required=False,
        help_text=_("Give an email or a phone number so we can reach you."),
        widget=forms.EmailInput(attrs={"class": "usa-input", "autocomplete": "email"}),
    )
    respondent_kind = forms.ChoiceField(
        label=_("Who is the complaint about?"),
        choices=RespondentKind.choices,
        widget=forms.RadioSelect,
        initial=RespondentKind.PEER,
    )
    certification_number = forms.CharField(
        label=_("Peer's certification number"),
        max_length=40,
        required=False,
        help_text=_("Find it on the registry, or use “Find a peer” below to search by name."),
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    training_entity = forms.ModelChoiceField(
        label=_("Training entity"),
        queryset=TrainingEntity.objects.order_by("name"),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    incident_on = forms.DateField(
        label=_("When did it happen?"),
        widget=DateInput,
        help_text=_("If it happened more than once, give the most recent date."),
    )
    incident_description = _text(_("What happened?"), help_text=_("Say what happened, where, and who was there."))
    evidence = MultipleFileField(
        label=_("Evidence (PDF, JPEG or PNG)"), required=False, help_text=_("Optional. Up to 10 MB each.")
    )

    def clean(self):
        data = super().clean()
        kind = data.get("respondent_kind")
        if (
            kind == RespondentKind.PEER
            and not (data.get("certification_number") or "").strip()
            and not self.has_person_choice(data)
        ):
            self.add_error("certification_number", _("Enter the peer's certification number."))
        if kind == RespondentKind.TRAINING_ENTITY and not data.get("training_entity"):
            self.add_error("training_entity", _("Choose the training entity."))
        return data

    def has_person_choice(self, data) -> bool:
        return False


class StaffComplaintForm(ComplaintForm):
    channel = forms.ChoiceField(
        label=_("How it came in"),
        choices=[(c, label) for c, label in Channel.choices if c != Channel.ONLINE],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    received_on = forms.DateField(label=_("Date received"), widget=DateInput)
    person_id = forms.IntegerField(
        label=_("Or the person's record number"),
        required=False,
        help_text=_("For someone without a certification number in PeerCert."),
        widget=forms.NumberInput(attrs={"class": "usa-input"}),
    )

    field_order = [
        "channel",
        "received_on",
        "complainant_name",
        "complainant_phone",
        "complainant_email",
        "respondent_kind",
        "certification_number",
        "person_id",
        "training_entity",
        "incident_on",
        "incident_description",
        "evidence",
    ]

    def has_person_choice(self, data) -> bool:
        return bool(data.get("person_id"))


class AssignForm(UswdsForm):
    investigator = forms.ModelChoiceField(
        label=_("Investigator"), queryset=None, widget=forms.Select(attrs={"class": "usa-select"})
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = staff


class CaseEntryForm(UswdsForm):
    kind = forms.ChoiceField(
        label=_("Kind of entry"), choices=CaseEntryKind.choices, widget=forms.Select(attrs={"class": "usa-select"})
    )
    text = _text(_("Note or summary"), required=False)
    interviewee = forms.CharField(
        label=_("Who was interviewed"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    interviewed_on = forms.DateField(label=_("Interview date"), required=False, widget=DateInput)
    document = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input"}),
    )


class DecideForm(UswdsForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    findings = _text(_("Findings"))
    provisions = forms.MultipleChoiceField(
        label=_("Code of Ethics provisions involved"),
        choices=EthicsProvision.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    effective_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=DateInput,
        help_text=_("Today, or a later date. Leave blank for today."),
    )
    ends_on = forms.DateField(label=_("Suspension: last day"), required=False, widget=DateInput)
    until_condition = forms.CharField(
        label=_("Suspension: or until this condition is met"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    due_on = forms.DateField(label=_("Corrective action: classes due by"), required=False, widget=DateInput)
    classes = forms.CharField(
        label=_("Corrective action: required classes"),
        required=False,
        help_text=_("One per line: class name | CE category (law_ethics or general, optional) | hours (optional)"),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
    public_summary = forms.CharField(
        label=_("Public summary (shown on the registry)"),
        required=False,
        help_text=_("Leave blank to use the standard wording."),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
    )

    def __init__(self, *args, respondent_kind=RespondentKind.PEER, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OUTCOMES_FOR[respondent_kind]
        self.fields["outcome"].choices = [(o, label) for o, label in Outcome.choices if o in allowed]

    def parsed_classes(self) -> list[dict]:
        out = []
        for line in (self.cleaned_data.get("classes") or "").splitlines():
            parts = [p.strip() for p in line.split("|")]
            if not parts or not parts[0]:
                continue
            hours = parts[2] if len(parts) > 2 and parts[2] else "0"
            try:
                float(hours)
            except ValueError:
                hours = "0"
            out.append({"title": parts[0], "ce_category": parts[1] if len(parts) > 1 else "", "hours": hours})
        return out


class ClassCompleteForm(UswdsForm):
    completed_on = forms.DateField(label=_("Date finished"), widget=DateInput)


# The subject each kind of denied record is appealed under (choices are keyed "application-12", "renewal-5").
DENIAL_SUBJECTS = {kind: subject for subject, kind in DENIAL_SUBJECT_KINDS.items()}


class AppealForm(UswdsForm):
    subject = forms.ChoiceField(
        label=_("What are you appealing?"),
        choices=AppealSubject.choices,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    action = forms.TypedChoiceField(
        label=_("The suspension, revocation or withdrawal"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
        help_text=_("Only for an appeal of a disciplinary action."),
    )
    denial = forms.ChoiceField(
        label=_("The denied application or renewal"),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
        help_text=_("For a denial of certification or of renewal."),
    )
    decision_on = forms.DateField(
        label=_("Date of the decision"),
        required=False,
        widget=DateInput,
        help_text=_("For a denial decided outside PeerCert: the date on the decision letter."),
    )
    decision_reference = forms.CharField(
        label=_("Decision or application reference"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    grounds = _text(_("Why should the decision change?"))

    def __init__(self, *args, actions=(), subjects=None, denials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Not an action"))] + [
            (a.pk, f"{a.get_kind_display()} · {a.complaint.number} · {a.effective_on:%Y-%m-%d}") for a in actions
        ]
        self.fields["denial"].choices = [("", _("Not a denial"))] + [(d.key, d.reference) for d in denials]
        if not denials:
            del self.fields["denial"]
        if subjects is not None:
            self.fields["subject"].choices = [(s, label) for s, label in AppealSubject.choices if s in subjects]

    def clean(self):
        data = super().clean()
        chosen = data.get("denial")
        data.setdefault("denial_id", None)  # staff type the number instead
        if chosen:
            kind, _sep, pk = chosen.partition("-")
            if DENIAL_SUBJECTS.get(kind) != data.get("subject"):
                self.add_error(
                    "denial",
                    _("This is a denied %(kind)s: choose “%(subject)s” above, or no denial.")
                    % {"kind": _(kind), "subject": AppealSubject(DENIAL_SUBJECTS[kind]).label},
                )
            else:
                data["denial_id"] = int(pk)
        return data


class StaffAppealForm(AppealForm):
    person_id = forms.IntegerField(
        label=_("Appellant's person record number (denials)"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "usa-input"}),
    )
    denial_id = forms.IntegerField(
        label=_("Denied application or renewal number"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "usa-input"}),
        help_text=_(
            "For a denial of certification or renewal. Leave empty to use the person's latest denial of that kind."
        ),
    )
    entity = forms.ModelChoiceField(
        label=_("Appellant training entity (entity denials)"),
        required=False,
        queryset=TrainingEntity.objects.order_by("name"),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    filed_on = forms.DateField(label=_("Date the appeal was received"), required=False, widget=DateInput)
    original_decider = forms.ModelChoiceField(
        label=_("Who made the original decision (denials)"),
        required=False,
        queryset=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original_decider"].queryset = staff


class AppealDecideForm(UswdsForm):
    outcome = forms.ChoiceField(label=_("Decision"), choices=AppealOutcome.choices, widget=forms.RadioSelect)
    reasons = _text(_("Reasons"))
    modification = forms.CharField(
        label=_("If modified: what changes"),
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
    )
    new_ends_on = forms.DateField(
        label=_("If modified: new last day of the suspension"), required=False, widget=DateInput
    )
    original_decider = forms.ModelChoiceField(
        label=_("Who made the original decision"),
        required=False,
        queryset=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
        help_text=_("Needed once for a denial decided outside discipline."),
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original_decider"].queryset = staff


class RecordsFilterForm(UswdsForm):
    person = forms.ModelChoiceField(
        label=_("Peer"), required=False, queryset=None, widget=forms.Select(attrs={"class": "usa-select"})
    )
    entity = forms.ModelChoiceField(
        label=_("Training entity"),
        required=False,
        queryset=TrainingEntity.objects.order_by("name"),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    status = forms.ChoiceField(
        label=_("Complaint status"),
        required=False,
        choices=[("", _("Any"))] + list(ComplaintStatus.choices),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
