"""Credential verification for machines: no sign-in, the same answer as the verification page."""

import datetime

from ninja import Router, Schema

from peercert.core.apitypes import text
from peercert.credentials import verification
from peercert.credentials.vc import MAX_TOKEN_CHARS

router = Router(tags=["credentials"])


class VerifyIn(Schema):
    credential: text(MAX_TOKEN_CHARS)


class FactsOut(Schema):
    name: str = ""
    number: str = ""
    achievement: str = ""
    issuer: str = ""
    valid_from: datetime.datetime | None = None
    valid_until: datetime.datetime | None = None
    kid: str = ""


class VerifyOut(Schema):
    outcome: str
    verdict: str
    reason: str = ""
    reason_text: str = ""
    facts: FactsOut | None = None


@router.post(
    "/verify",
    response=VerifyOut,
    auth=None,
    summary="Check an Open Badges credential: valid, suspended, revoked, expired, not_yet or forged",
)
def credential_verify(request, body: VerifyIn):
    result = verification.verify(body.credential)
    return {
        "outcome": result.outcome,
        "verdict": str(result.verdict),
        "reason": result.reason,
        "reason_text": str(result.reason_text),
        "facts": result.facts if result.facts and result.outcome != verification.FORGED else None,
    }
