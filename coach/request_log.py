"""Structured logs: one JSON line per log record, one record per request, and a request id on all.

`RequestLogMiddleware` (first in MIDDLEWARE) takes the request id from an incoming `X-Request-ID`
header when it looks like one (else makes one), returns it in the response's `X-Request-ID`, and
logs the request when it is answered. The id is kept on the request (`request.request_id`),
which sits in a context variable while it runs (`current_request_id()`, for a task enqueued
from the request to carry on). `RequestContextFilter` puts the id on every record that reaches
the handler and redacts the request's secret URL parts (SECRET_URL_KWARGS: the calendar feed's
and an invitation's token) wherever its path appears in a message, in Django's own
"Not Found: /…" too.

Never logged: request bodies, query strings, headers, cookies.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger("coach.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's or load balancer's id looks like (a UUID, a hex or base64url string); anything
# else — too long, spaces, quotes, control characters — is replaced rather than logged.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
SECRET_URL_KWARGS = frozenset({"token"})
REDACTED = "***"
# The load balancer's probes, every few seconds: logged only when they fail (or at DEBUG).
QUIET_WHEN_OK = frozenset({"healthz"})


_current_request = contextvars.ContextVar("coach_request", default=None)


def current_request_id() -> str | None:
    """The id of the request this code runs for, or None outside a request."""
    return getattr(_current_request.get(), "request_id", None)


def safe_path(request: HttpRequest) -> str:
    """The request's path with its secret URL parts replaced by ***: /calendar/feed/***.ics.
    A path that resolved to none of our URLs has no secret parts to replace."""
    match = getattr(request, "resolver_match", None)
    if match is None or not SECRET_URL_KWARGS & match.kwargs.keys():
        return request.path
    kwargs = {
        name: REDACTED if name in SECRET_URL_KWARGS else value
        for name, value in match.kwargs.items()
    }
    try:
        return reverse(match.view_name, kwargs=kwargs)
    except NoReverseMatch:  # a converter that refuses ***: say nothing of the path
        return f"/{REDACTED}"


class RequestContextFilter(logging.Filter):
    """Puts the request id on every record (None outside a request) and redacts the request's
    secret URL parts from its message. Django logs a 4xx/5xx response ("Not Found: /…") after
    the middleware has answered, with the request on the record: that is the request then."""

    def filter(self, record):
        request = _current_request.get()
        if request is None:
            request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            record.request_id = None
            return True
        record.request_id = getattr(request, "request_id", None)
        raw, safe = request.path, safe_path(request)
        message = record.getMessage() if raw != safe else ""
        if raw in message:
            record.msg, record.args = message.replace(raw, safe), None
        return True


# The attributes every LogRecord has: anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_JSON_SCALARS = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, the record's
    `extra=` values that are plain scalars (an object such as Django's `request` is left out:
    its repr is not for logs), and the traceback if any."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {
            name: value
            for name, value in vars(record).items()
            if name not in _RECORD_ATTRIBUTES and isinstance(value, _JSON_SCALARS)
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def _request_id(request: HttpRequest) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if the request has looked them up: the log line never costs a
    query of its own, nor fails while the database is down. (AuthenticationMiddleware keeps the
    user it looked up in `_cached_user`; LoginRequiredMiddleware looks for every view.)"""
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Gives every request an id and logs one line when it is answered: method, path (no query
    string, secrets redacted), status, duration_ms, user_id (None when anonymous), request_id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = _request_id(request)
        token = _current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            self._log(request, response, time.perf_counter() - started)
        finally:
            _current_request.reset(token)
        return response

    @staticmethod
    def _log(request, response, seconds):
        path, status = safe_path(request), response.status_code
        match = getattr(request, "resolver_match", None)
        quiet = match is not None and match.view_name in QUIET_WHEN_OK and status < 400
        logger.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s",
            request.method,
            path,
            status,
            extra={
                "method": request.method,
                "path": path,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": _user_id(request),
            },
        )
