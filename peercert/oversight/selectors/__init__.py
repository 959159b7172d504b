"""Reads of oversight's records, scoped to the actor, one module per part, all re-exported here."""

from peercert.oversight.selectors.dashboards import *  # noqa: F403
from peercert.oversight.selectors.plan import *  # noqa: F403
from peercert.oversight.selectors.reports import *  # noqa: F403
