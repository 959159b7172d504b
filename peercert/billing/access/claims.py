"""Access-matrix rows for billing's claims (see peercert/core/access.py)."""

ACCESS: dict = {}


def build_world(w) -> dict:
    return {}
