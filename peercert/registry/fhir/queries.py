"""The FHIR directory's reads: the public registry's own set, paged by certification number.

A Practitioner page is four statements whatever _count: the total, the page's ids (on the
certification table alone, as registry.selectors does), their rows with person and program, and
the specializations of those rows (prefetched). Keyset paging on the number keeps every page as
cheap as the first and, unlike offsets, does not skip or repeat a record when others change
between two pages of a sync.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_noop

from peercert.accounts.models import CertificationProgram
from peercert.benefit import selectors as benefit_selectors
from peercert.certification.selectors import certification_by_number
from peercert.core import clock
from peercert.core.text import fold
from peercert.registry import selectors
from peercert.registry.fhir import resources
from peercert.registry.fhir.params import FhirError, normalize_number
from peercert.training.selectors import approved_providers

# Only the columns a Practitioner shows: a birth date or an e-mail is never even loaded.
PRACTITIONER_COLUMNS = (
    "number",
    "status",
    "issued_on",
    "expires_on",
    "updated_at",
    "person__legal_first_name",
    "person__legal_middle_name",
    "person__legal_last_name",
    "program__code",
    "program__name",
)


def _numbers(values: list[str]) -> set[str]:
    return {normalize_number(v) for v in values} | {v.strip().upper() for v in values}


def practitioner_queryset(filters: dict) -> QuerySet:
    """The registry's public certifications, narrowed by a parsed FHIR search."""
    qs = selectors.registry_queryset(name=filters.get("name", ""))
    if "identifier" in filters:
        qs = qs.filter(number__in=_numbers(filters["identifier"]))
    if "_id" in filters:
        qs = qs.filter(number__in=filters["_id"])
    if filters.get("last_updated"):
        qs = qs.filter(**filters["last_updated"])
    return qs


def practitioner_rows(ids) -> list:
    """The certifications with these ids, ready for resources.practitioner, in number order."""
    if not ids:
        return []
    qs = selectors.registry_queryset().filter(pk__in=list(ids))
    # The specialization model reached through the relation, so this package adds no import of
    # certification.models to the registry's listed exception (tests/test_layering.py).
    specializations = qs.model.specializations.rel.related_model.objects.only(
        "certification_id", "specialization", "added_on"
    )
    return list(
        qs.select_related("person", "program")
        .only(*PRACTITIONER_COLUMNS)
        .prefetch_related(Prefetch("specializations", queryset=specializations))
        .order_by("number")
    )


def practitioner_page(filters: dict, *, count: int, cursor: tuple[str, str] | None, with_total: bool = True) -> dict:
    """One page of practitioners: {"rows", "total", "first_key", "last_key", "has_next", "has_previous"}.

    The count is the one statement that grows with the matches (a common name at a million
    records); a syncing client that needs no total sends _total=none and is spared it.
    """
    qs = practitioner_queryset(filters)
    total = qs.count() if with_total else None
    if count == 0:
        return {"rows": [], "total": total, "has_next": False, "has_previous": False}
    keys = qs.order_by("number").values_list("pk", "number")
    direction, key = cursor or ("after", "")
    if direction == "after":
        window = list((keys.filter(number__gt=key) if key else keys)[: count + 1])
        more_this_way, page = len(window) > count, window[:count]
        has_next, has_previous = more_this_way, bool(key)
    else:
        window = list(qs.order_by("-number").values_list("pk", "number").filter(number__lt=key)[: count + 1])
        more_this_way, page = len(window) > count, list(reversed(window[:count]))
        has_next, has_previous = True, more_this_way
    return {
        "rows": practitioner_rows([pk for pk, _ in page]),
        "total": total,
        "first_key": page[0][1] if page else key,
        "last_key": page[-1][1] if page else key,
        "has_next": has_next and bool(page),
        "has_previous": has_previous,
    }


def access_practitioner(number: str):
    """The public certification with this number (any case) or one that carried it before; 404 otherwise."""
    found = practitioner_rows(
        list(selectors.registry_queryset().filter(number=number.strip().upper()).values_list("pk", flat=True)[:1])
    )
    if found:
        return found[0]
    former = certification_by_number(number)
    if former is not None and selectors.registry_queryset().filter(pk=former.pk).exists():
        return practitioner_rows([former.pk])[0]
    raise Http404


# ---- Organization -----------------------------------------------------------------------------


def organizations(*, with_providers: bool = True) -> list[tuple[str, str, object, object]]:
    """Every public organization as (kind, id, row, updated_at): programs, approved entities, providers.

    Read whole and filtered in Python: accent-folded name matching needs no folded column on three
    tables. Programs and entities are a few dozen rows; providers (benefit.selectors.public_providers,
    one statement, public columns only) are the counties' clinics and contractors, a few thousand at
    most statewide. Past that, providers want their own keyset query as PractitionerRole has.
    """
    found = [
        ("certification-program", resources.program_id(p.code), p, p.updated_at)
        for p in CertificationProgram.objects.order_by("code")
    ]
    for entry in approved_providers(clock.today()):
        entity = entry["entity"]
        updated = max([entity.updated_at, *(a.updated_at for a in entry["approvals"])])
        found.append(("training-entity", resources.training_entity_id(entity.pk), entity, updated))
    if with_providers:
        found += [
            ("provider", resources.provider_id(p.pk), p, p.updated_at) for p in benefit_selectors.public_providers()
        ]
    return found


def _organization_identifier(row) -> str:
    kind, _id, obj, _updated = row
    if kind == "certification-program":
        return obj.code
    if kind == "provider":
        return obj.npi
    return str(obj.pk)


def _organization_types(row) -> set[str]:
    if row[0] == "provider":
        return {"provider", row[2].kind.replace("_", "-")}
    return {row[0]}


def organization_matches(filters: dict) -> list[tuple[str, str, object, object]]:
    rows = organizations()
    if "name" in filters:
        folded = fold(filters["name"])
        rows = [r for r in rows if folded in fold(r[2].name)]
    if "_id" in filters:
        rows = [r for r in rows if r[1] in set(filters["_id"])]
    if "identifier" in filters:
        wanted = set(filters["identifier"])
        rows = [r for r in rows if _organization_identifier(r) in wanted]
    if "type" in filters:
        rows = [r for r in rows if _organization_types(r) & set(filters["type"])]
    bounds = filters.get("last_updated") or {}
    if "updated_at__gte" in bounds:
        rows = [r for r in rows if r[3] >= bounds["updated_at__gte"]]
    if "updated_at__lt" in bounds:
        rows = [r for r in rows if r[3] < bounds["updated_at__lt"]]
    return sorted(rows, key=lambda r: r[1])


def access_organization(organization_id: str):
    if organization_id.startswith("provider-"):
        pk = row_id(organization_id.removeprefix("provider-"))
        provider = benefit_selectors.public_providers().filter(pk=pk).first() if pk else None
        if provider is None:
            raise Http404
        return ("provider", resources.provider_id(provider.pk), provider, provider.updated_at)
    for row in organizations(with_providers=False):
        if row[1] == organization_id:
            return row
    raise Http404


# ---- PractitionerRole -------------------------------------------------------------------------


def row_id(text: str) -> int | None:
    """A row id given as text, or None: digits only, within PostgreSQL's bigint."""
    return int(text) if text.isdigit() and len(text) <= 18 else None


def role_queryset(filters: dict) -> QuerySet:
    """The public hires (benefit.selectors.public_hires) whose Practitioner the registry serves,
    narrowed by a parsed FHIR search. filters hold values views.py has already read:
    numbers (practitioner), provider ids (organization), hire ids (_id), "true"/"false" (active)
    and delivery system codes (specialty)."""
    registry = selectors.registry_queryset()
    # An index lookup per hire on the certification number, not a hash of every certification.
    qs = benefit_selectors.public_hires().filter(Exists(registry.filter(number=OuterRef("certification_number"))))
    if "practitioner" in filters:
        numbers = _numbers(filters["practitioner"])
        # The person filter lets the database start from the few people with those numbers.
        qs = qs.filter(
            person_id__in=registry.filter(number__in=numbers).values("person_id"), certification_number__in=numbers
        )
    if "organization" in filters:
        qs = qs.filter(provider_id__in=filters["organization"])
    if "_id" in filters:
        qs = qs.filter(pk__in=filters["_id"])
    if "active" in filters:
        wanted = set(filters["active"])
        if wanted == {"true"}:
            qs = qs.filter(status="hired")
        elif wanted == {"false"}:
            qs = qs.exclude(status="hired")
    if "specialty" in filters:
        systems = Q()
        for code in sorted(set(filters["specialty"]) & set(resources.DELIVERY_SYSTEMS)):
            systems |= Q(**{code: True})
        qs = qs.filter(systems) if systems else qs.none()
    if filters.get("last_updated"):
        qs = qs.filter(**filters["last_updated"])
    return qs


def role_page(filters: dict, *, count: int, cursor: tuple[str, str] | None, with_total: bool = True) -> dict:
    """One page of hires in id order, keyset-paged like practitioner_page: two statements whatever
    _count (the total, then the page's rows with provider and county joined), one with _total=none."""
    qs = role_queryset(filters)
    total = qs.count() if with_total else None
    if count == 0:
        return {"rows": [], "total": total, "has_next": False, "has_previous": False}
    direction, key = cursor or ("after", "")
    after = row_id(key) if key else 0
    if after is None:
        raise FhirError(
            gettext_noop("The page link is not one this server made. Start the search again from its first page.")
        )
    if direction == "after":
        window = list(qs.filter(pk__gt=after).order_by("pk")[: count + 1])
        page, has_next, has_previous = window[:count], len(window) > count, bool(after)
    else:
        window = list(qs.filter(pk__lt=after).order_by("-pk")[: count + 1])
        page, has_next, has_previous = list(reversed(window[:count])), True, len(window) > count
    return {
        "rows": page,
        "total": total,
        "first_key": str(page[0].pk) if page else key,
        "last_key": str(page[-1].pk) if page else key,
        "has_next": has_next and bool(page),
        "has_previous": has_previous,
    }


def access_role(role_id: str):
    pk = row_id(role_id)
    found = role_queryset({}).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found
