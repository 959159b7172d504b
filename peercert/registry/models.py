"""The registry's name-search index: a materialized table of name tokens (PostgreSQL).

Certification.sort_name is the holder's folded name ("maria a hernandez"). A name search is a
`contains` on it, ordered by (sort_name, number). A trigram index finds the matches but cannot read
them in order, so a common surname (1% of a million records) sorts ten thousand rows for a page of 20.
Here every certification has one row per distinct word of its sort_name, with the sort key beside it:
a B-tree on (token, sort_name, number) reads a word's certifications already in page order, so the
first page is the first rows of one index range and the count an index-only scan of it. NameWord is
the dictionary of words (thousands, not millions), where a search finds which words contain what was
typed. Both are kept in step with certification_certification by set-based statement triggers
(registry migration 0003) on PostgreSQL; SQLite (development) leaves them empty and searches the
certification table itself (peercert/registry/search.py).
"""

from django.db import models


class NameToken(models.Model):
    """One distinct word of one certification's sort_name, with that certification's sort key."""

    id = models.BigAutoField(primary_key=True)
    # Derived data: the trigger deletes a certification's tokens with it, so no constraint and no cascade.
    certification = models.ForeignKey(
        "certification.Certification", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    token = models.CharField(max_length=310)
    sort_name = models.CharField(max_length=310)
    number = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certification", "token"], name="registry_token_once")]
        indexes = [
            models.Index(
                fields=["token", "sort_name", "number"], include=["certification"], name="registry_token_order"
            )
        ]


class NameWord(models.Model):
    """A word some certification's sort_name has had (a word no longer used only finds nothing)."""

    token = models.CharField(max_length=310, primary_key=True)


class StatusCount(models.Model):
    """How many certifications have each status, kept by the same triggers (a status search's count)."""

    status = models.CharField(max_length=20, primary_key=True)
    certifications = models.BigIntegerField(default=0)
