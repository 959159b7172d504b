from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.exams import services
from peercert.exams.models import ACCOMMODATION_TRANSITIONS, AccommodationRequest, AccommodationStatus, Registration
from peercert.exams.tests.factories import candidate, pdf_upload, session

pytestmark = pytest.mark.django_db


def _request(user, **kw):
    return services.accommodation_request(
        actor=user,
        person=user.person,
        kinds=kw.pop("kinds", ["extra_time", "separate_room"]),
        provider_name="Dra. Pilar Núñez",
        provider_license="PSY 12345",
        document=kw.pop("document", pdf_upload()),
        **kw,
    )


def test_request_with_provider_document_then_approved_applies_time_to_the_seat(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    user = candidate()
    reg = services.registration_create(actor=user, session=session(), person=user.person)
    req = _request(user)
    assert req.status == AccommodationStatus.SUBMITTED and req.document_kind == "pdf"
    audit = AuditEvent.objects.get(action="accommodation.request", object_id=str(req.pk))
    assert "extra_time" not in str(audit.after)  # health details stay out of the audit trail
    services.accommodation_decide(
        actor=admin,
        request=req,
        approve=True,
        time_multiplier=Decimal("1.5"),
        separate_room=True,
        notes="Granted as asked.",
    )
    reg.refresh_from_db()
    assert reg.time_multiplier == Decimal("1.50") and reg.accommodation_id == req.pk
    assert reg.allowed_minutes == 225  # 150 x 1.5


def test_a_renamed_program_is_refused_as_the_document():
    user = candidate()
    with pytest.raises(ApplicationError, match="contents were checked"):
        _request(user, document=SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf"))
    assert not AccommodationRequest.objects.exists()


def test_other_needs_details_and_a_second_open_request_is_refused():
    user = candidate()
    with pytest.raises(ApplicationError, match="Describe the other"):
        _request(user, kinds=["other"])
    _request(user)
    with pytest.raises(ApplicationError, match="already have a request"):
        _request(user)


def test_only_the_candidate_requests_and_only_staff_decide(role_users):
    user = candidate()
    with pytest.raises(ApplicationError):
        services.accommodation_request(
            actor=role_users[Role.EXAM_ADMINISTRATOR],
            person=user.person,
            kinds=["reader"],
            provider_name="x",
            provider_license="y",
            document=pdf_upload(),
        )
    req = _request(user)
    with pytest.raises(ApplicationError):
        services.accommodation_decide(actor=user, request=req, approve=True, time_multiplier=Decimal("2"))
    with pytest.raises(ApplicationError, match="between 1 and 2"):
        services.accommodation_decide(
            actor=role_users[Role.PROGRAM_MANAGER], request=req, approve=True, time_multiplier=Decimal("3")
        )
    with pytest.raises(ApplicationError, match="Explain the denial"):
        services.accommodation_decide(actor=role_users[Role.PROGRAM_MANAGER], request=req, approve=False)


@pytest.mark.parametrize("start", list(AccommodationStatus.values))
@pytest.mark.parametrize(
    "target", [AccommodationStatus.APPROVED, AccommodationStatus.DENIED, AccommodationStatus.WITHDRAWN]
)
def test_every_accommodation_transition(role_users, start, target):
    user = candidate()
    req = _request(user)
    AccommodationRequest.objects.filter(pk=req.pk).update(status=start)
    call = {
        AccommodationStatus.APPROVED: lambda: services.accommodation_decide(
            actor=role_users[Role.EXAM_ADMINISTRATOR], request=req, approve=True, time_multiplier=Decimal("1.25")
        ),
        AccommodationStatus.DENIED: lambda: services.accommodation_decide(
            actor=role_users[Role.EXAM_ADMINISTRATOR], request=req, approve=False, notes="No provider signature."
        ),
        AccommodationStatus.WITHDRAWN: lambda: services.accommodation_withdraw(actor=user, request=req),
    }[target]
    if target in ACCOMMODATION_TRANSITIONS[start]:
        assert call().status == target
        assert AuditEvent.objects.filter(
            object_type="exams.accommodationrequest",
            object_id=str(req.pk),
            action__in=["accommodation.decide", "accommodation.withdraw"],
        ).exists()
    else:
        with pytest.raises(ApplicationError) as exc:
            call()
        assert exc.value.code == "state"


@pytest.mark.parametrize(
    "role,can_see",
    [
        (Role.EXAM_ADMINISTRATOR, True),
        (Role.PROGRAM_REVIEWER, True),
        (Role.PROGRAM_MANAGER, True),
        (Role.DHCS_APPROVER, False),
        (Role.DHCS_ANALYST, False),
        (Role.AUDITOR, False),
        (Role.COUNTY_STAFF, False),
        (Role.TRAINING_STAFF, False),
        (Role.SYSTEM_ADMINISTRATOR, False),
    ],
)
def test_requests_are_confidential(role_users, as_user, role, can_see):
    owner = candidate()
    req = _request(owner)
    client = as_user(role_users[role])
    for name in ("exams:accommodation_detail", "exams:accommodation_document"):
        response = client.get(reverse(name, args=[req.pk]))
        assert (response.status_code == 200) is can_see, (name, response.status_code)
    listing = client.get(reverse("exams:accommodation_list"))
    assert (listing.status_code == 200) is can_see


def test_candidate_sees_own_request_but_not_another_peers(as_user):
    owner, other = candidate(), candidate()
    req = _request(owner)
    assert as_user(owner).get(reverse("exams:accommodation_detail", args=[req.pk])).status_code == 200
    assert as_user(other).get(reverse("exams:accommodation_detail", args=[req.pk])).status_code == 404
    assert as_user(other).get(reverse("exams:accommodation_document", args=[req.pk])).status_code == 404


def test_decision_through_the_page(role_users, as_user):
    user = candidate()
    reg = services.registration_create(actor=user, session=session(), person=user.person)
    req = _request(user)
    client = as_user(role_users[Role.EXAM_ADMINISTRATOR])
    response = client.post(
        reverse("exams:accommodation_detail", args=[req.pk]),
        {"decision": "approve", "time_multiplier": "1.50", "notes": ""},
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=reg.pk).allowed_minutes == 225
