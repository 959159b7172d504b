import datetime

import pytest
import time_machine
from django.utils import timezone

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.exams import selectors, services
from peercert.exams.models import (
    REGISTRATION_TRANSITIONS,
    Attempt,
    AttemptFee,
    ExamAuthorization,
    Incident,
    Registration,
    RegistrationStatus,
)
from peercert.exams.tests.factories import approved_accommodation, candidate, published_form, session

pytestmark = pytest.mark.django_db


# Authorization (the contract certification calls) ------------------------------------------------


def test_grant_by_system_starts_with_one_paid_attempt_and_tells_the_person():
    user = user_with_role(Role.PEER)
    until = clock.today() + datetime.timedelta(days=365)
    auth = services.exam_authorization_grant(actor=None, person=user.person, valid_until=until, reference="APP-1")
    assert (auth.attempts_paid, auth.attempts_used, auth.valid_until) == (1, 0, until)
    assert auth.rules_version
    assert AuditEvent.objects.filter(
        action="exam_authorization.grant", object_id=str(auth.pk), actor_label="system"
    ).exists()
    assert Notification.objects.filter(user=user, subject__icontains="authorized").exists()
    # the same notice again is harmless
    again = services.exam_authorization_grant(actor=None, person=user.person, valid_until=until, reference="APP-1")
    assert again.pk == auth.pk and ExamAuthorization.objects.count() == 1


def test_grant_by_hand_needs_an_exam_administrator(role_users):
    person = PersonFactory()
    until = clock.today() + datetime.timedelta(days=30)
    with pytest.raises(ApplicationError, match="exam administrator"):
        services.exam_authorization_grant(
            actor=role_users[Role.PROGRAM_REVIEWER], person=person, valid_until=until, reference="R"
        )
    auth = services.exam_authorization_grant(
        actor=role_users[Role.EXAM_ADMINISTRATOR], person=person, valid_until=until, reference="R"
    )
    assert auth.granted_by == role_users[Role.EXAM_ADMINISTRATOR]
    with pytest.raises(ApplicationError, match="already authorized"):
        services.exam_authorization_grant(actor=None, person=person, valid_until=until, reference="OTHER")
    with pytest.raises(ApplicationError, match="already have ended"):
        services.exam_authorization_grant(
            actor=None, person=PersonFactory(), reference="X", valid_until=clock.today() - datetime.timedelta(days=1)
        )


def test_paid_attempts_stop_at_the_max_attempts_rule():
    person = PersonFactory()
    services.exam_authorization_grant(
        actor=None, person=person, reference="APP", valid_until=clock.today() + datetime.timedelta(days=300)
    )
    services.exam_attempt_paid(actor=None, person=person, reference="INV-2")
    services.exam_attempt_paid(actor=None, person=person, reference="INV-2")  # same invoice twice: once
    auth = services.exam_attempt_paid(actor=None, person=person, reference="INV-3")
    assert auth.attempts_paid == 3 and AttemptFee.objects.filter(authorization=auth).count() == 3
    with pytest.raises(ApplicationError, match="limit is 3"):
        services.exam_attempt_paid(actor=None, person=person, reference="INV-4")
    assert ExamAuthorization.objects.get(pk=auth.pk).attempts_paid == 3
    with pytest.raises(ApplicationError, match="no open authorization"):
        services.exam_attempt_paid(actor=None, person=PersonFactory(), reference="INV-9")


# Registration ------------------------------------------------------------------------------------


def test_register_reschedule_cancel(role_users):
    user = candidate()
    s1, s2 = session(), session()
    reg = services.registration_create(actor=user, session=s1, person=user.person)
    assert reg.status == RegistrationStatus.REGISTERED
    assert AuditEvent.objects.filter(action="registration.create", object_id=str(reg.pk)).exists()
    with pytest.raises(ApplicationError, match="already hold a seat"):
        services.registration_create(actor=user, session=s2, person=user.person)
    new = services.registration_reschedule(actor=user, registration=reg, to_session=s2)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.RESCHEDULED and new.session == s2
    services.registration_cancel(actor=user, registration=new)
    new.refresh_from_db()
    assert new.status == RegistrationStatus.CANCELLED
    with pytest.raises(ApplicationError) as exc:
        services.registration_cancel(actor=user, registration=new)
    assert exc.value.code == "state"


def test_someone_else_cannot_register_a_candidate():
    user, other = candidate(), candidate()
    with pytest.raises(ApplicationError, match="only register yourself"):
        services.registration_create(actor=other, session=session(), person=user.person)


def test_unauthorized_candidate_refused_and_nothing_recorded():
    user = candidate(authorized=False)
    with pytest.raises(ApplicationError, match="not authorized"):
        services.registration_create(actor=user, session=session(), person=user.person)
    assert not Registration.objects.exists()


def test_authorization_must_cover_the_session_date():
    user = candidate(valid_days=3)
    with pytest.raises(ApplicationError, match="after your approval window ends"):
        services.registration_create(actor=user, session=session(), person=user.person)  # session in 7 days


def test_full_session_refused():
    s = session(capacity=1)
    first, second = candidate(), candidate()
    services.registration_create(actor=first, session=s, person=first.person)
    with pytest.raises(ApplicationError, match="full") as exc:
        services.registration_create(actor=second, session=s, person=second.person)
    assert exc.value.code == "conflict"
    assert Registration.objects.filter(session=s).count() == 1


def test_fourth_attempt_refused():
    user = candidate(attempts_paid=3, attempts_used=3)
    with pytest.raises(ApplicationError, match="all 3 attempts"):
        services.registration_create(actor=user, session=session(), person=user.person)
    assert not Registration.objects.exists()


def test_unpaid_retake_refused():
    user = candidate(attempts_paid=1, attempts_used=1)
    with pytest.raises(ApplicationError, match="retake fee"):
        services.registration_create(actor=user, session=session(), person=user.person)


def test_cancelled_or_started_session_refused(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    user = candidate()
    s = session()
    services.registration_create(actor=user, session=s, person=user.person)
    services.session_cancel(actor=admin, session=s, reason="Building closed")
    assert not Registration.objects.filter(status=RegistrationStatus.REGISTERED).exists()
    assert Notification.objects.filter(user=user, subject__icontains="cancelled").exists()
    with pytest.raises(ApplicationError, match="cancelled"):
        services.registration_create(actor=user, session=s, person=user.person)
    with pytest.raises(ApplicationError, match="already started"):
        services.registration_create(
            actor=user, session=session(starts_at=clock.now() - datetime.timedelta(minutes=5)), person=user.person
        )


def test_approved_accommodation_is_applied_to_the_seat():
    user = candidate()
    approved_accommodation(user.person, "1.50")
    reg = services.registration_create(actor=user, session=session(), person=user.person)
    assert reg.allowed_minutes == 225


def test_session_needs_published_form_future_start_and_exam_admin_proctor(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    form = published_form()
    later = clock.now() + datetime.timedelta(days=3)
    s = services.session_create(actor=admin, form=form, delivery="online", starts_at=later, capacity=30, proctor=admin)
    assert s.minutes == 150  # from rules.exam_minutes
    with pytest.raises(ApplicationError, match="proctor"):
        services.session_create(
            actor=admin,
            form=form,
            delivery="online",
            starts_at=later,
            capacity=3,
            proctor=role_users[Role.PROGRAM_REVIEWER],
        )
    with pytest.raises(ApplicationError, match="test site"):
        services.session_create(
            actor=admin, form=form, delivery="in_person", starts_at=later, capacity=3, proctor=admin
        )
    with pytest.raises(ApplicationError, match="future"):
        services.session_create(
            actor=admin, form=form, delivery="online", starts_at=clock.now(), capacity=3, proctor=admin
        )


# Check-in and incidents ----------------------------------------------------------------------------


def test_check_in_needs_photo_id_and_counts_the_attempt(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    user = candidate()
    # 10:00 Pacific two days ahead: check-in 20 minutes before is the same Pacific day whatever
    # the hour the suite runs (it used to be "now + 2 days", the day before when run after midnight).
    start = datetime.datetime.combine(
        clock.today() + datetime.timedelta(days=2), datetime.time(10, 0), tzinfo=timezone.get_current_timezone()
    )
    s = session(starts_at=start, proctor_user=admin)
    reg = services.registration_create(actor=user, session=s, person=user.person)
    with time_machine.travel(start - datetime.timedelta(minutes=20), tick=False):
        with pytest.raises(ApplicationError, match="photo ID"):
            services.registration_check_in(actor=admin, registration=reg, photo_id_confirmed=False)
        with pytest.raises(ApplicationError, match="proctor"):
            services.registration_check_in(actor=user, registration=reg, photo_id_confirmed=True)
        attempt = services.registration_check_in(actor=admin, registration=reg, photo_id_confirmed=True)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.CHECKED_IN and reg.checked_in_by == admin
    assert attempt.status == "checked_in" and reg.authorization.attempts_used == 1
    assert AuditEvent.objects.filter(action="registration.check_in", object_id=str(reg.pk)).exists()
    with pytest.raises(ApplicationError):
        services.registration_check_in(actor=admin, registration=reg, photo_id_confirmed=True)
    incident = services.incident_report(actor=admin, session=s, registration=reg, description="Phone rang twice.")
    assert Incident.objects.get(pk=incident.pk).registration == reg


def test_check_in_only_on_the_session_day(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    user = candidate()
    reg = services.registration_create(actor=user, session=session(), person=user.person)
    with pytest.raises(ApplicationError, match="day of their session"):
        services.registration_check_in(actor=admin, registration=reg, photo_id_confirmed=True)
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("start", list(RegistrationStatus.values))
def test_every_registration_transition(role_users, start):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    user = candidate()
    s = session(starts_at=timezone.now() + datetime.timedelta(hours=1))
    auth = ExamAuthorization.objects.get(person=user.person)
    reg = Registration.objects.create(
        session=s,
        person=user.person,
        authorization=auth,
        status=start,
        photo_id_confirmed=start == RegistrationStatus.CHECKED_IN,
    )
    calls = {
        RegistrationStatus.CANCELLED: lambda: services.registration_cancel(actor=user, registration=reg),
        RegistrationStatus.CHECKED_IN: lambda: services.registration_check_in(
            actor=admin, registration=reg, photo_id_confirmed=True
        ),
        RegistrationStatus.RESCHEDULED: lambda: services.registration_reschedule(
            actor=user, registration=reg, to_session=session()
        ),
    }
    for target, call in calls.items():
        reg.refresh_from_db()
        if reg.status != start:
            break
        if target in REGISTRATION_TRANSITIONS[start]:
            call()
            reg.refresh_from_db()
            assert reg.status == target
            break
        with pytest.raises(ApplicationError) as exc:
            call()
        assert exc.value.code == "state"


def test_selectors_exam_passed_on_none_without_a_pass():
    assert selectors.exam_passed_on(PersonFactory()) is None
