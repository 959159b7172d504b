import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for searching names.

    'José Núñez' and 'jose nunez' fold to the same string, on SQLite and PostgreSQL alike.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
