"""Every URL and API route, for every role and anonymous visitors, against the declared matrix."""

import re
from importlib import import_module

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from peercert.accounts.models import ApiToken, RoleAssignment
from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC, SIGNED_IN
from peercert.web.navigation import FEATURE_APPS

ANON = "anonymous"
MATRIX_APPS = ["accounts", "web", *FEATURE_APPS]


def declared() -> dict:
    table = {}
    for app in MATRIX_APPS:
        rows = import_module(f"peercert.{app}.access").ACCESS
        overlap = set(rows) & set(table)
        assert not overlap, f"{app} declares routes already declared elsewhere: {overlap}"
        table.update(rows)
    return table


def django_routes() -> list[tuple[str, URLPattern]]:
    """(name, pattern) for every named URL outside the API, which is walked by operation."""
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name or ''}" if namespace else p.name
                found.append((name, p))

    walk(get_resolver().url_patterns, "")
    return found


def api_operations() -> list[str]:
    schema = api.get_openapi_schema()
    out = []
    for path, methods in schema["paths"].items():
        for method in methods:
            out.append(f"{method.upper()} {path}")
    return out


def allowed(rule, role) -> bool:
    if rule == PUBLIC:
        return True
    if rule == SIGNED_IN:
        return role != ANON
    return role in rule


def test_every_route_is_declared():
    table = declared()
    missing = []
    for name, pattern in django_routes():
        if name is None:
            missing.append(f"unnamed URL pattern {pattern.pattern}")
        elif name.startswith("admin:"):
            continue
        elif name.startswith("api:") and name not in ("api:openapi-json", "api:openapi-view"):
            continue  # API routes are checked by operation below
        elif name not in table:
            missing.append(name)
    missing += [op for op in api_operations() if op not in table]
    assert not missing, "Routes missing from the access matrix (add them to the app's access.py): " + ", ".join(missing)
    stale = [k for k in table if k != "admin:*" and not k.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE "))
             and k not in {n for n, _ in django_routes()}]
    stale += [k for k in table if k.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE ")) and k not in api_operations()]
    assert not stale, f"The matrix names routes that no longer exist: {stale}"


@pytest.fixture
def world(role_users, client):
    """Sample records that routes with parameters point at."""
    peer = role_users[Role.PEER]
    w = {"peer": peer, "peer_assignment": RoleAssignment.objects.get(user=peer, role=Role.PEER), "users": role_users}
    for app in FEATURE_APPS:
        module = import_module(f"peercert.{app}.access")
        build = getattr(module, "build_world", None)
        if build is not None:
            w.update(build(w) or {})
    return w


def _is_denied(response, role) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code == 404 and role != ANON:
        # Scoped lookups answer 404 for records outside the user's reach.
        return True
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        return "/sign-in/" in location or "/admin/login/" in location
    return False


def _request(client, method, url, role):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, data="{}", content_type="application/json")


@pytest.mark.parametrize("role", [ANON, *Role.values])
def test_access_matrix(role, world, client):
    table = declared()
    user = None if role == ANON else world["users"][role]
    failures = []

    # Tokens are per user: revoking your own is allowed, so each user gets one.
    own_token = None
    if user is not None:
        own_token = ApiToken.objects.create(user=user, name="matrix", prefix="pc_matrix", key_hash=f"{role:0>64}"[:64])
    world["own_token_id"] = own_token.pk if own_token else 0

    checks = []
    for name, pattern in django_routes():
        if name.startswith("api:") and name not in ("api:openapi-json", "api:openapi-view"):
            continue
        if name.startswith("admin:"):
            if pattern.pattern.regex.groups or re.search(r"<", str(pattern.pattern)):
                continue
            rule = table.get(name, table["admin:*"])["allow"]
        else:
            rule = table[name]["allow"]
        kwargs_fn = table.get(name, {}).get("kwargs")
        try:
            url = reverse(name, kwargs=kwargs_fn(world) if kwargs_fn else None)
        except Exception as exc:  # noqa: BLE001 - report which route could not be built
            failures.append(f"{name}: cannot build URL ({exc})")
            continue
        checks.append((name, "GET", url, rule))
    for op in api_operations():
        method, path = op.split(" ", 1)
        spec = table[op]
        kwargs = spec.get("kwargs", lambda w: {})(world)
        checks.append((op, method, re.sub(r"\{(\w+)\}", lambda m, kw=kwargs: str(kw.get(m.group(1), 0)), path), spec["allow"]))

    for key, method, url, rule in checks:
        # Signing in once per role is enough, unless a route signed the user out.
        if user is not None and "_auth_user_id" not in client.session:
            client.force_login(user)
        response = _request(client, method, url, role)
        if response.status_code >= 500:
            failures.append(f"{key} ({url}): {role} got a server error {response.status_code}")
            continue
        if key.startswith("admin:"):
            # The admin answers everyone who is not staff with its own sign-in page; a 403 for
            # staff means the model refuses that action (audit events cannot be added), not the role.
            denied = response.status_code in (301, 302) and "/admin/login/" in response.headers.get("Location", "")
        else:
            denied = _is_denied(response, role)
        should = allowed(rule, role)
        if should and denied:
            failures.append(f"{key} ({url}): {role} should get in, got {response.status_code}")
        if not should and not denied:
            failures.append(f"{key} ({url}): {role} should be refused, got {response.status_code}")
    assert not failures, "\n".join(failures)
