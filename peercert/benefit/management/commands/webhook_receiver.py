"""A local receiver for the demo's webhooks: checks each event's signature and says what it got.

    manage.py webhook_receiver [--port 8025]

Listens on 127.0.0.1 only. Each request's X-PeerCert-Signature is checked against the secrets of the
webhooks registered for that address (the demo registers http://127.0.0.1:8025/<county code>); one line
per event ("verified" or "BAD SIGNATURE", county, certification, status) goes to stdout and is appended
to var/webhook-receiver.log.
"""

import hashlib
import hmac
import http.server
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

LOG = Path(settings.BASE_DIR) / "var" / "webhook-receiver.log"


def _secrets_for(port: int, path: str) -> list[str]:
    from peercert.benefit.models import Webhook

    close_old_connections()
    wanted = {f"http://127.0.0.1:{port}{path}".rstrip("/"), f"http://localhost:{port}{path}".rstrip("/")}
    rows = list(Webhook.objects.values_list("url", "secret"))
    # The webhook registered for this address; any webhook's secret if none is (a hand-made address).
    return [s for url, s in rows if url.rstrip("/") in wanted] or [s for _url, s in rows]


def verdict(body: bytes, signature: str, secrets: list[str]) -> str:
    for secret in secrets:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, signature or ""):
            return "verified"
    return "BAD SIGNATURE"


class Command(BaseCommand):
    help = "Receive the demo's webhook events on 127.0.0.1 and check their signatures."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args, port=8025, **options):
        command = self
        LOG.parent.mkdir(parents=True, exist_ok=True)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                length = min(int(self.headers.get("Content-Length") or 0), 1_000_000)
                body = self.rfile.read(length)
                result = verdict(body, self.headers.get("X-PeerCert-Signature", ""), _secrets_for(port, self.path))
                try:
                    event = json.loads(body)
                except ValueError:
                    event = {}
                cert = event.get("certification") or {}
                county = event.get("county") or {}
                line = (
                    f"{result}  county {county.get('code', '?')} {county.get('name', '?')}  "
                    f"certification {cert.get('number', '?')}  {cert.get('from_status', '')} -> "
                    f"{cert.get('to_status', '?')}  event {event.get('event_id', '?')}"
                )
                command.stdout.write(line)
                with LOG.open("a", encoding="utf-8") as log:
                    log.write(line + "\n")
                self.send_response(200 if result == "verified" else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.stdout.write(f"Listening for webhook events on http://127.0.0.1:{port}/ (log: {LOG})")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
