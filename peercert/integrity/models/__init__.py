"""Integrity's records, one module per part."""

from peercert.integrity.models.overpayments import *  # noqa: F403
from peercert.integrity.models.reviews import *  # noqa: F403
from peercert.integrity.models.utilization import *  # noqa: F403
