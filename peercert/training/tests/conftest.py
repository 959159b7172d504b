import datetime

import pytest
import time_machine

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import TrainingEntityFactory, user_with_role

TODAY = datetime.date(2026, 2, 16)


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(datetime.datetime(2026, 2, 16, 18, 0, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def entity(db):
    return TrainingEntityFactory(name="Sierra Recovery Academy")


@pytest.fixture
def entity_staff(entity):
    return user_with_role(Role.TRAINING_STAFF, training_entity=entity)


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.PROGRAM_REVIEWER)


@pytest.fixture
def approver(db):
    return user_with_role(Role.DHCS_APPROVER)


@pytest.fixture
def peer(db):
    return user_with_role(Role.PEER)
