import json

import pytest
from joserfc.jwk import OKPKey


def make_key(kid: str) -> OKPKey:
    return OKPKey.generate_key("Ed25519", parameters={"kid": kid})


def keyset(*keys, private=True) -> str:
    return json.dumps({"keys": [k.as_dict(private=private) for k in keys]})


@pytest.fixture
def signing_key(settings):
    """A fresh Ed25519 program key for the test (the suite runs with DEBUG off, so no demo key)."""
    key = make_key("test-key-1")
    settings.CREDENTIAL_SIGNING_KEYS = keyset(key)
    return key


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit receivers (credentials hears of issues and status changes after commit)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
