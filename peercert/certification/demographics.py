"""The voluntary questions about the applicant (for the state's reports, counted only in aggregate).

An optional section of the application: offered from "Review and submit", never required to submit,
never shown to reviewers. Every question has "Prefer not to say"; an empty answer is "not answered".
"""

from django import forms
from django.db import transaction
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peercert.accounts.permissions import role_required
from peercert.accounts.roles import Role
from peercert.certification import selectors
from peercert.certification.audit import AuditAction
from peercert.certification.models import ApplicantDemographics
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.forms import UswdsModelForm
from peercert.core.views import run_form

QUESTIONS = ("race_ethnicity", "gender_identity", "sexual_orientation", "age_group", "veteran", "disability")


class DemographicsForm(UswdsModelForm):
    class Meta:
        model = ApplicantDemographics
        fields = QUESTIONS
        widgets = {name: forms.RadioSelect for name in QUESTIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in QUESTIONS:
            field = self.fields[name]
            field.required = False
            # A radio list with a "skip" choice first: leaving it there is not answering.
            field.choices = [("", gettext_lazy("Skip this question"))] + [c for c in field.choices if c[0]]


@transaction.atomic
def demographics_save(*, actor, application, data: dict) -> ApplicantDemographics:
    """Save the applicant's voluntary answers (one row per person, the latest answers winning).

    Preconditions: the actor is the applicant. Side effects: the answers saved; an audit event that says
    they changed, without the answers (they are sensitive and only ever reported in aggregate)."""
    person = application.person
    if person.user_id != getattr(actor, "pk", None):
        raise ApplicationError("Only the applicant can answer these questions.", code="forbidden")
    row, _created = ApplicantDemographics.objects.select_for_update().get_or_create(person=person)
    for name in QUESTIONS:
        setattr(row, name, data.get(name) or "")
    row.answered_on = clock.today()
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.DEMOGRAPHICS_SAVE,
        obj=row,
        after={"answered": sum(bool(data.get(n)) for n in QUESTIONS)},
    )
    return row


@role_required(Role.PEER)
def application_demographics(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    instance = ApplicantDemographics.objects.filter(person=application.person).first()
    form = DemographicsForm(request.POST or None, instance=instance)
    done = run_form(
        request,
        form,
        lambda data: demographics_save(actor=request.user, application=application, data=data),
        success_url=reverse("certification:application_review", args=[application.pk]),
        message=_("Thank you. Your answers are saved; you can change them at any time."),
    )
    if done:
        return done
    return render(
        request,
        "certification/demographics.html",
        {"application": application, "form": form},
        status=400 if form.is_bound else 200,
    )


urlpatterns = [
    path(
        "applications/<int:application_id>/about-you-optional/",
        application_demographics,
        name="application_demographics",
    ),
]
