"""The public registry: what anyone may look up, and nothing more.

Every read here returns plain dicts of public fields only (name, number, status, dates,
specializations, county of employment, public disciplinary actions), so a template or
API schema cannot reach a date of birth, contact details, documents or demographics by
accident. Nothing is cached: a status change shows on the next request.
"""

from django.db.models import Aggregate, CharField, Exists, OuterRef, QuerySet, Subquery

from peercert.certification.models import Certification, CertificationSpecialization, CertificationStatus
from peercert.certification.selectors import certification_by_number
from peercert.core.text import fold
from peercert.core.vocabulary import Specialization
from peercert.discipline.selectors import public_actions_for

PAGE_SIZE = 20
MAX_PAGE = 500
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


def _specialization_codes():
    # One correlated subquery per returned row instead of a second round trip per page.
    return Subquery(
        CertificationSpecialization.objects.filter(certification=OuterRef("pk"))
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


def registry_queryset(
    *, name: str = "", number: str = "", status: str = "", specialization: str = "", county_id: int | None = None
) -> QuerySet[Certification]:
    qs = Certification.objects.all()
    folded = fold(name)
    if folded:
        # sort_name is the holder's Person.search_name (folded by core.text.fold, kept in step);
        # searching it here keeps filter, order and limit on one table with a trigram index.
        qs = qs.filter(sort_name__contains=folded)
    if number:
        qs = qs.filter(number=number.strip().upper())
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
    return (
        Certification.objects.filter(pk__in=ids)
        .select_related("person", "county", "program")
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
        .annotate(specialization_codes=_specialization_codes())
        .order_by("sort_name", "number")
    )


def registry_search(
    *,
    name: str = "",
    number: str = "",
    status: str = "",
    specialization: str = "",
    county_id: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict:
    """One page of public records, ordered by name. Paged by "one more row" instead of a count, so big pages stay fast."""
    page = max(1, min(int(page or 1), MAX_PAGE))
    start = (page - 1) * page_size
    ids = list(
        registry_page_ids(
            name=name,
            number=number,
            status=status,
            specialization=specialization,
            county_id=county_id,
            start=start,
            stop=start + page_size + 1,
        )
    )
    found = list(registry_rows_queryset(ids[:page_size])) if ids else []
    return {
        "results": _rows(found),
        "page": page,
        "page_size": page_size,
        "has_next": len(ids) > page_size,
        "has_previous": page > 1,
    }


def registry_record(number: str) -> dict | None:
    """The public record for a verification page: found by current or former number."""
    cert = certification_by_number(number)
    if cert is None:
        return None
    record = public_record(cert)
    record["disciplinary_actions"] = public_disciplinary_actions(cert)
    record["current_number"] = cert.number
    return record
