"""The workflow (claims/workflow.py): every allowed transition writes exactly one event, and every refused one
says why, with a machine-readable ``code``, and writes nothing at all."""

import datetime
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from claims import workflow
from claims.models import Claim, ClaimEvent, Evidence, Verdict
from claims.workflow import StaleVersion, WorkflowError

from .factories import (
    ClaimantFactory,
    EditorFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    researching_claim,
)

Status = Claim.Status
Kind = ClaimEvent.Kind

RTL_TEXT = "\u200fהנכסים הקפואים: 210 מיליארד אירו — الأصول المجمدة ٢١٠ مليار يورو"


def database_state():
    """Everything a workflow operation could write, so that a refusal can be shown to have written nothing."""
    return {
        "claims": list(Claim.objects.order_by("pk").values_list(
            "pk", "version", "status", "text", "quote", "assignee", "published_verdict", "published_at",
            "close_reason", "duplicate_of", "updated_at",
        )),
        "events": list(ClaimEvent.objects.order_by("pk").values_list("pk", flat=True)),
        "verdicts": list(Verdict.objects.order_by("pk").values_list("pk", flat=True)),
        "evidence": list(Evidence.objects.order_by("pk").values_list(
            "pk", "url", "title", "archived_url", "withheld", "withheld_reason", "stance",
        )),
    }


@contextmanager
def refused(code, *, field=None):
    """The block must raise WorkflowError with ``code`` (and ``field``) and leave the database as it was."""
    before = database_state()
    with pytest.raises(WorkflowError) as info:
        yield info
    assert info.value.code == code, info.value.message
    assert info.value.message
    if field is not None:
        assert info.value.field == field
    assert database_state() == before


@contextmanager
def writes_one_event(kind, *, actor, from_status, to_status, public=False):
    """The block must write exactly one ClaimEvent, of ``kind``, by ``actor``, moving ``from_status`` →
    ``to_status``. The event is available as ``.event`` afterwards."""
    last = ClaimEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    box = SimpleNamespace(event=None)
    yield box
    written = list(ClaimEvent.objects.filter(pk__gt=last))
    assert [e.kind for e in written] == [kind]
    event = box.event = written[0]
    assert event.actor == actor
    assert event.actor_name == (actor.get_full_name() or actor.get_username() if actor else "Reader tip")
    assert (event.from_status, event.to_status) == (from_status, to_status)
    assert event.public is public
    claim = Claim.objects.get(pk=event.claim_id)
    assert claim.status == to_status


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def superuser(db):
    return UserFactory(username="sue", first_name="Sue", last_name="Super", is_superuser=True, is_staff=True)


@pytest.fixture
def outsider(db):
    """Logged in, but in neither group."""
    return UserFactory(username="olga", first_name="Olga", last_name="Outsider")


# ---------------------------------------------------------------------------------------------------------
# Create and edit.


def test_create_claim_writes_created_event(editor):
    claimant = ClaimantFactory()
    with writes_one_event(Kind.CREATED, actor=editor, from_status="", to_status=Status.NEW) as written:
        claim = workflow.create_claim(actor=editor, text="  Frozen assets total €210bn  ", claimant=claimant,
                                      quote="  About €210bn is frozen.  ")
    claim = fresh(claim)
    assert claim.text == "Frozen assets total €210bn"
    assert claim.quote == "About €210bn is frozen."
    assert claim.version == 1
    assert claim.claimant == claimant
    assert written.event.claim == claim
    assert written.event.actor_name == "Erin Editor"


def test_recording_checks_by_others_writes_claims_events_and_search_in_bulk(editor, reviewer):
    """record_checked_elsewhere writes its claims and their events in bulk (PostgreSQL: ids from the sequence,
    rows by COPY): each claim gets its id and its created event, the search index holds it, and a claim made
    afterwards one by one gets an id of its own."""
    claimant = ClaimantFactory()
    others = [Claim(text=f"Masks don't work, part {n}\nwith a tab\tand a backslash \\", claimant=claimant,
                    language="en") for n in range(3)]
    made = workflow.record_checked_elsewhere(actor=reviewer, claims=others)
    assert len({claim.pk for claim in made}) == 3 and all(claim.pk for claim in made)
    for claim in made:
        stored = Claim.objects.get(pk=claim.pk)
        assert (stored.text, stored.status) == (claim.text, Status.CLOSED)
        assert list(stored.events.values_list("kind", "actor_id")) == [(Kind.CREATED, reviewer.pk)]
    assert sorted(c.pk for c in Claim.objects.search("masks")) == sorted(c.pk for c in made)
    later = workflow.create_claim(actor=editor, text="Made one by one", claimant=claimant)
    assert later.pk not in {claim.pk for claim in made}


def test_create_claim_locates_the_quote_in_the_source_text(editor):
    source = SourceFactory(text="Intro. Lavrov was reportedly absent. Outro.")
    claim = new_claim(actor=editor, quote="Lavrov was reportedly absent.", source=source)
    assert source.text[claim.quote_start:claim.quote_end] == "Lavrov was reportedly absent."


def test_create_claim_sets_topics(editor):
    topics = [TopicFactory(), TopicFactory()]
    claim = new_claim(actor=editor, topics=topics)
    assert set(fresh(claim).topics.all()) == set(topics)


def test_create_reader_tip_needs_no_actor_or_claimant(db):
    with writes_one_event(Kind.CREATED, actor=None, from_status="", to_status=Status.NEW):
        claim = workflow.create_claim(actor=None, text="A tip from a reader", is_reader_tip=True)
    assert fresh(claim).is_reader_tip


def test_create_claim_accepts_text_at_the_hard_limit(editor, settings):
    claim = new_claim(actor=editor, text="x" * settings.CLAIM_TEXT_HARD_LIMIT)
    assert len(fresh(claim).text) == settings.CLAIM_TEXT_HARD_LIMIT
    assert claim.text_is_long


@pytest.mark.parametrize("extra", [1, 5_000])
def test_create_claim_refuses_oversized_text(editor, settings, extra):
    claimant = ClaimantFactory()
    with refused("too_long", field="text"):
        workflow.create_claim(actor=editor, text="x" * (settings.CLAIM_TEXT_HARD_LIMIT + extra), claimant=claimant)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_create_claim_refuses_empty_text(editor, text):
    claimant = ClaimantFactory()
    with refused("required", field="text"):
        workflow.create_claim(actor=editor, text=text, claimant=claimant)


def test_create_claim_needs_a_claimant(editor):
    with refused("required", field="claimant"):
        workflow.create_claim(actor=editor, text="Who said this?")


@pytest.mark.parametrize("who", ["outsider", "anonymous_user", "nobody"])
def test_create_claim_refuses_someone_who_is_not_an_editor(db, request, who):
    actor = {"outsider": lambda: request.getfixturevalue("outsider"), "anonymous_user": AnonymousUser,
             "nobody": lambda: None}[who]()
    claimant = ClaimantFactory()
    with refused("permission_denied"):
        workflow.create_claim(actor=actor, text="Sneaky", claimant=claimant)


def test_edit_claim_records_a_field_by_field_diff(editor):
    topic = TopicFactory(name="Sanctions")
    claim = new_claim(actor=editor, text="Old wording")
    with writes_one_event(Kind.EDITED, actor=editor, from_status=Status.NEW, to_status=Status.NEW) as written:
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="New wording",
                            claim_date=datetime.date(2025, 10, 22), topics=[topic], language="en")
    assert written.event.changes == {
        "text": ["Old wording", "New wording"],
        "claim_date": [None, "2025-10-22"],
        "topics": [[], ["Sanctions"]],
    }
    claim = fresh(claim)
    assert (claim.text, claim.version, claim.slug) == ("New wording", 2, "new-wording")
    assert list(claim.topics.all()) == [topic]


def test_edit_claim_records_a_changed_claimant_by_name(editor):
    claim = new_claim(actor=editor, claimant=ClaimantFactory(name="Sergey Lavrov"))
    with writes_one_event(Kind.EDITED, actor=editor, from_status=Status.NEW, to_status=Status.NEW) as written:
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                            claimant=ClaimantFactory(name="Maria Zakharova"))
    assert written.event.changes == {"claimant": ["Sergey Lavrov", "Maria Zakharova"]}


def test_edit_claim_with_nothing_changed_writes_nothing(editor):
    topic = TopicFactory()
    claim = new_claim(actor=editor, text="Same wording", topics=[topic])
    before = database_state()
    result = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="  Same wording ",
                                 claimant=claim.claimant, topics=[topic], language="en")
    assert result.version == 1
    assert database_state() == before


def test_edit_claim_relocates_the_quote_when_it_changes(editor):
    source = SourceFactory(text="First sentence. Second sentence.")
    claim = new_claim(actor=editor, quote="First sentence.", source=source)
    assert (claim.quote_start, claim.quote_end) == (0, 15)
    workflow.edit_claim(claim=claim, actor=editor, version=claim.version, quote="Second sentence.")
    claim = fresh(claim)
    assert source.text[claim.quote_start:claim.quote_end] == "Second sentence."


def test_edit_claim_from_a_stale_version_writes_nothing(editor, other_editor):
    claim = new_claim(actor=editor, text="Original")
    seen_by_both = claim.version
    workflow.edit_claim(claim=claim, actor=editor, version=seen_by_both, text="Erin's wording")
    with refused("stale_version") as info:
        workflow.edit_claim(claim=claim, actor=other_editor, version=seen_by_both, text="Otto's wording")
    assert isinstance(info.value, StaleVersion)
    assert info.value.current.text == "Erin's wording"
    assert info.value.current.version == seen_by_both + 1
    assert fresh(claim).version == seen_by_both + 1
    assert ClaimEvent.objects.filter(claim=claim, kind=Kind.EDITED).count() == 1


@pytest.mark.parametrize("version", [None, "", "abc", "1.5", 0, 99])
def test_edit_claim_refuses_a_missing_or_malformed_version_as_stale(editor, version):
    claim = new_claim(actor=editor)
    with refused("stale_version"):
        workflow.edit_claim(claim=claim, actor=editor, version=version, text="Changed")


def test_edit_claim_accepts_the_version_as_a_string(editor):
    # The desk's hidden field and the API's If-Match both arrive as text.
    claim = new_claim(actor=editor)
    workflow.edit_claim(claim=claim, actor=editor, version=str(claim.version), text="Changed")
    assert fresh(claim).version == 2


def test_edit_claim_refuses_oversized_text(editor, settings):
    claim = new_claim(actor=editor)
    with refused("too_long", field="text"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                            text="y" * (settings.CLAIM_TEXT_HARD_LIMIT + 1))


def test_edit_claim_refuses_empty_text_and_no_claimant(editor):
    claim = new_claim(actor=editor)
    with refused("required", field="text"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="  ")
    with refused("required", field="claimant"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, claimant=None)


def test_edit_claim_refuses_an_unknown_field(editor):
    claim = new_claim(actor=editor)
    with pytest.raises(TypeError):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, status=Status.PUBLISHED)
    assert fresh(claim).status == Status.NEW


def test_edit_claim_refuses_a_closed_claim(editor, reviewer):
    claim = new_claim(actor=editor)
    workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.OUT_OF_SCOPE)
    claim = fresh(claim)
    with refused("invalid_transition"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Edited")


def test_edit_claim_refuses_someone_who_is_not_an_editor(editor, outsider):
    claim = new_claim(actor=editor)
    with refused("permission_denied"):
        workflow.edit_claim(claim=claim, actor=outsider, version=claim.version, text="Edited")


def test_unicode_and_right_to_left_text_round_trips(editor, reviewer):
    claimant = ClaimantFactory(name="مريم العلي")
    claim = new_claim(actor=editor, text=RTL_TEXT[:60], quote=RTL_TEXT, claimant=claimant)
    claim = fresh(claim)
    assert (claim.text, claim.quote) == (RTL_TEXT[:60], RTL_TEXT)
    assert claim.slug  # slugify drops the script; the URL still needs a slug

    workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="✓ " + RTL_TEXT[1:40])
    event = ClaimEvent.objects.get(claim=claim, kind=Kind.EDITED)
    assert event.changes["text"] == [RTL_TEXT[:60], "✓ " + RTL_TEXT[1:40]]

    claim = fresh(claim)
    workflow.start_research(claim=claim, actor=editor, version=claim.version)
    claim = fresh(claim)
    evidence = workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=RTL_TEXT,
                                     url="https://example.org/مقالة?q=٢١٠", note="🇷🇺 → 🇪🇺")
    evidence.refresh_from_db()
    assert (evidence.title, evidence.url, evidence.note) == (RTL_TEXT, "https://example.org/مقالة?q=٢١٠", "🇷🇺 → 🇪🇺")

    claim = fresh(claim)
    verdict = workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                                       summary=RTL_TEXT, analysis="**" + RTL_TEXT + "**")
    verdict.refresh_from_db()
    assert (verdict.summary, verdict.analysis) == (RTL_TEXT, "**" + RTL_TEXT + "**")


# ---------------------------------------------------------------------------------------------------------
# Start research and assign.


def test_start_research_assigns_the_actor(editor):
    claim = new_claim(actor=editor)
    # Logged as what happened, research starting, not as a plain assignment.
    with writes_one_event(Kind.RESEARCH_STARTED, actor=editor, from_status=Status.NEW,
                          to_status=Status.RESEARCHING) as w:
        workflow.start_research(claim=claim, actor=editor, version=claim.version)
    assert fresh(claim).assignee == editor
    assert w.event.changes == {"assignee": [None, "erin"]}


def test_start_research_can_assign_another_editor(editor, other_editor):
    claim = new_claim(actor=editor)
    workflow.start_research(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    assert fresh(claim).assignee == other_editor


def test_start_research_refuses_an_assignee_who_is_not_an_editor(editor, outsider):
    claim = new_claim(actor=editor)
    with refused("invalid_assignee", field="assignee"):
        workflow.start_research(claim=claim, actor=editor, version=claim.version, assignee=outsider)


def test_start_research_refuses_a_claim_already_in_research(editor):
    claim = researching_claim(actor=editor)
    with refused("invalid_transition"):
        workflow.start_research(claim=claim, actor=editor, version=claim.version)


def test_start_research_refuses_someone_who_is_not_an_editor(editor, outsider):
    claim = new_claim(actor=editor)
    with refused("permission_denied"):
        workflow.start_research(claim=claim, actor=outsider, version=claim.version)


def test_assign_hands_a_claim_over_without_moving_it(editor, other_editor):
    claim = researching_claim(actor=editor)
    with writes_one_event(Kind.ASSIGNED, actor=editor, from_status=Status.RESEARCHING,
                          to_status=Status.RESEARCHING) as written:
        workflow.assign(claim=claim, actor=editor, version=claim.version, assignee=other_editor)
    assert written.event.changes == {"assignee": ["erin", "otto"]}
    claim = fresh(claim)
    workflow.assign(claim=claim, actor=editor, version=claim.version, assignee=None)
    assert fresh(claim).assignee is None


def test_assign_refuses_the_current_assignee(editor):
    claim = researching_claim(actor=editor)
    with refused("no_change", field="assignee"):
        workflow.assign(claim=claim, actor=editor, version=claim.version, assignee=editor)


def test_assign_refuses_a_published_claim(editor, reviewer, other_editor):
    claim = fresh(published_claim(actor=editor, approver=reviewer))
    with refused("invalid_transition"):
        workflow.assign(claim=claim, actor=editor, version=claim.version, assignee=other_editor)


# ---------------------------------------------------------------------------------------------------------
# Evidence.


def test_add_evidence_records_it(editor):
    claim = fresh(researching_claim(actor=editor, evidence=0))
    with writes_one_event(Kind.EVIDENCE_ADDED, actor=editor, from_status=Status.RESEARCHING,
                          to_status=Status.RESEARCHING) as written:
        evidence = workflow.add_evidence(
            claim=claim, actor=editor, version=claim.version, title="  Euroclear results  ",
            url="https://www.euroclear.com/results", stance=Evidence.Stance.REFUTES,
            archived_url="https://web.archive.org/web/2025/https://www.euroclear.com/results",
        )
    evidence.refresh_from_db()
    assert (evidence.claim, evidence.added_by, evidence.title) == (claim, editor, "Euroclear results")
    assert written.event.changes == {"evidence": [None, {
        "id": evidence.pk, "title": "Euroclear results", "url": "https://www.euroclear.com/results",
        "stance": "refutes", "withheld": False,
    }]}


def test_two_additions_from_the_same_version_both_land(editor, other_editor):
    claim = fresh(researching_claim(actor=editor, evidence=0))
    read = claim.version  # both editors read the claim here
    first = workflow.add_evidence(claim=claim, actor=editor, title="Euroclear results")
    second = workflow.add_evidence(claim=claim, actor=other_editor, title="ECB statement")
    assert list(claim.evidence.order_by("id")) == [first, second]
    assert fresh(claim).version == read + 2
    assert claim.events.filter(kind=Kind.EVIDENCE_ADDED).count() == 2


def test_an_addition_makes_an_edit_of_the_evidence_read_before_it_stale(editor, other_editor):
    claim = fresh(researching_claim(actor=editor))
    item, read = claim.evidence.get(), claim.version
    workflow.add_evidence(claim=claim, actor=other_editor, title="ECB statement")
    with refused("stale_version"):
        workflow.change_evidence(evidence=item, actor=editor, version=read, title="Renamed")
    item.refresh_from_db()
    assert item.title == "Evidence 0"


def test_an_addition_with_a_stale_version_given_is_still_refused(editor):
    claim = fresh(researching_claim(actor=editor))
    with refused("stale_version"):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version - 1, title="Late")
    assert claim.evidence.count() == 1


def test_add_evidence_to_a_new_claim(editor):
    claim = new_claim(actor=editor)
    with writes_one_event(Kind.EVIDENCE_ADDED, actor=editor, from_status=Status.NEW, to_status=Status.NEW):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="An interview note")


BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://files.example/report.pdf",
    "//evil.example/x",
    "not a url",
]


@pytest.mark.parametrize("field", ["url", "archived_url"])
@pytest.mark.parametrize("bad", BAD_URLS)
def test_add_evidence_refuses_urls_that_are_not_http(editor, field, bad):
    claim = fresh(researching_claim(actor=editor, evidence=0))
    with refused("invalid_url", field=field):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Bad link", **{field: bad})
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("bad", BAD_URLS)
def test_change_evidence_refuses_urls_that_are_not_http(editor, bad):
    claim = fresh(researching_claim(actor=editor))
    evidence = claim.evidence.get()
    with refused("invalid_url", field="url"):
        workflow.change_evidence(evidence=evidence, actor=editor, version=claim.version, url=bad)
    evidence.refresh_from_db()
    assert evidence.url == "https://evidence.example/0"


def test_add_evidence_needs_a_title_and_a_known_stance(editor):
    claim = fresh(researching_claim(actor=editor, evidence=0))
    with refused("required", field="title"):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="  ")
    with refused("invalid", field="stance"):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="T", stance="maybe")


@pytest.mark.parametrize("reason", ["", "   "])
def test_withheld_evidence_needs_a_reason(editor, reason):
    claim = fresh(researching_claim(actor=editor, evidence=0))
    with refused("required", field="withheld_reason"):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Leaked memo",
                              url="https://leak.example/memo", withheld=True, withheld_reason=reason)


def test_withheld_evidence_with_a_reason_is_kept_but_its_url_is_not_public(editor):
    claim = fresh(researching_claim(actor=editor, evidence=0))
    evidence = workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Leaked memo",
                                     url="https://leak.example/memo", withheld=True,
                                     withheld_reason="Naming the site would expose the source.")
    evidence.refresh_from_db()
    assert evidence.url == "https://leak.example/memo"
    assert evidence.public_url == ""


def test_change_evidence_to_withheld_needs_a_reason(editor):
    claim = fresh(researching_claim(actor=editor))
    with refused("required", field="withheld_reason"):
        workflow.change_evidence(evidence=claim.evidence.get(), actor=editor, version=claim.version, withheld=True)


def test_change_evidence_records_a_diff(editor):
    claim = fresh(researching_claim(actor=editor))
    evidence = claim.evidence.get()
    with writes_one_event(Kind.EVIDENCE_CHANGED, actor=editor, from_status=Status.RESEARCHING,
                          to_status=Status.RESEARCHING) as written:
        workflow.change_evidence(evidence=evidence, actor=editor, version=claim.version, title="Renamed",
                                 stance=Evidence.Stance.SUPPORTS, note="")
    assert written.event.changes == {
        "evidence_id": [evidence.pk, evidence.pk],
        "title": ["Evidence 0", "Renamed"],
        "stance": ["refutes", "supports"],
    }
    evidence.refresh_from_db()
    assert (evidence.title, evidence.stance) == ("Renamed", "supports")


def test_change_evidence_with_nothing_changed_writes_nothing(editor):
    claim = fresh(researching_claim(actor=editor))
    before = database_state()
    workflow.change_evidence(evidence=claim.evidence.get(), actor=editor, version=claim.version,
                             title="Evidence 0", url="https://evidence.example/0")
    assert database_state() == before


def test_change_evidence_refuses_an_unknown_field(editor):
    claim = fresh(researching_claim(actor=editor))
    with pytest.raises(TypeError):
        workflow.change_evidence(evidence=claim.evidence.get(), actor=editor, version=claim.version, claim=None)


def test_remove_evidence(editor):
    claim = fresh(researching_claim(actor=editor, evidence=2))
    first = claim.evidence.first()
    with writes_one_event(Kind.EVIDENCE_REMOVED, actor=editor, from_status=Status.RESEARCHING,
                          to_status=Status.RESEARCHING) as written:
        workflow.remove_evidence(evidence=first, actor=editor, version=claim.version)
    assert not Evidence.objects.filter(pk=first.pk).exists()
    assert claim.evidence.count() == 1
    assert written.event.changes["evidence"][0]["title"] == "Evidence 0"
    assert written.event.changes["evidence"][1] is None


@pytest.mark.parametrize("stage", ["in_review", "published"])
def test_evidence_is_frozen_once_a_verdict_is_proposed(editor, reviewer, stage):
    claim = in_review_claim(actor=editor) if stage == "in_review" else published_claim(actor=editor,
                                                                                       approver=reviewer)
    claim = fresh(claim)
    evidence = claim.evidence.get()
    with refused("invalid_transition"):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Late evidence")
    with refused("invalid_transition"):
        workflow.change_evidence(evidence=evidence, actor=editor, version=claim.version, title="Changed")
    with refused("invalid_transition"):
        workflow.remove_evidence(evidence=evidence, actor=editor, version=claim.version)


def test_evidence_refuses_someone_who_is_not_an_editor(editor, outsider):
    claim = fresh(researching_claim(actor=editor))
    evidence = claim.evidence.get()
    with refused("permission_denied"):
        workflow.add_evidence(claim=claim, actor=outsider, version=claim.version, title="Mine")
    with refused("permission_denied"):
        workflow.change_evidence(evidence=evidence, actor=outsider, version=claim.version, title="Mine")
    with refused("permission_denied"):
        workflow.remove_evidence(evidence=evidence, actor=outsider, version=claim.version)


# ---------------------------------------------------------------------------------------------------------
# Propose, approve, send back.


def test_propose_verdict_moves_the_claim_to_review(editor):
    claim = fresh(researching_claim(actor=editor))
    with writes_one_event(Kind.VERDICT_PROPOSED, actor=editor, from_status=Status.RESEARCHING,
                          to_status=Status.IN_REVIEW) as written:
        verdict = workflow.propose_verdict(claim=claim, actor=editor, version=claim.version,
                                           rating=rating("mostly-false"), summary=" Mostly wrong. ",
                                           analysis="Because.")
    verdict.refresh_from_db()
    assert written.event.verdict == verdict
    assert (verdict.rating_label, verdict.rating_value, verdict.summary) == ("Mostly false", 2, "Mostly wrong.")
    assert (verdict.proposed_by, verdict.proposed_by_name) == (editor, "Erin Editor")
    assert fresh(claim).published_verdict is None


def test_propose_verdict_snapshots_a_non_ordinal_rating(editor):
    claim = fresh(researching_claim(actor=editor))
    verdict = workflow.propose_verdict(claim=claim, actor=editor, version=claim.version,
                                       rating=rating("misleading"), summary="Leaves a false impression.")
    assert (verdict.rating_label, verdict.rating_value) == ("Misleading", None)


def test_propose_verdict_needs_evidence(editor):
    claim = fresh(researching_claim(actor=editor, evidence=0))
    with refused("evidence_required"):
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(),
                                 summary="No evidence at all.")


@pytest.mark.parametrize("summary", ["", "   ", None])
def test_propose_verdict_needs_a_summary(editor, summary):
    claim = fresh(researching_claim(actor=editor))
    with refused("required", field="summary"):
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(), summary=summary)


@pytest.mark.parametrize("bad_rating", [None, "false", 1])
def test_propose_verdict_needs_a_rating(editor, bad_rating):
    claim = fresh(researching_claim(actor=editor))
    with refused("required", field="rating"):
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=bad_rating,
                                 summary="Wrong.")


def test_propose_verdict_needs_a_claimant(editor):
    tip = workflow.create_claim(actor=None, text="A reader's tip", is_reader_tip=True)
    workflow.start_research(claim=tip, actor=editor, version=tip.version)
    tip = fresh(tip)
    workflow.add_evidence(claim=tip, actor=editor, version=tip.version, title="Note")
    tip = fresh(tip)
    with refused("required", field="claimant"):
        workflow.propose_verdict(claim=tip, actor=editor, version=tip.version, rating=rating(), summary="Wrong.")


def test_propose_verdict_refuses_a_new_claim(editor):
    claim = new_claim(actor=editor)
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Note")
    claim = fresh(claim)
    with refused("invalid_transition"):
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(), summary="No.")


def test_propose_verdict_refuses_someone_who_is_not_an_editor(editor, outsider):
    claim = fresh(researching_claim(actor=editor))
    with refused("permission_denied"):
        workflow.propose_verdict(claim=claim, actor=outsider, version=claim.version, rating=rating(), summary="No.")


def test_approve_publishes_the_verdict(editor, reviewer):
    claim = fresh(in_review_claim(actor=editor))
    verdict = claim.verdicts.get()
    with writes_one_event(Kind.PUBLISHED, actor=reviewer, from_status=Status.IN_REVIEW,
                          to_status=Status.PUBLISHED, public=True) as written:
        workflow.approve(claim=claim, actor=reviewer, version=claim.version, note=" Checked. ")
    assert (written.event.verdict, written.event.note) == (verdict, "Checked.")
    assert written.event.actor_name == "Rita Reviewer"
    claim = fresh(claim)
    assert claim.published_verdict == verdict
    assert claim.published_at == written.event.at
    assert Claim.objects.public().filter(pk=claim.pk).exists()


def test_approve_refuses_the_proposer(reviewer):
    # Reviewers may propose too; they may never approve their own verdict.
    claim = fresh(in_review_claim(actor=reviewer))
    with refused("own_verdict"):
        workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def test_approve_refuses_a_superuser_who_proposed(superuser):
    claim = fresh(in_review_claim(actor=superuser))
    with refused("own_verdict"):
        workflow.approve(claim=claim, actor=superuser, version=claim.version)


def test_a_superuser_may_approve_someone_elses_verdict(editor, superuser):
    claim = fresh(in_review_claim(actor=editor))
    with writes_one_event(Kind.PUBLISHED, actor=superuser, from_status=Status.IN_REVIEW,
                          to_status=Status.PUBLISHED, public=True):
        workflow.approve(claim=claim, actor=superuser, version=claim.version)


def test_approve_refuses_a_claim_not_in_review(editor, reviewer):
    claim = fresh(researching_claim(actor=editor))
    with refused("invalid_transition"):
        workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def test_two_required_approvals(editor, reviewer, other_reviewer, settings):
    settings.REQUIRED_APPROVALS = 2
    claim = fresh(in_review_claim(actor=editor))
    verdict = claim.verdicts.get()

    with writes_one_event(Kind.APPROVED, actor=reviewer, from_status=Status.IN_REVIEW,
                          to_status=Status.IN_REVIEW) as first:
        workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    assert first.event.verdict == verdict
    claim = fresh(claim)
    assert claim.published_verdict is None
    assert not Claim.objects.public().filter(pk=claim.pk).exists()

    with refused("already_approved"):
        workflow.approve(claim=claim, actor=reviewer, version=claim.version)

    with writes_one_event(Kind.PUBLISHED, actor=other_reviewer, from_status=Status.IN_REVIEW,
                          to_status=Status.PUBLISHED, public=True):
        workflow.approve(claim=claim, actor=other_reviewer, version=claim.version)
    assert fresh(claim).published_verdict == verdict
    assert set(workflow.approvers_of(verdict).values_list("actor", flat=True)) == {reviewer.pk, other_reviewer.pk}


def test_approvals_do_not_carry_over_to_a_new_proposal(editor, reviewer, other_reviewer, settings):
    settings.REQUIRED_APPROVALS = 2
    claim = fresh(in_review_claim(actor=editor))
    workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    claim = fresh(claim)
    workflow.send_back(claim=claim, actor=other_reviewer, version=claim.version, note="Needs a source.")
    claim = fresh(claim)
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(), summary="Again.")
    claim = fresh(claim)
    with writes_one_event(Kind.APPROVED, actor=reviewer, from_status=Status.IN_REVIEW, to_status=Status.IN_REVIEW):
        workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def test_send_back_returns_the_claim_to_research(editor, reviewer):
    claim = fresh(in_review_claim(actor=editor))
    verdict = claim.verdicts.get()
    with writes_one_event(Kind.SENT_BACK, actor=reviewer, from_status=Status.IN_REVIEW,
                          to_status=Status.RESEARCHING) as written:
        workflow.send_back(claim=claim, actor=reviewer, version=claim.version, note=" Find the primary source. ")
    assert (written.event.verdict, written.event.note) == (verdict, "Find the primary source.")
    claim = fresh(claim)
    assert claim.published_verdict is None
    # Research is open again: evidence can change, and a new proposal is possible.
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Primary source")


@pytest.mark.parametrize("note", ["", "  ", None])
def test_send_back_needs_a_note(editor, reviewer, note):
    claim = fresh(in_review_claim(actor=editor))
    with refused("required", field="note"):
        workflow.send_back(claim=claim, actor=reviewer, version=claim.version, note=note)


def test_send_back_refuses_a_claim_not_in_review(editor, reviewer):
    claim = fresh(researching_claim(actor=editor))
    with refused("invalid_transition"):
        workflow.send_back(claim=claim, actor=reviewer, version=claim.version, note="Why?")


# ---------------------------------------------------------------------------------------------------------
# Reopen and correct.


def test_reopen_keeps_the_published_verdict_public(editor, reviewer):
    claim = fresh(published_claim(actor=editor, approver=reviewer))
    verdict, published_at = claim.published_verdict, claim.published_at
    with writes_one_event(Kind.REOPENED, actor=reviewer, from_status=Status.PUBLISHED,
                          to_status=Status.RESEARCHING) as written:
        workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason=" Revised statistics. ")
    assert written.event.note == "Revised statistics."
    claim = fresh(claim)
    assert (claim.published_verdict, claim.published_at) == (verdict, published_at)
    assert Claim.objects.public().filter(pk=claim.pk).exists()


def reopened_with_new_proposal(editor, reviewer, *, correction_note=""):
    claim = fresh(published_claim(actor=editor, approver=reviewer))
    workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised figures.")
    claim = fresh(claim)
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Revised figures",
                          url="https://stats.example/revised")
    claim = fresh(claim)
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("half-true"),
                             summary="Partly right after the revision.", correction_note=correction_note)
    return fresh(claim)


def test_publishing_a_replacement_needs_a_correction_note(editor, reviewer, other_reviewer):
    claim = reopened_with_new_proposal(editor, reviewer)
    old = claim.published_verdict
    with refused("correction_note_required", field="correction_note"):
        workflow.approve(claim=claim, actor=other_reviewer, version=claim.version, correction_note="  ")
    claim = fresh(claim)
    assert (claim.status, claim.published_verdict) == (Status.IN_REVIEW, old)


def test_correction_note_given_at_approval(editor, reviewer, other_reviewer):
    claim = reopened_with_new_proposal(editor, reviewer)
    published_at = claim.published_at
    with writes_one_event(Kind.CORRECTED, actor=other_reviewer, from_status=Status.IN_REVIEW,
                          to_status=Status.PUBLISHED, public=True) as written:
        workflow.approve(claim=claim, actor=other_reviewer, version=claim.version,
                         correction_note=" The figure was revised upwards. ")
    claim = fresh(claim)
    new = claim.verdicts.order_by("-proposed_at", "-id").first()
    assert claim.published_verdict == new
    assert new.rating_label == "Half true"
    assert (written.event.verdict, written.event.note) == (new, "The figure was revised upwards.")
    # The first publication date stands; the correction has its own date on its event.
    assert claim.published_at == published_at


def test_correction_note_from_the_proposal(editor, reviewer, other_reviewer):
    claim = reopened_with_new_proposal(editor, reviewer, correction_note="Revised by the statistics office.")
    with writes_one_event(Kind.CORRECTED, actor=other_reviewer, from_status=Status.IN_REVIEW,
                          to_status=Status.PUBLISHED, public=True) as written:
        workflow.approve(claim=claim, actor=other_reviewer, version=claim.version)
    assert written.event.note == "Revised by the statistics office."


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reopen_needs_a_reason(editor, reviewer, reason):
    claim = fresh(published_claim(actor=editor, approver=reviewer))
    with refused("required", field="reason"):
        workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason=reason)


@pytest.mark.parametrize("stage", ["new", "researching", "in_review"])
def test_reopen_refuses_a_claim_that_is_not_published_or_closed(editor, reviewer, stage):
    make = {"new": new_claim, "researching": researching_claim, "in_review": in_review_claim}[stage]
    claim = fresh(make(actor=editor))
    with refused("invalid_transition"):
        workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Because.")


# ---------------------------------------------------------------------------------------------------------
# Close, and reopen a closed claim.


@pytest.mark.parametrize("stage", ["new", "researching"])
@pytest.mark.parametrize("reason", [Claim.CloseReason.NOT_CHECKABLE, Claim.CloseReason.OUT_OF_SCOPE])
def test_close(editor, reviewer, stage, reason):
    claim = fresh(new_claim(actor=editor) if stage == "new" else researching_claim(actor=editor))
    with writes_one_event(Kind.CLOSED, actor=reviewer, from_status=stage, to_status=Status.CLOSED) as written:
        workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=reason, note=" An opinion. ")
    assert written.event.changes == {"close_reason": ["", reason]}
    assert written.event.note == "An opinion."
    claim = fresh(claim)
    assert (claim.close_reason, claim.duplicate_of) == (reason, None)


def test_close_as_duplicate_names_the_original(editor, reviewer):
    original = new_claim(actor=editor)
    claim = new_claim(actor=editor)
    with writes_one_event(Kind.CLOSED, actor=reviewer, from_status=Status.NEW, to_status=Status.CLOSED) as written:
        workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.DUPLICATE,
                       duplicate_of=original)
    assert written.event.changes == {"close_reason": ["", "duplicate"], "duplicate_of": [None, original.pk]}
    assert fresh(claim).duplicate_of == original


def test_close_as_duplicate_needs_the_original(editor, reviewer):
    claim = new_claim(actor=editor)
    with refused("required", field="duplicate_of"):
        workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.DUPLICATE)
    with refused("invalid", field="duplicate_of"):
        workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.DUPLICATE,
                       duplicate_of=claim)


def test_close_ignores_duplicate_of_for_other_reasons(editor, reviewer):
    original = new_claim(actor=editor)
    claim = new_claim(actor=editor)
    workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.OUT_OF_SCOPE,
                   duplicate_of=original)
    assert fresh(claim).duplicate_of is None


@pytest.mark.parametrize("reason", ["", None, "boring"])
def test_close_needs_a_known_reason(editor, reviewer, reason):
    claim = new_claim(actor=editor)
    with refused("required", field="reason"):
        workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=reason)


@pytest.mark.parametrize("stage", ["in_review", "published"])
def test_close_refuses_a_claim_in_review_or_published(editor, reviewer, stage):
    claim = in_review_claim(actor=editor) if stage == "in_review" else published_claim(actor=editor,
                                                                                       approver=reviewer)
    claim = fresh(claim)
    with refused("invalid_transition"):
        workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.OUT_OF_SCOPE)


def test_reopen_a_closed_claim_takes_it_to_new(editor, reviewer):
    original = new_claim(actor=editor)
    claim = new_claim(actor=editor)
    workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.DUPLICATE,
                   duplicate_of=original)
    claim = fresh(claim)
    with writes_one_event(Kind.REOPENED, actor=reviewer, from_status=Status.CLOSED, to_status=Status.NEW) as written:
        workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Not a duplicate after all.")
    assert written.event.changes == {"close_reason": ["duplicate", ""], "duplicate_of": [original.pk, None]}
    claim = fresh(claim)
    assert (claim.close_reason, claim.duplicate_of) == ("", None)


# ---------------------------------------------------------------------------------------------------------
# Roles, stale versions and the whole history.


@pytest.mark.parametrize("operation", ["approve", "send_back", "reopen", "close"])
@pytest.mark.parametrize("who", ["editor", "outsider", "anonymous_user"])
def test_reviewer_operations_refuse_everyone_else(request, editor, reviewer, operation, who):
    actor = AnonymousUser() if who == "anonymous_user" else request.getfixturevalue(who)
    claim = fresh({
        "approve": lambda: in_review_claim(actor=EditorFactory()),
        "send_back": lambda: in_review_claim(actor=EditorFactory()),
        "reopen": lambda: published_claim(actor=EditorFactory(), approver=reviewer),
        "close": lambda: new_claim(actor=EditorFactory()),
    }[operation]())
    call = {
        "approve": lambda: workflow.approve(claim=claim, actor=actor, version=claim.version),
        "send_back": lambda: workflow.send_back(claim=claim, actor=actor, version=claim.version, note="No."),
        "reopen": lambda: workflow.reopen(claim=claim, actor=actor, version=claim.version, reason="No."),
        "close": lambda: workflow.close(claim=claim, actor=actor, version=claim.version,
                                        reason=Claim.CloseReason.OUT_OF_SCOPE),
    }[operation]
    with refused("permission_denied"):
        call()


def _stale_cases():
    """For each operation: the stage its claim must be in, and how to call it at ``version``."""
    return {
        "edit_claim": ("new", lambda c, e, r, v: workflow.edit_claim(claim=c, actor=e, version=v, text="Edited")),
        "start_research": ("new", lambda c, e, r, v: workflow.start_research(claim=c, actor=e, version=v)),
        "assign": ("researching", lambda c, e, r, v: workflow.assign(claim=c, actor=e, version=v, assignee=None)),
        "add_evidence": ("researching", lambda c, e, r, v: workflow.add_evidence(claim=c, actor=e, version=v,
                                                                                 title="More")),
        "change_evidence": ("researching", lambda c, e, r, v: workflow.change_evidence(
            evidence=c.evidence.get(), actor=e, version=v, title="Changed")),
        "remove_evidence": ("researching", lambda c, e, r, v: workflow.remove_evidence(
            evidence=c.evidence.get(), actor=e, version=v)),
        "propose_verdict": ("researching", lambda c, e, r, v: workflow.propose_verdict(
            claim=c, actor=e, version=v, rating=rating(), summary="Wrong.")),
        "approve": ("in_review", lambda c, e, r, v: workflow.approve(claim=c, actor=r, version=v)),
        "send_back": ("in_review", lambda c, e, r, v: workflow.send_back(claim=c, actor=r, version=v, note="No.")),
        "reopen": ("published", lambda c, e, r, v: workflow.reopen(claim=c, actor=r, version=v, reason="New data.")),
        "close": ("new", lambda c, e, r, v: workflow.close(claim=c, actor=r, version=v,
                                                           reason=Claim.CloseReason.OUT_OF_SCOPE)),
    }


@pytest.mark.parametrize("operation", list(_stale_cases()))
def test_every_operation_refuses_a_stale_version_and_writes_nothing(editor, reviewer, operation):
    stage, call = _stale_cases()[operation]
    make = {"new": new_claim, "researching": researching_claim, "in_review": in_review_claim,
            "published": lambda actor: published_claim(actor=actor, approver=reviewer)}[stage]
    claim = fresh(make(actor=editor))
    for stale in (claim.version - 1, claim.version + 1):
        with refused("stale_version") as info:
            call(claim, editor, reviewer, stale)
        assert info.value.current.version == claim.version
    # The same call at the current version goes through: the refusal was the version and nothing else.
    call(claim, editor, reviewer, claim.version)
    assert fresh(claim).version == claim.version + 1


def test_a_claim_walked_through_the_workflow_has_one_event_per_step(editor, reviewer, other_reviewer):
    claim = fresh(published_claim(actor=editor, approver=reviewer))
    workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised.")
    claim = fresh(claim)
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="New figures")
    claim = fresh(claim)
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("half-true"),
                             summary="Half right.", correction_note="Revised.")
    claim = fresh(claim)
    workflow.approve(claim=claim, actor=other_reviewer, version=claim.version)

    events = list(ClaimEvent.objects.filter(claim=claim).order_by("at", "id"))
    assert [(e.kind, e.from_status, e.to_status, e.actor_name) for e in events] == [
        (Kind.CREATED, "", Status.NEW, "Erin Editor"),
        (Kind.RESEARCH_STARTED, Status.NEW, Status.RESEARCHING, "Erin Editor"),
        (Kind.EVIDENCE_ADDED, Status.RESEARCHING, Status.RESEARCHING, "Erin Editor"),
        (Kind.VERDICT_PROPOSED, Status.RESEARCHING, Status.IN_REVIEW, "Erin Editor"),
        (Kind.PUBLISHED, Status.IN_REVIEW, Status.PUBLISHED, "Rita Reviewer"),
        (Kind.REOPENED, Status.PUBLISHED, Status.RESEARCHING, "Rita Reviewer"),
        (Kind.EVIDENCE_ADDED, Status.RESEARCHING, Status.RESEARCHING, "Erin Editor"),
        (Kind.VERDICT_PROPOSED, Status.RESEARCHING, Status.IN_REVIEW, "Erin Editor"),
        (Kind.CORRECTED, Status.IN_REVIEW, Status.PUBLISHED, "Remy Second"),
    ]
    assert [e.kind for e in events if e.public] == [Kind.PUBLISHED, Kind.CORRECTED]
    # One version bump per event, starting from 1 at creation.
    assert fresh(claim).version == len(events)


# ---------------------------------------------------------------------------------------------------------
# Oversized input other than the claim text: refused with the domain error, not a database crash (PostgreSQL
# enforces column lengths; SQLite silently stores anything).


@pytest.mark.parametrize("field, value", [
    ("title", "t" * 301),
    ("publisher", "p" * 201),
    ("url", "https://example.org/" + "a" * 500),
    ("archived_url", "https://web.archive.org/" + "a" * 500),
])
def test_add_evidence_refuses_oversized_fields(editor, field, value):
    claim = fresh(researching_claim(actor=editor, evidence=0))
    with refused("too_long", field=field):
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version,
                              **{"title": "A title", field: value})


def test_withheld_reason_may_not_be_oversized(editor):
    claim = fresh(researching_claim(actor=editor))
    with refused("too_long", field="withheld_reason"):
        workflow.change_evidence(evidence=claim.evidence.get(), actor=editor, version=claim.version, withheld=True,
                                 withheld_reason="r" * 301)


def test_propose_verdict_refuses_an_oversized_summary(editor):
    claim = fresh(researching_claim(actor=editor))
    with refused("too_long", field="summary"):
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(),
                                 summary="s" * 601)


def test_claim_language_may_not_be_oversized(editor):
    claim = new_claim(actor=editor)
    with refused("too_long", field="language"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, language="x" * 36)


def test_create_claim_refuses_an_oversized_language_tag(editor):
    claimant = ClaimantFactory()
    with refused("too_long", field="language"):
        workflow.create_claim(actor=editor, text="A claim", claimant=claimant, language="en-" + "x" * 40)
