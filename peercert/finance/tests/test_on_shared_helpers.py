"""Finance on core's shared helpers, seen through HTTP: forms drawn by core.forms, refusals put
on them by core.views.run_form, audit actions from finance.audit, people told by core.tell."""

import ast
import re
import typing
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from peercert.accounts.tests.factories import PersonFactory
from peercert.core.audit import registered_actions
from peercert.core.forms import REASON_MAX_LENGTH
from peercert.core.models import AuditEvent
from peercert.core.types import Actor
from peercert.finance import services
from peercert.finance.audit import AuditAction
from peercert.finance.models import FeeWaiver, InvoiceStatus

pytestmark = pytest.mark.django_db


def test_the_staff_forms_on_an_invoice_are_drawn_in_uswds(as_user, staff, make_invoice):
    body = as_user(staff).get(reverse("finance:invoice_detail", args=[make_invoice().pk])).content.decode()
    assert re.search(r'<textarea[^>]*name="waive-reason"[^>]*class="usa-textarea"', body) or re.search(
        r'<textarea[^>]*class="usa-textarea"[^>]*name="waive-reason"', body
    )
    assert re.search(
        r'<select[^>]*name="pay-method"[^>]*class="usa-select"|<select[^>]*class="usa-select"'
        r'[^>]*name="pay-method"',
        body,
    )


def test_a_missing_reason_is_marked_on_the_field(as_user, staff, make_invoice):
    invoice = make_invoice()
    response = as_user(staff).post(reverse("finance:invoice_waive", args=[invoice.pk]), {"waive-reason": ""})
    assert response.status_code == 400
    textarea = re.search(r'<textarea[^>]*name="waive-reason"[^>]*>', response.content.decode()).group(0)
    assert "usa-input--error" in textarea and 'aria-invalid="true"' in textarea
    assert 'aria-describedby="id_waive-reason-error"' in textarea


def test_an_overlong_reason_is_refused_and_nothing_is_waived(as_user, staff, make_invoice):
    invoice = make_invoice()
    response = as_user(staff).post(
        reverse("finance:invoice_waive", args=[invoice.pk]), {"waive-reason": "x" * (REASON_MAX_LENGTH + 1)}
    )
    assert response.status_code == 400
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and not FeeWaiver.objects.exists()


def test_a_waiver_refused_because_the_invoice_is_no_longer_open_is_shown_once_not_lost(as_user, staff, make_invoice):
    invoice = make_invoice()
    services.invoice_cancel(actor=staff, invoice=invoice, reason="Withdrawn")
    response = as_user(staff).post(reverse("finance:invoice_waive", args=[invoice.pk]), {"waive-reason": "Hardship"})
    assert response.status_code == 400
    body = response.content.decode()
    refusal = "This invoice is cancelled, so it cannot become waived."
    assert body.count(refusal) == 1
    assert not list(response.context["messages"])


def test_every_finance_audit_action_is_a_registered_member():
    source = Path(services.__file__).read_text(encoding="utf-8")
    literal_actions = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.keyword) and node.arg == "action" and isinstance(node.value, ast.Constant)
    ]
    assert literal_actions == [], "write finance's audit actions as finance.audit.AuditAction members"
    assert set(AuditAction.values) <= set(registered_actions())


def test_a_waiver_is_audited_under_its_registered_action(staff, make_invoice):
    invoice = services.invoice_waive(actor=staff, invoice=make_invoice(), reason="Hardship")
    assert AuditEvent.objects.get(object_id=str(invoice.pk), action=AuditAction.INVOICE_WAIVE).reason == "Hardship"


def test_a_payer_without_an_account_hears_of_a_waiver_by_email(staff, django_capture_on_commit_callbacks):
    payer = PersonFactory(user=None, email="no-account@example.org")
    invoice = services.invoice_create(
        actor=None, payer=payer, fee_code="fee_application", reference_type="test.application", reference_id=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_waive(actor=staff, invoice=invoice, reason="Hardship")
    assert [m.to for m in mail.outbox] == [["no-account@example.org"]]
    assert mail.outbox[0].subject == f"Fee waived: {invoice.description}"


@pytest.mark.parametrize(
    "name",
    ["invoice_create", "payment_record", "invoice_waive", "invoice_cancel", "scholarship_award", "scholarship_apply"],
)
def test_every_finance_service_types_its_actor(name):
    assert typing.get_type_hints(getattr(services, name))["actor"] == Actor
