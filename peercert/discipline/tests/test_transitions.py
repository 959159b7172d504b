"""Every move from every state, for each of discipline's status maps (core.transitions).

The map tests walk transition() itself; the service tests put a real row in each source state
and check that the service refuses exactly what the map refuses, leaving the row as it was.
"""

import pytest
import time_machine

from peercert.core.errors import ApplicationError
from peercert.core.transitions import assert_map_covers, every_move, transition
from peercert.discipline import services
from peercert.discipline.audit import DisciplineAuditAction
from peercert.discipline.models import (
    ACTION_TRANSITIONS,
    APPEAL_TRANSITIONS,
    COMPLAINT_TRANSITIONS,
    ActionStatus,
    Appeal,
    AppealStatus,
    Complaint,
    ComplaintStatus,
    DisciplinaryAction,
)
from peercert.discipline.services._common import _set_action_status
from peercert.discipline.tests.factories import ActionFactory, AppealFactory, ComplaintFactory

pytestmark = pytest.mark.django_db

NOON = "2026-03-06 12:00 -08:00"
MAPS = [
    (COMPLAINT_TRANSITIONS, ComplaintStatus, Complaint),
    (ACTION_TRANSITIONS, ActionStatus, DisciplinaryAction),
    (APPEAL_TRANSITIONS, AppealStatus, Appeal),
]


@pytest.mark.parametrize(("allowed", "choices", "model"), MAPS)
def test_the_map_covers_every_state(allowed, choices, model):
    assert_map_covers(allowed, choices)


@pytest.mark.parametrize(
    ("allowed", "choices", "model", "source", "target", "permitted"),
    [(allowed, choices, model, *move) for allowed, choices, model in MAPS for move in every_move(allowed, choices)],
)
def test_transition_permits_exactly_the_map(allowed, choices, model, source, target, permitted):
    record = model(status=source)
    if permitted:
        assert transition(record, target, allowed=allowed, noun="record") == source
        assert record.status == target
    else:
        with pytest.raises(ApplicationError) as err:
            transition(record, target, allowed=allowed, noun="record")
        assert err.value.code == "state" and record.status == source


def _refused_leaves_it(call, row, fields):
    before = {f: getattr(row, f) for f in fields}
    with pytest.raises(ApplicationError):
        call()
    row.refresh_from_db()
    assert {f: getattr(row, f) for f in fields} == before


COMPLAINT_SERVICES = {
    ComplaintStatus.ACKNOWLEDGED: lambda actor, c: services.complaint_acknowledge(actor=actor, complaint=c),
    ComplaintStatus.INVESTIGATING: lambda actor, c: services.complaint_start_investigation(actor=actor, complaint=c),
    ComplaintStatus.SCREENED_OUT: lambda actor, c: services.complaint_screen_out(
        actor=actor, complaint=c, reason="Outside our remit"
    ),
    ComplaintStatus.DECIDED: lambda actor, c: services.complaint_decide(
        actor=actor, complaint=c, outcome="dismissed", findings="Nothing shown.", provisions=[]
    ),
}


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("source", "target", "permitted"),
    [m for m in every_move(COMPLAINT_TRANSITIONS, ComplaintStatus) if m[1] in COMPLAINT_SERVICES],
)
def test_complaint_services_follow_the_map(reviewer, source, target, permitted):
    decided = {"outcome": "dismissed", "findings": "Nothing shown."} if source == ComplaintStatus.DECIDED else {}
    complaint = ComplaintFactory(status=source, investigator=reviewer, **decided)
    call = COMPLAINT_SERVICES[target]
    if permitted:
        assert call(reviewer, complaint).status == target
    else:
        _refused_leaves_it(lambda: call(reviewer, complaint), complaint, ("status", "acknowledged_on", "decided_on"))


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(("source", "target", "permitted"), every_move(ACTION_TRANSITIONS, ActionStatus))
def test_action_status_changes_follow_the_map(reviewer, source, target, permitted):
    action = ActionFactory(status=source)

    def call():
        _set_action_status(action, target, actor=reviewer, audit_action=DisciplineAuditAction.ACTION_END, reason="test")

    if permitted:
        call()
        action.refresh_from_db()
        assert action.status == target
    else:
        _refused_leaves_it(call, action, ("status", "ended_on"))


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("source", AppealStatus.values)
def test_appeal_withdrawal_follows_the_map(peer_user, source):
    decided = {"outcome": "upheld", "decided_on": NOON[:10]} if source == AppealStatus.DECIDED else {}
    appeal = AppealFactory(status=source, person=peer_user.person, **decided)
    if AppealStatus.WITHDRAWN in APPEAL_TRANSITIONS[source]:
        assert services.appeal_withdraw(actor=peer_user, appeal=appeal).status == AppealStatus.WITHDRAWN
    else:
        _refused_leaves_it(lambda: services.appeal_withdraw(actor=peer_user, appeal=appeal), appeal, ("status",))
