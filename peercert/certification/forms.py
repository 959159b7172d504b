from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import County
from peercert.certification.models import (
    ApplicationStatus,
    CertificationStatus,
    DocumentKind,
    ExperienceArea,
    LivedExperience,
    MilestoneKind,
    Outcome,
    Pathway,
)
from peercert.certification.states import OTHER_STATES
from peercert.core.forms import DateInput, ReasonForm, UswdsForm


class OrientationForm(UswdsForm):
    acknowledged = forms.BooleanField(
        label=_("I have read the orientation and understand the steps, fees and requirements.")
    )


class PathwayForm(UswdsForm):
    pathway = forms.ChoiceField(label=_("How are you applying?"), choices=Pathway.choices, widget=forms.RadioSelect)


class AboutForm(UswdsForm):
    legal_first_name = forms.CharField(
        label=_("Legal first name"), max_length=100, help_text=_("Exactly as on your government photo ID.")
    )
    legal_middle_name = forms.CharField(label=_("Legal middle name"), max_length=100, required=False)
    legal_last_name = forms.CharField(label=_("Legal last name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    county = forms.ModelChoiceField(
        label=_("County where you work or plan to work"), queryset=County.objects.all(), required=False
    )


class ExperienceForm(UswdsForm):
    lived_experience = forms.ChoiceField(
        label=_("My lived experience of recovery is"), choices=LivedExperience.choices, widget=forms.RadioSelect
    )
    experience_area = forms.ChoiceField(
        label=_("Recovery from"), choices=ExperienceArea.choices, widget=forms.RadioSelect
    )
    willing_to_share = forms.BooleanField(
        label=_("I am willing to share my lived experience to support others."), required=False
    )


def _work_period_fields():
    return {
        "peer_work_from": forms.DateField(label=_("Peer work: first day counted"), widget=DateInput),
        "peer_work_to": forms.DateField(label=_("Peer work: last day counted"), widget=DateInput),
    }


class _WorkPeriodMixin:
    """The period the reported hours were worked in, checked against the rules' lookback window."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from peercert.core.rules import rules_on

        rules = rules_on()
        self.fields["peer_work_hours"].help_text = _(
            "At least %(hours)s hours, worked within the last %(years)s years."
        ) % {"hours": rules.peer_work_hours_required, "years": rules.peer_work_lookback_years}
        if "ce_earned_since" in self.fields:
            self.fields["ce_earned_since"].help_text = _(
                "At least %(hours)s hours (%(law)s in law and ethics), earned within the last %(years)s years."
            ) % {
                "hours": rules.ce_hours_required,
                "law": rules.ce_law_ethics_hours_required,
                "years": rules.reciprocity_ce_lookback_years,
            }

    def clean(self):
        data = super().clean()
        start, end = data.get("peer_work_from"), data.get("peer_work_to")
        if start and end and end < start:
            self.add_error("peer_work_to", _("The last day cannot be before the first day."))
        return data


class GrandparentingForm(_WorkPeriodMixin, UswdsForm):
    employed_as_peer_on_cutoff = forms.BooleanField(
        label=_("I was employed as a peer on January 1, 2022."), required=False
    )
    peer_work_hours = forms.IntegerField(label=_("Hours of peer work"), min_value=0, max_value=100000)
    peer_work_from = _work_period_fields()["peer_work_from"]
    peer_work_to = _work_period_fields()["peer_work_to"]
    ce_hours = forms.DecimalField(label=_("Continuing education hours"), min_value=0, max_digits=6, decimal_places=2)
    ce_law_ethics_hours = forms.DecimalField(
        label=_("Of which in law and ethics"), min_value=0, max_digits=6, decimal_places=2
    )


class ReciprocityForm(_WorkPeriodMixin, UswdsForm):
    out_of_state_state = forms.ChoiceField(
        label=_("State that certified you"), choices=[("", _("Choose a state")), *OTHER_STATES]
    )
    out_of_state_number = forms.CharField(label=_("Certificate number in that state"), max_length=60)
    out_of_state_no_pending_discipline = forms.BooleanField(
        label=_("My certification there is active and has no pending discipline."), required=False
    )
    peer_work_hours = forms.IntegerField(label=_("Hours of peer work (paid or unpaid)"), min_value=0, max_value=100000)
    peer_work_from = _work_period_fields()["peer_work_from"]
    peer_work_to = _work_period_fields()["peer_work_to"]
    ce_hours = forms.DecimalField(
        label=_("Continuing education hours in the last two years"), min_value=0, max_digits=6, decimal_places=2
    )
    ce_law_ethics_hours = forms.DecimalField(
        label=_("Of which in law and ethics"), min_value=0, max_digits=6, decimal_places=2
    )
    ce_earned_since = forms.DateField(
        label=_("Continuing education: date of the earliest course counted"), widget=DateInput
    )


class TransferForm(UswdsForm):
    prior_program_name = forms.ChoiceField(label=_("California program that certified you"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from peercert.accounts.models import CertificationProgram

        # Programs that certify peers in California, as PeerCert knows them (the statewide entity receives).
        names = (
            CertificationProgram.objects.filter(is_active=True).exclude(code="statewide").values_list("name", flat=True)
        )
        self.fields["prior_program_name"].choices = [("", _("Choose the program")), *((n, n) for n in names)]

    prior_certification_number = forms.CharField(label=_("Your certification number"), max_length=60)


PATHWAY_FORMS = {
    Pathway.GRANDPARENTING: GrandparentingForm,
    Pathway.RECIPROCITY_OUT_OF_STATE: ReciprocityForm,
    Pathway.TRANSFER_IN_STATE: TransferForm,
}


class DocumentForm(UswdsForm):
    kind = forms.ChoiceField(label=_("What is this document?"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG, up to 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    name_on_document = forms.CharField(
        label=_("For a photo ID: your name exactly as printed on it"), max_length=310, required=False
    )


class EthicsForm(UswdsForm):
    ethics_signed_name = forms.CharField(label=_("Type your full legal name to sign"), max_length=310)


class AssignForm(UswdsForm):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        from peercert.accounts.models import User

        self.fields["reviewer"].queryset = User.objects.filter(pk__in=[r.pk for r in reviewers])


class RequirementForm(UswdsForm):
    code = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices)
    notes = forms.CharField(
        label=_("Notes (the applicant sees them if not met)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevisionForm(UswdsForm):
    message = forms.CharField(
        label=_("Message to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DenyForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Reason for denial")


class MilestoneForm(UswdsForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=MilestoneKind.choices)
    occurred_on = forms.DateField(label=_("On"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StatusChangeForm(ReasonForm):
    to_status = forms.ChoiceField(label=_("New status"), choices=CertificationStatus.choices)
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput, required=False)

    field_order = ["to_status", "effective_on", "reason"]


class SpecializationAddForm(UswdsForm):
    specialization = forms.ChoiceField(label=_("Specialization training completed"), choices=())

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialization"].choices = choices


class QueueFilterForm(UswdsForm):
    q = forms.CharField(
        label=_("Name, reference or certification number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    pathway = forms.ChoiceField(label=_("Pathway"), choices=[("", _("Any pathway")), *Pathway.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Waiting for review")), *ApplicationStatus.choices], required=False
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.all(), required=False, empty_label=_("Any county")
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("To me")), ("none", _("Not assigned"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("waiting", _("Waiting longest")),
            ("-waiting", _("Newest")),
            ("pathway", _("Pathway")),
            ("county", _("County")),
            ("status", _("Status")),
        ],
    )


class LegacyImportForm(UswdsForm):
    file = forms.FileField(
        label=_("File of past records (CSV or Excel .xlsx)"),
        help_text=_("One line per past application. Download the template for the columns."),
    )


class HistoricalForm(UswdsForm):
    person_email = forms.EmailField(label=_("Person's email (an existing PeerCert account or person record)"))
    pathway = forms.ChoiceField(label=_("Pathway"), choices=Pathway.choices, initial=Pathway.GRANDPARENTING)
    status = forms.ChoiceField(label=_("Decision"), choices=[("approved", _("Approved")), ("denied", _("Denied"))])
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    peer_work_hours = forms.IntegerField(label=_("Hours of peer work"), min_value=0, required=False)
    employed_as_peer_on_cutoff = forms.BooleanField(
        label=_("Employed as a peer on the grandparenting date"), required=False
    )
    ce_hours = forms.DecimalField(label=_("CE hours"), required=False, min_value=0)
    ce_law_ethics_hours = forms.DecimalField(label=_("Of which law and ethics"), required=False, min_value=0)
    reason = forms.CharField(
        label=_("Notes or denial reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrainingCertificateForm(UswdsForm):
    """The 80-hour core training certificate, sent after approval."""

    file = forms.FileField(
        label=_("Training certificate (PDF, JPEG or PNG, up to 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    completed_on = forms.DateField(label=_("Date you completed the training"), widget=DateInput)
    provider_name = forms.CharField(
        label=_("Training entity (as printed on the certificate)"), max_length=200, required=False
    )


class TrainingCertificateSearchForm(UswdsForm):
    q = forms.CharField(
        label=_("Name, reference or certification number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class WithdrawForm(UswdsForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_(
            "Yes, withdraw my application. I understand a paid fee is not refunded and I would have to apply again."
        )
    )
