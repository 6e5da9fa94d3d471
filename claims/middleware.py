"""What readers, editors and API clients see while the database is down: 503 with ``Retry-After``, never a
traceback or a bare 500.

- Pages get ``templates/503.html``, rendered with no request and no context processors, so it needs no query.
- Paths under ``/api/`` get the API's error shape: ``{"code": "service_unavailable", "detail": ...}``.

A database outage surfaces as ``django.db.OperationalError`` or ``InterfaceError``: a refused connection, a
connection dropped mid-query, or the connection pool's ``PoolTimeout`` (a psycopg ``OperationalError`` that
Django wraps). DRF's exception handler returns nothing for them, so DRF re-raises and they reach
``process_exception`` like any view's. Nothing is half-written: every workflow operation runs in one
transaction, which the database rolls back when the connection dies.

An outage that surfaces outside a view (a session saved by SessionMiddleware, say) has already been turned
into a 500 by Django before any middleware sees it; ``got_request_exception`` marks such a request, and the
middleware swaps that 500 for the same 503.
"""

import logging
import re
import sys
import threading
import time

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader

log = logging.getLogger("claims.outage")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"
DETAIL = ("The database is not answering just now; retry in a few seconds. If you were saving a change, read it "
          "again first to see whether it was saved.")


class CircuitBreaker:
    """What this process knows about the database: once a request has met an outage, for the next
    ``open_seconds`` every request that needs the database answers 503 at once, instead of each waiting the
    pool's timeout and tying up a worker thread (under load every thread did, and ``/healthz`` queued behind
    them for 11 s). Then one request tries the database again (half-open): its success closes the breaker,
    its failure opens it for another ``open_seconds``. Each process learns on its own, from its own first
    failure; nothing is shared, so nothing else can be down with the database."""

    def __init__(self, open_seconds):
        self.open_seconds = open_seconds
        self._lock = threading.Lock()
        self._open_until = None  # None: closed

    def allow(self):
        with self._lock:
            if self._open_until is None:
                return True
            now = time.monotonic()
            if now < self._open_until:
                return False
            self._open_until = now + self.open_seconds  # this request is the trial; the others wait for it
            return True

    def failed(self):
        with self._lock:
            self._open_until = time.monotonic() + self.open_seconds

    def succeeded(self):
        with self._lock:
            self._open_until = None

    @property
    def is_open(self):
        return self._open_until is not None


BREAKER_OPEN_SECONDS = 2
breaker = CircuitBreaker(BREAKER_OPEN_SECONDS)
# Answered without the database, so never held back by the breaker.
DATABASE_FREE_PATHS = ("/healthz",)


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in DATABASE_FREE_PATHS:
            return self.get_response(request)
        if not breaker.allow():
            return self.unavailable(request, None)
        response = self.get_response(request)
        outage = getattr(request, "_database_outage", None)
        if outage is not None:
            breaker.failed()
            if response.status_code == 500:
                return self.unavailable(request, outage)
        elif breaker.is_open and response.status_code < 500:
            breaker.succeeded()
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            request._database_outage = exception
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request, exception):
        if exception is None:
            log.info("database known to be down: %s %s answered 503 at once", request.method, request.path)
        else:
            log.error("database unavailable for %s %s: %s: %s", request.method, request.path,
                      type(exception).__name__, str(exception).strip())
        if request.path.startswith(API_PREFIX):
            response = JsonResponse({"code": "service_unavailable", "detail": DETAIL}, status=503)
        else:
            response = HttpResponse(outage_page(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def outage_page():
    try:
        return loader.get_template("503.html").render({"organization": settings.ORGANIZATION_NAME})
    except Exception:  # the page that says we are down must never fail itself
        log.exception("templates/503.html did not render")
        return "<!doctype html><title>Back in a moment</title><h1>We’ll be back in a moment</h1>"


def _mark_outage(sender, request=None, **kwargs):
    exception = sys.exc_info()[1]
    if request is not None and isinstance(exception, OUTAGE_ERRORS):
        request._database_outage = exception


got_request_exception.connect(_mark_outage, dispatch_uid="claims-database-outage")


class RequestGuardMiddleware:
    """The one gate for input that no page or endpoint can use, before anything reads it:

    - a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (JSON, form or multipart, files included) answers 413 from
      its Content-Length alone, before a byte is parsed; a form whose fields add up to more answers 413 too;
    - a NUL character (U+0000) in the path, in any query parameter, in any form field or file name, or in a
      JSON body (``\\u0000``) answers 400. PostgreSQL cannot store NUL in text and refuses it in a query,
      while SQLite would store it: refused here, it is treated the same on both databases and never stored.

    Pages get the styled 400 and 413 pages; ``/api/`` gets the API's JSON error (claims/views/errors.py).
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request):
        from claims.views import errors

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and content_length(request) > limit:
            return errors.too_large(request, f"The request body is over the limit of {limit:,} bytes.")
        try:
            where = nul_in_request(request, self.FORM_TYPES)
        except RequestDataTooBig:
            return errors.too_large(request, f"The request body is over the limit of {limit:,} bytes.")
        except (SuspiciousOperation, MultiPartParserError, UnicodeDecodeError) as exc:
            return errors.bad_request(request, message=f"The form could not be read: {exc}")
        if where is None:
            return None
        message = NUL_MESSAGE if where == "" else f"{where}: {NUL_MESSAGE}"
        if errors.is_api(request):
            return errors.api_error(400, "invalid", message, errors={where or "non_field_errors": [NUL_MESSAGE]})
        return errors.bad_request(request, message=message)


NUL_MESSAGE = "A NUL character (\\0, %00) is not allowed in text."
# An escaped \u0000 in JSON: an odd number of backslashes before u0000 (an even number escapes themselves).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def nul_in_request(request, form_types):
    """Where a NUL is: the name of the parameter or field that holds one, "" for the path or a JSON body, or
    None when there is none."""
    if "\x00" in request.path_info:
        return ""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "\\0")
    if request.method in ("GET", "HEAD", "OPTIONS") or not content_length(request):
        return None
    content_type = request.content_type or ""
    if content_type in form_types:
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "\\0")
        for name, upload in request.FILES.items():
            if "\x00" in name or "\x00" in (upload.name or ""):
                return name.replace("\x00", "\\0")
    elif content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\x00" in body or JSON_NUL.search(body):
            return ""
    return None
