from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core.forms import DateInput, ReasonForm, UswdsForm, style_widget
from peercert.core.vocabulary import ExamContentArea
from peercert.exams.models import AccommodationKind, Delivery, ItemKind, PassRule


class DateTimeInput(forms.DateTimeInput):
    """A local date-and-time picker (type=datetime-local); core.forms has only the date one."""

    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class ItemForm(UswdsForm):
    code = forms.CharField(
        label=_("Item code"), max_length=20, help_text=_("For example AD-0031. Stays the same across versions.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    content_area = forms.ChoiceField(label=_("Content area"), choices=ExamContentArea.choices)
    competency = forms.CharField(label=_("Competency"), max_length=200, required=False)
    stem = forms.CharField(label=_("Question or scenario"), widget=forms.Textarea(attrs={"rows": 4}))
    options = forms.CharField(
        label=_("Answer options, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Multiple-choice items only. The first line is A, the next B, and so on."),
    )
    key = forms.ChoiceField(
        label=_("Correct option"),
        required=False,
        choices=[("", "—")] + [(str(i), letter) for i, letter in enumerate("ABCDEF")],
    )
    tolerance = forms.IntegerField(
        label=_("Grader tolerance (points)"), required=False, min_value=0, help_text=_("Practical tasks only.")
    )
    criteria = forms.CharField(
        label=_("Rubric: one criterion a line, as “points | description”"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Practical tasks only. Example: 4 | Keeps the member safe"),
    )

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def clean_key(self):
        value = self.cleaned_data["key"]
        return int(value) if value not in (None, "") else None

    def clean_criteria(self):
        out = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            points, sep, label = line.partition("|")
            if not sep or not points.strip().isdigit():
                raise forms.ValidationError(_("Line %(n)s: write it as “points | description”.") % {"n": number})
            out.append((label.strip(), int(points.strip())))
        return out


class ItemEditForm(ItemForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "kind", "content_area"):
            self.fields[name].disabled = True
            self.fields[name].required = False


class ReturnForm(ReasonForm):
    """Returning an item to its writer: the reason is what they must change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("What needs to change")


class ExamFormForm(UswdsForm):
    code = forms.SlugField(label=_("Form code"), max_length=30, help_text=_("For example ca-2027-a."))
    name = forms.CharField(label=_("Name"), max_length=200)
    practical_task_count = forms.IntegerField(label=_("Practical tasks"), min_value=0, initial=1)
    pass_rule = forms.ChoiceField(label=_("Pass rule"), choices=PassRule.choices, initial=PassRule.SCALED)
    cut_score = forms.IntegerField(label=_("Written cut score"), min_value=1, initial=70)
    scale_max = forms.IntegerField(label=_("Top of the scale (scaled rule)"), min_value=1, initial=100)
    practical_cut_percent = forms.IntegerField(
        label=_("Practical pass mark (percent)"), min_value=0, max_value=100, initial=70
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in ExamContentArea.choices:
            self.fields[f"area_{value}"] = forms.IntegerField(
                label=_("Items: %(area)s") % {"area": label}, min_value=0, initial=15
            )
            style_widget(self.fields[f"area_{value}"].widget)

    def blueprint(self) -> dict[str, int]:
        return {value: self.cleaned_data[f"area_{value}"] for value in ExamContentArea.values}


class GrantForm(UswdsForm):
    person = forms.ModelChoiceField(label=_("Candidate"), queryset=None)
    valid_until = forms.DateField(label=_("Authorized until"), widget=DateInput)
    reference = forms.CharField(
        label=_("Reference"), max_length=100, help_text=_("For example the application number.")
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class SessionForm(UswdsForm):
    form = forms.ModelChoiceField(label=_("Exam form"), queryset=None)
    delivery = forms.ChoiceField(label=_("How it is given"), choices=Delivery.choices)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, initial=20)
    proctor = forms.ModelChoiceField(label=_("Proctor"), queryset=None)
    site_name = forms.CharField(label=_("Test site"), required=False, max_length=200)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    room = forms.CharField(label=_("Room"), required=False, max_length=100)

    def __init__(self, *args, forms_qs=None, proctors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = forms_qs
        self.fields["proctor"].queryset = proctors


class CheckInForm(UswdsForm):
    photo_id_confirmed = forms.BooleanField(label=_("I saw government photo ID and the name matches"), required=False)


class IncidentForm(UswdsForm):
    registration = forms.ModelChoiceField(label=_("Candidate (if one is involved)"), queryset=None, required=False)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, roster=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = roster


class RescheduleForm(UswdsForm):
    session = forms.ModelChoiceField(label=_("New session"), queryset=None)

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class AccommodationRequestForm(UswdsForm):
    kinds = forms.MultipleChoiceField(
        label=_("What do you need?"), choices=AccommodationKind.choices, widget=forms.CheckboxSelectMultiple
    )
    details = forms.CharField(label=_("Tell us more"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    provider_name = forms.CharField(label=_("Your licensed provider's name"), max_length=200)
    provider_license = forms.CharField(label=_("Provider's license number"), max_length=60)
    document = forms.FileField(label=_("The form your provider completed (PDF, JPEG or PNG)"))


class AccommodationDecisionForm(UswdsForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("deny", _("Deny"))], widget=forms.RadioSelect
    )
    time_multiplier = forms.DecimalField(
        label=_("Time multiplier"),
        min_value=1,
        max_digits=3,
        decimal_places=2,
        initial="1.50",
        help_text=_("1.50 gives one and a half times the usual time."),
    )
    separate_room = forms.BooleanField(label=_("Separate room"), required=False)
    notes = forms.CharField(
        label=_("Notes for the candidate"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VendorFileForm(UswdsForm):
    file = forms.FileField(
        label=_("Vendor result file (CSV)"),
        help_text=_("Columns: candidate_id, form, item_id, answer. The whole file is checked first."),
    )


class GradeForm(UswdsForm):
    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        for c in task.criteria.all():
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=f"{c.label} (0–{c.points})", min_value=0, max_value=c.points
            )
            style_widget(self.fields[f"c{c.pk}"].widget)

    def points(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class PracticalResponseForm(UswdsForm):
    """The candidate's response to a practical task: text, a file, or both."""

    text = forms.CharField(
        label=_("Your response"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Write what you would say and do. Up to 20,000 characters."),
    )
    document = forms.FileField(
        label=_("A file (optional)"),
        required=False,
        help_text=_("A PDF, JPEG or PNG, for example a plan you wrote by hand. Up to 10 MB."),
    )


class ConversionForm(UswdsForm):
    """The form's conversion table, one line per raw score: "raw, scaled"."""

    conversion = forms.CharField(
        label=_("Conversion table (raw score, scaled score)"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20_000,
        help_text=_(
            "One line for each raw score from 0 to the number of questions, for example “84, 70”. "
            "The starting table shown is proportional; set the scaled scores your equating study found."
        ),
    )

    def clean_conversion(self):
        table = {}
        for number, line in enumerate(self.cleaned_data["conversion"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = [p.strip() for p in line.replace(";", ",").split(",")]
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                raise forms.ValidationError(
                    _("Line %(n)s: write a raw score and a scaled score, for example “84, 70”."), params={"n": number}
                )
            raw, scaled = int(parts[0]), int(parts[1])
            if raw in table:
                raise forms.ValidationError(
                    _("Line %(n)s: raw score %(raw)s is given twice."), params={"n": number, "raw": raw}
                )
            table[raw] = scaled
        if not table:
            raise forms.ValidationError(_("Give the conversion table."))
        return table
