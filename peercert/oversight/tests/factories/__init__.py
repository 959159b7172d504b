"""Factories for oversight, one module per part, re-exported."""

from peercert.oversight.tests.factories.dashboards import *  # noqa: F403
from peercert.oversight.tests.factories.plan import *  # noqa: F403
from peercert.oversight.tests.factories.reports import *  # noqa: F403
