"""Small helpers shared by the report definitions."""

from decimal import ROUND_HALF_UP, Decimal

STATEWIDE = "Statewide"
# The total row of a report run for some counties only (file contents are in English, as the state reads them).
SELECTED = "Counties in this report"


def county_names() -> dict[int, tuple[str, str]]:
    """{county id: (code, name)} for every county, from one query."""
    from peercert.accounts.models import County

    return {pk: (code, name) for pk, code, name in County.objects.values_list("pk", "code", "name")}


def county_cells(names: dict, county_id) -> tuple[str, str]:
    if county_id is None:
        return ("", "Not recorded")
    return names.get(county_id, ("", str(county_id)))


def ratio(numerator, denominator, *, scale: int = 1, places: str = "0.01") -> Decimal | None:
    """numerator / denominator x scale, rounded half up; None when the denominator is zero or missing."""
    if not denominator:
        return None
    return (Decimal(numerator or 0) * scale / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))
