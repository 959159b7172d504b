"""/metrics: Prometheus's text for system administrators (or a scraper's token), with PeerCert's own figures."""

import pytest
from django.test import override_settings

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core import metrics

pytestmark = pytest.mark.django_db


def test_metrics_for_administrators_and_a_scraper_token_only(client):
    with metrics.timed("billing_gate"):
        pass
    assert client.get("/metrics").status_code == 302  # sign in first
    client.force_login(user_with_role(Role.PROGRAM_MANAGER))
    assert client.get("/metrics").status_code == 403
    client.force_login(user_with_role(Role.SYSTEM_ADMINISTRATOR))
    body = client.get("/metrics").content.decode()
    assert 'peercert_job_duration_seconds_count{job="billing_gate"}' in body
    assert 'peercert_task_queue_depth{status="ready"}' in body
    assert "django_http_requests_latency_seconds_by_view_method" in body
    client.logout()
    with override_settings(METRICS_TOKEN="scrape-token-0123456789"):
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 302
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789").status_code == 200
