"""OpenAPI: the error responses every operation documents, the id-in/object-out related field, and the
API's introduction (shown at /api/docs/)."""

import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

API_DESCRIPTION = """\
Claims, evidence, verdicts and their review history: the same register and the same rules as the desk.

**Reading.** Anonymous clients read published fact-checks only. Anything else answers 404, exactly as if it
did not exist. Fields that only editors may see (a tipster's e-mail, a withheld evidence URL, a source's full
text, internal history) are `null` for everybody else, so every response has the same keys.

**Signing in.** Browsers use the desk's session (send the `csrftoken` cookie back as `X-CSRFToken` on writes).
Scripts use a token: `Authorization: Token <key>`. Editors create and revoke theirs on their desk profile
page; an administrator can make one with `python manage.py drf_create_token <username>`.

**Writing.** Every change goes through the same workflow as the desk. Claims carry an `ETag` (their
`version`). `PATCH` and every workflow action need the version you are changing: send the ETag back in
`If-Match`, or, without that header, `version` in the body. A stale one answers 412 and nothing is
written; neither answers 428. A transition the workflow refuses answers 409 with a machine-readable `code`.

**Retrying a create.** `POST` to `claims/`, `claims/{id}/evidence/`, `claims/{id}/verdicts/`, `claimants/`,
`sources/` and `topics/` honours an `Idempotency-Key` header (any unique string, e.g. a UUID): sent again
with the same key, the request is not repeated and you get the first answer again (its status and body,
with `Idempotent-Replayed: true`); the same key with a different request answers 422. Keys are per user
and expire after 24 hours.

**Errors** are JSON: `{"code": ..., "detail": ...}`, with `errors` (field → messages) on 400 and
`current_version` on 412. Bodies over the upload limit answer 413; too many requests answer 429 with
`Retry-After`.

**Lists** are cursor-paginated (`next`, `previous`, `results`; `page_size` up to 100) in a fixed total order.
Filtering claims by `status` is for editors: anonymous callers get 400. A method an endpoint does not offer
answers 405, an `Accept` other than JSON 406, and everything under `/api/` answers JSON, 404 included.
"""


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. own_verdict, not_found, throttled.")
    detail = serializers.CharField(help_text="For people.")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(child=serializers.JSONField(), help_text="Field name → list of messages.")


class StaleVersionSerializer(ErrorSerializer):
    current_version = serializers.IntegerField(help_text="The claim's version now; its ETag is in the headers.")


_ERRORS = {
    400: (ValidationErrorSerializer, "Invalid input, with an error for each field at fault; or malformed JSON."),
    401: (ErrorSerializer, "No credentials, or bad ones."),
    403: (ErrorSerializer, "Signed in, but this needs the editor or reviewer role, or the CSRF token is missing."),
    404: (ErrorSerializer, "No such object, or not one the caller may see."),
    409: (ErrorSerializer, "The workflow refuses this transition; `code` says why (e.g. own_verdict)."),
    412: (StaleVersionSerializer, "The claim changed since the given version: nothing was written."),
    413: (ErrorSerializer, "The request body is over the upload limit."),
    422: (ErrorSerializer, "The Idempotency-Key was used before for a different request (code "
                           "idempotency_key_reused)."),
    428: (ErrorSerializer, "No version given: send If-Match or `version`."),
    406: (ErrorSerializer, "The Accept header asks for something other than JSON."),
    429: (ErrorSerializer, "Too many requests; retry after the Retry-After header's seconds."),
}

READ_ERRORS = (401, 404, 406, 429)
# 400: a bad filter or page_size, or (anonymous) the status filter; 404: a bad cursor
LIST_ERRORS = (400, 401, 404, 406, 429)
WRITE_ERRORS = (400, 401, 403, 404, 406, 413, 429)
WORKFLOW_ERRORS = (*WRITE_ERRORS, 409, 412, 428)
CREATE_ERRORS = (*WRITE_ERRORS, 422)  # 422: an Idempotency-Key reused for another request


def errors(*codes):
    return {code: OpenApiResponse(_ERRORS[code][0], description=_ERRORS[code][1]) for code in sorted(set(codes))}


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description='The claim\'s ETag as you read it, e.g. "7". Stale: 412. Without it, send `version` in the body.',
)


class SummaryRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "claims.api.serializers.SummaryRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        return auto_schema.resolve_serializer(self.target.summary, direction).ref


def describe_api(result, generator, request, public):
    """Postprocessing hook: the introduction above, kept beside the code it describes."""
    result["info"]["description"] = API_DESCRIPTION
    return result


# OpenAPI 3.0.3 leaves ``nullable`` beside ``allOf: [$ref]`` without effect (the referenced schema is not
# nullable), so validators refused every ``null`` relation (assignee, published_verdict, source, claimant). A
# null is its own alternative instead.
NULL = {"type": "object", "nullable": True, "enum": [None]}


def nullable_refs_and_blank_urls(result, generator, request, public):
    """Postprocessing hook: ``{allOf: [$ref], nullable: true}`` becomes ``{anyOf: [$ref, null]}``; a blank-or-URL
    string, ``oneOf [uri, maxLength 0]``, which the empty string matches twice, becomes ``anyOf``."""
    _rewrite(result)
    return result


def _rewrite(node):
    if isinstance(node, list):
        for item in node:
            _rewrite(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("nullable") and len(node.get("allOf", ())) == 1 and "type" not in node:
        node["anyOf"] = [node.pop("allOf")[0], NULL]
        node.pop("nullable")
    alternatives = node.get("oneOf")
    if alternatives and all(isinstance(a, dict) and a.get("type") == "string" for a in alternatives):
        node["anyOf"] = node.pop("oneOf")
        if node.pop("nullable", False):
            node["anyOf"].append({"type": "string", "nullable": True, "enum": [None]})
    for value in node.values():
        _rewrite(value)


ETAG = {"description": 'The claim\'s version after this request, e.g. "8": send it back in If-Match.',
        "schema": {"type": "string"}}
LOCATION = {"description": "The new claim's address in the API.", "schema": {"type": "string"}}
RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
# Operations whose success answers carry the claim's ETag (views.py: claim_response, evidence_response …).
CLAIM_ETAG = re.compile(
    r"^/api/v1/(claims/\{claim_id\}/((evidence|verdicts|start|approve|approve-update|discard-draft|send-back|reopen|close)/)?"
    r"|evidence/\{evidence_id\}/)$"
)


def headers_and_strict_requests(result, generator, request, public):
    """Postprocessing hook: the response headers clients rely on (ETag, Location, Retry-After), declared; and
    request bodies closed to extra properties, which the API refuses (StrictSerializerMixin)."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.get("responses", {})
            for status, response in responses.items():
                headers = {}
                if status == "429":
                    headers["Retry-After"] = RETRY_AFTER
                if status == "412":
                    headers["ETag"] = ETAG
                if status in {"200", "201", "204"} and _carries_etag(path, method):
                    headers["ETag"] = ETAG
                if status == "201" and path == "/api/v1/claims/":
                    headers.update({"ETag": ETAG, "Location": LOCATION})
                if headers:
                    response.setdefault("headers", {}).update(headers)
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


def _carries_etag(path, method):
    if method == "get":  # of the reads, only the claim itself; its lists carry none
        return path == "/api/v1/claims/{claim_id}/"
    return bool(CLAIM_ETAG.match(path))
