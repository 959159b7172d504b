"""Who may hand out which role, through the user pages (issue 11, finding 3).

A program manager used to be able to grant themselves DHCS approver, auditor or county
billing at /users/<own id>/, and to deactivate the system administrator.
"""

import pytest

from peercert.accounts import services
from peercert.accounts.models import CertificationProgram, RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program, user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return user_with_role(Role.PROGRAM_MANAGER)


@pytest.fixture
def admin():
    return user_with_role(Role.SYSTEM_ADMINISTRATOR)


@pytest.fixture
def other_program():
    return CertificationProgram.objects.create(name="Designated Entity", code="designated", kind="designated")


@pytest.mark.parametrize(
    "role", [Role.DHCS_APPROVER, Role.DHCS_ANALYST, Role.AUDITOR, Role.COUNTY_BILLING, Role.SYSTEM_ADMINISTRATOR]
)
def test_manager_cannot_grant_themselves_a_higher_role(as_user, manager, role):
    client = as_user(manager)
    scope = {"county": 1} if role == Role.COUNTY_BILLING else {}
    response = client.post(f"/users/{manager.pk}/", {"role": role, "reason": "mine", **scope})
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(user=manager, role=role).exists()
    assert not AuditEvent.objects.filter(action="role.grant").exists()


def test_manager_cannot_grant_themselves_even_a_role_they_hand_out(as_user, manager):
    response = as_user(manager).post(
        f"/users/{manager.pk}/", {"role": Role.PROGRAM_REVIEWER, "program": statewide_program().pk}
    )
    assert response.status_code == 400
    assert "You cannot change your own roles" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=manager, role=Role.PROGRAM_REVIEWER).exists()


def test_manager_cannot_grant_auditor_to_someone_else(as_user, manager):
    colleague = user_with_role(Role.PROGRAM_REVIEWER)
    response = as_user(manager).post(f"/users/{colleague.pk}/", {"role": Role.AUDITOR, "reason": "friend"})
    assert response.status_code == 400 and "You may not grant that role." in response.content.decode()
    assert not RoleAssignment.objects.filter(user=colleague, role=Role.AUDITOR).exists()


def test_manager_page_offers_only_the_roles_a_manager_hands_out(as_user, manager):
    peer = user_with_role(Role.PEER)
    body = as_user(manager).get(f"/users/{peer.pk}/").content.decode()
    assert f'value="{Role.PROGRAM_REVIEWER}"' in body and f'value="{Role.TRAINING_STAFF}"' in body
    for role in (Role.DHCS_APPROVER, Role.AUDITOR, Role.COUNTY_STAFF, Role.SYSTEM_ADMINISTRATOR, Role.PROGRAM_MANAGER):
        assert f'value="{role}"' not in body
    assert 'name="county"' not in body


def test_manager_grants_only_in_their_own_program(as_user, manager, other_program):
    peer = user_with_role(Role.PEER)
    client = as_user(manager)
    forged = client.post(f"/users/{peer.pk}/", {"role": Role.PROGRAM_REVIEWER, "program": other_program.pk})
    assert forged.status_code == 400
    assert not RoleAssignment.objects.filter(user=peer, role=Role.PROGRAM_REVIEWER).exists()
    # and the service refuses it even without the form
    with pytest.raises(ApplicationError, match="only in a program you manage"):
        services.role_grant(actor=manager, user=peer, role=Role.PROGRAM_REVIEWER, program=other_program)


def test_manager_cannot_remove_roles_they_do_not_hand_out(as_user, manager):
    approver = user_with_role(Role.DHCS_APPROVER)
    assignment = approver.role_assignments.get()
    response = as_user(manager).post(f"/roles/{assignment.pk}/revoke/", {"reason": "gone"})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not AuditEvent.objects.filter(action="role.revoke").exists()


def test_manager_cannot_deactivate_the_system_administrator(as_user, manager, admin):
    response = as_user(manager).post(f"/users/{admin.pk}/deactivate/", {"account-reason": "takeover"}, follow=True)
    assert "Only another system administrator may deactivate" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    assert not AuditEvent.objects.filter(action="user.deactivate").exists()


def test_manager_cannot_deactivate_a_dhcs_approver_but_can_a_peer(as_user, manager):
    approver, peer = user_with_role(Role.DHCS_APPROVER), user_with_role(Role.PEER)
    client = as_user(manager)
    client.post(f"/users/{approver.pk}/deactivate/", {"account-reason": "x"})
    client.post(f"/users/{peer.pk}/deactivate/", {"account-reason": "duplicate account"})
    approver.refresh_from_db()
    peer.refresh_from_db()
    assert approver.is_active and not peer.is_active


def test_admin_cannot_deactivate_themselves_or_change_their_own_roles(as_user, admin):
    client = as_user(admin)
    client.post(f"/users/{admin.pk}/deactivate/", {"account-reason": "oops"})
    admin.refresh_from_db()
    assert admin.is_active
    response = client.post(f"/users/{admin.pk}/", {"role": Role.AUDITOR})
    assert response.status_code == 400 and not RoleAssignment.objects.filter(user=admin, role=Role.AUDITOR).exists()


def test_another_admin_can_deactivate_an_admin(as_user, admin):
    second = user_with_role(Role.SYSTEM_ADMINISTRATOR)
    as_user(admin).post(f"/users/{second.pk}/deactivate/", {"account-reason": "left the department"})
    second.refresh_from_db()
    assert not second.is_active


def test_admin_grants_a_dhcs_role_audited_and_notified(as_user, admin, mailoutbox, django_capture_on_commit_callbacks):
    analyst = user_with_role(Role.PEER)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(admin).post(f"/users/{analyst.pk}/", {"role": Role.DHCS_APPROVER, "reason": "new hire"})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=analyst, role=Role.DHCS_APPROVER).exists()
    event = AuditEvent.objects.get(action="role.grant", object_id=str(analyst.pk))
    assert event.actor == admin and event.after["role"] == Role.DHCS_APPROVER and event.reason == "new hire"
    notice = Notification.objects.get(user=analyst)
    assert "DHCS approver" in notice.subject and str(admin) in notice.body
    assert [m.to for m in mailoutbox] == [[analyst.email]]


def test_a_removed_role_is_notified_in_the_persons_language(as_user, admin):
    reviewer = user_with_role(Role.PROGRAM_REVIEWER, with_person=True)
    reviewer.person.preferred_language = "es"
    reviewer.person.save()
    assignment = reviewer.role_assignments.get()
    as_user(admin).post(f"/roles/{assignment.pk}/revoke/", {"reason": "left"})
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(reviewer.pk)).exists()
    notice = Notification.objects.get(user=reviewer)
    assert notice.subject.startswith("Se quitó un rol")
