import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, ProgramRuleSet
from peercert.discipline import selectors, services
from peercert.discipline.models import ActionStatus, AppealStatus, AppealSubject, ComplaintStatus
from peercert.discipline.tests.factories import AppealFactory, ComplaintFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 6)
NOON = datetime.datetime(2026, 3, 6, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
DAY = datetime.timedelta(days=1)


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), ZoneInfo("America/Los_Angeles")), tick=False
    )


def suspend(person, decider, **kw):
    complaint = ComplaintFactory(respondent_person=person, status=ComplaintStatus.INVESTIGATING)
    services.complaint_decide(
        actor=decider,
        complaint=complaint,
        outcome="suspension",
        findings="Shared a secret.",
        provisions=["confidentiality"],
        ends_on=kw.pop("ends_on", TODAY + 60 * DAY),
        **kw,
    )
    return complaint.actions.get()


def set_rule(name, value):
    row = ProgramRuleSet.objects.order_by("-effective_from").first()
    row.rules = {**row.rules, name: value}
    row.save()


def test_peer_appeals_own_suspension_within_window(certified_peer, reviewer, certs):
    with at(TODAY):
        action = suspend(certified_peer, reviewer)
    with at(TODAY + 30 * DAY):
        appeal = services.appeal_file(
            actor=certified_peer.user,
            subject=AppealSubject.SUSPENSION,
            action=action,
            grounds="The employer already knew.",
        )
    assert appeal.status == AppealStatus.FILED
    assert appeal.window_ends_on == TODAY + 30 * DAY
    assert appeal.original_decider == reviewer
    assert appeal.review_due_on == TODAY + 120 * DAY
    assert AuditEvent.objects.filter(action="appeal.file", object_id=str(appeal.pk)).exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_EFFECT  # the rule says appeals do not stay actions by default


def test_appeal_after_the_window_is_refused_with_the_reason(certified_peer, reviewer, certs):
    with at(TODAY):
        action = suspend(certified_peer, reviewer)
    with (
        at(TODAY + 31 * DAY),
        pytest.raises(ApplicationError, match="appeal window closed on April 5, 2026") as refused,
    ):
        services.appeal_file(actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="Late")
    assert refused.value.http_status == 409
    assert not AuditEvent.objects.filter(action="appeal.file").exists()


def test_appeal_of_a_denial_uses_the_decision_date(peer_user, certs):
    with at(TODAY):
        appeal = services.appeal_file(
            actor=peer_user,
            subject=AppealSubject.DENIAL_OF_CERTIFICATION,
            decision_on=TODAY - 10 * DAY,
            decision_reference="APP-2026-0042",
            grounds="My diploma was uploaded.",
        )
        assert appeal.person == peer_user.person
        with pytest.raises(ApplicationError, match="window closed"):
            services.appeal_file(
                actor=peer_user, subject=AppealSubject.DENIAL_OF_RENEWAL, decision_on=TODAY - 31 * DAY, grounds="Late"
            )


def test_cannot_appeal_someone_elses_action(certified_peer, reviewer, certs, db):
    from peercert.accounts.roles import Role
    from peercert.accounts.tests.factories import user_with_role

    stranger = user_with_role(Role.PEER)
    with at(TODAY):
        action = suspend(certified_peer, reviewer)
        with pytest.raises(ApplicationError, match="only decisions about yourself") as refused:
            services.appeal_file(actor=stranger, subject=AppealSubject.SUSPENSION, action=action, grounds="Me too")
    assert refused.value.code == "forbidden"


def test_second_open_appeal_of_same_action_refused(certified_peer, reviewer, certs):
    with at(TODAY):
        action = suspend(certified_peer, reviewer)
        services.appeal_file(actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="A")
        with pytest.raises(ApplicationError, match="already under review"):
            services.appeal_file(
                actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="B"
            )


def test_original_decider_cannot_decide_the_appeal(certified_peer, reviewer, manager, certs):
    with at(TODAY):
        action = suspend(certified_peer, reviewer)
        appeal = services.appeal_file(
            actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="Unfair"
        )
        with pytest.raises(ApplicationError, match="made the original decision") as refused:
            services.appeal_decide(actor=reviewer, appeal=appeal, outcome="overturned", reasons="I changed my mind")
        assert refused.value.http_status == 409
        assert not AuditEvent.objects.filter(action="appeal.decide").exists()
        services.appeal_decide(actor=manager, appeal=appeal, outcome="upheld", reasons="The findings stand.")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED and appeal.decided_by == manager


def test_overturn_restores_prior_status_and_keeps_history(certified_peer, reviewer, manager, certs):
    with at(TODAY):
        action = suspend(certified_peer, reviewer)
        assert certs.status_of(certified_peer) == "suspended"
        assert selectors.public_actions_for(certified_peer)
        appeal = services.appeal_file(
            actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="Wrong person"
        )
        services.appeal_decide(actor=manager, appeal=appeal, outcome="overturned", reasons="Mistaken identity.")
    action.refresh_from_db()
    assert action.status == ActionStatus.OVERTURNED
    assert certs.status_of(certified_peer) == "active"
    assert [c[1:3] for c in certs.changes] == [("active", "suspended"), ("suspended", "active")]
    assert selectors.public_actions_for(certified_peer) == []
    # history kept: the action and its audit trail remain
    actions = set(
        AuditEvent.objects.filter(object_id=str(action.pk), object_type="discipline.disciplinaryaction").values_list(
            "action", flat=True
        )
    )
    assert {"action.create", "action.execute", "action.overturn"} <= actions


def test_modified_suspension_gets_a_new_last_day(certified_peer, reviewer, manager, certs):
    with at(TODAY):
        action = suspend(certified_peer, reviewer, ends_on=TODAY + 90 * DAY)
        appeal = services.appeal_file(
            actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="Too long"
        )
        with pytest.raises(ApplicationError, match="Describe how"):
            services.appeal_decide(actor=manager, appeal=appeal, outcome="modified", reasons="Shorter")
        services.appeal_decide(
            actor=manager,
            appeal=appeal,
            outcome="modified",
            reasons="First offence.",
            modification="Suspension shortened to 30 days.",
            new_ends_on=TODAY + 29 * DAY,
        )
    action.refresh_from_db()
    assert action.ends_on == TODAY + 29 * DAY
    assert services.discipline_execute_due(TODAY + 30 * DAY)["ended"] == 1
    assert certs.status_of(certified_peer) == "active"


def test_modified_revocation_becomes_a_suspension(certified_peer, reviewer, manager, certs):
    with at(TODAY):
        complaint = ComplaintFactory(respondent_person=certified_peer, status=ComplaintStatus.INVESTIGATING)
        services.complaint_decide(
            actor=reviewer, complaint=complaint, outcome="revocation", findings="Harm", provisions=["no_harm"]
        )
        action = complaint.actions.get()
        appeal = services.appeal_file(
            actor=certified_peer.user, subject=AppealSubject.REVOCATION, action=action, grounds="Too harsh"
        )
        services.appeal_decide(
            actor=manager,
            appeal=appeal,
            outcome="modified",
            reasons="Suspension is enough.",
            modification="Revocation replaced by a 6-month suspension.",
            new_ends_on=TODAY + 180 * DAY,
        )
    action.refresh_from_db()
    assert action.kind == "suspension"
    assert certs.status_of(certified_peer) == "suspended"


def test_when_rules_say_appeals_stay_actions(certified_peer, reviewer, manager, certs):
    set_rule("appeal_stays_action", True)
    with at(TODAY):
        action = suspend(certified_peer, reviewer)
        appeal = services.appeal_file(
            actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="Please pause"
        )
        assert appeal.stays_action
        action.refresh_from_db()
        assert action.status == ActionStatus.STAYED
        assert certs.status_of(certified_peer) == "active"
        assert AuditEvent.objects.filter(action="action.stay", object_id=str(action.pk)).exists()
        services.appeal_decide(actor=manager, appeal=appeal, outcome="upheld", reasons="Findings stand.")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_EFFECT
    assert certs.status_of(certified_peer) == "suspended"


def test_stayed_future_action_is_rescheduled_when_upheld(certified_peer, reviewer, manager, certs):
    set_rule("appeal_stays_action", True)
    with at(TODAY):
        action = suspend(certified_peer, reviewer, effective_on=TODAY + 20 * DAY)
        appeal = services.appeal_file(
            actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="Pause"
        )
        assert services.discipline_execute_due(TODAY + 25 * DAY)["started"] == 0  # stayed: the job leaves it
        services.appeal_decide(actor=manager, appeal=appeal, outcome="upheld", reasons="Stands.")
    action.refresh_from_db()
    assert action.status == ActionStatus.SCHEDULED


@pytest.mark.parametrize("source", list(AppealStatus.values))
def test_appeal_transitions_from_every_state(source, manager, certs):
    appeal = AppealFactory(status=source, outcome="upheld" if source == AppealStatus.DECIDED else "")
    if source == AppealStatus.FILED:
        with pytest.raises(ApplicationError, match="Record who made the original decision"):
            services.appeal_decide(actor=manager, appeal=appeal, outcome="upheld", reasons="ok")
        from peercert.accounts.roles import Role
        from peercert.accounts.tests.factories import user_with_role

        decider = user_with_role(Role.PROGRAM_REVIEWER)
        services.appeal_decide(actor=manager, appeal=appeal, outcome="upheld", reasons="ok", original_decider=decider)
        assert AuditEvent.objects.filter(action="appeal.decide", object_id=str(appeal.pk)).exists()
    else:
        with pytest.raises(ApplicationError) as refused:
            services.appeal_decide(actor=manager, appeal=appeal, outcome="upheld", reasons="ok")
        assert refused.value.code == "state"
        with pytest.raises(ApplicationError):
            services.appeal_withdraw(actor=manager, appeal=appeal)


def test_withdrawn_appeal_resumes_a_stayed_action(certified_peer, reviewer, certs):
    set_rule("appeal_stays_action", True)
    with at(TODAY):
        action = suspend(certified_peer, reviewer)
        appeal = services.appeal_file(
            actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="Pause"
        )
        services.appeal_withdraw(actor=certified_peer.user, appeal=appeal)
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_EFFECT
    assert certs.status_of(certified_peer) == "suspended"
    assert AuditEvent.objects.filter(action="appeal.withdraw").exists()
