"""scripts/serve as production runs it, walked by every demo role; then a backup restored into a fresh
database and served again. PostgreSQL only (CI's PostgreSQL pass)."""

import re
import subprocess

import pytest
import requests
from django.db import connection

from tests.production.conftest import ROOT, Server, database_url, postgres_only, production_env, sign_in

pytestmark = [postgres_only(), pytest.mark.xdist_group("production"), pytest.mark.django_db(transaction=True)]


def _walk(base: str) -> list[str]:
    """Sign in as every demo user and open every page their navigation offers; return what was opened."""
    from peercert.accounts.demo import DEMO_PASSWORD, DEMO_USERS
    from peercert.accounts.models import User
    from peercert.web.navigation import entries_for

    opened = []
    for path in ("/", "/registry/", "/api/v1/registry/certifications", "/fhir/metadata"):
        response = requests.get(f"{base}{path}", timeout=30)
        assert response.status_code == 200, (path, response.status_code)
        opened.append(path)
    for email, *_rest in DEMO_USERS:
        user = User.objects.get(email=email)
        # One page of each app a role reaches that no earlier role has opened.
        new = [
            e["url"] for e in entries_for(user) if e["url"].strip("/").split("/")[0] not in _pages_of_each_app(opened)
        ]
        if not new:
            continue
        session = sign_in(base, email, DEMO_PASSWORD)
        for path in {p.strip("/").split("/")[0]: p for p in reversed(new)}.values():
            response = session.get(f"{base}{path}", timeout=60)
            assert response.status_code == 200, (email, path, response.status_code, response.text[:300])
            opened.append(path)
    return opened


def _pages_of_each_app(opened: list[str]) -> set[str]:
    return {path.strip("/").split("/")[0] for path in opened}


def test_serve_walks_every_app_and_a_restored_backup_serves_too(tmp_path):
    from django.test import override_settings

    from peercert.accounts import demo

    # The server hashes as production does; the suite's quick MD5 hasher is not among its hashers.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        demo.seed(None)
    server = Server(database_url(), tmp_path / "serve.log", WORKER_CONCURRENCY=1)
    try:
        ready = server.wait_ready()
        assert ready == {"status": "ok", "database": "ok", "migrations": "ok", "storage": "ok", "worker": "ok"}
        opened = _walk(server.base)
        apps = _pages_of_each_app(opened)
        for app in ("certification", "registry", "billing", "benefit", "exams", "training", "discipline"):
            assert app in apps, apps
        static = requests.get(server.base + "/", timeout=30).text
        assert re.search(r"/static/uswds/css/uswds\.min\.[0-9a-f]{12}\.css", static), "hashed static files"
    finally:
        server.stop()
    log = (tmp_path / "serve.log").read_text()
    # The JSON logs carry a request id on each request line, and never the demo's personal data.
    access = [line for line in log.splitlines() if '"gunicorn.access"' in line]
    assert access and all(re.search(r'"request_id": "[0-9a-f]{32}"', line) for line in access)
    for personal in ("@demo.peercert.example", "1988-03-14", "Hernández", "peercert-demo-2026"):
        assert personal not in log

    # Backup, restore into an empty database, serve it.
    backup = (
        subprocess.run(
            [str(ROOT / "scripts" / "backup")],
            cwd=ROOT,
            env=production_env(database_url(), BACKUP_DIR=str(tmp_path)),
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    restored = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            [str(ROOT / "scripts" / "restore"), backup],
            cwd=ROOT,
            env=production_env(database_url(restored)),
            capture_output=True,
            text=True,
            check=True,
        )
        refused = subprocess.run(
            [str(ROOT / "scripts" / "restore"), backup],
            cwd=ROOT,
            env=production_env(database_url(restored)),
            capture_output=True,
            text=True,
        )
        assert refused.returncode == 1 and "not empty" in refused.stderr
        again = Server(database_url(restored), tmp_path / "restored.log", WORKER_CONCURRENCY=1)
        try:
            assert again.wait_ready()["status"] == "ok"
            session = sign_in(again.base, "reviewer@demo.peercert.example", "peercert-demo-2026")
            assert session.get(f"{again.base}/", timeout=30).status_code == 200
        finally:
            again.stop()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')


def test_serve_refuses_missing_settings_and_unapplied_migrations(tmp_path):
    env = production_env(database_url())
    del env["SECRET_KEY"], env["ALLOWED_HOSTS"]
    answer = subprocess.run([str(ROOT / "scripts" / "serve")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert answer.returncode != 0
    assert "SECRET_KEY" in answer.stderr
    env = production_env(database_url())
    answer = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "production_check"],
        cwd=ROOT,
        env={**env, "ALLOWED_HOSTS": "", "SITE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert answer.returncode == 1
    assert "ALLOWED_HOSTS is not set" in answer.stderr and "SITE_URL is not set" in answer.stderr
    empty = f"{connection.settings_dict['NAME']}_empty"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{empty}"')
        cursor.execute(f'CREATE DATABASE "{empty}"')
    try:
        answer = subprocess.run(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env=production_env(database_url(empty), SITE_URL="http://127.0.0.1:1"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert answer.returncode == 1 and "migrations not applied" in answer.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{empty}" WITH (FORCE)')
