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
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

log = logging.getLogger("claims.outage")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"
DETAIL = ("The database is not answering just now; retry in a few seconds. If you were saving a change, read it "
          "again first to see whether it was saved.")


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        outage = getattr(request, "_database_outage", None)
        if outage is not None and response.status_code == 500:
            return self.unavailable(request, outage)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request, exception):
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
