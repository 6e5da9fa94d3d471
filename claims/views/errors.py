"""Error pages and their API twins: everything under ``/api/`` answers JSON in the API's error shape
(``{"code", "detail"}``, plus ``errors`` on a 400), whatever raised the error and wherever; every other path
gets a styled page.

The 400 and 413 pages are rendered without the request (like the 503 page), because they answer requests
that may not have got as far as sessions and users: a bad Host header, a body over the limit.
"""

import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

log = logging.getLogger("claims.errors")

API_PREFIX = "/api/"


def is_api(request):
    return request.path_info.startswith(API_PREFIX)


def api_error(status, code, detail, *, errors=None):
    body = {"code": code, "detail": detail}
    if status == 400:
        body["errors"] = errors or {"non_field_errors": [detail]}
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def plain_page(template_name, status, message=""):
    try:
        content = loader.get_template(template_name).render(
            {"organization": settings.ORGANIZATION_NAME, "message": message})
    except Exception:  # an error page must never fail itself
        log.exception("templates/%s did not render", template_name)
        content = f"<!doctype html><title>Error {status}</title><h1>Error {status}</h1><p>{status}</p>"
    response = HttpResponse(content, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None, message=""):
    """A 400: Django's own (a bad Host header, a malformed form, a suspicious operation) and the guard's."""
    if is_api(request):
        return api_error(400, "bad_request", message or "The request could not be read.")
    return plain_page("400.html", 400, message)


def too_large(request, message):
    if is_api(request):
        return api_error(413, "payload_too_large", message)
    return plain_page("413.html", 413, message)


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error(403, "permission_denied", "You do not have permission to do this.")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(404, "not_found", "No such endpoint. The API's endpoints are listed at /api/docs/.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error(500, "server_error", "Something went wrong on our side; it has been logged.")
    return defaults.server_error(request)
