"""Demo data for this app, loaded by `manage.py seed_demo`. Must be idempotent.

Signs the active certifications of the demo people who can sign in (renueva@demo.peercert.example
among them) with the demo key (var/, made on first use), so a peer's download page, the
verification page and the status lists have something to show at once.
"""

from peercert.accounts.models import User
from peercert.credentials import keys, selectors, services


def seed(out) -> None:
    if keys.keys().signing is None:
        out.write("credentials: no signing key (set CREDENTIAL_SIGNING_KEYS, or DEBUG=1 for a demo key).\n")
        return
    issued = 0
    peers = User.objects.filter(person__certifications__status=services.ACTIVE).distinct().order_by("email")[:20]
    for user in peers:
        for certification in selectors.own_certifications(user):
            if certification.status == services.ACTIVE:
                issued += len(services.credentials_issue(actor=None, certification=certification))
    out.write(f"credentials: {issued} signed credentials for the demo peers who can sign in.\n")
