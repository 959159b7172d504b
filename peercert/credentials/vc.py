"""Building, signing and reading VC-JWTs: Open Badges 3.0 credentials and Bitstring Status Lists.

A credential is the W3C Verifiable Credentials 2.0 data model, secured as a JWS in compact form
whose payload is the credential itself (VC-JOSE-COSE: header typ "vc+jwt", alg EdDSA, kid the
issuer's DID URL for the key). Signed with joserfc; no other library touches the bytes.
"""

import base64
import datetime
import gzip
import json
import uuid
import warnings
from zoneinfo import ZoneInfo

from django.conf import settings
from joserfc import jws
from joserfc.errors import JoseError

from peercert.credentials import keys

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
TYP = "vc+jwt"
PACIFIC = ZoneInfo("America/Los_Angeles")
# A credential is text of a few kilobytes; anything much bigger is not one of ours.
MAX_TOKEN_CHARS = 20_000


def site_url(path: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + path


def start_of(day: datetime.date) -> str:
    return datetime.datetime.combine(day, datetime.time(0, 0), PACIFIC).isoformat()


def end_of(day: datetime.date) -> str:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), PACIFIC).isoformat()


def achievement_id(code: str) -> str:
    # Stable per program site and achievement, without a page of its own to keep up.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, site_url('/credentials/achievement/' + code))}"


def _sign(payload: dict, key) -> str:
    header = {"alg": keys.ALGORITHM, "kid": keys.verification_method(key.kid), "typ": TYP}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    with warnings.catch_warnings():
        # joserfc warns that RFC 9864 prefers "Ed25519" to "EdDSA"; wallets and VC verifiers still
        # expect EdDSA, so we sign with it on purpose.
        warnings.simplefilter("ignore")
        return jws.serialize_compact(header, body, key, algorithms=[keys.ALGORITHM])


def sign_credential(payload: dict, key) -> str:
    return _sign(payload, key)


def encode_bits(indexes, size: int) -> str:
    """Multibase base64url (prefix "u", no padding) of the GZIP-compressed bitstring; bit 0 is the first byte's top bit."""
    bits = bytearray(size // 8)
    for i in indexes:
        bits[i // 8] |= 0x80 >> (i % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def decode_bits(encoded: str) -> bytes:
    text = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    return index // 8 < len(bits) and bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_payload(*, list_url: str, purpose: str, encoded: str, now: datetime.datetime) -> dict:
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keys.issuer_did(),
        "validFrom": now.isoformat(),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
        },
    }


class Unreadable(Exception):
    """The text is not a credential signed by a key this program publishes."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read(token: str) -> tuple[dict, dict]:
    """(header, payload) of a VC-JWT whose signature checks with one of the published keys.

    Raises Unreadable with a reason code: malformed, unknown_key, bad_signature.
    """
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise Unreadable("malformed")
    try:
        header = jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeError, TypeError):
        raise Unreadable("malformed") from None
    if header.get("alg") != keys.ALGORITHM or header.get("typ") != TYP or not isinstance(header.get("kid"), str):
        raise Unreadable("malformed")
    kid = header["kid"]
    did = keys.issuer_did()
    if kid.startswith(did + "#"):
        kid = kid[len(did) + 1 :]
    elif "#" in kid:
        raise Unreadable("unknown_key")  # another issuer's DID
    key = next((k for k in keys.keys().keyset.keys if k.kid == kid), None)
    if key is None:
        raise Unreadable("unknown_key")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            obj = jws.deserialize_compact(token, key, algorithms=[keys.ALGORITHM])
    except (JoseError, ValueError, TypeError):
        raise Unreadable("bad_signature") from None
    try:
        payload = json.loads(obj.payload)
    except (ValueError, UnicodeError):
        raise Unreadable("malformed") from None
    if not isinstance(payload, dict):
        raise Unreadable("malformed")
    return header, payload
