"""The oversight demo: safe to run twice; the plan was returned once and then approved; on the public
dashboard the large counties show and the rural ones are suppressed."""

import io

import pytest
from django.core.cache import cache

from peercert.accounts import demo as accounts_demo
from peercert.oversight.demo import dashboards as dashboards_demo
from peercert.oversight.demo import plan as plan_demo
from peercert.oversight.models.plan import PlanStatus, PlanVersion

pytestmark = [pytest.mark.django_db]


def test_the_demo_is_idempotent_and_shows_suppression():
    cache.clear()
    out = io.StringIO()
    accounts_demo.seed(out)
    for _ in range(2):
        plan_demo.seed(out)
        dashboards_demo.seed(out)
    versions = list(PlanVersion.objects.order_by("number").values_list("number", "status"))
    assert versions == [(1, PlanStatus.RETURNED), (2, PlanStatus.APPROVED)]
    assert PlanVersion.objects.get(number=1).comments.count() == 2

    from peercert.oversight.selectors.dashboards import public_dashboard

    table = next(t for t in public_dashboard()["tables"] if t["key"] == "peers_by_county")
    rows = {row["label"]: row["values"][0] for row in table["rows"]}
    assert rows["Los Angeles"] == {"value": 46, "suppressed": False}
    assert rows["Alpine"]["suppressed"] and rows["Trinity"]["suppressed"]
    assert rows["Kern"] == {"value": 0, "suppressed": False}
    cache.clear()
