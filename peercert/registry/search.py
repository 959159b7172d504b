"""Name search that stays fast at a million certifications (PostgreSQL), with a plain path on SQLite.

What a name search means does not change: certifications whose sort_name (the folded name) contains
what was typed (folded), in (sort_name, number) order. On PostgreSQL it reads registry_nametoken
(registry.models), one row per word of each certification's name with the sort key beside it:

1. The words that can carry the match come from the small dictionary registry_nameword (trigram
   index): for one typed word, every word containing it; for several (`maria a`), the longest typed
   word drives, and must end a word (the first typed word), start one (the last) or be one (between).
2. The page is the first rows of those words' (token, sort_name, number) B-tree ranges, read in order
   with LIMIT: for one word that is a plain index range scan that stops after the page, however common
   the word. The count is an index-only scan of the same ranges.
3. A typed text of several words is checked against sort_name itself (`contains`, on the index's own
   column), so the result is exactly the certifications the plain `contains` finds.

Other filters beside the name (status, county, ...) narrow the tokens by certification id.

A search by status alone counts from registry_statuscount, kept by the same triggers: counting 580,000
active certifications in an index takes 60 ms; reading one row takes none.
"""

from django.db import connection
from django.db.models import QuerySet

from peercert.registry.models import NameToken, NameWord, StatusCount

__all__ = ["uses_tokens", "driving_words", "name_page_ids", "name_count", "status_count"]


def uses_tokens() -> bool:
    """True where the token tables are kept (PostgreSQL, registry migration 0004)."""
    return connection.vendor == "postgresql"


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def driving_words(folded: str) -> list[str]:
    """The dictionary words one of which every certification matching `folded` has, sorted."""
    typed = folded.split(" ")
    if len(typed) == 1:
        lookup = {"token__contains": typed[0]}
    else:
        # The longest typed word is the most selective; ties go to the last (a prefix), then the first.
        position = max(range(len(typed)), key=lambda i: (len(typed[i]), i == len(typed) - 1, i == 0))
        word = typed[position]
        if position == 0:
            lookup = {"token__endswith": word}
        elif position == len(typed) - 1:
            lookup = {"token__startswith": word}
        else:
            lookup = {"token": word}
    return sorted(NameWord.objects.filter(**lookup).values_list("token", flat=True))


def _tokens(folded: str, words: list[str], within: QuerySet | None) -> QuerySet:
    qs = NameToken.objects.filter(token__in=words)
    if " " in folded:
        qs = qs.filter(sort_name__contains=folded)
    if within is not None:
        qs = qs.filter(certification_id__in=within.order_by().values("pk"))
    return qs


def name_page_ids(folded: str, words: list[str], *, start: int, stop: int, within: QuerySet | None = None) -> list:
    """Ids of the certifications in [start, stop) of the name order, among those matching folded."""
    if not words:
        return []
    qs = _tokens(folded, words, within).order_by("sort_name", "number")
    if len(words) == 1:
        # One word: a certification has it once (registry_token_once), so the range is read as it is.
        return list(qs.values_list("certification_id", flat=True)[start:stop])
    # Several words: a certification with two of them appears twice; its sort key is the same in both.
    rows = qs.values_list("sort_name", "number", "certification_id").distinct()[start:stop]
    return [row[2] for row in rows]


def name_count(folded: str, words: list[str], *, within: QuerySet | None = None) -> int:
    """How many certifications match folded (and `within`, when given)."""
    if not words:
        return 0
    qs = _tokens(folded, words, within)
    if len(words) == 1:
        return qs.count()
    return qs.values("certification_id").distinct().count()


def status_count(status: str) -> int:
    """How many certifications have this status (registry_statuscount; PostgreSQL only)."""
    return StatusCount.objects.filter(status=status).values_list("certifications", flat=True).first() or 0
