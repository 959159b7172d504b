"""Production tests: PeerCert started as production runs it (scripts/serve, task workers, backups),
against the local PostgreSQL. They run in the PostgreSQL pass of the suite (CI's .ci/run) and skip on
SQLite. All of them in one xdist group, so two servers never compete for the two cores."""

import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def postgres_only():
    return pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name: str | None = None) -> str:
    """The URL of the test database pytest-django made (or of another database on the same server)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name or s['NAME']}"


def production_env(db_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_SETTINGS", "PYTEST", "COV_"))}
    env.update(
        DATABASE_URL=db_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="INFO",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Server:
    """scripts/serve in its own process group, its output in a log file."""

    def __init__(self, db_url: str, log: Path, **extra):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = production_env(
            db_url, PEERCERT_BIND=f"127.0.0.1:{self.port}", SITE_URL=self.base, WEB_CONCURRENCY=2, **extra
        )
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"scripts/serve stopped:\n{self.log.read_text()[-3000:]}")
            try:
                last = requests.get(f"{self.base}/readyz", timeout=5)
                if last.status_code == 200:
                    return last.json()
            except requests.RequestException:
                pass
            time.sleep(1)
        raise AssertionError(f"not ready in {timeout} s: {last and last.text}\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def sign_in(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/sign-in/", timeout=30)
    assert page.status_code == 200, page.status_code
    answer = session.post(
        f"{base}/sign-in/",
        data={"username": email, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/sign-in/"},
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 302, (email, answer.status_code, answer.text[:500])
    return session
