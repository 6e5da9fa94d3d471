"""Every API error as JSON of one shape: ``{"code": ..., "detail": ...}``, plus ``errors`` (field → messages)
for 400 and ``current_version`` for 412.

This is the one place where the workflow's domain error becomes an HTTP status:

- ``StaleVersion`` (the claim changed since the caller read it) → 412, with the current ``ETag``;
- ``code == "permission_denied"`` (the workflow's own role check) → 403;
- a ``WorkflowError`` naming a ``field`` (a required note, a bad URL) → 400 with that field's error;
- a body whose only faults are ids or slugs that name nothing (an unknown claimant, rating or user), or a
  withheld evidence item without its reason (which may depend on the stored item) → 422;
- a body whose only fault is a slug or address another record has → 409 ``unique``, the field named;
- any other ``WorkflowError`` (a refused transition: the proposer approving, a closed claim) → 409.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from claims.workflow import StaleVersion, WorkflowError


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Another change got there first; read again and retry."
    default_code = "conflict"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Say which version of the claim you are changing: send its ETag in an If-Match header, "
        "or its version in the body."
    )
    default_code = "precondition_required"


UNPROCESSABLE = {"does_not_exist", "withheld_without_reason"}


def etag(version):
    return f'"{version}"'


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(f"The request body is over the limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes.")
    if isinstance(exc, StaleVersion):
        return _stale(exc)
    if isinstance(exc, WorkflowError):
        exc = _from_workflow(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"code": "invalid", "detail": _first_message(errors), "errors": errors}
        codes = _leaves(exc.get_codes())
        if codes and codes <= UNPROCESSABLE:
            # Well formed, but naming a claimant, topic, rating or user that does not exist, or leaving a withheld
            # item (as sent, or as stored) without its reason: 422 (RFC 9110: understood, but the instructions
            # cannot be carried out), as the schema says, not 400, which is for the request's shape.
            response.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
            response.data["code"] = codes.pop() if len(codes) == 1 else "unprocessable"
        elif codes == {"unique"}:
            # Well formed, but a slug or address another record already has: a conflict with the register's
            # state (409), like the race claims/reference.py loses, with the field named in ``errors``.
            response.status_code = status.HTTP_409_CONFLICT
            response.data["code"] = "unique"
    else:
        detail = str(response.data.get("detail", ""))
        response.data = {"code": _code(exc), "detail": detail}
        if response.status_code == status.HTTP_400_BAD_REQUEST:  # a parse error: the error body's errors too
            response.data["errors"] = {"non_field_errors": [detail]}
    return response


def _stale(exc):
    set_rollback()
    data = {"code": exc.code, "detail": exc.message, "current_version": exc.current.version}
    return Response(data, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag(exc.current.version)})


def _from_workflow(exc):
    if exc.code == "permission_denied":
        return exceptions.PermissionDenied(exc.message, code=exc.code)
    if exc.field:
        return exceptions.ValidationError({exc.field: [exceptions.ErrorDetail(exc.message, code=exc.code)]})
    conflict = exceptions.APIException(exc.message, code=exc.code)
    conflict.status_code = status.HTTP_409_CONFLICT
    return conflict


def _code(exc):
    detail = exc.detail
    if isinstance(detail, exceptions.ErrorDetail) and detail.code:
        return detail.code
    return exc.default_code


def _leaves(codes):
    """The set of error codes in DRF's nested ``get_codes()`` structure."""
    if isinstance(codes, dict):
        return set().union(*map(_leaves, codes.values()))
    if isinstance(codes, list):
        return set().union(*map(_leaves, codes))
    return {codes}


def _first_message(errors):
    """One readable sentence for clients that show a single message: the first field's first error."""
    for field, messages in errors.items():
        message = messages
        while isinstance(message, list | dict) and message:
            message = message[0] if isinstance(message, list) else next(iter(message.values()))
        if field == "non_field_errors":
            return str(message)
        return f"{field}: {message}"
    return "The request is invalid."
