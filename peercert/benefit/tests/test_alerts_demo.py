"""The demo's webhooks and its local receiver: seeded once, and the receiver tells a good signature from a bad."""

import pytest

from peercert.accounts.tests.factories import PersonFactory
from peercert.benefit.demo import alerts as demo
from peercert.benefit.management.commands.webhook_receiver import verdict
from peercert.benefit.models import Webhook
from peercert.benefit.services import sign_body
from peercert.benefit.tests.factories import county, open_employment

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_employing_county_one_webhook_at_the_local_receiver_and_is_idempotent():
    open_employment(PersonFactory(), "Fresno")
    demo.seed(None)
    demo.seed(None)
    hooks = {h.county.name: h for h in Webhook.objects.select_related("county")}
    assert set(hooks) == {"Los Angeles", "Fresno"}
    fresno = county("Fresno")
    assert hooks["Fresno"].url == f"http://127.0.0.1:8025/{fresno.code}"
    assert hooks["Fresno"].secret == f"demo-webhook-secret-{fresno.code}"


def test_the_receiver_checks_the_signature_against_the_webhooks_secrets():
    body = b'{"type":"certification.status_changed"}'
    assert verdict(body, sign_body("right", body), ["other", "right"]) == "verified"
    assert verdict(body, sign_body("wrong", body), ["right"]) == "BAD SIGNATURE"
    assert verdict(body + b" ", sign_body("right", body), ["right"]) == "BAD SIGNATURE"
    assert verdict(body, "", ["right"]) == "BAD SIGNATURE"
