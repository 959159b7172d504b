"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

from peercert.core.access import PUBLIC

ACCESS = {
    "registry:search": {"allow": PUBLIC},
    "registry:verify": {"allow": PUBLIC, "kwargs": lambda w: {"number": w["certification"].number}},
    "GET /api/v1/registry/certifications": {"allow": PUBLIC},
    "GET /api/v1/registry/certifications/{number}": {
        "allow": PUBLIC,
        "kwargs": lambda w: {"number": w["certification"].number},
    },
}
