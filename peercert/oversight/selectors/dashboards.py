"""oversight: the dashboards part's selectors."""

from peercert.oversight.selectors.suppression import CountTable, PublishedTable, RateSpec, suppress, suppress_together

__all__: list[str] = ["CountTable", "PublishedTable", "RateSpec", "suppress", "suppress_together"]
