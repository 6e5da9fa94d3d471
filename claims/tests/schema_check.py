"""Every response of the API test suite, checked against the OpenAPI schema the API publishes.

``conftest.py`` wraps Django's test client for the test_api_* modules: each answer from /api/v1/ is validated
(openapi-schema-validator, OpenAPI 3.0) against the schema of its operation and status. A status the
operation does not document, or a body that breaks its schema, fails the test that made the request.
"""

import functools
import json
import re

from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30Validator


@functools.cache
def api_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, default=str))


def operation_path(path):
    """The OpenAPI path of a request path: /api/v1/claims/7/ → /api/v1/claims/{claim_id}/."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace != "api" or match.url_name == "not-found":
        return None
    template = path
    for name, value in match.kwargs.items():
        template = re.sub(rf"/{re.escape(str(value))}/", f"/{{{name}}}/", template, count=1)
    return template


class SchemaViolation(AssertionError):
    pass


def check(method, path, response):
    template = operation_path(path)
    if template is None or method.lower() in ("head", "options"):
        return
    schema = api_schema()
    operation = schema["paths"].get(template, {}).get(method.lower())
    if operation is None:
        if response.status_code == 405:
            return
        raise SchemaViolation(f"{method} {template} is not in the schema (answered {response.status_code})")
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        raise SchemaViolation(f"{method} {template} answered {response.status_code}, which it does not document: "
                              f"{sorted(operation['responses'])}; {response.content[:300]!r}")
    content = documented.get("content")
    if not content:
        return
    body_schema = content.get("application/json", {}).get("schema")
    if body_schema is None:
        return
    body = json.loads(response.content) if response.content else None
    validator = OAS30Validator({"components": schema["components"], **body_schema})
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    if errors:
        details = "; ".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:5])
        raise SchemaViolation(f"{method} {template} {response.status_code} breaks its schema: {details}")
