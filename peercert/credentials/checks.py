"""System check: outside the demo, credentials need a signing key (or none is issued)."""

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
    if settings.CREDENTIAL_DEMO_KEY:
        return []
    return [
        Warning(
            "No credential signing key: digital credentials will not be issued.",
            hint="Set CREDENTIAL_SIGNING_KEYS to a JSON Web Key Set with an Ed25519 private key (each with a kid).",
            id="credentials.W001",
        )
    ]
