"""Access-matrix rows for the benefit's rates (see peercert/core/access.py)."""

ACCESS: dict = {}


def build_world(w) -> dict:
    return {}
