"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC

PEER = {Role.PEER}

ACCESS = {
    "did_web": {"allow": PUBLIC},
    "credentials:jwks": {"allow": PUBLIC},
    "credentials:status_list": {"allow": PUBLIC, "kwargs": lambda w: {"list_id": w["status_list"].list_id}},
    "credentials:verify": {"allow": PUBLIC},
    "credentials:mine": {"allow": PEER},
    "credentials:credential_jwt": {
        "allow": PEER,
        "kwargs": lambda w: {"number": w["certification"].number, "achievement": "pss"},
    },
    "POST /api/v1/credentials/verify": {"allow": PUBLIC},
}


def build_world(w):
    """A stored status list (the matrix runs with no signing key, so none is signed for real)."""
    from peercert.core import clock
    from peercert.credentials.models import StatusList

    return {
        "status_list": StatusList.objects.create(purpose="suspension", number=0, token="a.b.c", signed_at=clock.now())
    }
