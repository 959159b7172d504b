"""The only code that changes integrity's records, one module per part, all re-exported here."""

from peercert.integrity.services.overpayments import *  # noqa: F403
from peercert.integrity.services.reviews import *  # noqa: F403
from peercert.integrity.services.utilization import *  # noqa: F403
