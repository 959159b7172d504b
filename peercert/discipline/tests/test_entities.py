"""Complaints against training entities follow the same path, seen by the entity's own staff."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import TrainingEntityFactory, user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import Notification
from peercert.discipline import selectors, services
from peercert.discipline.models import ActionStatus, AppealSubject, ComplaintStatus
from peercert.discipline.tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
TODAY = datetime.date(2026, 3, 6)


@time_machine.travel(NOON, tick=False)
def test_entity_suspension_seen_and_appealed_by_its_staff(client, reviewer, manager, certs):
    entity = TrainingEntityFactory(name="Escuela de Pares del Norte")
    staff = user_with_role(Role.TRAINING_STAFF, training_entity=entity)
    outsider = user_with_role(Role.TRAINING_STAFF)
    complaint = ComplaintFactory(against_entity=True, respondent_entity=entity, status=ComplaintStatus.INVESTIGATING)
    services.complaint_decide(
        actor=reviewer,
        complaint=complaint,
        outcome="suspension",
        findings="Issued certificates for hours not taught.",
        provisions=["training_standards"],
        ends_on=TODAY + datetime.timedelta(days=60),
    )
    assert Notification.objects.filter(user=staff, subject__contains="Suspension").exists()
    action = complaint.actions.get()
    client.force_login(staff)
    page = client.get(reverse("discipline:my_cases")).content.decode()
    assert complaint.number in page
    assert client.get(reverse("discipline:my_case", args=[complaint.pk])).status_code == 200
    with pytest.raises(ApplicationError, match="only decisions about yourself"):
        services.appeal_file(actor=outsider, subject=AppealSubject.ENTITY_SUSPENSION, action=action, grounds="x")
    response = client.post(
        reverse("discipline:appeal_new"),
        {"subject": AppealSubject.ENTITY_SUSPENSION, "action": action.pk, "grounds": "We taught all 80 hours."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = action.appeals.get()
    assert appeal.entity == entity
    services.appeal_decide(actor=manager, appeal=appeal, outcome="overturned", reasons="Attendance logs show 80 hours.")
    action.refresh_from_db()
    assert action.status == ActionStatus.OVERTURNED
    assert selectors.public_actions_for(entity) == []
    client.force_login(outsider)
    assert client.get(reverse("discipline:my_case", args=[complaint.pk])).status_code == 404


@time_machine.travel(NOON, tick=False)
def test_entity_denial_of_approval_appeal(client, manager, reviewer, certs):
    entity = TrainingEntityFactory(name="Centro Comunitario Sol")
    staff = user_with_role(Role.TRAINING_STAFF, training_entity=entity)
    client.force_login(staff)
    response = client.post(
        reverse("discipline:appeal_new"),
        {
            "subject": AppealSubject.ENTITY_DENIAL_OF_APPROVAL,
            "decision_on": "2026-02-20",
            "decision_reference": "TE-APP-17",
            "grounds": "Our curriculum covers all 17 competencies.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = selectors.respondent_appeals(actor=staff).get()
    assert appeal.entity == entity and appeal.window_ends_on == datetime.date(2026, 3, 22)
    services.appeal_decide(
        actor=manager, appeal=appeal, outcome="overturned", reasons="Curriculum complete.", original_decider=reviewer
    )
    appeal.refresh_from_db()
    assert appeal.original_decider == reviewer and appeal.outcome == "overturned"
    with pytest.raises(ApplicationError):
        services.appeal_decide(actor=manager, appeal=appeal, outcome="upheld", reasons="again")
