"""Separation of duties in training (issue 11, finding 4)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.training import services
from peercert.training.models import CEActivity, CEActivityStatus, Completion, ProviderApplication, ProviderStatus
from peercert.training.tests.factories import CEActivityFactory, OfferingFactory, ProviderApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer_reviewer(peer):
    """A peer who also reviews for the program (the finding: she accepted her own CE)."""
    RoleAssignment.objects.create(user=peer, role=Role.PROGRAM_REVIEWER, program=statewide_program())
    return peer


def test_a_reviewer_cannot_accept_her_own_ce_through_the_page(as_user, peer_reviewer):
    activity = CEActivityFactory(person=peer_reviewer.person)
    response = as_user(peer_reviewer).post(
        reverse("training:ce_activity_detail", args=[activity.pk]), {"decision": "accept", "reason": ""}
    )
    assert response.status_code == 400  # the page again, with the refusal on the form
    assert "because you are a party to it" in response.content.decode()
    assert CEActivity.objects.get(pk=activity.pk).status == CEActivityStatus.SUBMITTED


def test_another_reviewer_accepts_it(as_user, peer_reviewer, reviewer):
    activity = CEActivityFactory(person=peer_reviewer.person)
    response = as_user(reviewer).post(
        reverse("training:ce_activity_detail", args=[activity.pk]), {"decision": "accept", "reason": ""}
    )
    assert response.status_code == 302
    assert CEActivity.objects.get(pk=activity.pk).status == CEActivityStatus.ACCEPTED


def test_nor_reject_it(peer_reviewer):
    activity = CEActivityFactory(person=peer_reviewer.person)
    with pytest.raises(ApplicationError) as err:
        services.ce_activity_reject(actor=peer_reviewer, activity=activity, reason="no")
    assert err.value.code == OWN_MATTER


def test_a_trainer_does_not_record_her_own_completion(entity, entity_staff, fixed_today):
    offering = OfferingFactory(
        training_entity=entity,
        starts_on=datetime.date(2026, 2, 2),
        ends_on=datetime.date(2026, 2, 3),
        hours=Decimal("6"),
    )
    from peercert.accounts.tests.factories import PersonFactory

    PersonFactory(user=entity_staff)
    with pytest.raises(ApplicationError) as err:
        services.completion_record(actor=entity_staff, offering=offering, person=entity_staff.person, hours=6)
    assert err.value.code == OWN_MATTER and not Completion.objects.exists()
    from peercert.accounts.tests.factories import user_with_role

    colleague = user_with_role(Role.TRAINING_STAFF, training_entity=entity)
    services.completion_record(actor=colleague, offering=offering, person=entity_staff.person, hours=6)
    assert Completion.objects.filter(person=entity_staff.person).exists()


def test_an_entitys_own_staff_do_not_decide_its_provider_application(entity, reviewer):
    RoleAssignment.objects.create(user=reviewer, role=Role.TRAINING_STAFF, training_entity=entity)
    application = ProviderApplicationFactory(training_entity=entity)
    with pytest.raises(ApplicationError) as err:
        services.provider_application_start_review(actor=reviewer, application=application)
    assert err.value.code == OWN_MATTER
    assert ProviderApplication.objects.get(pk=application.pk).status == ProviderStatus.SUBMITTED


# ---- A test per deciding service, and the CE review queue -------------------------------------


def _audited(action, obj=None):
    from peercert.core.models import AuditEvent

    qs = AuditEvent.objects.filter(action=action)
    return (qs.filter(object_id=str(obj.pk)) if obj is not None else qs).exists()


_TODAY = datetime.date(2026, 2, 16)
_TERM = {
    "approved_from": datetime.date(2024, 4, 18),
    "approved_until": _TODAY + datetime.timedelta(days=30),
    "renewal_requested_at": datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    "renewal_fee_settled": True,
}
PROVIDER_ACTIONS = {
    "start_review": (
        ProviderStatus.SUBMITTED,
        {},
        ProviderStatus.UNDER_REVIEW,
        "provider_application.start_review",
        lambda a, app: services.provider_application_start_review(actor=a, application=app),
    ),
    "approve": (
        ProviderStatus.UNDER_REVIEW,
        {},
        ProviderStatus.APPROVED,
        "provider_application.approve",
        lambda a, app: services.provider_application_approve(actor=a, application=app),
    ),
    "return": (
        ProviderStatus.UNDER_REVIEW,
        {},
        ProviderStatus.RETURNED,
        "provider_application.return",
        lambda a, app: services.provider_application_return(actor=a, application=app, comments="Add hours"),
    ),
    "deny": (
        ProviderStatus.UNDER_REVIEW,
        {},
        ProviderStatus.DENIED,
        "provider_application.deny",
        lambda a, app: services.provider_application_deny(actor=a, application=app, comments="No trainers"),
    ),
    "suspend": (
        ProviderStatus.APPROVED,
        _TERM,
        ProviderStatus.SUSPENDED,
        "provider_application.suspend",
        lambda a, app: services.provider_application_suspend(actor=a, application=app, reason="Complaint"),
    ),
    "lift": (
        ProviderStatus.SUSPENDED,
        _TERM,
        ProviderStatus.APPROVED,
        "provider_application.lift_suspension",
        lambda a, app: services.provider_application_lift_suspension(actor=a, application=app),
    ),
    "renew": (
        ProviderStatus.APPROVED,
        _TERM,
        ProviderStatus.APPROVED,
        "provider_application.renew",
        lambda a, app: services.provider_application_renew(actor=a, application=app),
    ),
}


@pytest.mark.parametrize("action", list(PROVIDER_ACTIONS))
def test_an_entitys_own_staff_take_no_decision_on_its_application(action, entity, reviewer):
    from peercert.accounts.tests.factories import user_with_role

    start, extra, to, audit_action, call = PROVIDER_ACTIONS[action]
    RoleAssignment.objects.create(user=reviewer, role=Role.TRAINING_STAFF, training_entity=entity)
    application = ProviderApplicationFactory(training_entity=entity, status=start, **extra)
    before = ProviderApplication.objects.filter(pk=application.pk).values().get()
    with pytest.raises(ApplicationError) as err:
        call(reviewer, application)
    assert err.value.code == OWN_MATTER
    assert ProviderApplication.objects.filter(pk=application.pk).values().get() == before
    assert not _audited(audit_action, application)
    done = call(user_with_role(Role.PROGRAM_REVIEWER), application)
    assert done.status == to and _audited(audit_action, application)


@pytest.mark.parametrize(
    "decide",
    [
        lambda a, v: services.curriculum_version_approve(actor=a, version=v),
        lambda a, v: services.curriculum_version_return(actor=a, version=v, comments="Add the ethics module"),
        lambda a, v: services.curriculum_version_reject(actor=a, version=v, comments="Not peer support"),
    ],
    ids=["approve", "return", "reject"],
)
def test_an_approver_does_not_decide_her_own_entitys_curriculum(decide, entity, approver):
    from peercert.accounts.tests.factories import user_with_role
    from peercert.core.models import AuditEvent
    from peercert.training.models import CurriculumVersion, VersionStatus
    from peercert.training.tests.factories import CurriculumFactory, CurriculumVersionFactory

    RoleAssignment.objects.create(user=approver, role=Role.TRAINING_STAFF, training_entity=entity)
    version = CurriculumVersionFactory(
        status=VersionStatus.SUBMITTED, curriculum=CurriculumFactory(owner_training_entity=entity)
    )
    audits = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        decide(approver, version)
    assert err.value.code == OWN_MATTER
    assert CurriculumVersion.objects.get(pk=version.pk).status == VersionStatus.SUBMITTED
    assert AuditEvent.objects.count() == audits
    decide(user_with_role(Role.DHCS_APPROVER), version)
    assert CurriculumVersion.objects.get(pk=version.pk).status != VersionStatus.SUBMITTED


@pytest.fixture
def trainer_in_her_course(entity, entity_staff):
    """A trainer who takes a course her own entity gives (say, a refresher)."""
    from peercert.accounts.tests.factories import PersonFactory

    PersonFactory(
        user=entity_staff, legal_first_name="Ana", legal_last_name="Peña", date_of_birth=datetime.date(1984, 7, 9)
    )
    entity_staff.refresh_from_db()
    offering = OfferingFactory(
        training_entity=entity,
        starts_on=datetime.date(2026, 2, 2),
        ends_on=datetime.date(2026, 2, 3),
        hours=Decimal("6"),
    )
    return entity_staff, offering


def test_a_trainer_does_not_take_her_own_attendance(entity, trainer_in_her_course):
    from peercert.accounts.tests.factories import user_with_role
    from peercert.training.models import Attendance, Enrollment
    from peercert.training.tests.factories import EnrollmentFactory

    trainer, offering = trainer_in_her_course
    enrollment = EnrollmentFactory(offering=offering, person=trainer.person)
    with pytest.raises(ApplicationError) as err:
        services.enrollment_mark_attendance(actor=trainer, enrollment=enrollment, attendance=Attendance.ATTENDED)
    assert err.value.code == OWN_MATTER
    assert Enrollment.objects.get(pk=enrollment.pk).attendance == Attendance.UNMARKED
    assert not _audited("enrollment.mark_attendance", enrollment)
    colleague = user_with_role(Role.TRAINING_STAFF, training_entity=entity)
    services.enrollment_mark_attendance(actor=colleague, enrollment=enrollment, attendance=Attendance.ATTENDED)
    assert Enrollment.objects.get(pk=enrollment.pk).attendance == Attendance.ATTENDED


def test_a_roster_with_a_row_about_the_uploader_is_refused_whole(entity, trainer_in_her_course):
    from peercert.accounts.tests.factories import PersonFactory, user_with_role
    from peercert.training.models import RosterUpload

    trainer, offering = trainer_in_her_course
    PersonFactory(legal_first_name="José", legal_last_name="Núñez", date_of_birth=datetime.date(1980, 1, 2))
    roster = (
        "first_name,last_name,date_of_birth,hours,ce_category\n"
        "jose,NUNEZ,1980-01-02,6,general\nAna,Peña,1984-07-09,6,general\n"
    ).encode()
    with pytest.raises(ApplicationError) as err:
        services.roster_commit(actor=trainer, offering=offering, content=roster, filename="roster.csv")
    assert err.value.code == OWN_MATTER
    assert not Completion.objects.exists() and not RosterUpload.objects.exists()  # not even José's row
    assert not _audited("roster.commit")
    colleague = user_with_role(Role.TRAINING_STAFF, training_entity=entity)
    upload, _result = services.roster_commit(actor=colleague, offering=offering, content=roster, filename="roster.csv")
    assert upload.created_count == 2 and Completion.objects.filter(person=trainer.person).exists()


def test_staff_do_not_decide_their_own_course_accommodation(peer_reviewer, reviewer):
    from peercert.training.models import AccommodationRequest, AccommodationStatus
    from peercert.training.tests.factories import AccommodationRequestFactory

    request = AccommodationRequestFactory(person=peer_reviewer.person)
    with pytest.raises(ApplicationError) as err:
        services.accommodation_request_decide(
            actor=peer_reviewer, request=request, status=AccommodationStatus.GRANTED, decision="Large print"
        )
    assert err.value.code == OWN_MATTER
    fresh = AccommodationRequest.objects.get(pk=request.pk)
    assert fresh.status == AccommodationStatus.SUBMITTED and not fresh.decision
    assert not _audited("accommodation_request.decide", request)
    services.accommodation_request_decide(
        actor=reviewer,
        request=request,
        status=AccommodationStatus.GRANTED,
        decision="Large-print handouts will be ready",
    )
    assert AccommodationRequest.objects.get(pk=request.pk).status == AccommodationStatus.GRANTED


def test_the_ce_review_page_does_not_list_the_reviewers_own_activity(as_user, peer_reviewer, reviewer):
    own = CEActivityFactory(person=peer_reviewer.person)
    theirs = CEActivityFactory()
    own_link, their_link = (reverse("training:ce_activity_detail", args=[a.pk]) for a in (own, theirs))
    client = as_user(peer_reviewer)
    page = client.get(reverse("training:ce_review")).content.decode()
    assert their_link in page and own_link not in page
    assert own_link not in client.get("/").content.decode()  # nor the home page's queue
    page = as_user(reviewer).get(reverse("training:ce_review")).content.decode()
    assert their_link in page and own_link in page


def test_the_home_page_does_not_offer_staff_their_own_entitys_application(as_user, entity, reviewer):
    RoleAssignment.objects.create(user=reviewer, role=Role.TRAINING_STAFF, training_entity=entity)
    own = ProviderApplicationFactory(training_entity=entity)
    theirs = ProviderApplicationFactory()
    own_link, their_link = (reverse("training:application_detail", args=[a.pk]) for a in (own, theirs))
    home = as_user(reviewer).get("/").content.decode()
    assert their_link in home and own_link not in home
