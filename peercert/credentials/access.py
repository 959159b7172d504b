"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC

PEER = {Role.PEER}

ACCESS = {
    "did_web": {"allow": PUBLIC},
    "credentials:jwks": {"allow": PUBLIC},
    # No list is signed in the matrix's world (no key): a 404 for everyone, which counts as let in for anonymous.
    "credentials:status_list": {"allow": PUBLIC, "kwargs": lambda w: {"list_id": "suspension-0"}},
    "credentials:verify": {"allow": PUBLIC},
    "credentials:mine": {"allow": PEER},
    "credentials:mine_download": {
        "allow": PEER,
        "kwargs": lambda w: {"number": w["certification"].number, "achievement": "pss"},
    },
    "POST /api/v1/credentials/verify": {"allow": PUBLIC},
}
