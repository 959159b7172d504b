"""Two approvers approving overlapping rates at the same moment: the second waits for the first's
lock on the key's rates, then sees its approval and is refused. PostgreSQL only (SQLite has no row
locks; its IMMEDIATE transactions serialise every writer anyway)."""

import threading

import pytest
from django.db import connection, transaction

from peercert.accounts.models import County
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit import services
from peercert.benefit.models import Rate, RateStatus
from peercert.benefit.tests.factories import RateFactory
from peercert.core.errors import ApplicationError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def test_the_second_of_two_racing_approvals_waits_and_is_refused():
    la = County.objects.get(name="Los Angeles")
    staff = user_with_role(Role.COUNTY_STAFF)
    first_approver, second_approver = user_with_role(Role.DHCS_APPROVER), user_with_role(Role.DHCS_APPROVER)
    first = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=staff)
    second = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=staff, amount="45.00")
    approved, release = threading.Event(), threading.Event()
    outcome = {}

    def approve_first_and_hold():
        try:
            with transaction.atomic():
                services.rate_approve(actor=first_approver, rate=first)
                approved.set()
                release.wait(10)
        finally:
            connection.close()

    def approve_second():
        try:
            services.rate_approve(actor=second_approver, rate=second)
            outcome["second"] = "approved"
        except ApplicationError as refused:
            outcome["second"] = refused.code
        finally:
            connection.close()

    holder = threading.Thread(target=approve_first_and_hold)
    holder.start()
    assert approved.wait(10)
    racer = threading.Thread(target=approve_second)
    racer.start()
    racer.join(1.0)
    assert racer.is_alive(), "the second approval should wait for the first's locks"
    release.set()
    holder.join(10)
    racer.join(10)
    assert outcome == {"second": "conflict"}
    assert list(Rate.objects.filter(status=RateStatus.APPROVED).values_list("pk", flat=True)) == [first.pk]
