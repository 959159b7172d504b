"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

from peercert.core.access import PUBLIC

ACCESS = {
    "registry:search": {"allow": PUBLIC},
    "registry:verify": {"allow": PUBLIC, "kwargs": lambda w: {"number": w["certification"].number}},
    "registry:bulk": {"allow": PUBLIC},
    "registry:developers": {"allow": PUBLIC},
    # The schema is always there; the CSV and JSON Lines answer 404 with a next step until generated.
    "registry:download": {"allow": PUBLIC, "kwargs": lambda w: {"name": "schema.json"}},
    "GET /api/v1/registry/certifications": {"allow": PUBLIC},
    "GET /api/v1/registry/certifications/{number}": {
        "allow": PUBLIC,
        "kwargs": lambda w: {"number": w["certification"].number},
    },
    # The FHIR directory: open to everyone, as Plan-Net asks.
    "fhir:metadata": {"allow": PUBLIC},
    "fhir:practitioner_search": {"allow": PUBLIC},
    "fhir:practitioner_read": {"allow": PUBLIC, "kwargs": lambda w: {"id": w["certification"].number}},
    "fhir:organization_search": {"allow": PUBLIC},
    "fhir:organization_read": {
        "allow": PUBLIC,
        "kwargs": lambda w: {"id": f"program-{w['certification'].program.code}"},
    },
    # A hire to read: the one benefit's access world records for the matrix peer (hired, certified).
    "fhir:practitioner_role_search": {"allow": PUBLIC},
    "fhir:practitioner_role_read": {"allow": PUBLIC, "kwargs": lambda w: {"id": str(w["alerts_employment"].pk)}},
    "fhir:unknown": {"allow": PUBLIC, "kwargs": lambda w: {"rest": "Patient"}},
    "POST /api/v1/registry/verify": {"allow": PUBLIC},
}
