import datetime
from decimal import Decimal

import pytest
import time_machine

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import county, user_with_role
from peercert.scholarships import services

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def today(request):
    if "page" in request.fixturenames:
        # A browser drops cookies that expired by its own clock, so browser journeys run on today.
        yield None
        return
    with time_machine.travel(datetime.datetime(2026, 6, 1, 17, 0, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def manager(db):
    return user_with_role(Role.PROGRAM_MANAGER)


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.PROGRAM_REVIEWER)


@pytest.fixture
def la_staff(db):
    return user_with_role(Role.COUNTY_STAFF, county_name="Los Angeles")


@pytest.fixture
def sf_staff(db):
    return user_with_role(Role.COUNTY_STAFF, county_name="San Francisco")


@pytest.fixture
def peer(db):
    return user_with_role(Role.PEER)


@pytest.fixture
def other_peer(db):
    return user_with_role(Role.PEER)


@pytest.fixture
def make_fund(db):
    counter = iter(range(1, 10_000))

    def make(**kwargs):
        kwargs.setdefault("name", f"Fund {next(counter)}")
        kwargs.setdefault("funder_kind", "dhcs")
        kwargs.setdefault("budget", Decimal("1000.00"))
        kwargs.setdefault("fee_codes", ["fee_application", "fee_exam"])
        kwargs.setdefault("covers_tuition", True)
        kwargs.setdefault("opens_on", TODAY - datetime.timedelta(days=10))
        if kwargs.get("funder_kind") == "county" and "county" not in kwargs:
            kwargs["county"] = county("Los Angeles")
        return services.fund_create(actor=None, **kwargs)

    return make


@pytest.fixture
def apply(db):
    def make(user, fund, **kwargs):
        kwargs.setdefault("pathway", "standard")
        kwargs.setdefault("need_statement", "I cannot pay the fees.")
        kwargs.setdefault("fee_codes", ["fee_exam"])
        return services.application_submit(actor=user, fund=fund, **kwargs)

    return make


@pytest.fixture
def award(manager, apply):
    def make(user, fund, amount="300.00", **kwargs):
        application = apply(user, fund, wants_tuition=fund.covers_tuition)
        kwargs.setdefault("fee_codes", ["fee_exam"])
        kwargs.setdefault("covers_tuition", fund.covers_tuition)
        kwargs.setdefault("expires_on", TODAY + datetime.timedelta(days=90))
        return services.application_award(actor=manager, application=application, amount=amount, **kwargs)

    return make


@pytest.fixture
def enrolled_offering(db):
    """An offering at an approved entity the given person is enrolled in."""
    from peercert.training.tests.factories import ApprovedProviderFactory, EnrollmentFactory, OfferingFactory

    def make(person, cost="400.00", status="enrolled"):
        approval = ApprovedProviderFactory()
        offering = OfferingFactory(training_entity=approval.training_entity, cost=Decimal(cost))
        EnrollmentFactory(offering=offering, person=person, status=status)
        return offering

    return make
