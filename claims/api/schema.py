"""OpenAPI: the error responses every operation documents, the id-in/object-out related field, the shapes of
the JSON fields (an event's changes, a draft's pending changes, URLs), the postprocessing hooks that make the
document exact, and the API's introduction (shown at /api/docs/)."""

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
`If-Match`, or `version` in the body (the header wins when both are sent). A stale one answers 412 and
nothing is written; neither answers 428 (OpenAPI cannot mark "one of the two" required, so both are
optional here). A transition the workflow refuses answers 409 with a
machine-readable `code`. Every write answers with the claim's new version: in the `ETag` header, and in the
body (the claim's `version`, or `claim_version` beside an evidence item or a verdict).

**Retrying a create.** `POST` to `claims/`, `claims/{id}/evidence/`, `claims/{id}/verdicts/`, `claimants/`,
`sources/` and `topics/` honours an `Idempotency-Key` header (any unique string, e.g. a UUID): sent again
with the same key, the request is not repeated and you get the first answer again (its status and body,
with `Idempotent-Replayed: true`); the same key with a different request answers 422. Keys are per user
and expire after 24 hours.

**Errors** are JSON: `{"code": ..., "detail": ...}`, with `errors` (field → messages) on 400 and
`current_version` on 412. A body that names an id or slug that does not exist (a claimant, a rating)
answers 422 `does_not_exist` (a withheld evidence item without its reason: 422 `withheld_without_reason`),
and a slug or address another record has 409 `unique`, each with `errors`. Text never holds NUL
(`\\u0000`): it answers 400 wherever it is sent. Bodies over the upload limit answer 413; too many requests
answer 429 with `Retry-After`.

**Lists** are cursor-paginated (`next`, `previous`, `results`; `page_size` up to 100) in a fixed total order.
Filtering claims by `status` is for editors: anyone else gets 403. A method an endpoint does not offer
answers 405, an `Accept` other than JSON 406, and everything under `/api/` answers JSON, 404 included.
"""


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. own_verdict, not_found, throttled.")
    detail = serializers.CharField(help_text="For people.")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(child=serializers.JSONField(), help_text="Field name → list of messages.")


class ConflictSerializer(ErrorSerializer):
    errors = serializers.DictField(child=serializers.JSONField(), required=False,
                                   help_text="code unique: field name → list of messages.")


class UnprocessableSerializer(ErrorSerializer):
    errors = serializers.DictField(child=serializers.JSONField(), required=False,
                                   help_text="code does_not_exist: field name → list of messages.")


class StaleVersionSerializer(ErrorSerializer):
    current_version = serializers.IntegerField(help_text="The claim's version now; its ETag is in the headers.")


_ERRORS = {
    400: (ValidationErrorSerializer, "Invalid input, with an error for each field at fault; or malformed JSON."),
    401: (ErrorSerializer, "No credentials, or bad ones."),
    403: (ErrorSerializer, "This needs the editor or reviewer role (filtering claims by status too), or the CSRF "
                           "token is missing."),
    404: (ErrorSerializer, "No such object, or not one the caller may see."),
    409: (ConflictSerializer, "The workflow refuses this transition (`code` says why, e.g. own_verdict), or a slug "
                              "or address is another record's (code unique, with `errors`)."),
    412: (StaleVersionSerializer, "The claim changed since the given version: nothing was written."),
    413: (ErrorSerializer, "The request body is over the upload limit."),
    422: (UnprocessableSerializer, "Well formed, but an id or slug in the body names nothing (code does_not_exist), "
                                   "or a withheld evidence item would have no reason (withheld_without_reason), "
                                   "each with `errors`; or the Idempotency-Key was used before for a different "
                                   "request (code idempotency_key_reused)."),
    428: (ErrorSerializer, "No version given: send If-Match or `version`."),
    406: (ErrorSerializer, "The Accept header asks for something other than JSON."),
    429: (ErrorSerializer, "Too many requests; retry after the Retry-After header's seconds."),
}

READ_ERRORS = (401, 404, 406, 429)
# 400: a bad filter or page_size; 404: a bad cursor
LIST_ERRORS = (400, 401, 404, 406, 429)
CLAIM_LIST_ERRORS = (*LIST_ERRORS, 403)  # 403: the status filter, for anyone but an editor
# 422: an unknown id or slug in the body, or (creates) an Idempotency-Key reused for another request
# 409: a transition the workflow refuses, or a unique slug or address taken
WRITE_ERRORS = (400, 401, 403, 404, 406, 409, 413, 422, 429)
WORKFLOW_ERRORS = (*WRITE_ERRORS, 412, 428)
CREATE_ERRORS = WRITE_ERRORS


def errors(*codes):
    return {code: OpenApiResponse(_ERRORS[code][0], description=_ERRORS[code][1]) for code in sorted(set(codes))}


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description='The claim\'s ETag as you read it, e.g. "7". Stale: 412. Without it, send `version` in the body.',
)


# The http(s) addresses Django's URLValidator takes (claims.models.http_url), as an ECMA-262 pattern: a host
# name of labels up to 63 characters with a letters-only top-level domain, localhost or an IPv4 address; a port;
# then anything without spaces. RFC 3986's ``uri`` format alone allows what the validator refuses (ftp:,
# 64-character labels). Unicode host names and IPv6 addresses, which the validator also takes, are left out.
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
HTTP_URL_PATTERN = (r"^[hH][tT][tT][pP][sS]?://(localhost|" + _OCTET + r"(\." + _OCTET + r"){3}|"
                    r"([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}\.?)(:[0-9]{1,5})?([/?#]\S*)?$")


class HttpURLFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "claims.api.serializers.HttpURLField"

    def map_serializer_field(self, auto_schema, direction):
        # No ``format: uri``: the validator takes IRIs too (https://example.org/é), which RFC 3986 does not.
        url = {"type": "string", "pattern": HTTP_URL_PATTERN}
        if self.target.max_length is not None:
            url["maxLength"] = self.target.max_length
        if self.target.allow_blank:  # as drf-spectacular writes it; nullable_refs_and_blank_urls makes it anyOf
            return {"oneOf": [url, {"type": "string", "maxLength": 0}]}
        return url


class SummaryRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "claims.api.serializers.SummaryRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        return auto_schema.resolve_serializer(self.target.summary, direction).ref


# OpenAPI 3.0.3 leaves ``nullable`` beside ``allOf: [$ref]`` without effect (the referenced schema is not
# nullable), so validators refused every ``null`` relation (assignee, published_verdict, source, claimant). A
# null is its own alternative instead.
NULL = {"type": "object", "nullable": True, "enum": [None]}


# ---------------------------------------------------------------------------------------------------------
# JSON fields with a shape of their own, typed so that a generated client gets models rather than ``Any``.


class ChangedEvidenceSerializer(serializers.Serializer):
    """An evidence item as an event records it (claims.workflow._evidence_summary)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    stance = serializers.CharField(help_text="supports, refutes or context")
    withheld = serializers.BooleanField()


class ChangedAppearanceSerializer(serializers.Serializer):
    """An appearance as an event records it (claims.workflow._appearance_summary)."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    outlet = serializers.CharField(allow_blank=True)


class ChangedExternalReviewSerializer(serializers.Serializer):
    """Another publisher's review as an import records it (reviews.importing)."""

    publisher = serializers.CharField(help_text="e.g. Full Fact")
    url = serializers.CharField(help_text="The review's address.")
    rating = serializers.CharField(allow_blank=True, help_text="Their rating's words.")


def _pair(items, description):
    return {"type": "array", "minItems": 2, "maxItems": 2, "items": items, "description": description}


_TEXT = {"type": "string", "nullable": True}
_NUMBER = {"type": "number", "nullable": True}
_NAMES = {"type": "array", "items": {"type": "string"}}


class EventChangesFieldExtension(OpenApiSerializerFieldExtension):
    """``ClaimEvent.changes`` as claims/workflow.py (and reviews/importing.py) write it: field → [before, after].
    Every known key is listed; which appear depends on the event's ``kind``."""

    target_class = "claims.api.serializers.EventChangesField"

    def get_name(self):
        return "EventChanges"

    def map_serializer_field(self, auto_schema, direction):
        def ref(serializer):
            return auto_schema.resolve_serializer(serializer, direction).ref

        def text(what):
            return _pair(_TEXT, what)

        evidence = {"anyOf": [ref(ChangedEvidenceSerializer), _NAMES, NULL]}
        review = _pair({"anyOf": [ref(ChangedExternalReviewSerializer), NULL]}, "")
        properties = {
            # edited (the claim's own fields; names stand for the claimant, source and topics)
            **{name: text(f"edited, published, updated: the claim's {name}.")
               for name in ("text", "quote", "claimant", "source", "language")},
            **{name: text(f"edited: the claim's {name.replace('_', ' ')} (ISO 8601), or null.")
               for name in ("claim_date", "recheck_on")},
            "topics": _pair(_NAMES, "edited, published, updated: the topics' names."),
            "assignee": text("assigned: the researcher's name, or null."),
            # evidence
            "evidence": _pair(evidence, "evidence_added: [null, the item]; evidence_removed: [the item, null]; "
                                        "published and updated: [titles readers saw, titles they see now]."),
            "evidence_id": _pair({"type": "integer"}, "evidence_changed: [the item's id, the same id]."),
            **{name: text(f"evidence_changed: the item's {name.replace('_', ' ')}.")
               for name in ("url", "title", "publisher", "note", "stance", "archived_url", "withheld_reason")},
            "withheld": _pair({"type": "boolean"}, "evidence_changed: whether the item's source is withheld."),
            # appearances
            "appearance": _pair({"anyOf": [ref(ChangedAppearanceSerializer), NULL]},
                                "edited: [null, the appearance added] or [the appearance removed, null]."),
            "appearances": _pair(_NAMES, "published and updated: [addresses readers saw, addresses they see now]."),
            # closing and reopening
            "close_reason": text("closed: [\"\", the reason]; reopened: [the reason, \"\"]."),
            "duplicate_of": _pair({"type": "integer", "nullable": True}, "closed, reopened: the original claim's id."),
            # others' reviews (an import)
            "external_review": {
                "anyOf": [review, {"type": "string"}],
                "description": "edited by an import: [null, the review] when another publisher's review was added; "
                               "the review's address when it changed (with its changed fields beside it).",
            },
            "textual_rating": text("edited by an import: the review's rating words."),
            **{name: _pair(_NUMBER, f"edited by an import: the review's {name.replace('_', ' ')}.")
               for name in ("rating_value", "best_rating", "worst_rating")},
            "review_date": text("edited by an import: the review's date (ISO 8601)."),
        }
        return {
            "type": "object",
            "description": "What changed, as field → [before, after]. Which fields appear depends on the event's "
                           "kind; `created`, `approved` and the other transitions have none.",
            "properties": properties,
            "additionalProperties": _pair({}, "A field this list does not name yet: [before, after]."),
        }


class PendingChangesFieldExtension(OpenApiSerializerFieldExtension):
    """A public claim's draft (``Claim.draft_fields``): the new value of each field readers do not see yet."""

    target_class = "claims.api.serializers.PendingChangesField"

    def get_name(self):
        return "PendingChanges"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Field → its new value; only the fields the draft changes appear.",
            "properties": {
                "text": {"type": "string"},
                "quote": {"type": "string"},
                "claimant": {"type": "integer", "nullable": True, "description": "A claimant id."},
                "source": {"type": "integer", "nullable": True, "description": "A source id."},
                "claim_date": {"type": "string", "format": "date", "nullable": True},
                "language": {"type": "string"},
                "topics": {"type": "array", "items": {"type": "integer"}, "description": "Topic ids."},
            },
            "additionalProperties": False,
        }


class DatePublishedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "claims.api.serializers.DatePublishedField"

    def map_serializer_field(self, auto_schema, direction):
        return {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
                "description": "Ours: the date we published (2025-10-23). Others': the date or date-time their "
                               "review gives (2025-10-23T10:00:00Z)."}


def describe_api(result, generator, request, public):
    """Postprocessing hook: the introduction above, kept beside the code it describes."""
    result["info"]["description"] = API_DESCRIPTION
    return result




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
    components = result.get("components", {}).get("schemas", {})
    for name, component in components.items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
            for field in NOT_NULL_IN_REQUESTS:
                component.get("properties", {}).get(field, {}).pop("nullable", None)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            _body_required_when_empty_is_invalid(operation.get("requestBody"), components)
    return result


def _body_required_when_empty_is_invalid(body, components):
    # drf-spectacular requires a body only when a property is required; a component that needs one of several
    # (``minProperties``, e.g. intake's text or sentences) needs a body too.
    for content in (body or {}).get("content", {}).values():
        ref = content.get("schema", {}).get("$ref", "")
        if components.get(ref.rsplit("/", 1)[-1], {}).get("minProperties"):
            body["required"] = True


# A claim's claimant is null only for a reader tip not yet attributed; a request may not set it to null.
NOT_NULL_IN_REQUESTS = ("claimant",)


def _carries_etag(path, method):
    if method == "get":  # of the reads, only the claim itself; its lists carry none
        return path == "/api/v1/claims/{claim_id}/"
    return bool(CLAIM_ETAG.match(path))
