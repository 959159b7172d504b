"""Demo data for this app, loaded by `manage.py seed_demo`. Must be idempotent.

Signs the demo peer's active certifications with the demo key (var/, made on first use), so her
download page, the verification page and the status lists have something to show at once.
"""

from peercert.accounts.models import User
from peercert.credentials import keys, selectors, services

DEMO_PEER = "peer@demo.peercert.example"


def seed(out) -> None:
    if keys.keys().signing is None:
        out.write("credentials: no signing key (set CREDENTIAL_SIGNING_KEYS, or DEBUG=1 for a demo key).\n")
        return
    user = User.objects.filter(email=DEMO_PEER).first()
    issued = 0
    for certification in selectors.own_certifications(user) if user else []:
        if certification.status == services.ACTIVE:
            issued += len(services.credentials_issue(actor=None, certification=certification))
    out.write(f"credentials: the demo peer has {issued} signed credentials.\n")
