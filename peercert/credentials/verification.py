"""Checking a pasted credential: valid, suspended, revoked, expired or forged, with its facts.

A read: nothing is written. The signature is checked against the program's published keys by
the header's kid (a rotated key still verifies), then the dates, then each credentialStatus entry
against the program's own signed status list (its signature checked too).
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from peercert.core import clock
from peercert.credentials import keys, vc
from peercert.credentials.models import LIST_SIZE, StatusList, StatusPurpose

VALID, SUSPENDED, REVOKED, EXPIRED, FORGED, NOT_YET = "valid", "suspended", "revoked", "expired", "forged", "not_yet"

VERDICTS = {
    VALID: _("Valid: the program issued this credential and it is in force."),
    SUSPENDED: _("Suspended: the program issued this credential, but the certification is suspended now."),
    REVOKED: _("Revoked: the program issued this credential, but the certification is no longer in force."),
    EXPIRED: _("Expired: the program issued this credential, but its cycle has ended."),
    NOT_YET: _("Not valid yet: the program issued this credential for a cycle that has not started."),
    FORGED: _("Not genuine: this is not a credential the program issued, or it was changed after signing."),
}
REASONS = {
    "malformed": _("The text is not a signed credential (a VC-JWT in three parts separated by dots)."),
    "unknown_key": _("It was not signed with any key the program publishes."),
    "bad_signature": _("The signature does not match the contents: something was changed after signing."),
    "not_ours": _("It does not name this program as its issuer, or it is not an Open Badges credential."),
    "bad_status": _("Its status entries do not point at this program's status lists."),
}


@dataclass
class Verification:
    outcome: str
    reason: str = ""
    facts: dict = field(default_factory=dict)

    @property
    def verdict(self):
        return VERDICTS[self.outcome]

    @property
    def reason_text(self):
        return REASONS.get(self.reason, "")

    @property
    def is_valid(self) -> bool:
        return self.outcome == VALID


def _when(value) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else None


def _facts(payload: dict, kid: str) -> dict:
    subject = payload.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    identifiers = [i for i in (subject.get("identifier") or []) if isinstance(i, dict)]
    name = next((i.get("identityHash") for i in identifiers if i.get("identityType") == "name"), "")
    number = subject.get("licenseNumber") or next(
        (i.get("identityHash") for i in identifiers if i.get("identityType") == "identifier"), ""
    )
    issuer = payload.get("issuer") or {}
    return {
        "name": str(name)[:300],
        "number": str(number)[:40],
        "achievement": str(achievement.get("name", ""))[:300],
        "issuer": str(issuer.get("name", ""))[:300] if isinstance(issuer, dict) else "",
        "issuer_id": str(issuer.get("id", ""))[:300] if isinstance(issuer, dict) else str(issuer)[:300],
        "valid_from": _when(payload.get("validFrom")),
        "valid_until": _when(payload.get("validUntil")),
        "id": str(payload.get("id", ""))[:100],
        "kid": kid,
    }


def _status_bit(entry: dict) -> tuple[str, bool] | None:
    """(purpose, set?) for one of our BitstringStatusListEntry items, or None when it is not ours."""
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return None
    purpose, url = entry.get("statusPurpose"), str(entry.get("statusListCredential", ""))
    prefix = vc.site_url("/credentials/status/")
    if purpose not in StatusPurpose.values or not url.startswith(prefix):
        return None
    list_purpose, _, number = url[len(prefix) :].partition("-")
    try:
        index, number = int(entry.get("statusListIndex")), int(number)
    except (TypeError, ValueError):
        return None
    if list_purpose != purpose or not 0 <= index < LIST_SIZE or number < 0:
        return None
    row = StatusList.objects.filter(purpose=purpose, number=number).only("token").first()
    if row is None:
        return None
    try:
        _, status_list = vc.read(row.token)  # our own signed list: its signature is checked like any other
        encoded = status_list["credentialSubject"]["encodedList"]
    except (vc.Unreadable, KeyError, TypeError):
        return None
    return purpose, vc.bit_is_set(vc.decode_bits(encoded), index)


def verify(token: str) -> Verification:
    try:
        header, payload = vc.read(token)
    except vc.Unreadable as exc:
        return Verification(FORGED, exc.reason)
    kid = header["kid"].rpartition("#")[2]
    facts = _facts(payload, kid)
    types = payload.get("type") or []
    if "OpenBadgeCredential" not in types or facts["issuer_id"] != keys.issuer_did():
        return Verification(FORGED, "not_ours", facts)
    if facts["valid_from"] is None or facts["valid_until"] is None:
        return Verification(FORGED, "malformed", facts)
    entries = payload.get("credentialStatus") or []
    bits = [_status_bit(e) for e in (entries if isinstance(entries, list) else [entries])]
    if not bits or any(b is None for b in bits):
        return Verification(FORGED, "bad_status", facts)
    set_purposes = {purpose for purpose, is_set in bits if is_set}
    now = clock.now()
    if StatusPurpose.REVOCATION in set_purposes:
        outcome = REVOKED
    elif StatusPurpose.SUSPENSION in set_purposes:
        outcome = SUSPENDED
    elif now > facts["valid_until"]:
        outcome = EXPIRED
    elif now < facts["valid_from"]:
        outcome = NOT_YET
    else:
        outcome = VALID
    return Verification(outcome, "", facts)
