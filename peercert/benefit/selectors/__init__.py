"""Reads of the benefit's records, scoped to the actor, one module per part, all re-exported here."""

from peercert.benefit.selectors.alerts import *  # noqa: F403
from peercert.benefit.selectors.rates import *  # noqa: F403
from peercert.benefit.selectors.workforce import *  # noqa: F403
