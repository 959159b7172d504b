import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for searching names.

    'José Núñez' and 'jose nunez' fold to the same string, on SQLite and PostgreSQL alike.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def fill(message: str, params: dict | None = None) -> str:
    """A message in the active language with its values filled in.

    message is the plain-English catalogue key (with %(name)s placeholders); dates among the
    values are written the way the reader's language writes them ("30 de noviembre de 2026").
    """
    import datetime

    from django.utils import formats
    from django.utils.translation import gettext

    text = gettext(message) if message else message
    if not params:
        return text
    values = {
        k: formats.date_format(v, "DATE_FORMAT")
        if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime)
        else v
        for k, v in params.items()
    }
    return text % values


def _lower(text) -> str:
    return str(text).lower()


def lower_lazy(label):
    """A (lazy) choice label in lower case, evaluated only when the message is written.

    For a label in the middle of a sentence ("Your certification is now %(status)s"): fill
    writes it in the reader's language ("suspended", "suspendida").
    """
    from django.utils.functional import lazy

    return lazy(_lower, str)(label)
