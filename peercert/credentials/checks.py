"""System check: a public site needs a credential signing key (or no credential is issued).

"Public" is SITE_URL on https: did:web resolves only over https, so that is where outside verifiers
can check a credential at all. A server on plain http (a developer's, the deploy check's) is not
warned about a missing key.
"""

from django.conf import settings
from django.core.checks import Warning, register

from peercert.credentials import keys


@register()
def signing_key_check(app_configs=None, **kwargs):
    if settings.CREDENTIAL_SIGNING_KEYS:
        try:
            found = keys.keys().signing
        except Exception as exc:  # noqa: BLE001 - any unreadable key set is reported, not raised
            return [Warning(f"CREDENTIAL_SIGNING_KEYS is not a JSON Web Key Set: {exc}", id="credentials.W002")]
        if found is None:
            return [Warning("CREDENTIAL_SIGNING_KEYS has no private key to sign with.", id="credentials.W003")]
        return []
    if settings.CREDENTIAL_DEMO_KEY or not settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            "No credential signing key: digital credentials will not be issued.",
            hint="Set CREDENTIAL_SIGNING_KEYS to a JSON Web Key Set with an Ed25519 private key (each with a kid).",
            id="credentials.W001",
        )
    ]
