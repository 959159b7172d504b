"""Every URL and API route, for every role and anonymous visitors, against the declared matrix.

A route that only takes POST (a button: acknowledge, waive, revoke) is sent a POST, not a GET: a GET
would answer 405 for everyone and prove nothing about who may press the button. The test client
does not enforce CSRF, so the POST reaches the view's own checks. Each POST runs in a savepoint
that is rolled back, so one button pressed does not change the records the next route is tried on.
"""

import re
from importlib import import_module

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, get_resolver, include, reverse
from django.urls import path as route_path
from django.views.decorators.http import require_http_methods, require_POST

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
    stale = [
        k
        for k in table
        if k != "admin:*"
        and not k.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE "))
        and k not in {n for n, _ in django_routes()}
    ]
    stale += [
        k for k in table if k.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE ")) and k not in api_operations()
    ]
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


def declared_methods(view) -> set[str] | None:
    """The HTTP methods a view says it takes (require_POST, require_http_methods, a class's handlers); None if unsaid."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if m != "options" and hasattr(view_class, m)}
    layer = view
    while layer is not None:
        # require_http_methods keeps its list in the closure of the function it returns.
        code = getattr(layer, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return set(layer.__closure__[code.co_freevars.index("request_method_list")].cell_contents)
        layer = getattr(layer, "__wrapped__", None)
    return None


def method_for(pattern: URLPattern) -> str:
    methods = declared_methods(pattern.callback)
    return "POST" if methods is not None and "GET" not in methods and "POST" in methods else "GET"


def _request(client, method, url, role):
    if method == "GET":
        return client.get(url)
    with transaction.atomic():
        if url.startswith("/api/"):
            response = client.generic(method, url, data="{}", content_type="application/json")
        else:
            response = client.post(url, data={})
        transaction.set_rollback(True)
    return response


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
        checks.append((name, method_for(pattern), url, rule))
    for op in api_operations():
        method, path = op.split(" ", 1)
        spec = table[op]
        kwargs = spec.get("kwargs", lambda w: {})(world)
        checks.append(
            (op, method, re.sub(r"\{(\w+)\}", lambda m, kw=kwargs: str(kw.get(m.group(1), 0)), path), spec["allow"])
        )

    for key, method, url, rule in checks:
        # Signing in once per role is enough, unless a route signed the user out.
        if user is not None and "_auth_user_id" not in client.session:
            client.force_login(user)
        failure = check_route(client, key, method, url, rule, role)
        if failure:
            failures.append(failure)
    assert not failures, "\n".join(failures)


def check_route(client, key, method, url, rule, role) -> str | None:
    """Request one route as the signed-in role; a sentence saying what is wrong, or None."""
    response = _request(client, method, url, role)
    if response.status_code == 405 and method == "GET" and " " not in key:
        # A POST-only view that does not say so with require_POST: press the button instead.
        method = "POST"
        response = _request(client, method, url, role)
    if response.status_code >= 500:
        return f"{key} ({url}): {role} got a server error {response.status_code} to {method}"
    if response.status_code == 405:
        return f"{key} ({url}): {role} got 405 to {method}; the matrix cannot tell who may use it"
    if key.startswith("admin:"):
        # The admin answers everyone who is not staff with its own sign-in page; a 403 for
        # staff means the model refuses that action (audit events cannot be added), not the role.
        denied = response.status_code in (301, 302) and "/admin/login/" in response.headers.get("Location", "")
    else:
        denied = _is_denied(response, role)
    should = allowed(rule, role)
    if should and denied:
        return f"{key} ({url}): {role} should get in, got {response.status_code} to {method}"
    if not should and not denied:
        return f"{key} ({url}): {role} should be refused, got {response.status_code} to {method}"
    return None


# --- the matrix itself ------------------------------------------------------------------------------
# A button view that refuses the very role meant to press it: a GET answers 405 for everyone, which the
# matrix used to count as "let in". These views live only in the tests' own URLconf below.


@require_POST
def _button_for_nobody(request):
    raise PermissionDenied


@require_POST
def _button_for_everyone(request):
    return HttpResponse("pressed")


def _button_without_decorator(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    raise PermissionDenied


BUTTONS = [
    route_path("nobody/", _button_for_nobody, name="nobody"),
    route_path("everyone/", _button_for_everyone, name="everyone"),
    route_path("undecorated/", _button_without_decorator, name="undecorated"),
    route_path("page/", require_http_methods(["GET", "POST"])(_button_for_everyone), name="page"),
]
# The site's own URLs too: the refusal page's layout links to them.
urlpatterns = [*BUTTONS, route_path("", include("config.urls"))]


def test_declared_methods_reads_the_decorators():
    methods = {p.name: method_for(p) for p in BUTTONS}
    assert methods == {"nobody": "POST", "everyone": "POST", "undecorated": "GET", "page": "GET"}
    assert declared_methods(get_resolver().resolve(reverse("accounts:logout")).func) == {"POST"}


@pytest.mark.urls(__name__)
def test_a_button_refusing_its_own_role_is_caught(role_users, client):
    client.force_login(role_users[Role.PEER])
    route = next(p for p in BUTTONS if p.name == "nobody")
    failure = check_route(client, "x:nobody", method_for(route), "/nobody/", {Role.PEER}, Role.PEER)
    assert failure == "x:nobody (/nobody/): peer should get in, got 403 to POST"
    # Without the decorator to read, a 405 to GET is retried as a POST, with the same verdict.
    failure = check_route(client, "x:undecorated", "GET", "/undecorated/", {Role.PEER}, Role.PEER)
    assert failure == "x:undecorated (/undecorated/): peer should get in, got 403 to POST"


@pytest.mark.urls(__name__)
def test_a_button_open_to_everyone_is_caught(role_users, client):
    client.force_login(role_users[Role.PEER])
    failure = check_route(client, "x:everyone", "POST", "/everyone/", {Role.SYSTEM_ADMINISTRATOR}, Role.PEER)
    assert failure == "x:everyone (/everyone/): peer should be refused, got 200 to POST"
    assert check_route(client, "x:everyone", "POST", "/everyone/", {Role.PEER}, Role.PEER) is None
