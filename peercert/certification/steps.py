"""The steps of the application form: one registry that the step pages, the progress
indicator, the status page, the submit check and staff-entered past records all read.

Each step is saved on its own (application_save_step), so the applicant can stop and come
back; a step is done once its code is in application.steps_completed. The last stop, "Review
and submit", is not a step: it saves nothing and is shown only by the progress indicator.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peercert.certification.forms import PATHWAY_FORMS, AboutForm, EthicsForm, ExperienceForm
from peercert.certification.models import Application, Pathway

REVIEW = "review"
REVIEW_LABEL = _("Review and submit")


def _every_pathway(pathway: str) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    # The Application fields the step's answers are saved in.
    fields: tuple[str, ...]
    # The form drawn on the step's page, by pathway; None for a page with no form (documents).
    form: Callable[[str], type[forms.Form] | None]
    applies_to: Callable[[str], bool] = _every_pathway
    url_name: str = "certification:application_step"

    def is_done(self, application: Application) -> bool:
        return self.code in application.steps_completed

    def url(self, application: Application) -> str:
        return reverse(self.url_name, args=[application.pk, self.code])

    def form_for(self, application: Application, data=None) -> forms.Form | None:
        """The step's form, filled with what the application already says."""
        form_class = self.form(application.pathway)
        if form_class is None:
            return None
        return form_class(data, initial={name: getattr(application, name) for name in form_class.base_fields})


STEPS: tuple[Step, ...] = (
    Step(
        "about",
        _("About you"),
        ("legal_first_name", "legal_middle_name", "legal_last_name", "date_of_birth", "county"),
        form=lambda pathway: AboutForm,
    ),
    Step(
        "experience",
        _("Lived experience"),
        ("lived_experience", "experience_area", "willing_to_share"),
        form=lambda pathway: ExperienceForm,
    ),
    # The standard pathway has nothing to add here: training and the exam come after approval.
    Step(
        "pathway",
        _("Your pathway"),
        (
            "peer_work_hours",
            "peer_work_from",
            "peer_work_to",
            "employed_as_peer_on_cutoff",
            "out_of_state_state",
            "out_of_state_number",
            "out_of_state_no_pending_discipline",
            "ce_hours",
            "ce_law_ethics_hours",
            "ce_earned_since",
            "prior_program_name",
            "prior_certification_number",
        ),
        form=PATHWAY_FORMS.get,
        applies_to=lambda pathway: pathway != Pathway.STANDARD,
    ),
    Step("documents", _("Documents"), (), form=lambda pathway: None),
    Step("ethics", _("Code of Ethics"), ("ethics_signed_name",), form=lambda pathway: EthicsForm),
)
BY_CODE = {step.code: step for step in STEPS}


def steps_for(pathway: str) -> list[Step]:
    """The steps of a pathway's form, in order."""
    return [step for step in STEPS if step.applies_to(pathway)]


def step_codes(pathway: str) -> list[str]:
    return [step.code for step in steps_for(pathway)]


def step_of(pathway: str, code: str) -> Step | None:
    """The step with this code if the pathway has it."""
    step = BY_CODE.get(code)
    return step if step is not None and step.applies_to(pathway) else None


def steps_missing(application: Application) -> list[Step]:
    return [step for step in steps_for(application.pathway) if not step.is_done(application)]


def first_url(application: Application) -> str:
    return steps_for(application.pathway)[0].url(application)


def next_url(application: Application, code: str) -> str:
    """Where the applicant goes after saving a step: the next one, or review and submit after the last."""
    steps = steps_for(application.pathway)
    index = [step.code for step in steps].index(code)
    if index + 1 < len(steps):
        return steps[index + 1].url(application)
    return reverse("certification:application_review", args=[application.pk])


def progress(application: Application, current: str) -> dict:
    """The context certification/_steps.html draws: every step and review, which is current, which are done."""
    steps = steps_for(application.pathway)
    items = [
        {
            "key": step.code,
            "label": step.label,
            "url": step.url(application),
            "state": "current" if step.code == current else "complete" if step.is_done(application) else "",
        }
        for step in steps
    ]
    items.append({"key": REVIEW, "label": REVIEW_LABEL, "url": "", "state": "current" if current == REVIEW else ""})
    position = [item["key"] for item in items].index(current) + 1
    return {"step_items": items, "step_position": position, "step_total": len(items), "current_step": current}
