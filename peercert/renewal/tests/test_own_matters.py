"""Separation of duties in renewal (issue 11, finding 4)."""

import pytest

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program, user_with_role
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.renewal import services
from peercert.renewal.models import NameChange, NameChangeStatus
from peercert.renewal.tests.factories import certified_peer, pdf

pytestmark = pytest.mark.django_db


def test_a_manager_does_not_decide_her_own_name_change():
    user, _cert = certified_peer()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_MANAGER, program=statewide_program())
    change = services.name_change_request(actor=user, person=user.person, new_first_name="Rosa",
                                          new_last_name="Gutiérrez Peña", document=pdf("marriage.pdf"))
    with pytest.raises(ApplicationError) as err:
        services.name_change_decide(actor=user, name_change=change, approve=True)
    assert err.value.code == OWN_MATTER
    user.person.refresh_from_db()
    assert NameChange.objects.get(pk=change.pk).status == NameChangeStatus.REQUESTED
    assert user.person.legal_last_name == "Gutiérrez"
    services.name_change_decide(actor=user_with_role(Role.PROGRAM_MANAGER), name_change=change, approve=True)
    user.person.refresh_from_db()
    assert user.person.legal_last_name == "Gutiérrez Peña"


def test_a_reviewer_does_not_decide_her_own_renewal():
    from peercert.renewal.models import Renewal, RenewalStatus

    user, cert = certified_peer()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_REVIEWER, program=statewide_program())
    renewal = Renewal.objects.create(certification=cert, person=user.person, status=RenewalStatus.UNDER_REVIEW,
                                     cycle_starts_on=cert.issued_on, cycle_ends_on=cert.expires_on,
                                     rules_version="test")
    with pytest.raises(ApplicationError) as err:
        services.renewal_deny(actor=user, renewal=renewal, reason="no")
    assert err.value.code == OWN_MATTER
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.UNDER_REVIEW
    services.renewal_deny(actor=user_with_role(Role.PROGRAM_REVIEWER), renewal=renewal, reason="Missing CE")
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.DENIED
