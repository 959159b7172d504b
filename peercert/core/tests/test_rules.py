import datetime
from decimal import Decimal

import pytest

from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.rules import RULE_SPEC, rules_on, seeded_rules
from peercert.core.services import program_rules_publish


def test_seeded_rules_carry_the_published_numbers(db):
    rules = rules_on(datetime.date(2026, 1, 1))
    assert rules.version == "2021.1"
    assert rules.fee_application == Decimal("100.00")
    assert rules.fee_exam == Decimal("150.00")
    assert rules.ce_hours_required == 20 and rules.ce_law_ethics_hours_required == 6
    assert rules.renewal_reminder_days == [90, 60, 30, 7]
    assert rules.grandparenting_closed_after == datetime.date(2022, 12, 31)
    with pytest.raises(AttributeError):
        rules.not_a_rule  # noqa: B018


def test_a_new_version_applies_from_its_date_and_old_dates_keep_the_old(db, time_machine):
    time_machine.move_to(datetime.date(2026, 6, 1))
    values = {**seeded_rules(), "fee_renewal": "95.00"}
    program_rules_publish(actor=None, version="2026.2", effective_from=datetime.date(2026, 7, 1), rules=values)
    assert rules_on(datetime.date(2026, 6, 30)).fee_renewal == Decimal("80.00")
    assert rules_on(datetime.date(2026, 7, 1)).fee_renewal == Decimal("95.00")
    assert rules_on(datetime.date(2026, 7, 1)).version == "2026.2"
    assert AuditEvent.objects.filter(action="program_rules.publish").count() == 1


@pytest.mark.parametrize(
    "change,message",
    [
        ({"drop": "fee_exam"}, "Missing: fee_exam"),
        ({"add": ("fee_unknown", 1)}, "Unknown rules"),
        ({"set": ("ce_hours_required", "twenty")}, "needs a int value"),
    ],
)
def test_publish_refuses_incomplete_or_malformed_rules(db, change, message):
    values = seeded_rules()
    if "drop" in change:
        values.pop(change["drop"])
    if "add" in change:
        values[change["add"][0]] = change["add"][1]
    if "set" in change:
        values[change["set"][0]] = change["set"][1]
    with pytest.raises(ApplicationError, match=message):
        program_rules_publish(actor=None, version="bad", effective_from=datetime.date(2099, 1, 1), rules=values)


def test_publish_refuses_the_past_and_reused_versions(db, time_machine):
    time_machine.move_to(datetime.date(2026, 6, 1))
    with pytest.raises(ApplicationError, match="past"):
        program_rules_publish(actor=None, version="x", effective_from=datetime.date(2026, 5, 1), rules=seeded_rules())
    with pytest.raises(ApplicationError, match="already exists"):
        program_rules_publish(
            actor=None, version="2021.1", effective_from=datetime.date(2027, 1, 1), rules=seeded_rules()
        )


def test_every_rule_has_a_description(db):
    assert all(label for _kind, _value, label in RULE_SPEC.values())


def test_staff_read_the_rules_and_peers_cannot(role_users, as_user):
    page = as_user(role_users["dhcs_analyst"]).get("/rules/")
    assert page.status_code == 200 and "Application fee" in page.content.decode()
    assert as_user(role_users["peer"]).get("/rules/").status_code == 403
