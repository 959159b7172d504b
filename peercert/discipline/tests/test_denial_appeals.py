"""Appeals of a certification or renewal denial, against the real certification and renewal apps.

The appeal names the denied application or renewal; overturning it sends that record back
for review (an application to the queue, submitted; a renewal to staff, under review),
where a reviewer can approve it. Upheld leaves the denial as it was.
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
from peercert.renewal import services as renewal_services
from peercert.renewal.models import CEAuditStatus, RenewalStatus
from peercert.renewal.tests.factories import certified_peer, give_ce, number_audited, pay_all, pdf

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2026, 3, 6)
DAY = datetime.timedelta(days=1)


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), ZoneInfo("America/Los_Angeles")), tick=False
    )


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
        appeal = services.appeal_file(
            actor=user, subject=AppealSubject.DENIAL_OF_CERTIFICATION, grounds="I uploaded a clearer copy."
        )
        # The record supplies what the appellant would otherwise type.
        assert appeal.application_id == application.pk
        assert appeal.decision_on == DECIDED and appeal.original_decider == staff
        assert appeal.decision_reference == f"Application {application.pk}, denied 2026-03-06"
        with pytest.raises(ApplicationError, match="already under review"):
            services.appeal_file(
                actor=user, subject=AppealSubject.DENIAL_OF_CERTIFICATION, denial_id=application.pk, grounds="Again"
            )
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
        appeal = services.appeal_file(
            actor=user,
            subject=AppealSubject.DENIAL_OF_CERTIFICATION,
            denial_id=application.pk,
            grounds="Please look again.",
        )
        services.appeal_decide(
            actor=reviewer(Role.PROGRAM_MANAGER), appeal=appeal, outcome="upheld", reasons="Still not legible."
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DENIED
    assert not AuditEvent.objects.filter(action="application.reopen").exists()


def test_a_new_open_application_blocks_the_reopening_and_nothing_changes(denied):
    user, _staff, application = denied
    with at(DECIDED + 5 * DAY):
        appeal = services.appeal_file(
            actor=user, subject=AppealSubject.DENIAL_OF_CERTIFICATION, grounds="Please look again."
        )
        filled_application(user)  # started again meanwhile: a draft
        with pytest.raises(ApplicationError, match="withdraw it from their account") as refused:
            services.appeal_decide(
                actor=reviewer(Role.PROGRAM_MANAGER), appeal=appeal, outcome="overturned", reasons="Legible."
            )
    assert refused.value.code == "conflict"
    appeal.refresh_from_db()
    application.refresh_from_db()
    assert appeal.status == AppealStatus.FILED and application.status == ApplicationStatus.DENIED


def test_someone_elses_application_cannot_be_named(denied):
    _user, _staff, application = denied
    stranger = applicant(first="Tuấn", last="Trần")
    with at(DECIDED + 5 * DAY), pytest.raises(ApplicationError, match="not the appellant's"):
        services.appeal_file(
            actor=stranger,
            subject=AppealSubject.DENIAL_OF_CERTIFICATION,
            denial_id=application.pk,
            decision_on=DECIDED,
            grounds="Mine",
        )


def test_peer_appeals_from_the_status_page(client, denied):
    user, _staff, application = denied
    client.force_login(user)
    with at(DECIDED + 3 * DAY):
        page = client.get(reverse("certification:application_status", args=[application.pk])).content.decode()
        link = f"{reverse('discipline:appeal_new')}?denial=application-{application.pk}"
        assert "April 5, 2026" in page and link in page
        form = client.get(link).content.decode()
        assert f'<option value="application-{application.pk}" selected>' in form
        mismatch = client.post(
            reverse("discipline:appeal_new"),
            {
                "subject": AppealSubject.DENIAL_OF_RENEWAL,
                "denial": f"application-{application.pk}",
                "grounds": "Wrong subject.",
            },
        )
        assert mismatch.status_code == 400 and "This is a denied application" in mismatch.content.decode()
        response = client.post(
            reverse("discipline:appeal_new"),
            {
                "subject": AppealSubject.DENIAL_OF_CERTIFICATION,
                "denial": f"application-{application.pk}",
                "grounds": "My diploma was uploaded twice.",
            },
        )
        assert response.status_code == 302
    assert user.person.appeals.get().application_id == application.pk
    with at(DECIDED + 31 * DAY):
        page = client.get(reverse("certification:application_status", args=[application.pk])).content.decode()
        assert "The time to appeal ended on April 5, 2026" in page and link not in page


def test_overturned_renewal_denial_goes_back_to_staff_who_renew(django_capture_on_commit_callbacks):
    with at(datetime.date(2026, 11, 2)):
        user, cert = certified_peer(number=number_audited())
        give_ce(cert.person, datetime.date(2026, 3, 1))
        renewal = renewal_services.renewal_start(actor=user, certification=cert)
        renewal = renewal_services.renewal_sign(
            actor=user, renewal=renewal, ethics_signed_name=cert.person.full_name, attest=True
        )
        with django_capture_on_commit_callbacks(execute=True):
            pay_all(renewal, user)
        renewal = renewal_services.renewal_submit(actor=user, renewal=renewal)
        renewal_services.ce_audit_evidence_add(actor=user, audit=renewal.ce_audit, upload=pdf())
        renewal_services.ce_audit_submit(actor=user, audit=renewal.ce_audit)
        staff = reviewer()
        renewal_services.ce_audit_decide(actor=staff, audit=renewal.ce_audit, accept=False, notes="Not legible.")
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.DENIED
    manager = reviewer(Role.PROGRAM_MANAGER)
    with at(datetime.date(2026, 11, 20)):
        page = renewal_page(user, renewal)
        assert f"?denial=renewal-{renewal.pk}" in page and "December 2, 2026" in page
        appeal = services.appeal_file(
            actor=user, subject=AppealSubject.DENIAL_OF_RENEWAL, grounds="Here is a clearer scan."
        )
        assert appeal.renewal_id == renewal.pk and appeal.original_decider == staff and appeal.application_id is None
        with pytest.raises(ApplicationError, match="That renewal was not denied"):
            services.appeal_file(
                actor=user, subject=AppealSubject.DENIAL_OF_RENEWAL, denial_id=renewal.pk + 99, grounds="Other"
            )
        services.appeal_decide(actor=manager, appeal=appeal, outcome="overturned", reasons="The scan is legible.")
        renewal.refresh_from_db()
        assert renewal.status == RenewalStatus.UNDER_REVIEW and renewal.decision_reason == ""
        assert renewal.ce_audit.status == CEAuditStatus.ACCEPTED
        assert AuditEvent.objects.filter(action="renewal.reopen", object_id=str(renewal.pk)).exists()
        renewal_services.renewal_approve(actor=manager, renewal=renewal)
    renewal.refresh_from_db()
    cert.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED and cert.expires_on == renewal.new_expires_on


def renewal_page(user, renewal):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(reverse("renewal:detail", args=[renewal.pk])).content.decode()


def test_staff_record_a_mailed_appeal_by_application_number(client, denied):
    user, staff, application = denied
    manager = reviewer(Role.PROGRAM_MANAGER)
    client.force_login(manager)
    with at(DECIDED + 4 * DAY):
        response = client.post(
            reverse("discipline:appeal_new"),
            {
                "subject": AppealSubject.DENIAL_OF_CERTIFICATION,
                "person_id": user.person.pk,
                "denial_id": application.pk,
                "filed_on": "2026-03-09",
                "grounds": "Letter received by mail.",
            },
        )
        assert response.status_code == 302
        appeal = user.person.appeals.get()
        assert appeal.application_id == application.pk and appeal.original_decider == staff
        assert appeal.filed_on == datetime.date(2026, 3, 9)
        wrong = client.post(
            reverse("discipline:appeal_new"),
            {
                "subject": AppealSubject.DENIAL_OF_CERTIFICATION,
                "person_id": user.person.pk,
                "denial_id": application.pk + 50,
                "grounds": "Typo in the number.",
            },
        )
        assert wrong.status_code == 400 and "That application was not denied" in wrong.content.decode()
    assert user.person.appeals.count() == 1


def test_the_form_offers_a_denial_only_inside_its_window(client, denied):
    user, _staff, application = denied
    client.force_login(user)
    option = f'value="application-{application.pk}"'
    with at(DECIDED + 30 * DAY):  # the last day (30 days by the rules of the decision date)
        assert option in client.get(reverse("discipline:appeal_new")).content.decode()
    with at(DECIDED + 31 * DAY):
        assert option not in client.get(reverse("discipline:appeal_new")).content.decode()
