"""What the services of every entity share: the record's nouns, the locks and the checks of who may act."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from peercert.certification import fees
from peercert.certification.models import (
    EDITABLE_STATUSES,
    Application,
)
from peercert.certification.permissions import (
    can_review_application,
    owns_application,
)
from peercert.core import clock
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.types import Actor

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
NUMBER_COUNTER = "certification"
NUMBER_PREFIX = "PSS-"

# What a refused status change calls the record, in the reader's language.
APPLICATION = gettext_noop("application")
CERTIFICATION = gettext_noop("certification")


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("person", "program").get(pk=application.pk)


def _require_owner(actor: Actor, application: Application) -> None:
    if not owns_application(actor, application):
        raise ApplicationError("Only the applicant may change this application.", code="forbidden")


def _require_reviewer(actor: Actor, application: Application) -> None:
    if not can_review_application(actor, application):
        raise ApplicationError(
            "Only a reviewer or manager of this application's program may do this.", code="forbidden"
        )
    ensure_not_own_matter(actor, application.person_id, what="application")


def _require_editable(application):
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            "This application has been submitted and can no longer be changed. If something is wrong, "
            "wait for the reviewer to ask for changes, or withdraw it and start again.",
            code="state",
        )


def _require_paid(application):
    if not fees.application_fee_settled(application):
        raise ApplicationError(
            "The application fee is not paid yet, so the application cannot be reviewed. "
            "It will be ready once the fee is paid or waived.",
            code="state",
        )


def _grandparenting_closed(today) -> datetime.date | None:
    rules = rules_on(today)
    return rules.grandparenting_closed_after if today > rules.grandparenting_closed_after else None


def _application_url(application) -> str:
    return reverse("certification:application_status", args=[application.pk])


def _stop_clock(application: Application) -> None:
    if application.review_clock_started_at:
        started = timezone.localdate(application.review_clock_started_at)
        application.review_days_banked += (clock.today() - started).days
        application.review_clock_started_at = None
