"""The auditor's filter by action: every registered action by its label, matched exactly, and
anything else a form error rather than a query (or a server error)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from peercert.accounts.audit import AccountsAuditAction
from peercert.accounts.roles import Role
from peercert.core.audit import audit_record, registered_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(as_user, role_users):
    return as_user(role_users[Role.AUDITOR])


def _options(body: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no select {name}"
    return {
        value: label.strip()
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    }


def test_the_action_filter_lists_every_registered_action_by_its_label(auditor_client):
    body = auditor_client.get(reverse("web:audit")).content.decode()
    options = _options(body, "action")
    registered = registered_actions()
    assert set(options) == {"", *registered}
    assert options["role.grant"] == "Role granted (role.grant)"
    assert "usa-select" in re.search(r'<select[^>]*name="action"[^>]*>', body).group(0)


def test_the_action_labels_follow_the_readers_language(auditor_client):
    auditor_client.cookies["django_language"] = "es"
    with translation.override("es"):
        expected = str(AccountsAuditAction.ROLE_GRANT.label)
    assert expected != "Role granted"
    options = _options(auditor_client.get(reverse("web:audit"), HTTP_ACCEPT_LANGUAGE="es").content.decode(), "action")
    assert options["role.grant"] == f"{expected} (role.grant)"


def test_an_action_is_matched_exactly(auditor_client):
    audit_record(actor=None, action=AccountsAuditAction.USER_REGISTER, object_type="accounts.user", object_id=1)
    audit_record(
        actor=None, action=AccountsAuditAction.USER_REGISTER_EXISTING_EMAIL, object_type="accounts.user", object_id=2
    )
    page = auditor_client.get(reverse("web:audit"), {"action": "user.register"})
    assert page.status_code == 200
    assert [event.object_id for event in page.context["page"]] == ["1"]


@pytest.mark.parametrize("value", ["user.", "no.such_action", "' OR 1=1 --", "x" * 5000])
def test_an_unknown_action_is_a_form_error_not_a_server_error(auditor_client, value):
    audit_record(actor=None, action=AccountsAuditAction.USER_REGISTER, object_type="accounts.user", object_id=1)
    page = auditor_client.get(reverse("web:audit"), {"action": value})
    assert page.status_code == 400
    assert page.context["form"].errors["action"]
    assert 'aria-invalid="true"' in re.search(r'<select[^>]*name="action"[^>]*>', page.content.decode()).group(0)


def test_a_bad_date_and_an_overlong_email_are_form_errors_and_the_rest_still_filters(auditor_client):
    audit_record(actor=None, action=AccountsAuditAction.USER_REGISTER, object_type="accounts.user", object_id=1)
    audit_record(actor=None, action=AccountsAuditAction.ROLE_GRANT, object_type="accounts.user", object_id=2)
    page = auditor_client.get(
        reverse("web:audit"), {"action": "role.grant", "date_from": "31/12/2026", "actor": "a" * 300}
    )
    assert page.status_code == 400
    assert set(page.context["form"].errors) == {"date_from", "actor"}
    assert "is not a date" in page.content.decode()
    assert [event.object_id for event in page.context["page"]] == ["2"]
