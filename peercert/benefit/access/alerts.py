"""Access-matrix rows for the benefit's alerts (see peercert/core/access.py)."""

import datetime

from peercert.accounts.roles import Role

# Written out by hand, not imported from permissions.py: the matrix checks the permissions.
COUNTY_STAFF = {Role.COUNTY_STAFF}
COUNTY_USERS = {Role.COUNTY_STAFF, Role.COUNTY_BILLING}
ALERT_READERS = {Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}


def _alert(w):
    return {"alert_id": w["alerts_alert"].pk}


def _webhook(w):
    return {"webhook_id": w["alerts_webhook"].pk}


def _delivery(w):
    return {"delivery_id": w["alerts_delivery"].pk}


def _employment(w):
    return {"employment_id": w["alerts_employment"].pk}


ACCESS: dict = {
    "benefit:alert_list": {"allow": ALERT_READERS},
    "benefit:alert_detail": {"allow": ALERT_READERS, "kwargs": _alert},
    "benefit:alert_acknowledge": {"allow": COUNTY_STAFF, "kwargs": _alert},
    "benefit:webhook_list": {"allow": COUNTY_STAFF},
    "benefit:webhook_create": {"allow": COUNTY_STAFF},
    "benefit:webhook_detail": {"allow": COUNTY_STAFF, "kwargs": _webhook},
    "benefit:webhook_pause": {"allow": COUNTY_STAFF, "kwargs": _webhook},
    "benefit:webhook_resume": {"allow": COUNTY_STAFF, "kwargs": _webhook},
    "benefit:webhook_retire": {"allow": COUNTY_STAFF, "kwargs": _webhook},
    "benefit:webhook_rotate_secret": {"allow": COUNTY_STAFF, "kwargs": _webhook},
    "benefit:delivery_detail": {"allow": COUNTY_STAFF, "kwargs": _delivery},
    "benefit:delivery_resend": {"allow": COUNTY_STAFF, "kwargs": _delivery},
    "GET /api/v1/benefit/employments": {"allow": COUNTY_USERS},
    "GET /api/v1/benefit/employments/{employment_id}": {"allow": COUNTY_USERS, "kwargs": _employment},
}


def build_world(w) -> dict:
    """In Los Angeles (the matrix's county roles): the matrix peer employed at a provider, an alert about a
    change of their certification, a webhook and a failed delivery to it."""
    from peercert.accounts.models import County
    from peercert.benefit.models import (
        DeliveryStatus,
        Employment,
        EmploymentStatus,
        Provider,
        ProviderKind,
        Webhook,
        WebhookDelivery,
        WorkforceAlert,
    )
    from peercert.core import clock

    county = County.objects.get(name="Los Angeles")
    person = w["peer"].person
    certification = w["certification"]
    provider = Provider.objects.create(
        county=county,
        name="Matrix Alerts Clinic",
        kind=ProviderKind.CONTRACTED,
        npi="1999999992",
        address_line1="1 Alert Way",
        city="Los Angeles",
        postal_code="90012",
        active_from=datetime.date(2022, 7, 1),
        smhs=True,
    )
    employment = Employment.objects.create(
        person=person,
        provider=provider,
        county=county,
        position_title="Peer Support Specialist",
        fte="1.00",
        start_on=datetime.date(2025, 2, 1),
        smhs=True,
        status=EmploymentStatus.HIRED,
        hired_on=datetime.date(2025, 2, 1),
    )
    # The status history row an alert points at (reached through the alert's foreign key, as benefit
    # does not import certification's models).
    change = WorkforceAlert._meta.get_field("status_change").related_model.objects.create(
        certification=certification,
        from_status="active",
        to_status="suspended",
        effective_on=datetime.date(2025, 6, 1),
        reason="Matrix sample",
        source="discipline",
    )
    alert = WorkforceAlert.objects.create(
        county=county,
        status_change=change,
        certification=certification,
        person=person,
        from_status="active",
        to_status="suspended",
        effective_on=change.effective_on,
    )
    webhook = Webhook.objects.create(county=county, url="https://ehr.matrix.example/peercert", secret="matrix-secret")
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, alert=alert, status=DeliveryStatus.FAILED, attempts=7, next_attempt_at=clock.now()
    )
    return {
        "alerts_employment": employment,
        "alerts_alert": alert,
        "alerts_webhook": webhook,
        "alerts_delivery": delivery,
    }
