"""Hypothesis drives the workflow with random operations by random personas (two editors, two reviewers), with
fresh, stale and garbage versions and hostile input, and checks after every step that:

- the event count of each claim equals the number of operations that succeeded on it (and wrote something);
- versions increase strictly, by one per successful write; a refused operation writes nothing;
- a stale version is never accepted;
- status is one of the workflow's, and each successful operation moved it along the workflow table;
- a published claim's verdict was approved by enough people, none of them its proposer.

Every example starts from the same claims, one in each stage, and runs inside a savepoint that is rolled back at
its end. The last tests break the workflow on purpose and check that the machine notices.
"""

import collections
import contextlib
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from claims import workflow
from claims.models import Claim, ClaimEvent, Rating
from claims.workflow import StaleVersion, WorkflowError

from .factories import ClaimantFactory, in_review_claim, new_claim, researching_claim

Status = Claim.Status
Kind = ClaimEvent.Kind
APPROVALS = (Kind.APPROVED, Kind.PUBLISHED, Kind.CORRECTED)

# The workflow table of DESIGN.md: the moves each operation may make when it succeeds.
MOVES = {
    "create_claim": {("", Status.NEW)},
    "edit_claim": {(s, s) for s in (Status.NEW, Status.RESEARCHING, Status.IN_REVIEW, Status.PUBLISHED)},
    "start_research": {(Status.NEW, Status.RESEARCHING)},
    "add_evidence": {(Status.NEW, Status.NEW), (Status.RESEARCHING, Status.RESEARCHING)},
    "propose_verdict": {(Status.RESEARCHING, Status.IN_REVIEW)},
    "approve": {(Status.IN_REVIEW, Status.IN_REVIEW), (Status.IN_REVIEW, Status.PUBLISHED)},
    "send_back": {(Status.IN_REVIEW, Status.RESEARCHING)},
    "reopen": {(Status.PUBLISHED, Status.RESEARCHING), (Status.CLOSED, Status.NEW)},
    "close": {(Status.NEW, Status.CLOSED), (Status.RESEARCHING, Status.CLOSED)},
    # A public claim's draft: approved or discarded where it stands.
    "approve_update": {(s, s) for s in (Status.PUBLISHED, Status.RESEARCHING, Status.IN_REVIEW)},
    "discard_draft": {(s, s) for s in (Status.PUBLISHED, Status.RESEARCHING, Status.IN_REVIEW)},
}
# The operations after which readers may see a claim's new wording.
APPROVING = {"approve", "approve_update"}

# Weighted towards what gets through, so that claims travel the whole workflow; the rest is still tried often.
editors_first = st.sampled_from([0, 1, 0, 1, 2, 3])  # indexes into the personas: two editors, then two reviewers
reviewers_first = st.sampled_from([2, 3, 2, 3, 0, 1])
versions = st.sampled_from(["fresh", "fresh", "fresh", "stale", "garbage"])
texts = st.one_of(
    st.sampled_from([
        "Frozen assets total 210 billion euros", "", "   ", "x" * 201, " " + "y" * 200 + " ",
        "تقول الوزارة إن الأصول المجمدة تبلغ 210 مليارات يورو",
        "\u202eRTL override\u202c and <script>alert(1)</script>",
    ]),
    st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=210),
)
GOOD_URLS = ["https://evidence.example/report", "http://stats.example/table?year=2025", ""]
BAD_URLS = ["javascript:alert(1)", " JavaScript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
            "ftp://files.example/report", "//evil.example/x", "https://"]
notes = st.sampled_from(["Needs a primary source.", "Revised figures were published — سبب", "Check the table.", "",
                         "   "])
summaries = st.sampled_from(["The figure is wrong.", "Mostly wrong, see the table.", "Misleading.", "", "  "])
close_reasons = st.sampled_from([Claim.CloseReason.NOT_CHECKABLE, Claim.CloseReason.DUPLICATE,
                                 Claim.CloseReason.OUT_OF_SCOPE, "bogus", ""])


class WorkflowMachine(RuleBasedStateMachine):
    # Set by the test: the personas [editor, other_editor, reviewer, other_reviewer], a claimant, the claims
    # every example starts from (one in each stage), and a Counter of what happened, read after the run.
    personas = ()
    claimant = None
    starting_claims = ()
    tally = None

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.rating = Rating.objects.get(slug="false")
        self.versions = {}  # claim id → every version it has had, one per successful write
        self.statuses = {}  # claim id → its status after the last successful operation
        self.public_texts = {}  # claim id → its text when a reviewer last approved what readers see
        for claim in Claim.objects.filter(pk__in=self.starting_claims):
            self.track(claim)

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def track(self, claim):
        self.versions[claim.pk] = list(range(1, claim.version + 1))
        self.statuses[claim.pk] = claim.status
        if claim.is_public:
            self.public_texts[claim.pk] = claim.text

    def pick(self, data, operation):
        """A claim to try ``operation`` on: often one in a stage it applies to, otherwise any."""
        applies = {before for before, _ in MOVES[operation]}
        anyone = st.sampled_from(sorted(self.statuses))
        suitable = sorted(pk for pk, status in self.statuses.items() if status in applies)
        return data.draw(st.sampled_from(suitable) | anyone if suitable else anyone, label="claim")

    # Operations. ``attempt`` checks what every operation must do; the rules check what is theirs.

    def attempt(self, operation, claim_pk, who, version_kind, **kwargs):
        claim = Claim.objects.get(pk=claim_pk)
        version = {"fresh": claim.version, "stale": claim.version - 1, "garbage": f"{claim.version}abc"}[version_kind]
        try:
            getattr(workflow, operation)(claim=claim, actor=self.personas[who], version=version, **kwargs)
        except WorkflowError as error:
            self.tally[f"{operation} refused"] += 1
            after = Claim.objects.get(pk=claim_pk)
            # Nothing written (the invariants also find no new event).
            assert (after.version, after.status, after.text) == (claim.version, claim.status, claim.text)
            if version_kind != "fresh" and error.code != "permission_denied":
                assert isinstance(error, StaleVersion), error
            return claim, error
        assert version_kind == "fresh", f"{operation} accepted a stale version"
        after = Claim.objects.get(pk=claim_pk)
        if after.version != claim.version:
            assert after.version == claim.version + 1
            self.versions[claim_pk].append(after.version)
        assert (claim.status, after.status) in MOVES[operation], (operation, claim.status, after.status)
        self.statuses[claim_pk] = after.status
        if operation in APPROVING and after.is_public:
            self.public_texts[claim_pk] = after.text
        self.tally[operation] += 1
        return claim, None

    @precondition(lambda self: len(self.versions) < 9)  # a few claims, each worked on many times
    @rule(who=editors_first, text=texts)
    def create(self, who, text):
        try:
            claim = workflow.create_claim(actor=self.personas[who], text=text, claimant=self.claimant)
        except WorkflowError:
            assert not 0 < len(text.strip()) <= settings.CLAIM_TEXT_HARD_LIMIT
            return
        assert 0 < len(text.strip()) <= settings.CLAIM_TEXT_HARD_LIMIT
        assert claim.version == 1 and claim.status == Status.NEW
        self.tally["create_claim"] += 1
        self.track(claim)

    @rule(data=st.data(), who=editors_first, version=versions, text=texts)
    def edit(self, data, who, version, text):
        claim = self.pick(data, "edit_claim")
        before, error = self.attempt("edit_claim", claim, who, version, text=text)
        if version == "fresh" and before.status != Status.CLOSED:
            # Empty and oversized text is refused; anything else is kept, Unicode and markup included.
            assert (error is None) == (0 < len(text.strip()) <= settings.CLAIM_TEXT_HARD_LIMIT), (text, error)
            if error is None:
                # On a public claim the new wording is a draft until a reviewer approves it.
                stored = Claim.objects.get(pk=claim)
                assert stored.draft_fields.get("text", stored.text) == text.strip()

    @rule(data=st.data(), who=editors_first, version=versions)
    def start(self, data, who, version):
        claim = self.pick(data, "start_research")
        self.attempt("start_research", claim, who, version)

    @rule(data=st.data(), who=editors_first, version=versions, url=st.sampled_from(GOOD_URLS + BAD_URLS))
    def add_evidence(self, data, who, version, url):
        claim = self.pick(data, "add_evidence")
        before, error = self.attempt("add_evidence", claim, who, version, title="A source", url=url)
        if version == "fresh" and before.status in (Status.NEW, Status.RESEARCHING):
            if url in BAD_URLS:
                assert error is not None and error.field == "url", (url, error)
            else:
                assert error is None, (url, error)

    @rule(data=st.data(), who=editors_first, version=versions, summary=summaries)
    def propose(self, data, who, version, summary):
        claim = self.pick(data, "propose_verdict")
        self.attempt("propose_verdict", claim, who, version, rating=self.rating, summary=summary,
                     correction_note="The earlier figure was revised.")

    @rule(data=st.data(), who=reviewers_first, version=versions)
    def approve(self, data, who, version):
        claim = self.pick(data, "approve")
        before, error = self.attempt("approve", claim, who, version)
        if error is None:
            verdict = before.verdicts.order_by("-proposed_at", "-id").first()
            assert verdict.proposed_by_id != self.personas[who].pk

    @rule(data=st.data(), who=reviewers_first, version=versions, note=notes)
    def send_back(self, data, who, version, note):
        claim = self.pick(data, "send_back")
        self.attempt("send_back", claim, who, version, note=note)

    @rule(data=st.data(), who=reviewers_first, version=versions, reason=notes)
    def reopen(self, data, who, version, reason):
        claim = self.pick(data, "reopen")
        self.attempt("reopen", claim, who, version, reason=reason)

    @rule(data=st.data(), who=reviewers_first, version=versions, reason=close_reasons)
    def close(self, data, who, version, reason):
        claim = self.pick(data, "close")
        original = data.draw(st.none() | st.sampled_from(sorted(self.versions)), label="duplicate_of")
        duplicate_of = Claim.objects.get(pk=original) if original is not None else None
        self.attempt("close", claim, who, version, reason=reason, duplicate_of=duplicate_of)

    @rule(data=st.data(), who=reviewers_first, version=versions, note=notes)
    def approve_update(self, data, who, version, note):
        claim = self.pick(data, "approve_update")
        before, error = self.attempt("approve_update", claim, who, version, note=note)
        if error is None:
            assert self.personas[who].pk not in before.draft_authors

    @rule(data=st.data(), who=editors_first, version=versions)
    def discard_draft(self, data, who, version):
        claim = self.pick(data, "discard_draft")
        self.attempt("discard_draft", claim, who, version)

    # Invariants, after every step.

    @invariant()
    def readers_see_only_approved_wording(self):
        for pk, text in Claim.objects.filter(pk__in=self.versions, published_verdict__isnull=False).values_list(
                "pk", "text"):
            assert text == self.public_texts[pk], f"claim {pk}'s public text changed without an approval"

    @invariant()
    def history_matches_the_successful_operations(self):
        claims = Claim.objects.filter(pk__in=self.versions).annotate(event_count=Count("events"))
        for pk, status, version, events, published_verdict in claims.values_list(
                "pk", "status", "version", "event_count", "published_verdict"):
            versions = self.versions[pk]
            assert status in Status.values and status == self.statuses[pk]
            assert status != Status.PUBLISHED or published_verdict is not None
            assert events == len(versions), f"claim {pk}: {events} events, {len(versions)} successful writes"
            assert versions == sorted(set(versions)) and version == versions[-1]

    @invariant()
    def published_verdicts_were_approved_by_others(self):
        published = dict(Claim.objects.filter(pk__in=self.versions, published_verdict__isnull=False)
                         .values_list("published_verdict", "published_verdict__proposed_by"))
        approvers = collections.defaultdict(set)
        for verdict, actor in ClaimEvent.objects.filter(verdict__in=published, kind__in=APPROVALS).values_list(
                "verdict", "actor"):
            approvers[verdict].add(actor)
        for verdict, proposer in published.items():
            assert approvers[verdict], f"verdict {verdict} is public with no approval"
            assert proposer not in approvers[verdict], f"verdict {verdict} was approved by its proposer"
            assert len(approvers[verdict]) >= settings.REQUIRED_APPROVALS


def claims_in_each_stage(editor, reviewers, claimant):
    """New, researching, in review, one approval short of publication, and published."""
    made = [make(actor=editor, claimant=claimant) for make in (new_claim, researching_claim, in_review_claim)]
    for approvals in (settings.REQUIRED_APPROVALS - 1, settings.REQUIRED_APPROVALS):
        claim = in_review_claim(actor=editor, claimant=claimant)
        for reviewer in reviewers[:approvals]:
            claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)
        made.append(claim)
    assert made[-1].status == Status.PUBLISHED
    return made


def run_machine(personas, *, breakage=None, **overrides):
    """Run the machine from claims in each stage, inside ``breakage`` if given; return the tally of what it did."""
    editor, _, *reviewers = personas
    tally = collections.Counter()

    class Machine(WorkflowMachine):
        pass

    Machine.personas = personas
    Machine.claimant = ClaimantFactory()
    Machine.starting_claims = [claim.pk for claim in claims_in_each_stage(editor, reviewers, Machine.claimant)]
    Machine.tally = tally
    options = dict(max_examples=30, stateful_step_count=30, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow])
    with breakage or contextlib.nullcontext():
        run_state_machine_as_test(Machine, settings=hypothesis_settings(**{**options, **overrides}))
    return tally


@pytest.fixture
def personas(editor, other_editor, reviewer, other_reviewer):
    return [editor, other_editor, reviewer, other_reviewer]


@pytest.mark.django_db
@pytest.mark.parametrize("required_approvals", [1, 2])
def test_random_workflows_keep_the_invariants(required_approvals, settings, personas):
    settings.REQUIRED_APPROVALS = required_approvals

    tally = run_machine(personas)

    # It did explore: every operation was tried, and plenty of them went through and were refused.
    for operation in MOVES:
        assert tally[operation] + tally[f"{operation} refused"] > 0, (operation, tally)
    succeeded = sum(count for name, count in tally.items() if name in MOVES)
    refused = sum(count for name, count in tally.items() if name.endswith(" refused"))
    assert succeeded >= 30 and refused >= 30, tally


# The machine notices a broken workflow. No shrinking: finding the failure is the point, not minimising it.
BREAKING = dict(max_examples=20, phases=[Phase.generate])


@pytest.mark.django_db
def test_the_machine_catches_a_write_without_its_event(personas):
    with pytest.raises(AssertionError, match="events"):
        run_machine(personas, breakage=mock.patch("claims.workflow.ClaimEvent.objects.create"), **BREAKING)


@pytest.mark.django_db
def test_the_machine_catches_a_stale_version_accepted(personas):
    def lock_without_checking(claim, version):
        return Claim.objects.select_for_update().get(pk=claim.pk)

    with pytest.raises(AssertionError, match=r"accepted a stale version|StaleVersion"):
        run_machine(personas, breakage=mock.patch("claims.workflow._lock", lock_without_checking), **BREAKING)


@pytest.mark.django_db
def test_the_machine_catches_an_edit_that_skips_the_draft(personas):
    # As before drafts: an edit of a public claim written straight to what readers see.
    with pytest.raises(AssertionError, match="public text changed without an approval"):
        run_machine(personas, breakage=mock.patch("claims.workflow._is_drafting", lambda claim: False),
                    **{**BREAKING, "max_examples": 60, "derandomize": True})
