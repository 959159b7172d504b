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
    response = as_user(peer_reviewer).post(reverse("training:ce_activity_detail", args=[activity.pk]),
                                           {"decision": "accept", "reason": ""})
    assert response.status_code == 200  # the page again, with the refusal on the form
    assert "because you are a party to it" in response.content.decode()
    assert CEActivity.objects.get(pk=activity.pk).status == CEActivityStatus.SUBMITTED


def test_another_reviewer_accepts_it(as_user, peer_reviewer, reviewer):
    activity = CEActivityFactory(person=peer_reviewer.person)
    response = as_user(reviewer).post(reverse("training:ce_activity_detail", args=[activity.pk]),
                                      {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    assert CEActivity.objects.get(pk=activity.pk).status == CEActivityStatus.ACCEPTED


def test_nor_reject_it(peer_reviewer):
    activity = CEActivityFactory(person=peer_reviewer.person)
    with pytest.raises(ApplicationError) as err:
        services.ce_activity_reject(actor=peer_reviewer, activity=activity, reason="no")
    assert err.value.code == OWN_MATTER


def test_a_trainer_does_not_record_her_own_completion(entity, entity_staff, fixed_today):
    offering = OfferingFactory(training_entity=entity, starts_on=datetime.date(2026, 2, 2),
                               ends_on=datetime.date(2026, 2, 3), hours=Decimal("6"))
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
