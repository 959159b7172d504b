"""The only code that changes billing's records, one module per part, all re-exported here."""

from peercert.billing.services.claims import *  # noqa: F403
from peercert.billing.services.eligibility import *  # noqa: F403
from peercert.billing.services.gate import *  # noqa: F403
