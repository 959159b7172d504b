"""Separation of duties in exams (issue 11, finding 4)."""

import pytest

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.exams import services
from peercert.exams.models import AccommodationRequest, AccommodationStatus
from peercert.exams.tests.factories import candidate, pdf_upload, proctor

pytestmark = pytest.mark.django_db


def test_an_exam_administrator_does_not_decide_her_own_accommodation():
    user = candidate()
    RoleAssignment.objects.create(user=user, role=Role.EXAM_ADMINISTRATOR, program=statewide_program())
    request = AccommodationRequest.objects.create(
        person=user.person, kinds=["extra_time"], provider_name="Dra. Pilar Núñez", provider_license="PSY 12345",
        document=pdf_upload(), document_kind="pdf")
    with pytest.raises(ApplicationError) as err:
        services.accommodation_decide(actor=user, request=request, approve=True, time_multiplier="1.50")
    assert err.value.code == OWN_MATTER
    assert AccommodationRequest.objects.get(pk=request.pk).status == AccommodationStatus.SUBMITTED
    services.accommodation_decide(actor=proctor(), request=request, approve=True, time_multiplier="1.50")
    assert AccommodationRequest.objects.get(pk=request.pk).status == AccommodationStatus.APPROVED


def test_an_exam_administrator_does_not_authorize_herself():
    import datetime

    from peercert.core import clock
    from peercert.exams.models import ExamAuthorization

    user = candidate(authorized=False)
    RoleAssignment.objects.create(user=user, role=Role.EXAM_ADMINISTRATOR, program=statewide_program())
    until = clock.today() + datetime.timedelta(days=100)
    with pytest.raises(ApplicationError) as err:
        services.exam_authorization_grant(actor=user, person=user.person, valid_until=until, reference="APP-1")
    assert err.value.code == OWN_MATTER and not ExamAuthorization.objects.exists()
    services.exam_authorization_grant(actor=proctor(), person=user.person, valid_until=until, reference="APP-1")
    assert ExamAuthorization.objects.filter(person=user.person).exists()
