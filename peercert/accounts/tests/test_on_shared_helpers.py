"""Accounts on core's shared helpers, seen through HTTP: forms drawn by core.forms, refusals
put on them by core.views.run_form, one URL per action, audit actions from accounts.audit;
and the reset link for accounts that staff made without a password."""

import ast
import inspect
import re
import typing
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from peercert.accounts import services, sign_in
from peercert.accounts.audit import AccountsAuditAction
from peercert.accounts.models import User
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.audit import registered_actions
from peercert.core.models import AuditEvent
from peercert.core.types import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return user_with_role(Role.PROGRAM_MANAGER)


def _tag(body: str, tag: str, name: str) -> str:
    found = re.search(rf'<{tag}\b[^>]*\bname="{re.escape(name)}"[^>]*>', body)
    assert found, f"no <{tag} name={name}>"
    return found.group(0)


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


# Finding: staff-created accounts never got the reset e-mail -----------------------------------


def test_a_person_whose_account_staff_created_gets_the_reset_link_and_can_set_a_password(as_user, manager, client):
    as_user(manager).post(
        reverse("accounts:user_create"), {"email": "new.staff@test.peercert.example", "display_name": "New Staff"}
    )
    created = User.objects.get(email="new.staff@test.peercert.example")
    assert not created.has_usable_password()
    client.logout()
    mail.outbox.clear()

    response = client.post(reverse("accounts:password_reset"), {"email": "New.Staff@test.peercert.example"})

    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert [m.to for m in mail.outbox] == [["new.staff@test.peercert.example"]]
    link = re.search(r"/password-reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "una-frase-larga-2026", "new_password2": "una-frase-larga-2026"},
    )
    created.refresh_from_db()
    assert created.check_password("una-frase-larga-2026")


def test_the_reset_page_answers_the_same_for_a_staff_created_account_and_an_unknown_email(as_user, manager, client):
    services.user_create(actor=manager, email="made@test.peercert.example", display_name="Made")
    made = client.post(reverse("accounts:password_reset"), {"email": "made@test.peercert.example"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@test.peercert.example"})
    assert (made.status_code, made.get("Location"), _without_csrf(made.content)) == (
        unknown.status_code,
        unknown.get("Location"),
        _without_csrf(unknown.content),
    )
    assert [m.to for m in mail.outbox] == [["made@test.peercert.example"]]


def test_a_deactivated_account_gets_no_reset_link(manager, client):
    made = services.user_create(actor=manager, email="gone@test.peercert.example")
    services.user_set_active(actor=manager, user=made, is_active=False, reason="left")
    response = client.post(reverse("accounts:password_reset"), {"email": "gone@test.peercert.example"})
    assert response.status_code == 302 and mail.outbox == []


# USWDS forms -------------------------------------------------------------------------------


def test_the_sign_up_sign_in_and_reset_forms_are_drawn_in_uswds(client):
    register = client.get(reverse("accounts:register")).content.decode()
    assert "usa-input" in _tag(register, "input", "legal_first_name")
    assert 'type="date"' in _tag(register, "input", "date_of_birth")
    assert "usa-select" in _tag(register, "select", "preferred_language")
    assert "usa-input" in _tag(client.get(reverse("accounts:login")).content.decode(), "input", "username")
    assert "usa-input" in _tag(client.get(reverse("accounts:password_reset")).content.decode(), "input", "email")


def test_the_account_and_user_pages_are_drawn_in_uswds(as_user, manager):
    client = as_user(manager)
    account = client.get(reverse("accounts:account")).content.decode()
    assert "usa-input" in _tag(account, "input", "name")
    users = client.get(reverse("accounts:user_list")).content.decode()
    assert "usa-input" in _tag(users, "input", "email")
    peer = user_with_role(Role.PEER)
    detail = client.get(reverse("accounts:user_detail", kwargs={"user_id": peer.pk})).content.decode()
    assert "usa-select" in _tag(detail, "select", "role")
    assert "usa-textarea" in _tag(detail, "textarea", "account-reason")


def test_a_refused_new_user_is_shown_once_on_the_form_and_nothing_is_made(as_user, manager):
    user_with_role(Role.PEER, email="taken@test.peercert.example")
    response = as_user(manager).post(reverse("accounts:user_create"), {"email": "taken@test.peercert.example"})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("A user with this email already exists.") == 1
    assert "usa-input--error" in _tag(body, "input", "email")
    assert User.objects.filter(email__iexact="taken@test.peercert.example").count() == 1


def test_a_missing_reason_to_deactivate_is_marked_on_the_field(as_user, manager):
    peer = user_with_role(Role.PEER)
    response = as_user(manager).post(
        reverse("accounts:user_deactivate", kwargs={"user_id": peer.pk}), {"account-reason": ""}
    )
    assert response.status_code == 400
    textarea = _tag(response.content.decode(), "textarea", "account-reason")
    assert "usa-input--error" in textarea and 'aria-invalid="true"' in textarea
    peer.refresh_from_db()
    assert peer.is_active


# One URL per action -------------------------------------------------------------------------


def test_deactivating_twice_does_not_reactivate_and_is_recorded_once(as_user, manager):
    peer = user_with_role(Role.PEER)
    client = as_user(manager)
    url = reverse("accounts:user_deactivate", kwargs={"user_id": peer.pk})
    first = client.post(url, {"account-reason": "duplicate account"})
    second = client.post(url, {"account-reason": "duplicate account"})
    assert first.status_code == 302 and second.status_code == 400
    assert second.content.decode().count("This account is already deactivated.") == 1
    peer.refresh_from_db()
    assert not peer.is_active
    assert AuditEvent.objects.filter(action=AccountsAuditAction.USER_DEACTIVATE, object_id=str(peer.pk)).count() == 1


def test_reactivate_is_its_own_action(as_user, manager):
    peer = user_with_role(Role.PEER)
    services.user_set_active(actor=manager, user=peer, is_active=False, reason="duplicate account")
    response = as_user(manager).post(
        reverse("accounts:user_reactivate", kwargs={"user_id": peer.pk}),
        {"account-reason": "not a duplicate after all"},
    )
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.is_active
    assert AuditEvent.objects.get(action=AccountsAuditAction.USER_ACTIVATE).reason == "not a duplicate after all"


# Audit actions and service signatures ---------------------------------------------------------


@pytest.mark.parametrize("module", [services, sign_in], ids=["services", "sign_in"])
def test_every_accounts_audit_action_is_a_registered_member(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    literal_actions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "action" and isinstance(node.value, ast.Constant)
    ]
    assert literal_actions == [], "write accounts' audit actions as AccountsAuditAction members"
    assert set(AccountsAuditAction.values) <= set(registered_actions())


def test_every_service_that_acts_for_someone_names_an_actor():
    acting = [
        function
        for name, function in vars(services).items()
        if inspect.isfunction(function)
        and function.__module__ == services.__name__
        and "actor" in inspect.signature(function).parameters
    ]
    assert len(acting) >= 8
    for function in acting:
        assert typing.get_type_hints(function)["actor"] == Actor, function.__name__
