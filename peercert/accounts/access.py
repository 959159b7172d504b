from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC, SIGNED_IN

MANAGERS = {Role.SYSTEM_ADMINISTRATOR, Role.PROGRAM_MANAGER}

ACCESS = {
    "accounts:login": {"allow": PUBLIC},
    "accounts:logout": {"allow": PUBLIC},
    "accounts:register": {"allow": PUBLIC},
    "accounts:register_sent": {"allow": PUBLIC},
    "accounts:password_reset": {"allow": PUBLIC},
    "accounts:password_reset_done": {"allow": PUBLIC},
    "accounts:password_reset_confirm": {"allow": PUBLIC, "kwargs": lambda w: {"uidb64": "MQ", "token": "set-password"}},
    "accounts:password_reset_complete": {"allow": PUBLIC},
    "accounts:account": {"allow": SIGNED_IN},
    "accounts:api_token_create": {"allow": SIGNED_IN},
    "accounts:api_token_revoke": {"allow": SIGNED_IN, "kwargs": lambda w: {"token_id": w["own_token_id"]}},
    "accounts:user_list": {"allow": MANAGERS},
    "accounts:user_create": {"allow": MANAGERS},
    "accounts:user_detail": {"allow": MANAGERS, "kwargs": lambda w: {"user_id": w["peer"].pk}},
    "accounts:user_deactivate": {"allow": MANAGERS, "kwargs": lambda w: {"user_id": w["peer"].pk}},
    "accounts:user_reactivate": {"allow": MANAGERS, "kwargs": lambda w: {"user_id": w["peer"].pk}},
    "accounts:role_revoke": {"allow": MANAGERS, "kwargs": lambda w: {"assignment_id": w["peer_assignment"].pk}},
    "GET /api/v1/me": {"allow": SIGNED_IN},
}
