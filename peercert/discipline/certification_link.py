"""Everything discipline asks of the certification and training apps, in one place.

Discipline sits above certification and training, so it may call their services and
selectors; it does so only here, so the rest of the app speaks in people, entities and
certification ids. The names called are the inter-app contract in the helper brief:
certification.selectors.certification_by_number / certification_active_on /
current_certification, certification.services.certification_change_status, and
training.selectors.ce_hours_between.

While an app below has not yet shipped those names, each function here degrades to the
safest behaviour it can (documented on the function) instead of failing at import.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from peercert.core.text import fold

SOURCE = "discipline"

ACTIVE = "active"
SUSPENDED = "suspended"
REVOKED = "revoked"
EXPIRED = "expired"


@dataclass(frozen=True)
class CertificationRef:
    """What discipline needs to know about one certification."""

    id: int
    number: str
    status: str
    person_id: int
    expires_on: datetime.date | None = None


@dataclass(frozen=True)
class PeerMatch:
    """One row of the public picker: only what the public registry shows anyway."""

    person_id: int
    name: str
    number: str
    status: str


def _module(path: str):
    try:
        return import_module(path)
    except ImportError:
        return None


def _cert_selectors():
    module = _module("peercert.certification.selectors")
    return module if module is not None and hasattr(module, "current_certification") else None


def _cert_services():
    module = _module("peercert.certification.services")
    return module if module is not None and hasattr(module, "certification_change_status") else None


def _cert_model():
    from django.apps import apps

    try:
        return apps.get_model("certification", "Certification")
    except LookupError:
        return None


def certification_available() -> bool:
    return _cert_selectors() is not None and _cert_services() is not None


def _ref(cert) -> CertificationRef | None:
    if cert is None:
        return None
    return CertificationRef(id=cert.pk, number=str(cert.number), status=str(cert.status), person_id=cert.person_id,
                            expires_on=getattr(cert, "expires_on", None))


# --- reads ----------------------------------------------------------------------------


def find_peers(query: str, limit: int = 10) -> list[PeerMatch]:
    """Certified peers whose name or certification number matches, for the public picker.

    Shows only people who hold or held a certification (the registry's population). Before
    the certification app ships its model, nobody is listed: the public cannot browse
    applicants.
    """
    query = (query or "").strip()
    model = _cert_model()
    if len(query) < 2 or model is None:
        return []
    folded = fold(query)
    qs = model.objects.select_related("person").filter(person__search_name__contains=folded) | \
        model.objects.select_related("person").filter(number__iexact=query)
    rows = qs.order_by("person__legal_last_name", "person__legal_first_name", "number")[:limit]
    return [PeerMatch(person_id=c.person_id, name=c.person.display_name, number=str(c.number), status=str(c.status))
            for c in rows]


def active_people(limit: int = 10) -> list:
    """People holding an active certification (for demo data), oldest records first."""
    model = _cert_model()
    if model is None:
        return []
    from peercert.accounts.models import Person

    ids = model.objects.filter(status=ACTIVE).order_by("pk").values_list("person_id", flat=True)[:limit]
    return list(Person.objects.filter(pk__in=list(ids)).order_by("pk"))


def peer_by_number(number: str) -> PeerMatch | None:
    """The certified peer holding a certification number, or None."""
    selectors = _cert_selectors()
    number = (number or "").strip()
    if selectors is None or not number:
        return None
    cert = selectors.certification_by_number(number)
    if cert is None:
        return None
    return PeerMatch(person_id=cert.person_id, name=cert.person.display_name, number=str(cert.number),
                     status=str(cert.status))


def was_certified_on(person, day: datetime.date) -> bool | None:
    """Whether the person held an active certification on a day; None when it cannot be known yet."""
    selectors = _cert_selectors()
    if selectors is None:
        return None
    return selectors.certification_active_on(person, day) is not None


def current_certification(person) -> CertificationRef | None:
    selectors = _cert_selectors()
    if selectors is None:
        return None
    return _ref(selectors.current_certification(person))


def certification_by_id(certification_id: int) -> CertificationRef | None:
    model = _cert_model()
    if model is None or certification_id is None:
        return None
    return _ref(model.objects.filter(pk=certification_id).first())


def law_ethics_and_general_hours(person, start: datetime.date, end: datetime.date) -> dict | None:
    """CE hours from the training ledger between two days, or None when training has not shipped it."""
    module = _module("peercert.training.selectors")
    if module is None or not hasattr(module, "ce_hours_between"):
        return None
    hours = module.ce_hours_between(person, start, end)
    return {k: Decimal(str(v)) for k, v in hours.items()}


# --- changes --------------------------------------------------------------------------


def _change(*, actor, certification_id: int, to_status: str, reason: str, effective_on: datetime.date):
    services = _cert_services()
    model = _cert_model()
    if services is None or model is None:
        return None
    from peercert.discipline.permissions import can_handle_cases

    # Discipline checked its own permissions already. A respondent's act (withdrawing an appeal)
    # can re-apply an action; certification then hears it from discipline itself (actor None).
    cert_actor = actor if can_handle_cases(actor) else None
    cert = model.objects.get(pk=certification_id)
    if str(cert.status) == to_status:
        return _ref(cert)
    if str(cert.status) == REVOKED and to_status == SUSPENDED:
        # A revocation turned into a suspension on appeal: certification only lets a revocation end
        # by returning to active, so the history shows both steps on the same day.
        cert = services.certification_change_status(
            actor=cert_actor, certification=cert, to_status=ACTIVE, reason=reason, effective_on=effective_on,
            source=SOURCE)
    return _ref(services.certification_change_status(
        actor=cert_actor, certification=cert, to_status=to_status, reason=reason, effective_on=effective_on,
        source=SOURCE))


def certification_apply(*, actor, person, to_status: str, reason: str, effective_on: datetime.date):
    """Suspend or revoke the person's current certification. Returns (certification_id, prior_status).

    (None, "") when the person has no certification in PeerCert yet (nothing to change).
    """
    current = current_certification(person)
    if current is None:
        return None, ""
    _change(actor=actor, certification_id=current.id, to_status=to_status, reason=reason, effective_on=effective_on)
    return current.id, current.status


def certification_restore(*, actor, certification_id: int | None, to_status: str, reason: str,
                          effective_on: datetime.date) -> None:
    """Put a certification back to a status (after an overturn, a stay or the end of a suspension).

    A certification whose term ran out meanwhile goes to expired instead of active.
    """
    if certification_id is None or not to_status:
        return
    current = certification_by_id(certification_id)
    if current is None:
        return
    if to_status == ACTIVE and current.expires_on is not None and current.expires_on < effective_on:
        to_status = EXPIRED
    _change(actor=actor, certification_id=certification_id, to_status=to_status, reason=reason,
            effective_on=effective_on)


def entity_sanction_changed(*, actor, entity, kind: str, in_effect: bool, reason: str,
                            effective_on: datetime.date) -> None:
    """Carry a sanction on a training entity into the training app, which owns approval status.

    A suspension suspends each of the entity's approved approvals (one per training type and
    language) and lifting it restores the ones still suspended; a withdrawal withdraws them.
    Training makes a withdrawal final, so overturning a withdrawal on appeal is recorded here
    and the entity re-applies. Training's services need program staff as the actor: the
    caller passes whoever decided the sanction when a daily job carries it out.
    Does nothing while the training app has not shipped these services.
    """
    module = _module("peercert.training.services")
    from django.apps import apps

    try:
        model = apps.get_model("training", "ProviderApplication")
    except LookupError:
        return
    needed = ("provider_application_suspend", "provider_application_lift_suspension", "provider_application_withdraw")
    if module is None or not all(hasattr(module, name) for name in needed):
        return
    from peercert.core.errors import ApplicationError

    approvals = model.objects.filter(training_entity=entity).order_by("pk")
    if kind == "suspension" and in_effect:
        for application in approvals.filter(status="approved"):
            module.provider_application_suspend(actor=actor, application=application, reason=reason)
    elif kind == "suspension":
        for application in approvals.filter(status="suspended"):
            try:
                module.provider_application_lift_suspension(actor=actor, application=application, reason=reason)
            except ApplicationError as exc:
                if exc.code != "state":  # an approval whose term ended meanwhile renews instead
                    raise
    elif kind == "withdrawal" and in_effect:
        for application in approvals.filter(status__in=["approved", "suspended"]):
            module.provider_application_withdraw(actor=actor, application=application, reason=reason)


# --- denied applications and renewals -----------------------------------------------------

APPLICATION = "application"
RENEWAL = "renewal"


@dataclass(frozen=True)
class DenialRef:
    """A denied certification application or renewal, as an appeal names it."""

    kind: str  # APPLICATION or RENEWAL
    id: int
    decided_on: datetime.date
    decided_by_id: int | None
    reference: str

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


def denials_of(person_id: int, decided_since: datetime.date | None = None) -> list[DenialRef]:
    """The person's denied certification applications and renewals, newest decision first."""
    from django.utils import timezone

    from peercert.certification.selectors import denied_applications_of
    from peercert.renewal.selectors import denied_renewals_of

    found = [(APPLICATION, "Application", a) for a in denied_applications_of(person_id, decided_since=decided_since)]
    found += [(RENEWAL, "Renewal", r) for r in denied_renewals_of(person_id, decided_since=decided_since)]
    refs = [DenialRef(kind=kind, id=row.pk, decided_on=timezone.localdate(row.decided_at),
                      decided_by_id=row.decided_by_id,
                      reference=f"{noun} {row.pk}, denied {timezone.localdate(row.decided_at):%Y-%m-%d}")
            for kind, noun, row in found]
    return sorted(refs, key=lambda d: (d.decided_on, d.id), reverse=True)


def denial_reopen(*, actor, kind: str, denial_id: int, reason: str) -> None:
    """An appeal overturned the denial: the owning app sends the application or renewal back for review."""
    if kind == APPLICATION:
        from peercert.certification.models import Application
        from peercert.certification.services import application_reopen_on_appeal

        application_reopen_on_appeal(actor=actor, application=Application.objects.get(pk=denial_id), reason=reason)
    elif kind == RENEWAL:
        from peercert.renewal.models import Renewal
        from peercert.renewal.services import renewal_reopen_on_appeal

        renewal_reopen_on_appeal(actor=actor, renewal=Renewal.objects.get(pk=denial_id), reason=reason)
    else:
        raise ValueError(kind)
