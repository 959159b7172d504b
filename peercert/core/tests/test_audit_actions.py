"""Each app's AuditAction list, gathered by core.audit.registered_actions, and written by the writers."""

import gc

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from peercert.core import audit
from peercert.core.audit import audit_record, audit_record_many, registered_actions
from peercert.core.models import AuditEvent
from peercert.finance.audit import AuditAction as FinanceAction


def test_every_apps_actions_are_gathered_with_their_labels():
    found = registered_actions()
    for member in FinanceAction:
        assert found[member.value] == member.label
    assert list(found) == sorted(found)


def test_the_labels_are_written_in_the_readers_language():
    label = registered_actions()["invoice.waive"]
    with translation.override("es"):
        assert str(label) == "Cuota eximida"
    with translation.override("en"):
        assert str(label) == "Fee waived"


def test_an_app_audit_module_is_found_without_anyone_importing_it(monkeypatch):
    # registered_actions imports <app>.audit itself; simulate a fresh process that never did.
    import sys

    monkeypatch.delitem(sys.modules, "peercert.finance.audit")
    seen = []
    real = audit.import_module
    monkeypatch.setattr(audit, "import_module", lambda name: seen.append(name) or real(name))
    found = registered_actions()
    assert "peercert.finance.audit" in seen
    assert "invoice.waive" in found  # and the fresh copy of the list is not taken for a rival


def test_two_lists_claiming_one_action_are_refused():
    class Clash(audit.AuditAction):
        WAIVE = "invoice.waive", _("Waived twice")

    try:
        with pytest.raises(ValueError, match="invoice.waive"):
            registered_actions()
    finally:
        del Clash
        gc.collect()
    registered_actions()  # gone again


@pytest.mark.django_db
def test_the_writer_takes_a_member_and_stores_its_value():
    event = audit_record(actor=None, action=FinanceAction.INVOICE_WAIVE, object_type="finance.invoice", object_id=1)
    event.refresh_from_db()
    assert event.action == "invoice.waive" and type(event.action) is str
    assert AuditEvent.objects.filter(action=FinanceAction.INVOICE_WAIVE).count() == 1


@pytest.mark.django_db
def test_the_bulk_writer_takes_a_member_and_a_plain_string_still_works():
    assert (
        audit_record_many(
            actor=None,
            action=FinanceAction.PAYMENT_RECORD,
            object_type="finance.invoice",
            rows=[(1, "one", None, {}), (2, "two", None, {})],
        )
        == 2
    )
    audit_record(actor=None, action="legacy.thing", object_type="x", object_id=1)
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "legacy.thing",
        "payment.record",
        "payment.record",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["", None, 3])
def test_an_event_without_an_action_is_refused(action):
    with pytest.raises(ValueError):
        audit_record(actor=None, action=action, object_type="x", object_id=1)
    assert not AuditEvent.objects.exists()


def test_every_apps_actions_register_together_without_a_clash():
    """The auditor's filter lists every app's actions at once: two apps claiming one value would
    make registered_actions() raise and take the audit page down (training and accounts both
    once listed person.create)."""
    from peercert.core.audit import registered_actions

    actions = registered_actions()
    assert "person.create" in actions and "program_rules.publish" in actions and "application.approve" in actions


def test_no_service_writes_an_audit_action_as_a_bare_string():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    bare = re.compile(r"""audit_record(?:_many)?\([^)]*action=["']""", re.S)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "/tests/" not in str(path) and "/migrations/" not in str(path) and bare.search(path.read_text())
    ]
    assert not offenders, offenders
