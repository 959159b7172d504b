import pytest
from django.core import mail

from peercert.accounts import services
from peercert.accounts.models import ApiToken, Person, RoleAssignment, User
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import TrainingEntityFactory, county, user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent


@pytest.fixture
def manager(db):
    return user_with_role(Role.PROGRAM_MANAGER)


def test_register_creates_user_person_and_peer_role(db):
    user = services.user_register(
        email="Zoë.Núñez@Example.org",
        password="a-long-passphrase-2026",
        legal_first_name="Zoë",
        legal_last_name="Núñez",
    )
    assert user.email == "zoë.núñez@example.org"
    assert Person.objects.get(user=user).search_name == "zoe nunez"
    assert RoleAssignment.objects.filter(user=user, role=Role.PEER).exists()
    assert AuditEvent.objects.filter(action="user.register", object_id=str(user.pk)).exists()


def test_register_makes_no_second_account_and_refuses_a_weak_password_saving_nothing(db):
    services.user_register(
        email="ana@example.org", password="a-long-passphrase-2026", legal_first_name="Ana", legal_last_name="Peña"
    )
    # A used email makes no second account and says nothing to the caller (see test_enumeration).
    assert (
        services.user_register(
            email="ANA@example.org", password="another-long-phrase-1", legal_first_name="Ana", legal_last_name="Peña"
        )
        is None
    )
    assert User.objects.filter(email__iexact="ana@example.org").count() == 1
    with pytest.raises(ApplicationError) as err:
        services.user_register(
            email="luis@example.org", password="123", legal_first_name="Luis", legal_last_name="Ibáñez"
        )
    assert err.value.field == "password"
    assert not User.objects.filter(email="luis@example.org").exists()
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    "role,scope,message",
    [
        (Role.COUNTY_BILLING, {}, "needs a county"),
        (Role.TRAINING_STAFF, {}, "needs a training entity"),
        (Role.DHCS_ANALYST, {"county": "Fresno"}, "does not take a county"),
        ("wizard", {}, "Unknown role"),
    ],
)
def test_role_grant_checks_the_scope(manager, role, scope, message):
    target = user_with_role(Role.PEER)
    kwargs = {"county": county(scope["county"])} if "county" in scope else {}
    with pytest.raises(ApplicationError, match=message):
        services.role_grant(actor=manager, user=target, role=role, **kwargs)


def test_role_grant_and_revoke_are_audited(manager):
    target = user_with_role(Role.PEER)
    entity = TrainingEntityFactory()
    assignment = services.role_grant(
        actor=manager, user=target, role=Role.TRAINING_STAFF, training_entity=entity, reason="new hire"
    )
    with pytest.raises(ApplicationError, match="already holds"):
        services.role_grant(actor=manager, user=target, role=Role.TRAINING_STAFF, training_entity=entity)
    services.role_revoke(actor=manager, assignment=assignment, reason="left")
    actions = list(AuditEvent.objects.filter(object_id=str(target.pk)).values_list("action", "reason"))
    assert ("role.grant", "new hire") in actions and ("role.revoke", "left") in actions


def test_only_managers_grant_roles_and_only_admins_grant_admin(manager):
    peer = user_with_role(Role.PEER)
    with pytest.raises(ApplicationError, match="Only a system administrator or program manager"):
        services.role_grant(actor=peer, user=peer, role=Role.AUDITOR)
    with pytest.raises(ApplicationError, match="Only a system administrator may grant"):
        services.role_grant(actor=manager, user=peer, role=Role.SYSTEM_ADMINISTRATOR)


def test_last_system_administrator_cannot_be_removed(db):
    admin = user_with_role(Role.SYSTEM_ADMINISTRATOR)
    # An administrator cannot remove their own roles at all; the system job is refused too.
    with pytest.raises(ApplicationError, match="at least one system administrator"):
        services.role_revoke(actor=None, assignment=admin.role_assignments.get())


def test_peer_edits_own_contact_details_but_not_legal_name(db):
    peer = user_with_role(Role.PEER)
    person = peer.person
    services.person_update(actor=peer, person=person, data={"phone": "(213) 555-0101", "preferred_name": "Lupita"})
    person.refresh_from_db()
    assert person.phone == "(213) 555-0101" and "lupita" in person.search_name
    with pytest.raises(ApplicationError, match="cannot be changed here"):
        services.person_update(actor=peer, person=person, data={"legal_last_name": "Other"})
    other = user_with_role(Role.PEER)
    with pytest.raises(ApplicationError, match="may not change"):
        services.person_update(actor=other, person=person, data={"phone": "1"})


def test_api_tokens_are_stored_hashed_and_revocable(db):
    peer = user_with_role(Role.PEER)
    token, key = services.api_token_create(actor=peer, name="laptop")
    assert key.startswith("pc_") and key not in token.key_hash and token.key_hash == ApiToken.hash_key(key)
    assert services.api_token_authenticate(key) == peer
    services.api_token_revoke(actor=peer, token=token)
    assert services.api_token_authenticate(key) is None
    with pytest.raises(ApplicationError, match="already revoked"):
        services.api_token_revoke(actor=peer, token=token)


def test_deactivated_users_cannot_sign_in(client, manager):
    peer = user_with_role(Role.PEER)
    services.user_set_active(actor=manager, user=peer, is_active=False, reason="duplicate account")
    assert not client.login(username=peer.email, password="correct-horse-battery")


def test_password_reset_sends_a_working_link(client, db):
    peer = user_with_role(Role.PEER, email="maria@test.peercert.example")
    response = client.post("/password-reset/", {"email": "maria@test.peercert.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/password-reset/" in mail.outbox[0].body
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "new-passphrase-2026!", "new_password2": "new-passphrase-2026!"}
    )
    assert done.status_code == 302
    peer.refresh_from_db()
    assert peer.check_password("new-passphrase-2026!")
