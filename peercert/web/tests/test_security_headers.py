"""Issue 11 finding 12: the headers every page carries and the settings production refuses to start without."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[3]


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {name: values for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/sign-in/", "/api/v1/docs"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"] and csp["font-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"] and csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_turn_off_browser_features_and_keep_the_referrer_on_site(client):
    response = client.get("/")
    features = dict(item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style_for_the_policy_to_block(client):
    html = client.get("/").content.decode()
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html
    assert 'name="htmx-config"' in html and '"includeIndicatorStyles":false' in html


@pytest.mark.django_db
def test_the_api_docs_use_our_own_static_files_not_a_cdn(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in html and "/static/ninja/swagger-ui-bundle.js" in html


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https_except_the_health_check(client):
    response = client.get("/sign-in/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/sign-in/"
    assert client.get("/healthz").status_code == 200


def production(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Runs manage.py (or python -c) with config.settings and exactly this environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run([sys.executable, *args], env=clean, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_settings_refuse_to_load_without_a_secret_key_when_debug_is_off():
    result = production({"DEBUG": "0"}, "-c", "import config.settings")
    assert result.returncode != 0
    assert "ImproperlyConfigured: PeerCert needs a secret key: set SECRET_KEY" in result.stderr


def test_only_debug_falls_back_to_the_development_key():
    result = production({"DEBUG": "1"}, "-c", "import config.settings as s; print(s.SECRET_KEY.startswith('insecure'))")
    assert result.returncode == 0 and result.stdout.strip() == "True"


def test_the_server_never_falls_back_to_the_development_key():
    result = production({}, "-c", "import config.wsgi")
    assert result.returncode != 0
    assert "PeerCert needs a secret key" in result.stderr


def test_a_developers_manage_py_command_without_a_key_runs_as_debug_but_an_explicit_debug_0_is_refused():
    assert production({}, "manage.py", "check").returncode == 0
    refused = production({"DEBUG": "0"}, "manage.py", "check")
    assert refused.returncode != 0 and "PeerCert needs a secret key" in refused.stderr


def test_production_settings_pass_the_deploy_check_with_no_warning():
    env = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "peercert.example"}
    result = production(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_send_hsts_and_trust_a_named_proxy_header():
    env = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    code = (
        "import json, config.settings as s; print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]))"
    )
    result = production(env, "-c", code)
    assert json.loads(result.stdout) == [31536000, True, True, ["HTTP_X_FORWARDED_PROTO", "https"], True, True]
