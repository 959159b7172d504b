from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import Language
from peercert.core.forms import DateInput, ReasonForm, UswdsForm
from peercert.core.vocabulary import CECategory, Specialization
from peercert.training.models import (
    AccommodationStatus,
    Attendance,
    Competency,
    CurriculumKind,
    CurriculumVersion,
    Modality,
)


class ProviderApplicationForm(UswdsForm):
    training_entity = forms.ModelChoiceField(label=_("Training entity"), queryset=None)
    training_type = forms.ChoiceField(label=_("Training type"), choices=CurriculumKind.choices)
    language = forms.ChoiceField(label=_("Language of instruction"), choices=Language.choices)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    description = forms.CharField(
        label=_("About your program"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Trainers, experience, where you teach."),
    )

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_entity"].queryset = entities


class CommentsForm(UswdsForm):
    comments = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CurriculumForm(UswdsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CurriculumKind.choices)
    specialization = forms.ChoiceField(
        label=_("Specialization"),
        choices=[("", "—"), *Specialization.choices],
        required=False,
        help_text=_("Only for a specialization curriculum."),
    )
    ce_category = forms.ChoiceField(label=_("CE category"), choices=CECategory.choices, initial=CECategory.GENERAL)
    is_refresher = forms.BooleanField(label=_("This continuing-education course is a refresher course"), required=False)


class CompetencyForm(UswdsForm):
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies taught"),
        queryset=Competency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class VersionForm(UswdsForm):
    hours = forms.DecimalField(label=_("Hours"), min_value=0.25, max_digits=6, decimal_places=2)
    summary = forms.CharField(label=_("Summary of content"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class OfferingForm(UswdsForm):
    training_entity = forms.ModelChoiceField(label=_("Training entity"), queryset=None)
    curriculum_version = forms.ModelChoiceField(label=_("Curriculum (approved version)"), queryset=None)
    title = forms.CharField(
        label=_("Course title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the curriculum's title."),
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=2)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    modality = forms.ChoiceField(label=_("How it is taught"), choices=Modality.choices)
    location = forms.CharField(label=_("Address or link"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1)
    cost = forms.DecimalField(
        label=_("Cost to the student (dollars)"), max_digits=8, decimal_places=2, initial=0, min_value=0
    )
    accommodation_contact = forms.CharField(
        label=_("Who to ask for an accommodation"), max_length=200, help_text=_("A name with an email or phone number.")
    )

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_entity"].queryset = entities
        self.fields["curriculum_version"].queryset = CurriculumVersion.objects.filter(status="approved").select_related(
            "curriculum"
        )


class CompletionForm(UswdsForm):
    person = forms.IntegerField(widget=forms.HiddenInput)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=2)
    completed_on = forms.DateField(label=_("Date finished"), widget=DateInput, required=False)
    ce_category = forms.ChoiceField(label=_("CE category"), choices=CECategory.choices)


class RosterForm(UswdsForm):
    file = forms.FileField(
        label=_("Roster file (CSV or Excel .xlsx)"),
        help_text=_(
            "Columns: certification_number, or first_name, last_name and date_of_birth; "
            "then hours; optional completed_on and ce_category."
        ),
    )


class AttendanceForm(UswdsForm):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)


class CancelOfferingForm(ReasonForm):
    """Why a course is cancelled: every student reads it."""

    prefix = "cancel"


class AccommodationForm(UswdsForm):
    needs = forms.CharField(
        label=_("What do you need?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: a sign language interpreter, large print, extra time."),
    )
    document = forms.FileField(
        label=_("Form from your licensed provider (PDF or photo)"),
        help_text=_("Only you, the training entity's staff who decide, and program staff can open it."),
    )


class AccommodationDecisionForm(UswdsForm):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (c, label) for c, label in AccommodationStatus.choices if c in ("granted", "partly_granted", "denied")
        ],
    )
    decision = forms.CharField(label=_("What will be provided, or why not"), widget=forms.Textarea(attrs={"rows": 3}))


class CEActivityForm(UswdsForm):
    title = forms.CharField(label=_("Course or activity"), max_length=200)
    provider_name = forms.CharField(label=_("Who offered it"), max_length=200)
    completed_on = forms.DateField(label=_("Date finished"), widget=DateInput)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=2, min_value=0.25)
    ce_category = forms.ChoiceField(label=_("Category"), choices=CECategory.choices)
    evidence = forms.FileField(label=_("Certificate or other proof (PDF or photo)"))


class CEDecisionForm(UswdsForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Do not accept"))])
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, help_text=_("Required when you do not accept it.")
    )


class SupervisorCompletionForm(UswdsForm):
    first_name = forms.CharField(label=_("Supervisor's legal first name"), max_length=100)
    last_name = forms.CharField(label=_("Legal last name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    email = forms.EmailField(label=_("Email"), required=False)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=2)
    completed_on = forms.DateField(label=_("Date finished"), widget=DateInput, required=False)
