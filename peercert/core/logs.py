"""Logs a machine can read: one JSON object per line, each carrying the id of the request it belongs to.

The request id comes from the X-Request-ID header a proxy set (when it looks like one: 8 to 64 letters,
digits, dashes), else a new one; it goes back on the response so a person reporting a problem can quote
it. Log records hold what happened, never who it happened to: services log ids, not names or e-mails.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("peercert_request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# The attributes every LogRecord has; anything else was passed in `extra` and is kept.
_STANDARD = set(logging.LogRecord("x", 0, "x", 0, "x", None, None).__dict__) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx response after the middleware returned; the record names the request.
        request = record.__dict__.get("request")
        record.request_id = _request_id.get() if request is None else getattr(request, "request_id", _request_id.get())
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", _request_id.get()),
            "message": record.getMessage(),
        }
        request = record.__dict__.get("request")
        if request is not None and hasattr(request, "path"):
            # The path only: a query string can carry what someone searched for.
            entry["method"], entry["path"] = request.method, request.path
        if record.__dict__.get("status_code"):
            entry["status"] = record.status_code
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in {"request", "status_code"} and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _VALID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response
