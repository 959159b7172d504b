"""The program's signing keys: from settings, or a demo key made on first use when the demo allows it.

CREDENTIAL_SIGNING_KEYS is a JSON Web Key Set. The first key with a private part signs; every key
in the set is published (JWKS and did:web), so after a rotation (a new key put first, the old one
kept, its public part is enough) a credential signed by the old key still verifies by its kid.

With no keys set and CREDENTIAL_DEMO_KEY on (it follows DEBUG), an Ed25519 key is generated once
and kept in CREDENTIAL_DEMO_KEY_FILE under var/, which git ignores: a demo key is never committed.
Outside the demo, no key means no credential is issued (services refuse; a system check warns).
"""

import json
import os
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from joserfc.jwk import KeySet, OKPKey

from peercert.core.errors import ApplicationError

ALGORITHM = "EdDSA"
_lock = threading.Lock()
_cache: dict[str, KeySet] = {}


@dataclass(frozen=True)
class Keys:
    keyset: KeySet
    signing: OKPKey | None


def _import(raw: str) -> KeySet:
    data = json.loads(raw)
    keyset = KeySet.import_key_set(data if isinstance(data, dict) else {"keys": data})
    for key in keyset.keys:
        if not key.kid:
            raise ValueError("Every credential signing key needs a kid.")
    return keyset


def _demo_keyset() -> KeySet:
    path = settings.CREDENTIAL_DEMO_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = OKPKey.generate_key("Ed25519", parameters={"kid": f"demo-{uuid.uuid4().hex[:12]}", "alg": ALGORITHM})
        # Written by a private file descriptor (0600): the key signs credentials.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump({"keys": [key.as_dict(private=True)]}, handle)
    return _import(path.read_text())


def keys() -> Keys:
    """The configured keys (cached per configuration, so a test's override_settings takes effect)."""
    raw = settings.CREDENTIAL_SIGNING_KEYS or ""
    cache_key = raw or (f"demo:{settings.CREDENTIAL_DEMO_KEY_FILE}" if settings.CREDENTIAL_DEMO_KEY else "")
    with _lock:
        keyset = _cache.get(cache_key)
        if keyset is None:
            if raw:
                keyset = _import(raw)
            elif settings.CREDENTIAL_DEMO_KEY:
                keyset = _demo_keyset()
            else:
                keyset = KeySet([])
            _cache[cache_key] = keyset
    signing = next((k for k in keyset.keys if k.is_private), None)
    return Keys(keyset=keyset, signing=signing)


def signing_key() -> OKPKey:
    key = keys().signing
    if key is None:
        raise ApplicationError(
            "Digital credentials are not available yet: the program has not set its signing key. "
            "Your certificate and the registry page still show your certification.",
            code="unavailable",
        )
    return key


def public_jwks() -> dict:
    return {"keys": [k.as_dict(private=False) for k in keys().keyset.keys]}


def issuer_did() -> str:
    """did:web for SITE_URL's host (a port is percent-encoded, as did:web says)."""
    parts = urlsplit(settings.SITE_URL)
    return "did:web:" + quote(parts.netloc, safe="")


def verification_method(kid: str) -> str:
    return f"{issuer_did()}#{kid}"


def did_document() -> dict:
    did = issuer_did()
    methods = [
        {"id": f"{did}#{k['kid']}", "type": "JsonWebKey", "controller": did, "publicKeyJwk": k}
        for k in public_jwks()["keys"]
    ]
    ids = [m["id"] for m in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    }
