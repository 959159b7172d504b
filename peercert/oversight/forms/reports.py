"""oversight: the reports part's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import County
from peercert.core.forms import UswdsForm
from peercert.oversight.models.reports import PeriodKind, ReportFormat

__all__ = ["ReportRunForm"]


class ReportRunForm(UswdsForm):
    report = forms.ChoiceField(label=_("Report"))
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        help_text=_("For a fiscal year, the year it starts: 2025 is July 1, 2025 to June 30, 2026."),
    )
    part = forms.IntegerField(
        label=_("Month or quarter"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("A month from 1 to 12, or a quarter from 1 to 4. Leave empty for a year."),
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("name"),
        required=False,
        empty_label=_("Every county (or your own)"),
        help_text=_("Only for the billing and employment report and the evaluation extract."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)

    def __init__(self, *args, report_choices=(), county_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = list(report_choices)
        if county_queryset is not None:
            self.fields["county"].queryset = county_queryset
