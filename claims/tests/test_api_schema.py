"""The OpenAPI document: valid OpenAPI 3, complete (every route, method and error code), generated without
warnings; and the browsable docs, served with no CDN."""

import re

import pytest
from django.core.management import call_command
from django.urls import URLResolver, get_resolver
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def api_operations():
    """(OpenAPI path, method) for every route and method under /api/v1/ (the ``api`` namespace and other apps'
    API routes) but the JSON 404."""
    includes = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/"]
    operations = set()
    for pattern in (route for include in includes for route in include.url_patterns):
        if pattern.name == "not-found":
            continue
        path = "/api/v1/" + re.sub(r"<int:(\w+)>", r"{\1}", str(pattern.pattern))
        view = pattern.callback.cls
        operations |= {(path, m) for m in METHODS if m in view.http_method_names and hasattr(view, m)}
    return operations


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_describes_every_route_and_method(schema):
    described = {(path, method) for path, item in schema["paths"].items() for method in item if method in METHODS}
    assert api_operations() == described


# Writes that change a claim: they take its version (If-Match or ``version``) and may be refused.
# Adding evidence takes a version (If-Match) but needs none: two additions never conflict, so it has no 428.
OPTIONALLY_VERSIONED = {("/api/v1/claims/{claim_id}/evidence/", "post")}
VERSIONED = {
    ("/api/v1/claims/{claim_id}/", "patch"),
    ("/api/v1/claims/{claim_id}/verdicts/", "post"), ("/api/v1/evidence/{evidence_id}/", "patch"),
    ("/api/v1/evidence/{evidence_id}/", "delete"),
    *{(f"/api/v1/claims/{{claim_id}}/{action}/", "post") for action in ("start", "approve", "send-back", "reopen",
                                                                          "close")},
}


def test_every_operation_documents_its_errors(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"401", "404", "429"} <= codes, (path, method)
            assert [c for c in codes if c.startswith("2")], (path, method)
            if method != "get":
                assert {"400", "403", "413"} <= codes, (path, method)
            if (path, method) in VERSIONED:
                assert {"409", "412", "428"} <= codes, (path, method)
            if (path, method) in OPTIONALLY_VERSIONED:
                assert {"409", "412"} <= codes and "428" not in codes, (path, method)
            if (path, method) in VERSIONED | OPTIONALLY_VERSIONED:
                assert any(p["name"] == "If-Match" for p in operation["parameters"]), (path, method)
    assert {(path, method) for path, item in schema["paths"].items() for method in item} >= (
        VERSIONED | OPTIONALLY_VERSIONED)


def test_errors_and_lists_have_documented_shapes(schema):
    components = schema["components"]["schemas"]
    assert set(components["Error"]["properties"]) == {"code", "detail"}
    assert set(components["ValidationError"]["properties"]) == {"code", "detail", "errors"}
    assert "current_version" in components["StaleVersion"]["properties"]
    assert set(components["PaginatedClaimList"]["properties"]) == {"next", "previous", "results"}
    # Written as an id, read as an object.
    assert components["ClaimRequest"]["properties"]["claimant"]["type"] == "integer"
    assert components["Claim"]["properties"]["claimant"]["anyOf"][0]["$ref"].endswith("/ClaimantSummary")


def test_the_schema_says_how_to_get_a_token(schema):
    assert "drf_create_token" in schema["info"]["description"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_the_docs_load_nothing_from_another_host(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" in html
    external = re.findall(r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""", html)
    assert external == []
    assert "/static/drf_spectacular_sidecar/" in html


def test_nullable_relations_admit_null_in_openapi_3_0(client):
    # nullable beside allOf: [$ref] had no effect in OpenAPI 3.0.3: a validator refused every anonymous read.
    from openapi_schema_validator import OAS30Validator

    schema = client.get("/api/schema/?format=json").json()
    claim = schema["components"]["schemas"]["Claim"]
    for name in ("assignee", "published_verdict", "source", "claimant"):
        validator = OAS30Validator({"components": schema["components"], **claim["properties"][name]})
        assert not list(validator.iter_errors(None)), name
    blank_url = OAS30Validator({"components": schema["components"], **claim["properties"]["imported_from"]})
    assert not list(blank_url.iter_errors(""))  # matched both alternatives of a oneOf


def test_response_headers_and_closed_request_bodies_are_declared(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/claims/"]["post"]["responses"]["201"]["headers"]) == {"ETag", "Location"}
    assert "ETag" in paths["/api/v1/claims/{claim_id}/"]["get"]["responses"]["200"]["headers"]
    assert "ETag" in paths["/api/v1/claims/{claim_id}/evidence/"]["post"]["responses"]["201"]["headers"]
    assert "ETag" in paths["/api/v1/evidence/{evidence_id}/"]["delete"]["responses"]["204"]["headers"]
    assert "ETag" in paths["/api/v1/claims/{claim_id}/approve/"]["post"]["responses"]["412"]["headers"]
    assert "Retry-After" in paths["/api/v1/claims/"]["get"]["responses"]["429"]["headers"]
    assert "406" in paths["/api/v1/claims/"]["get"]["responses"]
    components = schema["components"]["schemas"]
    assert components["ClaimRequest"]["additionalProperties"] is False
    assert components["PatchedClaimEditRequest"]["additionalProperties"] is False
    assert "version" in components["Claim"]["required"]
    assert "version" not in components["ClaimRequest"]["properties"]
    assert "claim_version" in components["EvidenceChange"]["required"]
