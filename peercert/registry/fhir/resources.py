"""FHIR R4 resources built from public registry rows, each one validated by its fhir.resources model.

Codings are written in English whatever the reader's language: a code system's display is part
of the code system, and a client compares it, so it must not change with Accept-Language. Only
OperationOutcome's diagnostics, which a person reads, follow the reader's language.

How the models are used: each builder writes the resource's data and has its fhir.resources model
validate it (checked()); a Bundle's own elements are validated by the Bundle model and each entry's
resource by its own model. What is served is that validated data, written by json.dumps. Not the
model's own model_dump_json, which gives the same JSON (the tests compare the two for every
resource) but walks the tree in Python at about 1 ms per Practitioner, 20 ms of a 20-row page.

Validating costs about 0.5 ms per Practitioner, so checked() remembers the digests of the last
MEMO_SIZE resources it validated: the very same content (same status, dates, names, updated_at...)
is not validated twice by one process. This remembers a verdict, not data: every request reads the
database afresh, and any change makes new content that is validated before it is served. A dict
the model refuses raises pydantic's ValidationError, and the view answers an OperationOutcome (500).

The models are fhir.resources' R4B package (FHIR 4.3). Practitioner, Organization, Bundle,
OperationOutcome and CapabilityStatement are the same in R4 (4.0.1) for every element used here,
so the JSON served is valid R4 and the CapabilityStatement says 4.0.1.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.utils import timezone, translation
from fhir.resources.R4B import get_fhir_model_class

from peercert.core.vocabulary import Specialization

FHIR_VERSION = "4.0.1"
JSON = "application/fhir+json"
# The NDH (successor of Plan-Net's) extension for a Practitioner.qualification's status and where it
# is valid. base-ext-qualification, its sibling, is for Organization and PractitionerRole only.
NDH_QUALIFICATION = "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-practitioner-qualification"
USPS_STATES = "https://www.usps.com/"
PEER_SPECIALIST = "medi-cal-peer-support-specialist"
PEER_SPECIALIST_DISPLAY = "Medi-Cal Peer Support Specialist"

# A certification's status as NDH's QualificationStatusCS says it: it has no "suspended" or
# "expired", so those are "inactive" (not valid for use now); PeerCert's own extension keeps the
# exact status beside it.
NDH_STATUS = {
    "active": "active",
    "suspended": "inactive",
    "expired": "inactive",
    "surrendered": "inactive",
    "vacated": "inactive",
    "revoked": "revoked",
}
STATUS_DISPLAY = {
    "active": "Active",
    "expired": "Expired",
    "vacated": "Vacated",
    "suspended": "Suspended",
    "revoked": "Revoked",
    "surrendered": "Surrendered",
}


def base_url() -> str:
    """The FHIR base everyone sees: absolute, from SITE_URL (links, fullUrl and system URIs)."""
    return f"{settings.SITE_URL.rstrip('/')}/fhir"


def number_system() -> str:
    return f"{base_url()}/sid/certification-number"


def program_system() -> str:
    return f"{base_url()}/sid/certification-program"


def training_entity_system() -> str:
    return f"{base_url()}/sid/training-entity"


def code_system() -> str:
    return f"{base_url()}/CodeSystem/peer-certification"


def status_code_system() -> str:
    return f"{base_url()}/CodeSystem/certification-status"


def status_extension_url() -> str:
    return f"{base_url()}/StructureDefinition/certification-status"


def organization_kind_system() -> str:
    return f"{base_url()}/CodeSystem/organization-kind"


def delivery_system_code_system() -> str:
    return f"{base_url()}/CodeSystem/delivery-system"


def county_extension_url() -> str:
    return f"{base_url()}/StructureDefinition/county-of-employment"


# The NPI of an organization, as NPPES issues it (CMS publishes every organization's NPI).
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
# HL7's code system for FIPS 6-4 county codes (urn:oid:2.16.840.1.113883.6.93): five digits, state first.
FIPS_COUNTY_SYSTEM = "http://terminology.hl7.org/CodeSystem/FIPS64"
HL7_ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
# A delivery system's code as benefit stores it, and its name in English (see the module docstring).
DELIVERY_SYSTEMS = {
    "smhs": "Specialty Mental Health Services (SMHS)",
    "dmc": "Drug Medi-Cal (DMC)",
    "dmc_ods": "Drug Medi-Cal Organized Delivery System (DMC-ODS)",
}
PROVIDER_KINDS = {"county_operated": "County-operated clinic", "contracted": "Contracted provider"}


MEMO_SIZE = 50_000
_validated: dict[bytes, None] = {}  # digests of resources already validated, oldest first


def checked(data: dict) -> dict:
    """The resource's data once its fhir.resources R4B model has validated it (ValidationError if not)."""
    digest = hashlib.blake2b(json.dumps(data, ensure_ascii=False).encode(), digest_size=16).digest()
    if digest in _validated:
        return data
    get_fhir_model_class(data["resourceType"]).model_validate(data)
    _validated[digest] = None
    if len(_validated) > MEMO_SIZE:
        try:
            del _validated[next(iter(_validated))]
        except (KeyError, StopIteration, RuntimeError):  # another thread trimmed it first
            pass
    return data


def _instant(moment: datetime.datetime) -> str:
    return timezone.localtime(moment, datetime.UTC).isoformat().replace("+00:00", "Z")


def _meta(updated_at) -> dict:
    return {"lastUpdated": _instant(updated_at)} if updated_at else {}


# ---- Practitioner -----------------------------------------------------------------------------


def program_id(code: str) -> str:
    return f"program-{code}"


def training_entity_id(pk: int) -> str:
    return f"training-{pk}"


def provider_id(pk: int) -> str:
    return f"provider-{pk}"


def _qualification(cert, *, code: str, display: str, start: datetime.date) -> dict:
    status = cert.status
    return {
        "extension": [
            {
                "url": NDH_QUALIFICATION,
                "extension": [
                    {"url": "status", "valueCode": NDH_STATUS[status]},
                    {
                        "url": "whereValid",
                        "valueCodeableConcept": {
                            "coding": [{"system": USPS_STATES, "code": "CA", "display": "California"}]
                        },
                    },
                ],
            },
            {
                "url": status_extension_url(),
                "valueCoding": {"system": status_code_system(), "code": status, "display": STATUS_DISPLAY[status]},
            },
        ],
        "identifier": [{"system": number_system(), "value": cert.number}],
        "code": {"coding": [{"system": code_system(), "code": code, "display": display}], "text": display},
        "period": {"start": start.isoformat(), "end": cert.expires_on.isoformat()},
        "issuer": {"reference": f"Organization/{program_id(cert.program.code)}", "display": cert.program.name},
    }


def practitioner(cert, *, check: bool = True) -> dict:
    """One certified peer: the registry's public fields and nothing else.

    cert is a Certification with person and program loaded and specializations prefetched.
    The id is the certification number (see views.py for why). The name is the legal name as the
    registry shows it; birth date, address, e-mail, phone and preferred name are never read.
    check=False only for a Bundle's entries: searchset() validates them with the Bundle.
    """
    person = cert.person
    given = [n for n in (person.legal_first_name, person.legal_middle_name) if n]
    with translation.override("en"):
        specializations = sorted(
            (
                (s.specialization, str(Specialization(s.specialization).label), s.added_on)
                for s in cert.specializations.all()
            ),
        )
    qualifications = [_qualification(cert, code=PEER_SPECIALIST, display=PEER_SPECIALIST_DISPLAY, start=cert.issued_on)]
    qualifications += [
        _qualification(cert, code=code, display=label, start=max(added_on, cert.issued_on))
        for code, label, added_on in specializations
    ]
    data = {
        "resourceType": "Practitioner",
        "id": cert.number,
        "meta": _meta(cert.updated_at),
        "identifier": [{"system": number_system(), "value": cert.number}],
        "active": cert.status == "active",
        "name": [{"use": "official", "text": person.full_name, "family": person.legal_last_name, "given": given}],
        "qualification": qualifications,
    }
    return checked(data) if check else data


# ---- Organization -----------------------------------------------------------------------------


def _organization(*, id: str, system: str, value: str, kind: str, kind_display: str, name: str, updated_at, **more):
    return checked(
        {
            "resourceType": "Organization",
            "id": id,
            "meta": _meta(updated_at),
            "identifier": [{"system": system, "value": value}],
            "active": more.pop("active", True),
            "type": [{"coding": [{"system": organization_kind_system(), "code": kind, "display": kind_display}]}],
            "name": name,
            **more,
        }
    )


def program_organization(program) -> dict:
    """A certification program: the issuer of every certification it holds."""
    return _organization(
        id=program_id(program.code),
        system=program_system(),
        value=program.code,
        kind="certification-program",
        kind_display="Peer support certification program",
        name=program.name,
        updated_at=program.updated_at,
        active=program.is_active,
        address=[{"state": "CA", "country": "US"}],
    )


def training_entity_organization(entity, updated_at) -> dict:
    """An approved training entity: its public name, website and city (no contact person)."""
    address = {"state": "CA", "country": "US"}
    if entity.city:
        address["city"] = entity.city
    more = {"address": [address]}
    if entity.website:
        more["telecom"] = [{"system": "url", "value": entity.website}]
    return _organization(
        id=training_entity_id(entity.pk),
        system=training_entity_system(),
        value=str(entity.pk),
        kind="training-entity",
        kind_display="Approved peer support training entity",
        name=entity.name,
        updated_at=updated_at,
        **more,
    )


def _county_concept(county) -> dict:
    name = f"{county.name} County"
    return {"coding": [{"system": FIPS_COUNTY_SYSTEM, "code": county.fips, "display": name}], "text": name}


def provider_organization(provider, *, today: datetime.date) -> dict:
    """A county's clinic or contracted provider where peers are hired: name, organization NPI, kind,
    and where it is (city, county, state).

    No street address, postal code, phone or contact: some peer employers (shelters for survivors
    of domestic violence, recovery residences) keep their location private, and PeerCert cannot tell
    which; NPPES, under the NPI given here, has whatever the provider chose to publish.
    provider has its county loaded (benefit.selectors.public_providers).
    """
    kind = provider.kind
    address = {"city": provider.city, "district": f"{provider.county.name} County", "state": "CA", "country": "US"}
    return checked(
        {
            "resourceType": "Organization",
            "id": provider_id(provider.pk),
            "meta": _meta(provider.updated_at),
            "identifier": [{"system": NPI_SYSTEM, "value": provider.npi}],
            "active": provider.active_from <= today and (provider.active_to is None or provider.active_to >= today),
            "type": [
                {
                    "coding": [
                        {"system": organization_kind_system(), "code": "provider", "display": "Peer employer"},
                        {"system": HL7_ORGANIZATION_TYPE, "code": "prov", "display": "Healthcare Provider"},
                    ]
                },
                {
                    "coding": [
                        {
                            "system": organization_kind_system(),
                            "code": kind.replace("_", "-"),
                            "display": PROVIDER_KINDS.get(kind, kind),
                        }
                    ]
                },
            ],
            "name": provider.name,
            "address": [{k: v for k, v in address.items() if v}],
        }
    )


# ---- PractitionerRole ---------------------------------------------------------------------------


def practitioner_role(hire, *, check: bool = True) -> dict:
    """One hire: the peer (their current certification's Practitioner), the provider, the county,
    the delivery systems, the period and whether it is open. Nothing else of the employment.

    hire is a row of benefit.selectors.public_hires(): provider and county loaded, and
    certification_number the number of the peer's current certification. Left out on purpose: the
    FTE, the position title, why it ended, who recorded it, and the peer's individual NPI (NPPES
    publishes it, but the registry never shows it and the peer gave it to their employer for billing,
    not to this directory; a client that needs it looks the person up in NPPES).

    The county is an extension holding a CodeableConcept with the county's FIPS 6-4 code (HL7's
    FIPS64 code system) and its name: PractitionerRole.location wants Location resources, which this
    directory does not serve, and code/specialty say what the peer does, not where. FIPS is the
    national code every state and federal data set joins on; the display carries the name.
    The delivery systems are specialty (PeerCert's delivery-system CodeSystem): the kind of
    service this role delivers, one coding per system. code is the role itself, the same code as the
    Practitioner's certification qualification.
    """
    period = {"start": hire.hired_on.isoformat()}
    if hire.end_on:
        period["end"] = hire.end_on.isoformat()
    data = {
        "resourceType": "PractitionerRole",
        "id": str(hire.pk),
        "meta": _meta(hire.updated_at),
        "extension": [{"url": county_extension_url(), "valueCodeableConcept": _county_concept(hire.county)}],
        "active": hire.status == "hired",
        "period": period,
        "practitioner": {"reference": f"Practitioner/{hire.certification_number}"},
        # No display: the provider's name lives on the Organization, so a renamed provider does not
        # change this resource behind its meta.lastUpdated (the employment's updated_at).
        "organization": {"reference": f"Organization/{provider_id(hire.provider_id)}"},
        "code": [
            {
                "coding": [{"system": code_system(), "code": PEER_SPECIALIST, "display": PEER_SPECIALIST_DISPLAY}],
                "text": PEER_SPECIALIST_DISPLAY,
            }
        ],
        "specialty": [
            {"coding": [{"system": delivery_system_code_system(), "code": code, "display": DELIVERY_SYSTEMS[code]}]}
            for code in DELIVERY_SYSTEMS
            if getattr(hire, code)
        ],
    }
    return checked(data) if check else data


# ---- Bundle, OperationOutcome, CapabilityStatement ----------------------------------------------


def searchset(*, resources: list[dict], total: int | None, links: dict[str, str]) -> dict:
    """A searchset Bundle: its own elements validated by the Bundle model, each resource by its own."""
    data = checked(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "timestamp": _instant(timezone.now()),
            **({"total": total} if total is not None else {}),
            "link": [{"relation": relation, "url": url} for relation, url in links.items()],
            # FHIR has no empty arrays: a page with no match has no entry at all.
            **(
                {"entry": [{"fullUrl": _full_url(r), "search": {"mode": "match"}} for r in resources]}
                if resources
                else {}
            ),
        }
    )
    for entry, resource in zip(data.get("entry", []), resources, strict=True):
        entry["resource"] = checked(resource)
    return data


def _full_url(resource: dict) -> str:
    return f"{base_url()}/{resource['resourceType']}/{resource['id']}"


def operation_outcome(diagnostics: str, *, code: str = "invalid", severity: str = "error") -> dict:
    """diagnostics is already in the reader's language (views translate it)."""
    return checked(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
        }
    )


# Each resource's search parameters, as metadata declares them and the views accept them.
SEARCH_PARAMS = {
    "Practitioner": [
        ("_id", "token", "The certification number (the Practitioner's id)."),
        ("_lastUpdated", "date", "When the certification's public record last changed (eq, ge, gt, le, lt)."),
        ("name", "string", "Part of the name, any case, with or without accents."),
        ("identifier", "token", "The certification number as people type it (193, pss000193, PSS-000193)."),
    ],
    "Organization": [
        ("_id", "token", "The organization's id (program-<code>, training-<number> or provider-<number>)."),
        ("_lastUpdated", "date", "When the organization's record last changed (eq, ge, gt, le, lt)."),
        ("name", "string", "Part of the name, any case, with or without accents."),
        ("identifier", "token", "The program's code, the training entity's number or the provider's NPI."),
        (
            "type",
            "token",
            "certification-program, training-entity, or provider (a peer employer; county-operated or contracted by its kind).",
        ),
    ],
    "PractitionerRole": [
        ("_id", "token", "The hire's id."),
        ("_lastUpdated", "date", "When the hire's record last changed (eq, ge, gt, le, lt)."),
        ("practitioner", "reference", "Practitioner/<certification number>, or the number as people type it."),
        ("organization", "reference", "Organization/provider-<number>: the provider that hired the peer."),
        ("active", "token", "true for an open hire, false for one that has ended."),
        ("specialty", "token", "A delivery system: smhs, dmc or dmc_ods."),
    ],
}


def capability_statement(*, released: datetime.date) -> dict:
    base = base_url()
    return checked(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": released.isoformat(),
            "publisher": "PeerCert",
            "kind": "instance",
            "software": {"name": "PeerCert"},
            "implementation": {"description": "PeerCert public registry (FHIR, read-only)", "url": base},
            "fhirVersion": FHIR_VERSION,
            "format": [JSON, "json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": "Read-only and open: no authentication, as the Da Vinci Plan-Net guide asks. "
                    "Searches take _count (0-200, default 20) and _total (none spares the count), and page by "
                    "the Bundle's next and previous links.",
                    "resource": [
                        {
                            "type": resource_type,
                            "interaction": [{"code": "read"}, {"code": "search-type"}],
                            "searchParam": [
                                {"name": name, "type": kind, "documentation": doc} for name, kind, doc in params
                            ],
                        }
                        for resource_type, params in SEARCH_PARAMS.items()
                    ],
                }
            ],
        }
    )
