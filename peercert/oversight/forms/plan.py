"""oversight: the plan part's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core.forms import UswdsForm
from peercert.oversight.models.plan import PLAN_SECTIONS

__all__ = ["PlanDecisionForm", "PlanSubmitForm"]

TEXT_MAX = 20_000
COMMENT_MAX = 4_000


class PlanSubmitForm(UswdsForm):
    """A new version: what it changes, then each section's text and an optional attachment."""

    def __init__(self, *args, initial_sections: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"] = forms.CharField(
            label=_("What this version changes"),
            required=False,
            max_length=COMMENT_MAX,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("For DHCS: what is new since the last version, or how you answered their comments."),
        )
        for code, heading in PLAN_SECTIONS:
            self.fields[code] = forms.CharField(
                label=heading,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=(initial_sections or {}).get(code, ""),
            )
            self.fields[f"{code}_file"] = forms.FileField(
                label=_("Attachment for “%(section)s”") % {"section": heading},
                required=False,
                help_text=_("A PDF, JPEG or PNG, up to 10 MB."),
            )

    def sections(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {code: {"body": data[code], "attachment": data.get(f"{code}_file")} for code, _heading in PLAN_SECTIONS}


class PlanDecisionForm(UswdsForm):
    """A DHCS approver's decision, with a comment per section."""

    APPROVE, RETURN, REJECT = "approve", "return", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, _("Approve: it comes into force today")),
            (RETURN, _("Return with comments, so the program can change it")),
            (REJECT, _("Reject")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment on the whole plan"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: say why."),
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.section_codes = []
        for section in sections:
            name = f"section_{section.code}"
            self.section_codes.append((name, section.code))
            self.fields[name] = forms.CharField(
                label=_("Comment on “%(section)s”") % {"section": section.heading},
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def section_comments(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(name, "") for name, code in self.section_codes}
