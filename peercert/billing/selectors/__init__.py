"""Reads of billing's records, scoped to the actor, one module per part, all re-exported here."""

from peercert.billing.selectors.claims import *  # noqa: F403
from peercert.billing.selectors.eligibility import *  # noqa: F403
from peercert.billing.selectors.gate import *  # noqa: F403
from peercert.billing.selectors.integrity import *  # noqa: F403
