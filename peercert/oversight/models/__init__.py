"""Oversight's records, one module per part."""

from peercert.oversight.models.dashboards import *  # noqa: F403
from peercert.oversight.models.plan import *  # noqa: F403
from peercert.oversight.models.reports import *  # noqa: F403
