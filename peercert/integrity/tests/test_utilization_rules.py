"""Utilization rules as data: who adds them, overlaps refused, a county only stricter, ending and
superseding keep history, every change audited."""

import datetime

import pytest
import time_machine

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.tests.factories import county
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers, every_move
from peercert.integrity import services
from peercert.integrity.models.utilization import RULE_TRANSITIONS, RuleKind, RuleStatus, UtilizationRule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 3, 7, 55, tzinfo=datetime.UTC), tick=False):
        yield


def data(**kw):
    base = {
        "kind": RuleKind.BENEFICIARY_DAY_UNITS,
        "name": "H0038 per beneficiary day",
        "code": "h0038",
        "limit": 8,
        "delivery_system": "",
        "effective_from": datetime.date(2026, 1, 1),
        "effective_to": None,
    }
    return {**base, **kw}


@pytest.fixture
def approver():
    return user_with_role(Role.DHCS_APPROVER)


@pytest.fixture
def supervisor():
    return user_with_role(Role.COUNTY_BILLING_SUPERVISOR)


def test_a_dhcs_approver_adds_a_statewide_rule_audited(approver):
    rule = services.utilization_rule_add(actor=approver, data=data())
    assert (rule.county_id, rule.code, rule.version, rule.status) == (None, "H0038", 1, RuleStatus.CURRENT)
    event = AuditEvent.objects.get(action="utilization_rule.add", object_id=str(rule.pk))
    assert event.after["limit"] == 8


@pytest.mark.parametrize("role", [Role.DHCS_ANALYST, Role.COUNTY_BILLING_SUPERVISOR, Role.COUNTY_BILLING, Role.AUDITOR])
def test_others_may_not_add_a_statewide_rule(role):
    with pytest.raises(ApplicationError) as error:
        services.utilization_rule_add(actor=user_with_role(role), data=data())
    assert error.value.code == "forbidden"
    assert not UtilizationRule.objects.filter(kind=RuleKind.BENEFICIARY_DAY_UNITS).exists()


def test_a_county_supervisor_adds_a_stricter_local_limit_only_for_their_county(approver, supervisor):
    services.utilization_rule_add(actor=approver, data=data(limit=8))
    local = services.utilization_rule_add(actor=supervisor, county=county("Los Angeles"), data=data(limit=6))
    assert local.county.name == "Los Angeles"
    with pytest.raises(ApplicationError) as error:
        services.utilization_rule_add(actor=supervisor, county=county("Fresno"), data=data(limit=6))
    assert error.value.code == "forbidden"
    billing = user_with_role(Role.COUNTY_BILLING)
    with pytest.raises(ApplicationError):
        services.utilization_rule_add(actor=billing, county=county("Los Angeles"), data=data(code="H0025"))


def test_a_county_limit_above_the_statewide_one_is_refused(approver, supervisor):
    services.utilization_rule_add(actor=approver, data=data(limit=8))
    with pytest.raises(ApplicationError) as error:
        services.utilization_rule_add(actor=supervisor, county=county("Los Angeles"), data=data(limit=10))
    assert "only be stricter" in error.value.message and error.value.field == "limit"
    assert not UtilizationRule.objects.filter(county__isnull=False).exists()


def test_a_county_limit_above_a_statewide_rule_for_its_system_is_refused(approver, supervisor):
    services.utilization_rule_add(actor=approver, data=data(limit=8, delivery_system="dmc"))
    with pytest.raises(ApplicationError):
        services.utilization_rule_add(actor=supervisor, county=county("Los Angeles"), data=data(limit=9))
    # A county rule for SMHS only is not compared with a DMC-only statewide rule.
    services.utilization_rule_add(
        actor=supervisor, county=county("Los Angeles"), data=data(limit=9, delivery_system="smhs")
    )


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        (datetime.date(2026, 6, 1), None, True),
        (datetime.date(2025, 1, 1), datetime.date(2026, 1, 1), True),
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), False),
    ],
)
def test_an_overlapping_period_is_refused(approver, start, end, refused):
    services.utilization_rule_add(actor=approver, data=data())
    if refused:
        with pytest.raises(ApplicationError) as error:
            services.utilization_rule_add(actor=approver, data=data(effective_from=start, effective_to=end))
        assert "overlaps" in error.value.message
        assert UtilizationRule.objects.filter(kind=RuleKind.BENEFICIARY_DAY_UNITS).count() == 1
    else:
        services.utilization_rule_add(actor=approver, data=data(effective_from=start, effective_to=end))


def test_a_lockout_pair_is_the_same_rule_either_way_round(approver):
    first = services.utilization_rule_add(
        actor=approver, data=data(kind=RuleKind.LOCKOUT, code="H0038", other_code="H0025", limit=None)
    )
    assert (first.code, first.other_code, first.limit) == ("H0025", "H0038", None)
    with pytest.raises(ApplicationError):
        services.utilization_rule_add(
            actor=approver, data=data(kind=RuleKind.LOCKOUT, code="H0025", other_code="H0038", limit=None)
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"limit": None}, "limit"),
        ({"limit": 0}, "limit"),
        ({"code": "38"}, "code"),
        ({"code": ""}, "code"),
        ({"kind": "lockout", "other_code": "", "limit": None}, "other_code"),
        ({"kind": "lockout", "other_code": "H0038", "limit": None}, "other_code"),
        ({"effective_to": datetime.date(2025, 12, 31)}, "effective_to"),
        ({"delivery_system": "dental"}, "delivery_system"),
        ({"kind": "sometimes"}, "kind"),
    ],
)
def test_bad_input_is_refused_with_the_field(approver, fields, field):
    with pytest.raises(ApplicationError) as error:
        services.utilization_rule_add(actor=approver, data=data(**fields))
    assert error.value.field == field


def test_ending_a_rule_keeps_it_with_its_reason(approver):
    rule = services.utilization_rule_add(actor=approver, data=data())
    with pytest.raises(ApplicationError):
        services.utilization_rule_end(actor=approver, rule=rule, last_day=datetime.date(2026, 12, 31), reason=" ")
    ended = services.utilization_rule_end(
        actor=approver, rule=rule, last_day=datetime.date(2026, 12, 31), reason="Manual section 4.2 withdrawn"
    )
    assert (ended.status, ended.effective_to) == (RuleStatus.ENDED, datetime.date(2026, 12, 31))
    event = AuditEvent.objects.get(action="utilization_rule.end", object_id=str(rule.pk))
    assert event.reason == "Manual section 4.2 withdrawn" and event.before["effective_to"] is None
    with pytest.raises(ApplicationError) as error:
        services.utilization_rule_end(actor=approver, rule=ended, last_day=datetime.date(2026, 12, 1), reason="x")
    assert error.value.code == "state"
    # Later, a new rule may follow it without overlap.
    services.utilization_rule_add(actor=approver, data=data(effective_from=datetime.date(2027, 1, 1)))


def test_superseding_makes_a_new_version_and_ends_the_old_one_the_day_before(approver):
    rule = services.utilization_rule_add(actor=approver, data=data())
    new = services.utilization_rule_supersede(
        actor=approver,
        rule=rule,
        data={"name": "H0038 per beneficiary day", "limit": 6, "effective_from": datetime.date(2026, 7, 1)},
        reason="Billing manual update, July 2026",
    )
    rule.refresh_from_db()
    assert (rule.status, rule.effective_to) == (RuleStatus.SUPERSEDED, datetime.date(2026, 6, 30))
    assert (new.version, new.limit, new.supersedes_id, new.code) == (2, 6, rule.pk, "H0038")
    assert AuditEvent.objects.filter(action="utilization_rule.supersede", object_id=str(rule.pk)).exists()
    with pytest.raises(ApplicationError):
        services.utilization_rule_supersede(
            actor=approver, rule=rule, data={"limit": 5, "effective_from": datetime.date(2026, 8, 1)}, reason="x"
        )
    with pytest.raises(ApplicationError):
        services.utilization_rule_supersede(
            actor=approver, rule=new, data={"limit": 5, "effective_from": datetime.date(2026, 7, 1)}, reason="x"
        )


def test_the_rule_map_covers_every_state():
    assert_map_covers(RULE_TRANSITIONS, RuleStatus)


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(RULE_TRANSITIONS, RuleStatus))
def test_every_move_of_a_rule(approver, source, target, allowed):
    rule = services.utilization_rule_add(actor=approver, data=data())
    if source != RuleStatus.CURRENT:
        UtilizationRule.objects.filter(pk=rule.pk).update(
            status=source, end_reason="earlier", effective_to=rule.effective_from
        )
    rule.refresh_from_db()

    def move():
        if target == RuleStatus.ENDED:
            return services.utilization_rule_end(actor=approver, rule=rule, last_day=rule.effective_from, reason="r")
        if target == RuleStatus.SUPERSEDED:
            return services.utilization_rule_supersede(
                actor=approver,
                rule=rule,
                data={"effective_from": rule.effective_from + datetime.timedelta(days=1)},
                reason="r",
            )
        raise ApplicationError("no service moves a rule back to current", code="state")

    if allowed:
        move()
        rule.refresh_from_db()
        assert rule.status == target
    else:
        with pytest.raises(ApplicationError):
            move()
