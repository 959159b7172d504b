import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from peercert.accounts.tests.factories import TrainingEntityFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.discipline import selectors, services
from peercert.discipline.models import ActionKind, ActionStatus, ComplaintStatus
from peercert.discipline.tests.factories import ActionFactory, ComplaintFactory, RequiredClassFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 6)
NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
DAY = datetime.timedelta(days=1)


def open_case(person, reviewer, **kw):
    return ComplaintFactory(respondent_person=person, status=ComplaintStatus.INVESTIGATING, investigator=reviewer, **kw)


def decide(actor, complaint, outcome, **kw):
    kw.setdefault("findings", "The peer shared private information.")
    kw.setdefault("provisions", ["confidentiality"])
    return services.complaint_decide(actor=actor, complaint=complaint, outcome=outcome, **kw)


@time_machine.travel(NOON, tick=False)
def test_dismissal_needs_findings_and_tells_respondent(certified_peer, reviewer, certs):
    complaint = open_case(certified_peer, reviewer)
    with pytest.raises(ApplicationError, match="findings"):
        decide(reviewer, complaint, "dismissed", findings="")
    complaint = decide(reviewer, complaint, "dismissed", provisions=[])
    assert complaint.status == ComplaintStatus.DECIDED and not complaint.actions.exists()
    assert Notification.objects.filter(user=certified_peer.user, subject__contains="Dismissed").exists()
    assert certs.status_of(certified_peer) == "active"


@time_machine.travel(NOON, tick=False)
def test_action_needs_code_of_ethics_provisions(certified_peer, reviewer, certs):
    with pytest.raises(ApplicationError, match="Code of Ethics"):
        decide(reviewer, open_case(certified_peer, reviewer), "suspension", provisions=[], ends_on=TODAY + 30 * DAY)


@time_machine.travel(NOON, tick=False)
def test_suspension_today_changes_certification_at_once_and_is_public(certified_peer, reviewer, certs):
    complaint = decide(reviewer, open_case(certified_peer, reviewer), "suspension", ends_on=TODAY + 30 * DAY)
    action = complaint.actions.get()
    assert action.status == ActionStatus.IN_EFFECT and action.executed_on == TODAY
    assert certs.status_of(certified_peer) == "suspended"
    assert action.prior_status == "active"
    public = selectors.public_actions_for(certified_peer)
    assert [p.kind for p in public] == ["suspension"]
    assert "Suspended from 2026-03-06 until 2026-04-05" in public[0].summary
    note = Notification.objects.get(user=certified_peer.user, subject__contains="Suspension")
    assert "right to appeal" in note.body and "2026-04-05" in note.body
    assert AuditEvent.objects.filter(action="action.execute", object_id=str(action.pk)).exists()
    assert AuditEvent.objects.filter(action="complaint.decide", object_id=str(complaint.pk)).exists()


@time_machine.travel(NOON, tick=False)
def test_future_suspension_waits_for_the_daily_job_which_is_idempotent(certified_peer, reviewer, certs):
    complaint = decide(
        reviewer,
        open_case(certified_peer, reviewer),
        "suspension",
        effective_on=TODAY + 3 * DAY,
        ends_on=TODAY + 10 * DAY,
    )
    action = complaint.actions.get()
    assert action.status == ActionStatus.SCHEDULED
    assert certs.status_of(certified_peer) == "active"
    assert services.discipline_execute_due(TODAY + 2 * DAY) == {"started": 0, "ended": 0}
    assert services.discipline_execute_due(TODAY + 3 * DAY) == {"started": 1, "ended": 0}
    assert certs.status_of(certified_peer) == "suspended"
    assert services.discipline_execute_due(TODAY + 3 * DAY) == {"started": 0, "ended": 0}
    # the day after the last day, the certification is active again
    assert services.discipline_execute_due(TODAY + 11 * DAY) == {"started": 0, "ended": 1}
    assert certs.status_of(certified_peer) == "active"
    assert services.discipline_execute_due(TODAY + 11 * DAY) == {"started": 0, "ended": 0}
    action.refresh_from_db()
    assert action.status == ActionStatus.ENDED
    assert [c[2] for c in certs.changes] == ["suspended", "active"]


@time_machine.travel(NOON, tick=False)
def test_end_of_suspension_leaves_an_expired_certification_expired(peer_user, reviewer, certs):
    certs.issue(peer_user.person, expires_on=TODAY + 5 * DAY)
    decide(reviewer, open_case(peer_user.person, reviewer), "suspension", ends_on=TODAY + 10 * DAY)
    services.discipline_execute_due(TODAY + 11 * DAY)
    assert certs.status_of(peer_user.person) == "expired"


@time_machine.travel(NOON, tick=False)
def test_suspension_until_a_condition_is_lifted_by_staff(certified_peer, reviewer, certs):
    complaint = decide(
        reviewer, open_case(certified_peer, reviewer), "suspension", until_condition="Finish a boundaries class"
    )
    action = complaint.actions.get()
    assert services.discipline_execute_due(TODAY + 400 * DAY)["ended"] == 0
    with pytest.raises(ApplicationError, match="why"):
        services.action_lift(actor=reviewer, action=action, reason="")
    services.action_lift(actor=reviewer, action=action, reason="Class certificate received.")
    assert certs.status_of(certified_peer) == "active"
    assert AuditEvent.objects.filter(action="action.end", object_id=str(action.pk)).exists()
    with pytest.raises(ApplicationError, match="only one in effect"):
        services.action_lift(actor=reviewer, action=action, reason="again")


@time_machine.travel(NOON, tick=False)
def test_suspension_needs_an_end_or_a_condition(certified_peer, reviewer, certs):
    with pytest.raises(ApplicationError, match="last day"):
        decide(reviewer, open_case(certified_peer, reviewer), "suspension")


@time_machine.travel(NOON, tick=False)
def test_overlapping_suspension_refused(certified_peer, reviewer, certs):
    decide(
        reviewer,
        open_case(certified_peer, reviewer),
        "suspension",
        effective_on=TODAY + 5 * DAY,
        ends_on=TODAY + 35 * DAY,
    )
    second = open_case(certified_peer, reviewer)
    with pytest.raises(ApplicationError, match="overlaps suspension from March 11, 2026 to April 10, 2026") as refused:
        decide(reviewer, second, "suspension", effective_on=TODAY + 30 * DAY, ends_on=TODAY + 60 * DAY)
    assert refused.value.http_status == 409
    second.refresh_from_db()
    assert second.status == ComplaintStatus.INVESTIGATING
    # after the first ends, a new one is fine
    decide(reviewer, second, "suspension", effective_on=TODAY + 36 * DAY, ends_on=TODAY + 60 * DAY)


@time_machine.travel(NOON, tick=False)
def test_revocation_then_suspension_refused(certified_peer, reviewer, certs):
    decide(reviewer, open_case(certified_peer, reviewer), "revocation")
    assert certs.status_of(certified_peer) == "revoked"
    with pytest.raises(ApplicationError, match="overlaps revocation"):
        decide(reviewer, open_case(certified_peer, reviewer), "suspension", ends_on=TODAY + 9 * DAY)


@time_machine.travel(NOON, tick=False)
def test_action_cannot_start_in_the_past(certified_peer, reviewer, certs):
    with pytest.raises(ApplicationError, match="past"):
        decide(reviewer, open_case(certified_peer, reviewer), "revocation", effective_on=TODAY - DAY)


@time_machine.travel(NOON, tick=False)
def test_revocation_is_not_an_outcome_for_a_training_entity(reviewer, certs):
    complaint = ComplaintFactory(against_entity=True, status=ComplaintStatus.INVESTIGATING)
    with pytest.raises(ApplicationError, match="not an outcome"):
        decide(reviewer, complaint, "revocation")


@time_machine.travel(NOON, tick=False)
def test_corrective_action_tracked_to_completion(certified_peer, reviewer, certs):
    complaint = decide(
        reviewer,
        open_case(certified_peer, reviewer),
        "corrective_action",
        due_on=TODAY + 60 * DAY,
        classes=[
            {"title": "Confidentiality and HIPAA basics", "ce_category": "law_ethics", "hours": "3"},
            {"title": "Boundaries in peer work"},
        ],
    )
    action = complaint.actions.get()
    assert action.status == ActionStatus.IN_EFFECT
    assert certs.status_of(certified_peer) == "active"
    first, second = action.classes.order_by("pk")
    services.required_class_complete(actor=reviewer, required_class=first, completed_on=TODAY)
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_EFFECT
    with pytest.raises(ApplicationError, match="already marked"):
        services.required_class_complete(actor=reviewer, required_class=first, completed_on=TODAY)
    services.required_class_complete(actor=reviewer, required_class=second, completed_on=TODAY)
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert AuditEvent.objects.filter(action="action.complete", object_id=str(action.pk)).exists()


@time_machine.travel(NOON, tick=False)
def test_corrective_action_needs_classes_and_due_date(certified_peer, reviewer, certs):
    case = open_case(certified_peer, reviewer)
    with pytest.raises(ApplicationError, match="required class"):
        decide(reviewer, case, "corrective_action", due_on=TODAY + 9 * DAY)
    with pytest.raises(ApplicationError, match="due date"):
        decide(reviewer, case, "corrective_action", classes=[{"title": "Ethics"}])


@time_machine.travel(NOON, tick=False)
def test_missed_due_date_escalates_set_based_and_idempotent(reviewer, certs, django_assert_max_num_queries):
    overdue = [RequiredClassFactory(action__due_on=TODAY - DAY).action for _ in range(3)]
    on_time = RequiredClassFactory(action__due_on=TODAY + DAY).action
    with django_assert_max_num_queries(6):
        assert services.corrective_actions_escalate(TODAY) == 3
    assert services.corrective_actions_escalate(TODAY) == 0
    for action in overdue:
        action.refresh_from_db()
        assert action.status == ActionStatus.ESCALATED and action.escalated_on == TODAY
    on_time.refresh_from_db()
    assert on_time.status == ActionStatus.IN_EFFECT
    assert AuditEvent.objects.filter(action="action.escalate").count() == 3
    assert {a.pk for a in selectors.escalated_actions(actor=reviewer)} == {a.pk for a in overdue}
    # a late finish still completes an escalated action
    services.required_class_complete(actor=reviewer, required_class=overdue[0].classes.get(), completed_on=TODAY)
    overdue[0].refresh_from_db()
    assert overdue[0].status == ActionStatus.COMPLETED


@time_machine.travel(NOON, tick=False)
def test_check_training_uses_the_ce_ledger(certified_peer, reviewer, certs):
    from decimal import Decimal

    from peercert.training.models import CEActivityStatus
    from peercert.training.tests.factories import CEActivityFactory

    complaint = decide(
        reviewer,
        open_case(certified_peer, reviewer),
        "corrective_action",
        due_on=TODAY + 60 * DAY,
        classes=[{"title": "Law and ethics", "ce_category": "law_ethics", "hours": "3"}],
    )
    action = complaint.actions.get()
    # Before the decision does not count; after it, 2 law-and-ethics hours are not enough.
    CEActivityFactory(
        person=certified_peer, completed_on=TODAY - 5 * DAY, hours=Decimal("3"), status=CEActivityStatus.ACCEPTED
    )
    CEActivityFactory(person=certified_peer, completed_on=TODAY, hours=Decimal("2"), status=CEActivityStatus.ACCEPTED)
    assert services.action_check_training(actor=reviewer, action=action) == 0
    CEActivityFactory(person=certified_peer, completed_on=TODAY, hours=Decimal("1"), status=CEActivityStatus.ACCEPTED)
    assert services.action_check_training(actor=reviewer, action=action) == 1
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED


@time_machine.travel(NOON, tick=False)
def test_entity_sanctions_are_recorded_and_public(reviewer, certs):
    entity = TrainingEntityFactory(name="Centro de Formación Esperanza")
    complaint = ComplaintFactory(against_entity=True, respondent_entity=entity, status=ComplaintStatus.INVESTIGATING)
    decide(reviewer, complaint, "withdrawal", provisions=["training_standards"])
    action = complaint.actions.get()
    assert action.kind == ActionKind.WITHDRAWAL and action.status == ActionStatus.IN_EFFECT
    assert [p.kind for p in selectors.public_actions_for(entity)] == ["withdrawal"]


# --- every action transition from every state ------------------------------------------

ACTION_STEPS = {
    "lift": (ActionStatus.ENDED, "action.end"),
    "complete": (ActionStatus.COMPLETED, "action.complete"),
}


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("source", list(ActionStatus.values))
def test_lift_allowed_only_from_in_effect(source, reviewer, certs, certified_peer):
    action = ActionFactory(status=source, until_condition="Class", complaint__respondent_person=certified_peer)
    if source == ActionStatus.IN_EFFECT:
        services.action_lift(actor=reviewer, action=action, reason="Condition met")
        assert AuditEvent.objects.filter(action="action.end", object_id=str(action.pk)).exists()
    else:
        with pytest.raises(ApplicationError):
            services.action_lift(actor=reviewer, action=action, reason="Condition met")
        assert not AuditEvent.objects.filter(action="action.end", object_id=str(action.pk)).exists()


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("source", list(ActionStatus.values))
def test_class_completion_allowed_only_while_running(source, reviewer, certs):
    required = RequiredClassFactory(action__status=source)
    if source in (ActionStatus.IN_EFFECT, ActionStatus.ESCALATED):
        services.required_class_complete(actor=reviewer, required_class=required, completed_on=TODAY)
        assert AuditEvent.objects.filter(action="action.complete", object_id=str(required.action_id)).exists()
    else:
        with pytest.raises(ApplicationError, match="cannot be marked"):
            services.required_class_complete(actor=reviewer, required_class=required, completed_on=TODAY)
