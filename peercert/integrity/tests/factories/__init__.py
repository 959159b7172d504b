"""Factories for integrity, one module per part, re-exported."""

from peercert.integrity.tests.factories.overpayments import *  # noqa: F403
from peercert.integrity.tests.factories.reviews import *  # noqa: F403
from peercert.integrity.tests.factories.utilization import *  # noqa: F403
