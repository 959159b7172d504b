"""The read replica router: public read-only pages read the replica; writes, the requests that follow a
visitor's own write, signed-in pages and background work read the primary.

The "replica" alias is a test mirror of the default database (config/test_settings.py), so the data is
the same; which alias served each query is what is checked."""

import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from config import routers

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
ROUTED = override_settings(DATABASE_ROUTERS=["config.routers.PublicReadReplicaRouter"])


def _served(client, method, path, **kwargs):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = getattr(client, method)(path, **kwargs)
    return response, len(primary.captured_queries), len(replica.captured_queries)


@ROUTED
def test_public_registry_pages_read_the_replica(client):
    from peercert.certification.tests.factories import CertificationFactory

    certification = CertificationFactory()
    response, primary, replica = _served(client, "get", "/registry/", data={"q": certification.number})
    assert response.status_code == 200 and certification.number in response.content.decode()
    assert replica > 0 and primary == 0
    response, primary, replica = _served(client, "get", "/api/v1/registry/certifications")
    assert response.status_code == 200 and replica > 0 and primary == 0


@ROUTED
def test_a_visitor_who_just_wrote_reads_the_primary(client):
    client.post("/i18n/setlang/", {"language": "es", "next": "/registry/"})
    assert routers.STICKY_COOKIE in client.cookies
    response, primary, replica = _served(client, "get", "/registry/")
    assert response.status_code == 200 and replica == 0 and primary > 0


@ROUTED
def test_private_pages_and_writes_use_the_primary(client):
    from peercert.accounts.tests.factories import user_with_role

    client.force_login(user_with_role("program_reviewer"))
    response, primary, replica = _served(client, "get", "/")
    assert response.status_code == 200 and replica == 0 and primary > 0


@ROUTED
def test_a_write_inside_a_public_request_pins_it_to_the_primary():
    router = routers.PublicReadReplicaRouter()
    token = routers._replica_allowed.set(True)
    try:
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
        assert router.db_for_read(None) == "default"
    finally:
        routers._replica_allowed.reset(token)
    assert router.db_for_read(None) == "default"  # outside a request: the primary
    assert router.allow_migrate("replica", "billing") is False
