from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC

STAFF = set(Role.values) - {Role.PEER}

ACCESS = {
    "web:home": {"allow": PUBLIC},
    "web:healthz": {"allow": PUBLIC},
    "web:readyz": {"allow": PUBLIC},
    "web:metrics": {"allow": {Role.SYSTEM_ADMINISTRATOR}},
    "web:audit": {"allow": {Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR}},
    "web:rules": {"allow": STAFF},
    "set_language": {"allow": PUBLIC},
    # The OpenAPI document and its interactive docs describe routes, never data.
    "api:openapi-json": {"allow": PUBLIC},
    "api:openapi-view": {"allow": PUBLIC},
    # The Django admin, every page of it: system administrators only.
    "admin:*": {"allow": {Role.SYSTEM_ADMINISTRATOR}},
    "admin:login": {"allow": PUBLIC},
    "admin:logout": {"allow": PUBLIC},
}
