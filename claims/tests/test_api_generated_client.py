"""A client generated from /api/schema/ by openapi-python-client drives the whole workflow against a live server
with its typed calls only: every request is a generated function taking generated models, every answer is
parsed into the model the schema names for its status, and a status the schema does not document raises.

The client is generated once per session into a temporary folder (never committed): if the schema stops
describing what the API does, generation, import or a typed call here fails.
"""

import importlib
import json
import subprocess
import sys

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from claims.models import Claim

from .schema_check import api_schema

PACKAGE = "factcheck_api_client"

pytestmark = [pytest.mark.usefixtures("roles_and_ratings"), pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a live server's test ends with a flush, which SQLite's append-only history trigger refuses "
           "(PostgreSQL's TRUNCATE does not fire it); CI runs this on PostgreSQL",
)]


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The generated package, imported. Its post-hooks (ruff) are off: the output is imported, not read."""
    folder = tmp_path_factory.mktemp("generated-client")
    (folder / "schema.json").write_text(json.dumps(api_schema()))
    (folder / "config.json").write_text(json.dumps({"package_name_override": PACKAGE, "post_hooks": []}))
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(folder / "schema.json"),
               "--config", str(folder / "config.json"), "--output-path", str(folder / PACKAGE), "--meta", "none"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield Generated()
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


class Generated:
    """``generated.models.ClaimRequest``, ``generated.api("workflow", "v1_claims_approve_create")``."""

    def __init__(self):
        self.package = importlib.import_module(PACKAGE)
        self.models = importlib.import_module(f"{PACKAGE}.models")
        self.errors = importlib.import_module(f"{PACKAGE}.errors")

    def api(self, tag, operation):
        return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation}")

    def client(self, url, user=None):
        # raise_on_unexpected_status: a status the schema does not document for the operation is an error.
        if user is None:
            return self.package.Client(base_url=url, raise_on_unexpected_status=True)
        token = Token.objects.get_or_create(user=user)[0].key
        return self.package.AuthenticatedClient(base_url=url, token=token, prefix="Token",
                                                raise_on_unexpected_status=True)


def typed(response, model, status):
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert isinstance(response.parsed, model), type(response.parsed)
    return response.parsed


def test_a_generated_client_drives_the_whole_workflow(generated, live_server, settings, editor, reviewer):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    m, api = generated.models, generated.api
    erin = generated.client(live_server.url, editor)
    rita = generated.client(live_server.url, reviewer)
    public = generated.client(live_server.url)

    # An editor captures a claim: its claimant and its source first.
    claimant = typed(api("claimants", "v1_claimants_create").sync_detailed(client=erin, body=m.ClaimantRequest(
        name="Sergey Lavrov", kind=m.ClaimantKindEnum.PERSON, description="Russian Foreign Minister",
        same_as="https://www.wikidata.org/wiki/Q178289")), m.Claimant, 201)
    source = typed(api("sources", "v1_sources_create").sync_detailed(client=erin, body=m.SourceRequest(
        title="Lavrov's last tango", url="https://news.example/lavrov-tango")), m.Source, 201)
    claim = typed(api("claims", "v1_claims_create").sync_detailed(client=erin, body=m.ClaimRequest(
        text="Russia never interfered in any election", claimant=claimant.id, source=source.id,
        quote="Russia has never interfered in elections anywhere.")), m.Claim, 201)
    assert (claim.status, claim.claimant.name, claim.source.title) == (m.ClaimStatusEnum.NEW, "Sergey Lavrov",
                                                                       "Lavrov's last tango")

    # Research, evidence and a proposed verdict, each chained on the version the last answer gave.
    claim = typed(api("workflow", "v1_claims_start_create").sync_detailed(
        claim.id, client=erin, body=m.StartRequest(version=claim.version)), m.Claim, 200)
    evidence = typed(api("evidence", "v1_claims_evidence_create").sync_detailed(
        claim.id, client=erin, body=m.EvidenceRequest(
            title="Mueller report, volume I", url="https://www.justice.gov/storage/report.pdf",
            stance=m.StanceEnum.REFUTES, version=claim.version)), m.EvidenceChange, 201)
    # Nothing to approve yet: the typed 409, and nothing written.
    refused = typed(api("workflow", "v1_claims_approve_create").sync_detailed(
        claim.id, client=rita, body=m.ApproveRequest(version=evidence.claim_version)), m.Conflict, 409)
    assert refused.code == "invalid_transition"
    verdict = typed(api("verdicts", "v1_claims_verdicts_create").sync_detailed(
        claim.id, client=erin, body=m.VerdictRequest(
            rating="false", summary="Documented interference contradicts it.",
            version=evidence.claim_version)), m.VerdictChange, 201)
    assert verdict.claim_version == evidence.claim_version + 1

    # A different reviewer approves: published.
    published = typed(api("workflow", "v1_claims_approve_create").sync_detailed(
        claim.id, client=rita, body=m.ApproveRequest(version=verdict.claim_version)), m.Claim, 200)
    assert published.status == m.ClaimStatusEnum.PUBLISHED
    assert published.published_verdict.rating == "false"

    # An anonymous client reads the published claim, its history and its ClaimReview.
    read = typed(api("claims", "v1_claims_retrieve").sync_detailed(claim.id, client=public), m.Claim, 200)
    assert (read.text, read.status, read.version) == ("Russia never interfered in any election", None,
                                                     published.version)
    history = typed(api("history", "v1_claims_history_list").sync_detailed(claim.id, client=public),
                    m.PaginatedEventList, 200)
    assert [event.kind for event in history.results] == [m.EventKindEnum.PUBLISHED]
    assert history.results[0].changes is None  # an editor's detail
    reviews = typed(api("claimreview", "v1_claimreview_list").sync_detailed(client=public),
                    m.PaginatedClaimReviewList, 200)
    (review,) = reviews.results
    assert review.claim_reviewed == read.text
    assert (review.review_rating.alternate_name, review.review_rating.rating_value) == ("False", 1)
    assert review.item_reviewed.author.name == "Sergey Lavrov"
    assert review.item_reviewed.appearance.url == "https://news.example/lavrov-tango"
    assert review.date_published == published.published_at.date()

    # A stale version: the typed 412, with the version to retry from.
    stale = typed(api("claims", "v1_claims_partial_update").sync_detailed(
        claim.id, client=erin, body=m.PatchedClaimEditRequest(text="Reworded", version=claim.version)),
        m.StaleVersion, 412)
    assert stale.current_version == published.version

    # An update after publication is a draft readers do not see until a reviewer approves it.
    draft = typed(api("claims", "v1_claims_partial_update").sync_detailed(
        claim.id, client=erin, body=m.PatchedClaimEditRequest(
            text="Russia never interfered in any foreign election", version=stale.current_version)), m.Claim, 200)
    assert draft.pending_changes.text == "Russia never interfered in any foreign election"
    still = typed(api("claims", "v1_claims_retrieve").sync_detailed(claim.id, client=public), m.Claim, 200)
    assert still.text == "Russia never interfered in any election"
    updated = typed(api("workflow", "v1_claims_approve_update_create").sync_detailed(
        claim.id, client=rita, body=m.ApproveUpdateRequest(note="Wording made exact.", version=draft.version)),
        m.Claim, 200)
    assert updated.pending_changes.to_dict() == {}
    now = typed(api("claims", "v1_claims_retrieve").sync_detailed(claim.id, client=public), m.Claim, 200)
    assert now.text == "Russia never interfered in any foreign election"

    # The editors' history types every change: [before, after], field by field.
    events = typed(api("history", "v1_claims_history_list").sync_detailed(claim.id, client=erin),
                   m.PaginatedEventList, 200).results
    assert [event.kind for event in events] == [
        m.EventKindEnum.CREATED, m.EventKindEnum.RESEARCH_STARTED, m.EventKindEnum.EVIDENCE_ADDED,
        m.EventKindEnum.VERDICT_PROPOSED, m.EventKindEnum.PUBLISHED, m.EventKindEnum.EDITED,
        m.EventKindEnum.UPDATED]
    added = events[2].changes.evidence
    assert added[0] is None and isinstance(added[1], m.ChangedEvidence) and added[1].stance == "refutes"
    assert events[-1].changes.text == ["Russia never interfered in any election",
                                       "Russia never interfered in any foreign election"]
    public_events = typed(api("history", "v1_claims_history_list").sync_detailed(claim.id, client=public),
                          m.PaginatedEventList, 200).results
    assert [(event.kind, event.note) for event in public_events] == [
        (m.EventKindEnum.PUBLISHED, None), (m.EventKindEnum.UPDATED, "Wording made exact.")]
    assert Claim.objects.get(pk=claim.id).version == updated.version


def test_the_generated_client_raises_on_a_status_its_schema_does_not_document(generated, live_server, settings,
                                                                              editor):
    # What keeps the workflow test honest: an answer outside the operation's documented statuses is an error.
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    client = generated.client(live_server.url, editor)
    module = generated.api("history", "v1_claims_history_list")
    kwargs = {**module._get_kwargs(1), "method": "delete"}  # 405: the history documents no DELETE
    response = client.get_httpx_client().request(**kwargs)
    assert response.status_code == 405
    with pytest.raises(generated.errors.UnexpectedStatus):
        module._build_response(client=client, response=response)
