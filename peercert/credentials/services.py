"""Issuing Open Badges credentials and re-signing the status lists that say whether they still hold.

credentials_issue makes a certification's credentials for its current cycle (one for the
certification, one per specialization). status_lists_sign rebuilds and re-signs the lists that
cover some credentials, from one query per list of the indexes whose certification is suspended
or no longer in force. Both are called by the receivers (on issue, renewal and every status change)
and lazily when a peer asks for her download.
"""

import datetime
import secrets
import uuid

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.certification.selectors import certification_by_number
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.dates import add_years
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person
from peercert.core.types import Actor
from peercert.core.vocabulary import Specialization
from peercert.credentials import keys, vc
from peercert.credentials.audit import AuditAction
from peercert.credentials.models import (
    LIST_FILL,
    LIST_SIZE,
    IssuedCredential,
    StatusIndexCounter,
    StatusList,
    StatusPurpose,
)

# Certification statuses (certification.models.CertificationStatus values; the app may not import
# that module, and a test checks they still match). A suspension sets the suspension bit; a
# certification no longer in force for good (revoked, or surrendered or vacated, which nothing
# reverses) sets the revocation bit. Active, or expired (validUntil says that), sets neither.
ACTIVE = "active"
BITS_FOR = {
    StatusPurpose.SUSPENSION: ("suspended",),
    StatusPurpose.REVOCATION: ("revoked", "surrendered", "vacated"),
}
COUNTER = "status_index"
CERTIFICATION_ACHIEVEMENT = "pss"
CERTIFICATION_TITLE = "Medi-Cal Peer Support Specialist"


def _holds(actor: Actor, certification) -> bool:
    return (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and certification.person.user_id is not None
        and certification.person.user_id == actor.pk
    )


def cycle_of(certification) -> tuple[datetime.date, datetime.date]:
    """The certification's current cycle: one term back from its expiry, never before it was issued."""
    term = rules_on(clock.today()).certification_term_years
    start = max(certification.issued_on, add_years(certification.expires_on, -term))
    return start, certification.expires_on


def list_url(purpose: str, number: int) -> str:
    return vc.site_url(reverse("credentials:status_list", args=[f"{purpose}-{number}"]))


def _draw_indexes(count: int) -> list[int]:
    """count never-used status-list indexes, each a random free bit of the list being filled.

    The counter row stays locked until commit, so two issues never draw at once; the unique
    constraint on status_index is the last word.
    """
    counter, _ = StatusIndexCounter.objects.select_for_update().get_or_create(name=COUNTER)
    drawn: list[int] = []
    for _ in range(count):
        counter.last_value += 1
        drawn.append(_free_index(counter.last_value // LIST_FILL, taken=drawn))
    counter.save(update_fields=["last_value"])
    return drawn


def _free_index(list_number: int, *, taken: list[int]) -> int:
    # The list is at most half full, so each of 8 random tries is free at least half the time.
    low = list_number * LIST_SIZE
    while True:
        candidates = {low + secrets.randbelow(LIST_SIZE) for _ in range(8)} - set(taken)
        used = set(IssuedCredential.objects.filter(status_index__in=candidates).values_list("status_index", flat=True))
        free = sorted(candidates - used)
        if free:
            return secrets.choice(free)


def _payload(*, certification, specialization: str, index: int, jti: str, now, cycle) -> dict:
    if specialization:
        code = specialization
        title = f"{CERTIFICATION_TITLE}: {Specialization(specialization).label}"
        description = "A specialization of the Medi-Cal Peer Support Specialist certification."
    else:
        code, title = CERTIFICATION_ACHIEVEMENT, CERTIFICATION_TITLE
        description = "Certification as a Medi-Cal Peer Support Specialist in California."
    number = index % LIST_SIZE
    statuses = [
        {
            "id": f"{list_url(purpose, index // LIST_SIZE)}#{number}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": str(purpose),
            "statusListIndex": str(number),
            "statusListCredential": list_url(purpose, index // LIST_SIZE),
        }
        for purpose in (StatusPurpose.SUSPENSION, StatusPurpose.REVOCATION)
    ]
    did = keys.issuer_did()
    return {
        "@context": [vc.VC_CONTEXT, vc.OB_CONTEXT],
        "id": f"urn:uuid:{jti}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "issuer": {
            "id": did,
            "type": ["Profile"],
            "name": certification.program.name,
            "url": vc.site_url("/registry/"),
        },
        "validFrom": vc.start_of(cycle[0]),
        "validUntil": vc.end_of(cycle[1]),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # Only what the public registry shows: the name and the number (AchievementSubject has no
            # name property, so the name is an identifier of type "name", as Open Badges 3.0 does it).
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certification.person.full_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": False,
                    "identityHash": certification.number,
                },
            ],
            "licenseNumber": certification.number,
            "achievement": {
                "id": vc.achievement_id(code),
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": title,
                "description": description,
                "criteria": {"narrative": "Met the requirements of the California Medi-Cal peer support program."},
                "creator": {"id": did, "type": ["Profile"], "name": certification.program.name},
            },
        },
        "credentialStatus": statuses,
        "iss": did,
        "jti": f"urn:uuid:{jti}",
        "iat": int(now.timestamp()),
        "nbf": int(datetime.datetime.fromisoformat(vc.start_of(cycle[0])).timestamp()),
        "exp": int(datetime.datetime.fromisoformat(vc.end_of(cycle[1])).timestamp()),
    }


@transaction.atomic
def credentials_issue(*, actor: Actor, certification) -> list[IssuedCredential]:
    """The certification's credentials for its current cycle: one for it and one per specialization.

    Preconditions: actor None (on issue or renewal) or the holder (her download); the
    certification active; a signing key. Credentials already issued for this cycle are kept and
    returned (the call is idempotent); missing ones are signed, each with a never-used
    status-list index. Audited per credential; on a system issue the peer is told.
    """
    cert = certification_by_number(certification.number)
    if cert is None:
        raise ApplicationError("We could not find that certification.", code="not_found")
    if actor is not None and not _holds(actor, cert):
        raise ApplicationError("Only the certified person may download their credential.", code="forbidden")
    if cert.status != ACTIVE:
        raise ApplicationError(
            "A digital credential is issued only while the certification is active. "
            "Credentials already issued stay verifiable and show its status.",
            code="state",
        )
    key = keys.signing_key()
    cycle = cycle_of(cert)
    wanted = ["", *sorted(s.specialization for s in cert.specializations.all())]
    # Lock the counter first: two requests for the same cycle wait for each other instead of both signing.
    StatusIndexCounter.objects.select_for_update().get_or_create(name=COUNTER)
    have = {
        c.specialization: c
        for c in IssuedCredential.objects.filter(certification=cert, valid_until=cycle[1], specialization__in=wanted)
    }
    missing = [s for s in wanted if s not in have]
    if missing:
        now = clock.now()
        for specialization, index in zip(missing, _draw_indexes(len(missing)), strict=True):
            jti = str(uuid.uuid4())
            payload = _payload(
                certification=cert, specialization=specialization, index=index, jti=jti, now=now, cycle=cycle
            )
            credential = IssuedCredential.objects.create(
                certification=cert,
                specialization=specialization,
                status_index=index,
                jti=jti,
                kid=key.kid,
                issued_at=now,
                valid_from=cycle[0],
                valid_until=cycle[1],
                token=vc.sign_credential(payload, key),
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREDENTIAL_ISSUE,
                obj=credential,
                after={
                    "certification": cert.number,
                    "specialization": specialization,
                    "status_index": index,
                    "kid": key.kid,
                    "valid_until": cycle[1],
                },
            )
            have[specialization] = credential
        _ensure_lists({i // LIST_SIZE for i in (have[s].status_index for s in missing)})
        if actor is None:
            tell_person(
                cert.person,
                subject=gettext_noop("Your digital credential is ready"),
                body=gettext_noop(
                    "You can download a signed digital credential for certification %(number)s and add it "
                    "to a wallet. Anyone can check it on the verification page."
                ),
                params={"number": cert.number},
                link=reverse("credentials:mine"),
            )
    return [have[s] for s in wanted]


def _ensure_lists(numbers: set[int]) -> None:
    existing = set(StatusList.objects.filter(number__in=numbers).values_list("purpose", "number"))
    todo = {n for n in numbers for p in StatusPurpose if (p.value, n) not in existing}
    if todo:
        status_lists_sign(actor=None, numbers=todo)


def _set_bits(purpose: str, number: int) -> list[int]:
    """The set bits of one list, from one query: indexes whose certification is in the purpose's statuses."""
    low = number * LIST_SIZE
    return [
        i - low
        for i in IssuedCredential.objects.filter(
            status_index__gte=low, status_index__lt=low + LIST_SIZE, certification__status__in=BITS_FOR[purpose]
        ).values_list("status_index", flat=True)
    ]


@transaction.atomic
def status_lists_sign(*, actor: Actor, numbers) -> list[StatusList]:
    """Rebuild and re-sign the suspension and revocation lists with these numbers.

    Preconditions: actor None (the receivers and the daily job; nobody signs by hand); a signing
    key, else nothing is signed (no credential can have been issued without one). Each list is
    computed from one query and stored, so a request never rebuilds it. Audited once per call.
    """
    if actor is not None:
        raise ApplicationError("Status lists are signed by the system only.", code="forbidden")
    key = keys.keys().signing
    numbers = sorted(set(numbers))
    if key is None or not numbers:
        return []
    now = clock.now()
    signed = []
    for number in numbers:
        for purpose in StatusPurpose:
            bits = _set_bits(purpose, number)
            url = list_url(purpose, number)
            token = vc.sign_credential(
                vc.status_list_payload(
                    list_url=url, purpose=purpose.value, encoded=vc.encode_bits(bits, LIST_SIZE), now=now
                ),
                key,
            )
            row, _ = StatusList.objects.update_or_create(
                purpose=purpose.value,
                number=number,
                defaults={"token": token, "set_bits": len(bits), "signed_at": now},
            )
            signed.append(row)
    audit_record(
        actor=actor,
        action=AuditAction.STATUS_LIST_SIGN,
        obj=signed[0],
        after={"lists": [r.list_id for r in signed], "kid": key.kid},
    )
    return signed


def status_lists_for_changes(changes) -> list[StatusList]:
    """Re-sign the lists covering any credential of the certifications in these status-history rows."""
    numbers = set(
        IssuedCredential.objects.filter(certification__in=changes.values("certification"))
        .annotate(list_number=F("status_index") / LIST_SIZE)
        .values_list("list_number", flat=True)
        .distinct()
    )
    return status_lists_sign(actor=None, numbers=numbers) if numbers else []


def status_lists_daily(today: datetime.date) -> dict:
    """Re-sign every status list (catches a change whose receiver failed after commit). Idempotent."""
    top = IssuedCredential.objects.order_by("-status_index").values_list("status_index", flat=True).first()
    if top is None:
        return {"lists": 0}
    return {"lists": len(status_lists_sign(actor=None, numbers=range(top // LIST_SIZE + 1)))}
