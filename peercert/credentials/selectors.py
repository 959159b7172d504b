"""Reads for the credentials pages: the peer's own certifications and credentials, and the signed documents."""

from django.db.models import QuerySet
from django.http import Http404

from peercert.accounts.selectors import person_for_user
from peercert.certification.selectors import certifications_of
from peercert.credentials.models import IssuedCredential, StatusList


def own_certifications(actor) -> list:
    person = person_for_user(actor)
    return list(certifications_of(person).order_by("-issued_on")) if person else []


def access_own_certification(actor, number: str):
    """The actor's own certification with this number; anyone else's is a 404."""
    for certification in own_certifications(actor):
        if certification.number == (number or "").strip().upper():
            return certification
    raise Http404


def credentials_of(certifications) -> QuerySet[IssuedCredential]:
    return IssuedCredential.objects.filter(certification__in=certifications).order_by("-issued_at", "specialization")


def latest_credential(certification, specialization: str) -> IssuedCredential | None:
    return (
        IssuedCredential.objects.filter(certification=certification, specialization=specialization)
        .order_by("-valid_until", "-issued_at")
        .first()
    )


def status_list(list_id: str) -> StatusList | None:
    purpose, _, number = (list_id or "").partition("-")
    if not number.isdigit() or len(number) > 9:
        return None
    return StatusList.objects.filter(purpose=purpose, number=int(number)).first()
