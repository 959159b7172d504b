"""The only code that changes the benefit's records, one module per part, all re-exported here."""

from peercert.benefit.services.alerts import *  # noqa: F403
from peercert.benefit.services.rates import *  # noqa: F403
from peercert.benefit.services.workforce import *  # noqa: F403
