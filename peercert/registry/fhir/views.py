"""The FHIR endpoints: open, read-only, JSON. Every answer is a FHIR resource, refusals included.

A Practitioner's id is its certification number (PSS-000193), not a row id and never a person's
id: the number is already public (the registry's verification page lives at it), it is what an
employer holds and types, and it says nothing about how many records there are or in what order
they were made. When a transfer gives a certification a new number, a read by the old one
answers 301 to the current one, as the registry's verification page does.

A PractitionerRole's id is the employment's row id. A hire is one row for good (a return to the
same provider is a new employment, and an employment is never renumbered), so the id is stable for
a syncing client and needs no key that could rotate; it says only that this hire exists, which the
resource publishes anyway. Keyset paging runs on that primary key.
"""

import datetime
import functools
import json
import logging
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from peercert.core import clock
from peercert.core.text import fill
from peercert.registry.fhir import queries, resources
from peercert.registry.fhir.params import FhirError, check_format, check_id, encode_cursor, parse_search

logger = logging.getLogger(__name__)
RELEASED = datetime.date(2026, 12, 1)  # when this CapabilityStatement last changed
PRACTITIONER_PARAMS = {"_id", "name", "name:contains", "identifier"}
ORGANIZATION_PARAMS = {"_id", "name", "name:contains", "identifier", "type"}
ROLE_PARAMS = {"_id", "practitioner", "organization", "active", "specialty"}


def _json(resource: dict, *, status: int = 200, pretty: bool = False) -> HttpResponse:
    """resource is validated data from resources.py (see there why json.dumps writes it)."""
    response = HttpResponse(
        json.dumps(
            resource, ensure_ascii=False, indent=2 if pretty else None, separators=None if pretty else (",", ":")
        ),
        status=status,
        content_type=f"{resources.JSON}; charset=utf-8",
    )
    # Open data, no cookies or credentials: any web page (a SMART app, a plan's directory) may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _outcome(text: str, *, status: int, code: str) -> HttpResponse:
    return _json(resources.operation_outcome(text, code=code), status=status)


def fhir_view(view):
    """GET and HEAD only; FhirError, 404 and any failure answered as an OperationOutcome, never HTML.

    CSRF-exempt because nothing here changes state: a POST must reach the 405 below, not the
    CSRF failure page.
    """

    @csrf_exempt
    @never_cache
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _outcome(
                fill(
                    gettext_noop("This FHIR directory is read-only: %(method)s is not allowed. Use GET."),
                    {"method": request.method[:10]},
                ),
                status=405,
                code="not-supported",
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except FhirError as refusal:
            return _outcome(refusal.text(), status=refusal.status, code=refusal.code)
        except Http404:
            return _outcome(
                gettext("There is no such resource. Search for it instead, by name or identifier."),
                status=404,
                code="not-found",
            )
        except Exception:
            logger.exception("FHIR request failed: %s", request.path)
            return _outcome(
                gettext("Something went wrong on our side. Try again in a few minutes."), status=500, code="exception"
            )

    return wrapped


def _pretty(request) -> bool:
    return request.GET.get("_pretty", "").lower() == "true"


def _url(name: str, params: list[tuple[str, str]]) -> str:
    query = urlencode(params)
    return f"{resources.base_url()}{reverse(name)[len('/fhir') :]}" + (f"?{query}" if query else "")


def _links(name: str, search, *, has_next: bool, has_previous: bool, first_key: str, last_key: str) -> dict:
    params = [*search.query, ("_count", str(search.count))]
    links = {"self": _url(name, params + ([("_cursor", encode_cursor(*search.cursor))] if search.cursor else []))}
    links["first"] = _url(name, params)
    if has_previous:
        links["previous"] = _url(name, [*params, ("_cursor", encode_cursor("before", first_key))])
    if has_next:
        links["next"] = _url(name, [*params, ("_cursor", encode_cursor("after", last_key))])
    return links


@fhir_view
def metadata(request):
    unknown = set(request.GET) - {"_format", "_pretty", "mode"}
    if unknown:
        raise FhirError(
            gettext_noop("metadata takes no search parameters; leave out %(names)s."),
            {"names": ", ".join(sorted(n[:40] for n in unknown)[:5])},
        )
    check_format(request.GET)
    return _json(resources.capability_statement(released=RELEASED), pretty=_pretty(request))


@fhir_view
def practitioner_search(request):
    search = parse_search(
        request.GET,
        allowed=PRACTITIONER_PARAMS,
        resource_type="Practitioner",
        system_for={"identifier": {resources.number_system()}, "_id": set()},
    )
    page = queries.practitioner_page(
        search.filters, count=search.count, cursor=search.cursor, with_total=search.with_total
    )
    bundle = resources.searchset(
        resources=[resources.practitioner(cert, check=False) for cert in page["rows"]],
        total=page["total"],
        links=_links(
            "fhir:practitioner_search",
            search,
            has_next=page["has_next"],
            has_previous=page["has_previous"],
            first_key=page.get("first_key", ""),
            last_key=page.get("last_key", ""),
        ),
    )
    return _json(bundle, pretty=_pretty(request))


@fhir_view
def practitioner_read(request, id: str):
    check_format(request.GET)
    found = queries.access_practitioner(check_id(id))
    if found.number != id:
        # A former number, or the number in other letters: the resource lives at its one id.
        return HttpResponsePermanentRedirect(reverse("fhir:practitioner_read", args=[found.number]))
    return _json(resources.practitioner(found), pretty=_pretty(request))


def _organization_resource(row):
    kind, _id, obj, updated_at = row
    if kind == "certification-program":
        return resources.program_organization(obj)
    if kind == "provider":
        return resources.provider_organization(obj, today=clock.today())
    return resources.training_entity_organization(obj, updated_at)


@fhir_view
def organization_search(request):
    search = parse_search(
        request.GET,
        allowed=ORGANIZATION_PARAMS,
        resource_type="Organization",
        system_for={
            "identifier": {resources.program_system(), resources.training_entity_system(), resources.NPI_SYSTEM},
            "type": {resources.organization_kind_system()},
            "_id": set(),
        },
    )
    rows = queries.organization_matches(search.filters)
    # The same keyset paging as Practitioner, on the organization's id, over a short list in memory.
    direction, key = search.cursor or ("after", "")
    if direction == "after":
        after = [r for r in rows if r[1] > key]
        page, has_next, has_previous = after[: search.count], len(after) > search.count, bool(key)
    else:
        before = [r for r in rows if r[1] < key]
        page, has_next, has_previous = before[-search.count :] if search.count else [], True, len(before) > search.count
    bundle = resources.searchset(
        resources=[_organization_resource(r) for r in page],
        total=len(rows) if search.with_total else None,
        links=_links(
            "fhir:organization_search",
            search,
            has_next=has_next and bool(page),
            has_previous=has_previous,
            first_key=page[0][1] if page else key,
            last_key=page[-1][1] if page else key,
        ),
    )
    return _json(bundle, pretty=_pretty(request))


@fhir_view
def organization_read(request, id: str):
    check_format(request.GET)
    return _json(_organization_resource(queries.access_organization(check_id(id))), pretty=_pretty(request))


def _references(values: list[str], *, param: str, resource_type: str) -> list[str]:
    """The ids in reference search values: “Practitioner/PSS-000193”, the same as an absolute URL on
    this server, or the id alone. A reference to another resource type is refused."""
    ids = []
    for value in values:
        value = value.removeprefix(f"{resources.base_url()}/")
        kind, slash, found = value.rpartition("/")
        if slash and kind != resource_type:
            raise FhirError(
                gettext_noop("%(name)s takes %(type)s/<id> or the id alone; “%(value)s” is not one."),
                {"name": param, "type": resource_type, "value": value[:80]},
            )
        ids.append(found)
    return ids


@fhir_view
def practitioner_role_search(request):
    search = parse_search(
        request.GET,
        allowed=ROLE_PARAMS,
        resource_type="PractitionerRole",
        system_for={
            "practitioner": set(),
            "organization": set(),
            "active": set(),
            "specialty": {resources.delivery_system_code_system()},
            "_id": set(),
        },
    )
    filters = search.filters
    if "practitioner" in filters:
        filters["practitioner"] = _references(
            filters["practitioner"], param="practitioner", resource_type="Practitioner"
        )
    if "organization" in filters:
        ids = _references(filters["organization"], param="organization", resource_type="Organization")
        # Only a provider employs; a program's or a training entity's id is a real one that hires no one.
        filters["organization"] = [int(i[9:]) for i in ids if i.startswith("provider-") and queries.row_id(i[9:])]
    if "_id" in filters:
        filters["_id"] = [int(i) for i in filters["_id"] if queries.row_id(i)]
    if "active" in filters and not set(filters["active"]) <= {"true", "false"}:
        raise FhirError(gettext_noop("active must be true or false."))
    page = queries.role_page(filters, count=search.count, cursor=search.cursor, with_total=search.with_total)
    bundle = resources.searchset(
        resources=[resources.practitioner_role(hire, check=False) for hire in page["rows"]],
        total=page["total"],
        links=_links(
            "fhir:practitioner_role_search",
            search,
            has_next=page["has_next"],
            has_previous=page["has_previous"],
            first_key=page.get("first_key", ""),
            last_key=page.get("last_key", ""),
        ),
    )
    return _json(bundle, pretty=_pretty(request))


@fhir_view
def practitioner_role_read(request, id: str):
    check_format(request.GET)
    return _json(resources.practitioner_role(queries.access_role(check_id(id))), pretty=_pretty(request))


@fhir_view
def unknown(request, rest: str = ""):
    raise FhirError(
        gettext_noop(
            "This FHIR directory has no “%(path)s”. It serves metadata, Practitioner, Organization and "
            "PractitionerRole (read by id and search)."
        ),
        {"path": rest[:80]},
        code="not-supported",
    )
