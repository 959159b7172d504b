"""Factories for integrity's utilization part."""

import datetime

import factory

from peercert.integrity.models.utilization import RuleKind, UtilizationRule

__all__ = ["UtilizationRuleFactory"]


class UtilizationRuleFactory(factory.django.DjangoModelFactory):
    """A statewide rule in force since 2026-01-01 (pass county= for a county's)."""

    class Meta:
        model = UtilizationRule

    county = None
    kind = RuleKind.BENEFICIARY_DAY_UNITS
    name = factory.Sequence(lambda n: f"H0038 units per beneficiary per day #{n}")
    code = "H0038"
    other_code = ""
    limit = 8
    effective_from = datetime.date(2026, 1, 1)
