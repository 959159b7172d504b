"""Entity sanctions against the real training app."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from peercert.accounts.tests.factories import TrainingEntityFactory
from peercert.discipline import services
from peercert.discipline.models import AppealSubject, ComplaintStatus
from peercert.discipline.tests.factories import ComplaintFactory
from peercert.training.models import ProviderApplication

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
TODAY = datetime.date(2026, 3, 6)


@time_machine.travel(NOON, tick=False)
def test_entity_suspension_suspends_and_overturn_restores_its_approvals(reviewer, manager):
    entity = TrainingEntityFactory(name="Academia Peer Norte")
    approval = ProviderApplication.objects.create(
        training_entity=entity,
        training_type="core",
        language="es",
        status="approved",
        approved_from=datetime.date(2025, 1, 1),
        approved_until=datetime.date(2028, 1, 1),
    )
    complaint = ComplaintFactory(against_entity=True, respondent_entity=entity, status=ComplaintStatus.INVESTIGATING)
    services.complaint_decide(
        actor=reviewer,
        complaint=complaint,
        outcome="suspension",
        findings="Short hours.",
        provisions=["training_standards"],
        ends_on=TODAY + datetime.timedelta(days=60),
    )
    approval.refresh_from_db()
    assert approval.status == "suspended"
    appeal = services.appeal_file(
        actor=reviewer,
        subject=AppealSubject.ENTITY_SUSPENSION,
        action=complaint.actions.get(),
        grounds="Logs show 80 hours.",
    )
    services.appeal_decide(actor=manager, appeal=appeal, outcome="overturned", reasons="Logs complete.")
    approval.refresh_from_db()
    assert approval.status == "approved"
