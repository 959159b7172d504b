"""Access-matrix rows for the benefit's workforce (see peercert/core/access.py)."""

ACCESS: dict = {}


def build_world(w) -> dict:
    return {}
