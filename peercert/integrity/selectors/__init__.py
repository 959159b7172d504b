"""Reads of integrity's records, scoped to the actor, one module per part, all re-exported here."""

from peercert.integrity.selectors.overpayments import *  # noqa: F403
from peercert.integrity.selectors.reviews import *  # noqa: F403
from peercert.integrity.selectors.utilization import *  # noqa: F403
