"""The public registry: what anyone may look up, and nothing more.

Every read here returns plain dicts of public fields only (name, number, status, dates,
specializations, county of employment, public disciplinary actions), so a template or
API schema cannot reach a date of birth, contact details, documents or demographics by
accident. Nothing is cached: a status change shows on the next request.
"""

import datetime
import re

from django.db.models import Aggregate, CharField, Exists, OuterRef, Q, QuerySet, Subquery

from peercert.accounts.models import Person
from peercert.certification.models import Certification, CertificationSpecialization, CertificationStatus
from peercert.certification.selectors import certification_by_number
from peercert.core.text import fold
from peercert.core.vocabulary import Specialization
from peercert.discipline.selectors import public_actions_for
from peercert.registry import search

PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
MAX_PAGE = 500
# A number as people type it: an optional letter prefix, any spaces, hyphens or dots, then the digits.
NUMBER_SHAPE = re.compile(r"([A-Z]{2,5})?[\s._-]*(\d{1,12})")
DEFAULT_PREFIX = "PSS"
NUMBER_DIGITS = 6
PUBLIC_FIELDS = (
    "number",
    "name",
    "status",
    "status_label",
    "issued_on",
    "expires_on",
    "specializations",
    "county",
    "program",
)


class CodeList(Aggregate):
    """Comma-joined codes: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def specialization_codes(outer: str = "pk"):
    """The comma-joined specialization codes of the certification `outer` names, as an annotation."""
    # One correlated subquery per returned row instead of a second round trip per page.
    return Subquery(
        CertificationSpecialization.objects.filter(certification=OuterRef(outer))
        .order_by()
        .values("certification")
        .annotate(codes=CodeList("specialization"))
        .values("codes")
    )


def public_disciplinary_actions(certification) -> list[dict]:
    """Public disciplinary actions on a certification, from the discipline app (shown at once).

    Each item: {"action", "effective_on", "summary"}.
    """
    return [
        {"action": a.kind_label, "effective_on": a.effective_on, "summary": a.summary}
        for a in public_actions_for(certification)
    ]


def number_candidates(typed: str) -> list[str]:
    """The certification numbers a person may mean by what they typed, most likely first.

    `193`, `pss000193`, `PSS-000193` and `pss 193` all mean PSS-000193: the prefix defaults to
    PSS and the digits are padded to six. The number as typed (upper-cased, hyphenated) is kept
    too, because numbers carried from another program keep their own shape (`FRE-0042`). Each
    candidate is an exact value of the unique number column, so a lookup stays on its index.
    """
    raw = " ".join((typed or "").upper().split())
    if not raw:
        return []
    found = []
    shape = NUMBER_SHAPE.fullmatch(raw)
    if shape:
        prefix, digits = shape.group(1) or DEFAULT_PREFIX, shape.group(2)
        found.append(f"{prefix}-{digits.lstrip('0').zfill(NUMBER_DIGITS)}")
        found.append(f"{prefix}-{digits}")
    found.append(raw)
    return list(dict.fromkeys(found))


def changed_since(moment: datetime.datetime) -> Q:
    """Certifications whose public record changed after moment.

    A status change, a renewal, a transfer and the daily sweeps stamp the certification's own
    updated_at; a specialization added is a row of its own, and a name change is saved on the
    person, so both are looked up too (a person edited for a private reason, such as a new phone
    number, is sent again: harmless to a client that syncs). One UNION of three indexed range
    scans (registry migration 0002), so the filter never scans the table.
    """
    ids = (
        Certification.objects.filter(updated_at__gt=moment)
        .order_by()
        .values("pk")
        .union(
            CertificationSpecialization.objects.filter(updated_at__gt=moment).order_by().values("certification_id"),
            Certification.objects.filter(person_id__in=Person.objects.filter(updated_at__gt=moment).values("pk"))
            .order_by()
            .values("pk"),
        )
    )
    return Q(pk__in=ids)


def registry_queryset(
    *,
    name: str = "",
    number: str = "",
    status: str = "",
    specialization: str = "",
    county_id: int | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Certification]:
    qs = Certification.objects.all()
    folded = fold(name)
    if folded:
        # sort_name is the holder's Person.search_name (folded by core.text.fold, kept in step);
        # searching it here keeps filter, order and limit on one table with a trigram index.
        qs = qs.filter(sort_name__contains=folded)
    if number:
        qs = qs.filter(number__in=number_candidates(number))
    if status:
        qs = qs.filter(status=status)
    if specialization:
        qs = qs.filter(
            Exists(
                CertificationSpecialization.objects.filter(certification=OuterRef("pk"), specialization=specialization)
            )
        )
    if county_id:
        qs = qs.filter(county_id=county_id)
    if updated_since is not None:
        qs = qs.filter(changed_since(updated_since))
    return qs


def _rows(certifications) -> list[dict]:
    return [public_record(c, sorted(filter(None, (c.specialization_codes or "").split(",")))) for c in certifications]


def public_record(certification, specializations: list[str] | None = None) -> dict:
    if specializations is None:
        specializations = sorted(certification.specializations.values_list("specialization", flat=True))
    person = certification.person
    return {
        "number": certification.number,
        "name": person.full_name,
        "status": certification.status,
        "status_label": str(CertificationStatus(certification.status).label),
        "issued_on": certification.issued_on,
        "expires_on": certification.expires_on,
        "specializations": [{"code": s, "label": str(Specialization(s).label)} for s in specializations],
        "county": certification.county.name if certification.county_id else None,
        "program": certification.program.name,
    }


def registry_page_ids(*, start: int, stop: int, **filters) -> QuerySet:
    """Ids of one page's rows in name order, chosen on the certification table alone.

    Kept apart from the joins on purpose: given filter, order and limit together with the
    person, county and program joins, PostgreSQL joins every match before it sorts (5,000
    joined rows for a common name), where this query sorts only the narrow rows it found.
    """
    return registry_queryset(**filters).order_by("sort_name", "number").values_list("pk", flat=True)[start:stop]


def registry_rows_queryset(ids) -> QuerySet[Certification]:
    """The public columns of the given certifications, in name order."""
    return public_columns(Certification.objects.filter(pk__in=ids)).order_by("sort_name", "number")


def public_columns(qs: QuerySet[Certification]) -> QuerySet[Certification]:
    """Only the columns public_record reads, with the specialization codes annotated (for _rows)."""
    return (
        qs.select_related("person", "county", "program")
        .only(
            "number",
            "status",
            "issued_on",
            "expires_on",
            "county__name",
            "program__name",
            "person__legal_first_name",
            "person__legal_middle_name",
            "person__legal_last_name",
            "sort_name",
        )
        .annotate(specialization_codes=specialization_codes())
    )


def public_records(rows) -> list[dict]:
    """public_record for rows of public_columns."""
    return _rows(rows)


def registry_search(
    *,
    name: str = "",
    number: str = "",
    status: str = "",
    specialization: str = "",
    county_id: int | None = None,
    updated_since: datetime.datetime | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    with_count: bool = False,
) -> dict:
    """One page of public records, ordered by name, with "one more row" telling whether a next page exists.

    with_count adds the number of all matches (the API's `count`: one COUNT on the same indexed
    filter); the search page leaves it off.
    """
    page = max(1, min(int(page or 1), MAX_PAGE))
    page_size = max(1, min(int(page_size or PAGE_SIZE), MAX_PAGE_SIZE))
    start = (page - 1) * page_size
    filters = {
        "name": name,
        "number": number,
        "status": status,
        "specialization": specialization,
        "county_id": county_id,
        "updated_since": updated_since,
    }
    ids, count = _page_ids_and_count(filters, start=start, stop=start + page_size + 1)
    found = list(registry_rows_queryset(ids[:page_size])) if ids else []
    result = {
        "results": _rows(found),
        "page": page,
        "page_size": page_size,
        "has_next": len(ids) > page_size,
        "has_previous": page > 1,
    }
    if with_count:
        # A page short of page_size (the first, or any page past the first) already knows the total.
        if len(ids) <= page_size and (ids or page == 1):
            result["count"] = start + len(ids)
        else:
            result["count"] = count()
    return result


def _page_ids_and_count(filters: dict, *, start: int, stop: int):
    """The page's ids in name order, and a callable counting every match.

    A name on PostgreSQL is read from the registry's name tokens (registry/search.py: the page is one
    ordered index range, not a sort of every match); anything else from the certification table."""
    folded = fold(filters.get("name", ""))
    if folded and search.uses_tokens():
        words = search.driving_words(folded)
        others = {key: value for key, value in filters.items() if key != "name"}
        within = (
            registry_queryset(**others) if any(value is not None and value != "" for value in others.values()) else None
        )
        ids = search.name_page_ids(folded, words, start=start, stop=stop, within=within)
        return ids, lambda: search.name_count(folded, words, within=within)
    ids = list(registry_page_ids(**filters, start=start, stop=stop))
    only_status = filters.get("status") and not any(
        value is not None and value != "" for key, value in filters.items() if key != "status"
    )
    if only_status and search.uses_tokens():
        return ids, lambda: search.status_count(filters["status"])
    return ids, lambda: registry_queryset(**filters).count()


def registry_record(number: str) -> dict | None:
    """The public record for a verification page: found by current or former number."""
    cert = certification_by_number(number)
    if cert is None:
        return None
    record = public_record(cert)
    record["disciplinary_actions"] = public_disciplinary_actions(cert)
    record["current_number"] = cert.number
    return record
