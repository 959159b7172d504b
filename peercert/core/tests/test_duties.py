"""core.duties: nobody decides a matter they are a party to (issue 11, finding 4)."""

import pytest
from django.utils import translation

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.duties import OWN_MATTER, ensure_not_assigned_to_party, ensure_not_own_matter, is_party
from peercert.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_a_peer_is_a_party_to_her_own_matter_by_person_person_id_or_user():
    peer = user_with_role(Role.PEER)
    other = user_with_role(Role.PEER)
    assert is_party(peer, peer.person) and is_party(peer, peer.person.pk) and is_party(peer, peer)
    assert not is_party(peer, other.person, other.person.pk, other, None)


def test_staff_without_a_person_is_party_only_as_the_same_sign_in():
    staff = user_with_role(Role.PROGRAM_REVIEWER)
    peer = user_with_role(Role.PEER)
    assert is_party(staff, staff) and not is_party(staff, peer.person, peer)


def test_the_refusal_is_forbidden_plain_and_in_spanish():
    peer = user_with_role(Role.PEER)
    with pytest.raises(ApplicationError) as err:
        ensure_not_own_matter(peer, peer.person, what="ce_activity")
    assert err.value.code == OWN_MATTER and err.value.http_status == 403
    assert "this continuing education activity" in err.value.message
    with translation.override("es"), pytest.raises(ApplicationError) as err:
        ensure_not_own_matter(peer, peer.person.pk, what="invoice")
    assert "esta factura" in err.value.message and "Otro miembro del personal" in err.value.message


def test_jobs_and_other_people_pass():
    peer = user_with_role(Role.PEER)
    ensure_not_own_matter(None, peer.person, what="renewal")
    ensure_not_own_matter(user_with_role(Role.PROGRAM_REVIEWER), peer.person, what="renewal")
    ensure_not_assigned_to_party(user_with_role(Role.PROGRAM_REVIEWER), peer.person, field="reviewer")
    with pytest.raises(ApplicationError) as err:
        ensure_not_assigned_to_party(peer, peer.person, field="reviewer")
    assert err.value.field == "reviewer" and err.value.code == OWN_MATTER
