"""Separation of duties: nobody decides a matter they are a party to.

A peer may also hold a staff role (reviewer, trainer, proctor, investigator). The role lets
her decide other people's matters, never her own: her application, renewal, CE, fees,
exam, name change, or a complaint she filed or that is about her. Every deciding service
calls ensure_not_own_matter before it changes anything, so the rule holds the same for the
web pages, the API and the admin.

Parties are compared as Person ids (a User is a party through the Person it signs in as),
so core needs no app's models. Jobs run with actor=None and are not parties to anything.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from peercert.core.errors import ApplicationError

OWN_MATTER = "own_matter"

# What the refusal names, in the reader's language ("esta solicitud").
MATTERS = {
    "application": _("this application"),
    "curriculum": _("this curriculum"),
    "certification": _("this certification"),
    "record": _("this record"),
    "renewal": _("this renewal"),
    "ce_activity": _("this continuing education activity"),
    "ce_audit": _("this continuing education audit"),
    "name_change": _("this name change"),
    "invoice": _("this invoice"),
    "scholarship": _("this scholarship"),
    "training_record": _("this training record"),
    "accommodation": _("this accommodation request"),
    "exam": _("this exam"),
    "complaint": _("this complaint"),
    "disciplinary_action": _("this disciplinary action"),
    "appeal": _("this appeal"),
}


def person_id_of(user) -> int | None:
    """The Person id a sign-in acts as, or None (no sign-in, a job, or staff with no Person)."""
    if user is None or not getattr(user, "pk", None):
        return None
    try:
        person = user.person
    except ObjectDoesNotExist:
        return None
    return person.pk if person is not None else None


def is_party(user, *parties) -> bool:
    """Whether the user is one of the parties: Persons or Person ids, or Users (compared as sign-ins)."""
    if user is None or not getattr(user, "pk", None):
        return False
    mine = None
    for party in parties:
        if party is None:
            continue
        if hasattr(party, "is_authenticated"):  # a User: the same sign-in, or the same person behind two
            if party.pk == user.pk:
                return True
            party = person_id_of(party)
            if party is None:
                continue
        mine = mine if mine is not None else (person_id_of(user) or 0)
        if mine and (party if isinstance(party, int) else getattr(party, "pk", None)) == mine:
            return True
    return False


def refuse_own_matter(what: str) -> ApplicationError:
    """The refusal, for a service that finds the actor is a party some other way (staff of the entity)."""
    return ApplicationError(
        "You cannot act on %(what)s because you are a party to it. Another staff member must handle it.",
        code=OWN_MATTER,
        params={"what": MATTERS[what]},
    )


def ensure_not_own_matter(actor, *parties, what: str) -> None:
    """Refuse when the actor is one of the matter's parties. actor=None (a job) is allowed."""
    if actor is not None and is_party(actor, *parties):
        raise refuse_own_matter(what)


def refuse_assignment(assignee, field: str | None = None) -> ApplicationError:
    """The refusal to give a matter to one of its parties (for a service that finds it some other way)."""
    return ApplicationError(
        "%(person)s is a party to this matter, so it cannot be given to them. Choose someone else.",
        code=OWN_MATTER,
        field=field,
        params={"person": str(assignee)},
    )


def ensure_not_assigned_to_party(assignee, *parties, field: str | None = None) -> None:
    """Refuse to give a matter to one of its own parties (a queue, or a colleague choosing)."""
    if assignee is not None and is_party(assignee, *parties):
        raise refuse_assignment(assignee, field)


def exclude_own_matters(queryset, actor, *person_fields: str):
    """A staff queue without the actor's own matters: rows whose person fields name the actor's Person.

    Done in the query (one exclude), so counts and pages stay right. The services refuse these
    anyway; the queue just does not offer them as work.
    """
    mine = person_id_of(actor)
    if mine is None:
        return queryset
    for person_field in person_fields:
        queryset = queryset.exclude(**{f"{person_field}_id": mine})
    return queryset
