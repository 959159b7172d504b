"""The only code that changes oversight's records, one module per part, all re-exported here."""

from peercert.oversight.services.dashboards import *  # noqa: F403
from peercert.oversight.services.plan import *  # noqa: F403
from peercert.oversight.services.reports import *  # noqa: F403
