"""An appeal of a certification denial, against the real certification app.

The appeal names the denied application; overturning it puts that application back in
review (submitted, in the queue), where a reviewer can approve it. Upheld leaves the denial as it was.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.certification import services as certification
from peercert.certification.models import ApplicationStatus
from peercert.certification.tests.conftest import pay  # noqa: F401 - fixture
from peercert.certification.tests.factories import applicant, decide_all, filled_application, reviewer
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.discipline import services
from peercert.discipline.models import AppealStatus, AppealSubject

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2026, 3, 6)
DAY = datetime.timedelta(days=1)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), ZoneInfo("America/Los_Angeles")),
                               tick=False)


@pytest.fixture
def denied(pay):  # noqa: F811 - the fixture imported above
    """(peer user, the reviewer who denied, the denied application)."""
    with at(DECIDED):
        user = applicant()
        staff = reviewer()
        application = filled_application(user)
        certification.application_submit(actor=user, application=application)
        pay(application)
        certification.application_review_start(actor=staff, application=application)
        certification.application_deny(actor=staff, application=application, reason="The diploma is not legible.")
    application.refresh_from_db()
    return user, staff, application


def test_overturned_appeal_puts_the_denied_application_back_in_review(denied):
    user, staff, application = denied
    manager = reviewer(Role.PROGRAM_MANAGER)
    with at(DECIDED + 10 * DAY):
        appeal = services.appeal_file(actor=user, subject=AppealSubject.DENIAL_OF_CERTIFICATION,
                                      grounds="I uploaded a clearer copy.")
        # The record supplies what the appellant would otherwise type.
        assert appeal.application_id == application.pk
        assert appeal.decision_on == DECIDED and appeal.original_decider == staff
        assert appeal.decision_reference == f"Application {application.pk}, denied 2026-03-06"
        with pytest.raises(ApplicationError, match="already under review"):
            services.appeal_file(actor=user, subject=AppealSubject.DENIAL_OF_CERTIFICATION,
                                 application_id=application.pk, grounds="Again")
        with pytest.raises(ApplicationError, match="made the original decision"):
            services.appeal_decide(actor=staff, appeal=appeal, outcome="overturned", reasons="Mine")
    with at(DECIDED + 20 * DAY):
        services.appeal_decide(actor=manager, appeal=appeal, outcome="overturned", reasons="The copy is legible.")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.decided_at is None and application.decision_reason == "" and application.assigned_to is None
    reopen = AuditEvent.objects.get(action="application.reopen", object_id=str(application.pk))
    assert reopen.actor == manager and reopen.before["decision_reason"] == "The diploma is not legible."
    assert appeal.number in reopen.reason
    told = Notification.objects.get(user=user, subject=f"Decision on appeal {appeal.number}")
    assert "back in review" in told.body

    # A reviewer other than the original one now approves it.
    other = reviewer()
    with at(DECIDED + 21 * DAY):
        certification.application_review_start(actor=other, application=application)
        decide_all(other, application)
        certification.application_approve(actor=other, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_upheld_appeal_leaves_the_denial(denied):
    user, _staff, application = denied
    with at(DECIDED + 5 * DAY):
        appeal = services.appeal_file(actor=user, subject=AppealSubject.DENIAL_OF_CERTIFICATION,
                                      application_id=application.pk, grounds="Please look again.")
        services.appeal_decide(actor=reviewer(Role.PROGRAM_MANAGER), appeal=appeal, outcome="upheld",
                               reasons="Still not legible.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DENIED
    assert not AuditEvent.objects.filter(action="application.reopen").exists()


def test_a_new_open_application_blocks_the_reopening_and_nothing_changes(denied):
    user, _staff, application = denied
    with at(DECIDED + 5 * DAY):
        appeal = services.appeal_file(actor=user, subject=AppealSubject.DENIAL_OF_CERTIFICATION,
                                      grounds="Please look again.")
        filled_application(user)  # started again meanwhile: a draft
        with pytest.raises(ApplicationError, match="withdraw it from their account") as refused:
            services.appeal_decide(actor=reviewer(Role.PROGRAM_MANAGER), appeal=appeal, outcome="overturned",
                                   reasons="Legible.")
    assert refused.value.code == "conflict"
    appeal.refresh_from_db()
    application.refresh_from_db()
    assert appeal.status == AppealStatus.FILED and application.status == ApplicationStatus.DENIED


def test_someone_elses_application_cannot_be_named(denied):
    _user, _staff, application = denied
    stranger = applicant(first="Tuấn", last="Trần")
    with at(DECIDED + 5 * DAY), pytest.raises(ApplicationError, match="not the appellant's"):
        services.appeal_file(actor=stranger, subject=AppealSubject.DENIAL_OF_CERTIFICATION,
                             application_id=application.pk, decision_on=DECIDED, grounds="Mine")


def test_peer_appeals_from_the_status_page(client, denied):
    user, _staff, application = denied
    client.force_login(user)
    with at(DECIDED + 3 * DAY):
        page = client.get(reverse("certification:application_status", args=[application.pk])).content.decode()
        link = f"{reverse('discipline:appeal_new')}?application={application.pk}"
        assert "April 5, 2026" in page and link in page
        form = client.get(link).content.decode()
        assert f'<option value="{application.pk}" selected>' in form
        response = client.post(reverse("discipline:appeal_new"), {
            "subject": AppealSubject.DENIAL_OF_CERTIFICATION, "application": application.pk,
            "grounds": "My diploma was uploaded twice."})
        assert response.status_code == 302
    assert user.person.appeals.get().application_id == application.pk
    with at(DECIDED + 31 * DAY):
        page = client.get(reverse("certification:application_status", args=[application.pk])).content.decode()
        assert "The time to appeal ended on April 5, 2026" in page and link not in page
