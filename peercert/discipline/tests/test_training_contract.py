"""Entity sanctions and corrective classes against the real training app (skipped until it ships)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from peercert.accounts.tests.factories import TrainingEntityFactory
from peercert.discipline import services
from peercert.discipline.models import AppealSubject, ComplaintStatus
from peercert.discipline.tests.factories import ComplaintFactory


def _training_ready() -> bool:
    try:
        apps.get_model("training", "ProviderApplication")
    except LookupError:
        return False
    from peercert.training import services as training_services

    return hasattr(training_services, "provider_application_suspend")


pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not _training_ready(), reason="training app not merged yet")]

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
TODAY = datetime.date(2026, 3, 6)


@time_machine.travel(NOON, tick=False)
def test_entity_suspension_suspends_and_overturn_restores_its_approvals(reviewer, manager):
    model = apps.get_model("training", "ProviderApplication")
    entity = TrainingEntityFactory(name="Academia Peer Norte")
    approval = model.objects.create(training_entity=entity, training_type="core", language="es", status="approved",
                                    approved_from=datetime.date(2025, 1, 1), approved_until=datetime.date(2028, 1, 1))
    complaint = ComplaintFactory(against_entity=True, respondent_entity=entity, status=ComplaintStatus.INVESTIGATING)
    services.complaint_decide(actor=reviewer, complaint=complaint, outcome="suspension", findings="Short hours.",
                              provisions=["training_standards"], ends_on=TODAY + datetime.timedelta(days=60))
    approval.refresh_from_db()
    assert approval.status == "suspended"
    appeal = services.appeal_file(actor=reviewer, subject=AppealSubject.ENTITY_SUSPENSION,
                                  action=complaint.actions.get(), grounds="Logs show 80 hours.")
    services.appeal_decide(actor=manager, appeal=appeal, outcome="overturned", reasons="Logs complete.")
    approval.refresh_from_db()
    assert approval.status == "approved"
