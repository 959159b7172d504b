"""Reads of public, read-only pages go to the read replica; everything else to the primary.

Active only when DATABASE_REPLICA_URL is set (config/settings.py adds the router). A request may read
from the replica when ReplicaRoutingMiddleware says so: a GET or HEAD of a public read-only path
(registry pages and API, bulk files, FHIR, the public dashboard), from a visitor who has not written
anything in the last REPLICA_STICKY_SECONDS (a cookie set by any response to a POST, PUT, PATCH or
DELETE), so nobody reads a replica that may not have their own change yet. The moment the request writes
anything (a rate-limit counter, a session), its later reads go to the primary too. Background work,
management commands and every other page read the primary.
"""

import time
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
PUBLIC_READ_PREFIXES = (
    "/registry/",
    "/api/v1/registry/",
    "/fhir/",
    "/api/v1/dashboard/public",
    "/oversight/open-data/",
)
STICKY_COOKIE = "peercert_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_replica_allowed: ContextVar[bool] = ContextVar("peercert_replica_allowed", default=False)


def may_read_replica(request) -> bool:
    if request.method not in {"GET", "HEAD"} or not request.path.startswith(PUBLIC_READ_PREFIXES):
        return False
    try:
        wrote_until = float(request.COOKIES.get(STICKY_COOKIE, "0"))
    except ValueError:
        wrote_until = 0
    return wrote_until < time.time()


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_allowed.set(REPLICA in settings.DATABASES and may_read_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if request.method not in SAFE_METHODS:
            sticky = settings.REPLICA_STICKY_SECONDS
            response.set_cookie(
                STICKY_COOKIE,
                str(int(time.time() + sticky)),
                max_age=sticky,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class PublicReadReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _replica_allowed.get() else "default"

    def db_for_write(self, model, **hints):
        # A write pins the rest of the request to the primary: it must read what it just wrote.
        if _replica_allowed.get():
            _replica_allowed.set(False)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
