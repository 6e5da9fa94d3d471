"""One-time submission keys: a create request sent twice (a double click, the Back button, a client's retry
after a timeout) makes one record, and the second answer is the first one's.

- The desk's create forms carry a hidden ``submission_key`` (``key_field()``), fresh each time the empty form
  is shown. A view asks ``previous(user, key)`` first; then, inside the transaction that makes the record,
  ``reserve(user, key)`` before making it and ``complete(reserved, location=...)`` after.
- The API's create endpoints honour an ``Idempotency-Key`` header through the ``@idempotent`` decorator: a
  retried key gets the same status and body, marked ``Idempotent-Replayed: true``; a key reused with a
  different request gets 422.

Keys are per user and expire after ``EXPIRY``. Two requests racing with one key both try to insert the
same row; the unique constraint makes the loser roll back everything it wrote and answer as a retry.
"""

import datetime
import functools
import hashlib
import json
import uuid
from contextlib import contextmanager

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .models import SubmissionKey

EXPIRY = datetime.timedelta(hours=24)
HEADER = "Idempotency-Key"
MAX_LENGTH = 255

HEADER_PARAMETER = OpenApiParameter(
    HEADER, {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH}, OpenApiParameter.HEADER, required=False,
    description="Any unique string up to 255 characters (a UUID, say), chosen by you for this one create. Send "
                "the request again with the same key (after a timeout, say) and you get the first answer again "
                "(its status and body, with `Idempotent-Replayed: true`) instead of a second record. Reusing a "
                "key for a different request answers 422. Keys are yours alone and expire after 24 hours.",
)


class Duplicate(Exception):
    """Another request with this key got there first; everything this one wrote must be rolled back."""


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = f"This {HEADER} was used for a different request. Use a new key for a new request."
    default_code = "idempotency_key_reused"


# ---------------------------------------------------------------------------------------------------------
# Shared.


def _live(user, key):
    return SubmissionKey.objects.filter(user=user, key=key, created_at__gte=timezone.now() - EXPIRY).first()


def previous(user, key):
    """The record of an earlier request with ``key`` by ``user``, if it has not expired; else None."""
    if not key or user is None or not user.is_authenticated:
        return None
    return _live(user, key)


def reserve(user, key, *, fingerprint=""):
    """Claim ``key`` for this request, first thing inside the transaction that will make the record (then
    ``complete`` it). A request racing another with the same key waits here until the other commits, then
    raises ``Duplicate``, which must leave the transaction. Returns None when there is no key to keep."""
    if not key or user is None or not user.is_authenticated:
        return None
    SubmissionKey.objects.filter(created_at__lt=timezone.now() - EXPIRY).delete()
    try:
        with transaction.atomic():
            return SubmissionKey.objects.create(user=user, key=key, fingerprint=fingerprint, status_code=0)
    except IntegrityError:
        raise Duplicate(key) from None


def complete(reserved, *, status_code=200, body="", location="", etag=""):
    """Remember what the request made, for its retries."""
    if reserved is None:
        return
    reserved.status_code, reserved.body, reserved.location, reserved.etag = status_code, body, location, etag
    reserved.save(update_fields=["status_code", "body", "location", "etag"])


@contextmanager
def making(user, key):
    """One transaction that makes a record once per key: ``with making(user, key) as made: ...; made(location=
    url)``. Raises ``Duplicate`` (having undone the block) when another request with the key got there first."""
    with transaction.atomic():
        reserved = reserve(user, key)
        yield functools.partial(complete, reserved)


# ---------------------------------------------------------------------------------------------------------
# Desk forms.


class KeyInput(forms.HiddenInput):
    """Not ``type="hidden"``: when Back re-fetches the form's page (a cookie changed, and desk pages vary by
    cookie), the browser puts back what the form held for text inputs, but not for hidden ones, so a hidden
    key would be a fresh one and the resubmitted form a new record. A text input with the ``hidden``
    attribute is kept, and is still never shown."""

    input_type = "text"
    is_hidden = True  # among the form's hidden fields, rendered with them and given no label

    def __init__(self):
        super().__init__(attrs={"hidden": True, "class": "submission-key"})


def key_field():
    """The field a create form carries: a new key each time the empty form is shown, the same one when it is
    shown again with what was typed (an error, the "these look similar" step) or restored by Back."""
    return forms.CharField(widget=KeyInput, required=False, max_length=MAX_LENGTH, initial=lambda: uuid.uuid4().hex)


def key_of(request):
    return request.POST.get("submission_key", "")[:MAX_LENGTH]


# ---------------------------------------------------------------------------------------------------------
# The API.


def fingerprint(request):
    """What makes two requests the same: the method, the path, the If-Match header and the parsed body."""
    body = json.dumps(request.data, sort_keys=True, cls=JSONEncoder, ensure_ascii=False)
    parts = [request.method, request.path, request.headers.get("If-Match", ""), body]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def idempotent(handler):
    """Decorate an API view's ``post``: honour an ``Idempotency-Key`` header. Only a 2xx answer is kept; a
    refused request wrote nothing, so sending it again simply tries again."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_LENGTH:
            raise exceptions.ValidationError({HEADER: [f"Send 1 to {MAX_LENGTH} characters, e.g. a UUID."]})
        sent = fingerprint(request)
        earlier = previous(request.user, key)
        if earlier is not None:
            return _replay(earlier, sent)
        try:
            with transaction.atomic():
                reserved = reserve(request.user, key, fingerprint=sent)
                response = handler(view, request, *args, **kwargs)
                if not status.is_success(response.status_code):
                    transaction.set_rollback(True)  # nothing was made: free the key for another try
                    return response
                complete(reserved, status_code=response.status_code,
                         body=json.dumps(response.data, cls=JSONEncoder, ensure_ascii=False),
                         location=response.get("Location", ""), etag=response.get("ETag", ""))
        except Duplicate:
            return _replay(previous(request.user, key), sent)
        return response

    return wrapper


def _replay(earlier, sent):
    if earlier.fingerprint != sent:
        raise KeyReused()
    headers = {"Idempotent-Replayed": "true"}
    if earlier.location:
        headers["Location"] = earlier.location
    if earlier.etag:
        headers["ETag"] = earlier.etag
    return Response(json.loads(earlier.body) if earlier.body else None, status=earlier.status_code, headers=headers)
