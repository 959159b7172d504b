"""Load test: PeerCert started as production runs it (scripts/serve), under a mix of what people do.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load .venv/bin/python bench/load.py

Seeds the demo into that database the first time (migrate + seed_demo). For 2 and then 4 gunicorn
workers (BENCH_WORKERS="2,4"), drives the server with 4, 8, 16 and 32 client threads (BENCH_CLIENTS)
for BENCH_SECONDS each (20), a fixed mix of requests:
  registry_search 40%   public name and number searches of the registry
  verification    25%   public verification pages
  sign_in          5%   a full sign-in (the sign-in page, then the password, hashed as production does)
  applicant       15%   a signed-in peer's own pages
  reviewer_queue  15%   a signed-in reviewer's queue
and prints, per step, throughput, p50/p95/p99 per kind and the error count (any status >= 400 or a
failed connection). Target at 4 workers on this 2-core machine: 0 errors and registry p95 under 100 ms
at the highest throughput reached.
"""

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "peercert-demo-2026"
MIX = [("registry_search", 40), ("verification", 25), ("sign_in", 5), ("applicant", 15), ("reviewer_queue", 15)]
SURNAMES = ["Hernández", "Nguyen", "García", "Smith", "Lee", "Martínez", "Johnson", "López", "Kim", "Brown"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(db_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        AXES_ENABLED="0",  # thousands of sign-ins from one address are the test, not an attack
        LOG_LEVEL="WARNING",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _seed(db_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "DEBUG": "1"}
    subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    seeded = (
        subprocess.run(
            [PY, "manage.py", "shell", "-c", "from peercert.accounts.models import User; print(User.objects.count())"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if int(seeded) < 10:
        print("Seeding the demo (once)...", flush=True)
        subprocess.run([PY, "manage.py", "seed_demo", "--quiet-sign-ins"], cwd=ROOT, env=env, check=True)


def _numbers(db_url: str) -> list[str]:
    code = (
        "from peercert.certification.models import Certification as C; "
        "print('\\n'.join(C.objects.filter(status='active').values_list('number', flat=True)[:500]))"
    )
    env = {**os.environ, "DATABASE_URL": db_url, "DEBUG": "1"}
    out = subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line.startswith("PSS-")] or ["PSS-000001"]


class Client(threading.Thread):
    def __init__(self, base, numbers, until, results, errors):
        super().__init__(daemon=True)
        self.base, self.numbers, self.until, self.results, self.errors = base, numbers, until, results, errors
        self.rng = random.Random()
        self.sessions = {}

    def _session(self, email):
        if email not in self.sessions:
            self.sessions[email] = self._sign_in(email)
        return self.sessions[email]

    def _sign_in(self, email):
        session = requests.Session()
        session.get(f"{self.base}/sign-in/", timeout=30)
        answer = session.post(
            f"{self.base}/sign-in/",
            data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
            timeout=30,
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"sign-in {answer.status_code}")
        return session

    def run(self):
        kinds = [kind for kind, weight in MIX for _ in range(weight)]
        while time.monotonic() < self.until:
            kind = self.rng.choice(kinds)
            start = time.perf_counter()
            try:
                if kind == "registry_search":
                    q = self.rng.choice(SURNAMES) if self.rng.random() < 0.7 else self.rng.choice(self.numbers)
                    response = requests.get(f"{self.base}/registry/", params={"q": q}, timeout=30)
                elif kind == "verification":
                    response = requests.get(f"{self.base}/registry/{self.rng.choice(self.numbers)}", timeout=30)
                elif kind == "sign_in":
                    self._sign_in("peer@demo.peercert.example")
                    response = None
                elif kind == "applicant":
                    response = self._session("renueva@demo.peercert.example").get(
                        f"{self.base}/certification/", timeout=30
                    )
                else:
                    response = self._session("reviewer@demo.peercert.example").get(
                        f"{self.base}/certification/review/", timeout=30
                    )
                ok = response is None or response.status_code < 400
            except Exception:  # noqa: BLE001 - every failure counts as an error
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            if ok:
                self.results[kind].append(elapsed)
            else:
                self.errors[kind] += 1


def _pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _step(base, numbers, clients, seconds):
    results, errors = defaultdict(list), defaultdict(int)
    until = time.monotonic() + seconds
    threads = [Client(base, numbers, until, results, errors) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(len(v) for v in results.values())
    return total / seconds, results, errors


def main() -> int:
    db_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_load")
    if not db_url.startswith("postgres"):
        print("bench/load.py runs against PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    name = db_url.rsplit("/", 1)[-1]
    subprocess.run(
        ["psql", db_url.rsplit("/", 1)[0] + "/postgres", "-qc", f'CREATE DATABASE "{name}"'], capture_output=True
    )
    _seed(db_url)
    numbers = _numbers(db_url)
    seconds = float(os.environ.get("BENCH_SECONDS", "20"))
    steps = [int(c) for c in os.environ.get("BENCH_CLIENTS", "4,8,16,32").split(",")]
    print(f"{os.cpu_count()} cores; {len(numbers)} registry numbers; {seconds:.0f} s per step")
    best = {}
    for workers in [int(w) for w in os.environ.get("BENCH_WORKERS", "2,4").split(",")]:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(ROOT / "var" / f"load-{workers}.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env=_env(db_url, PEERCERT_BIND=f"127.0.0.1:{port}", SITE_URL=base, WEB_CONCURRENCY=workers),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for _ in range(180):
                try:
                    if requests.get(f"{base}/readyz", timeout=5).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                time.sleep(1)
            _step(base, numbers, 2, 3)  # warm up every worker
            print(f"\n== {workers} gunicorn workers ==")
            print(f"{'clients':>7} {'req/s':>7} {'errors':>6}  " + "  ".join(f"{k:>24}" for k, _ in MIX))
            print(f"{'':>7} {'':>7} {'':>6}  " + "  ".join(f"{'p50/p95/p99 ms':>24}" for _ in MIX))
            for clients in steps:
                rate, results, errors = _step(base, numbers, clients, seconds)
                cells = []
                for kind, _ in MIX:
                    v = results[kind]
                    cells.append(f"{_pct(v, 50):6.0f}/{_pct(v, 95):6.0f}/{_pct(v, 99):6.0f}".rjust(24))
                print(f"{clients:>7} {rate:7.1f} {sum(errors.values()):>6}  " + "  ".join(cells), flush=True)
                if rate > best.get(workers, (0,))[0]:
                    best[workers] = (rate, _pct(results["registry_search"], 95), sum(errors.values()), clients)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
            log.close()
    print()
    for workers, (rate, p95, errs, clients) in best.items():
        verdict = "met" if workers != 4 or (errs == 0 and p95 < 100) else "NOT met"
        print(
            f"{workers} workers: highest throughput {rate:.1f} req/s at {clients} clients; registry p95 {p95:.0f} ms; "
            f"{errs} errors" + (f"  (target: 0 errors, registry p95 < 100 ms: {verdict})" if workers == 4 else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
