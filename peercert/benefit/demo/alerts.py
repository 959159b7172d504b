"""Demo data for the benefit's alerts: a webhook per demo county that employs peers, pointing at the
local receiver the demo runs (`manage.py webhook_receiver`, started by scripts/start), so a status change
can be seen arriving, signed. Idempotent.

The webhooks are written directly, not through webhook_create: the demo's receiver is plain http on
127.0.0.1, which the service allows only under DEBUG, and seed_demo also runs in tests. Each county's
secret is known (DEMO_SECRET), so a developer can check a signature by hand.
"""

from peercert.accounts.models import County
from peercert.benefit.models import Employment, Webhook, WebhookStatus

RECEIVER = "http://127.0.0.1:8025"
DEMO_SECRET = "demo-webhook-secret-{code}"


def demo_url(county: County) -> str:
    return f"{RECEIVER}/{county.code}"


def seed(stdout) -> None:
    employing = set(Employment.objects.values_list("county_id", flat=True).distinct())
    counties = County.objects.filter(pk__in=employing) | County.objects.filter(name="Los Angeles")
    made = 0
    for county in counties.distinct().order_by("name"):
        _webhook, created = Webhook.objects.get_or_create(
            county=county,
            url=demo_url(county),
            defaults={
                "description": "Demo receiver (manage.py webhook_receiver)",
                "secret": DEMO_SECRET.format(code=county.code),
                "status": WebhookStatus.ACTIVE,
            },
        )
        made += created
    if stdout is not None and hasattr(stdout, "write"):
        stdout.write(f"benefit: {made} demo webhooks added (receiver {RECEIVER}/<county code>)\n")
