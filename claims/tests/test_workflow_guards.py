"""The workflow's tests must catch what they guard. Mutation testing of claims/workflow.py and the public
QuerySet verbs found these behaviours unguarded (every test passed with them broken); each test here fails
for one such mutant:

- edit_claim with two or more topics (the topic diff's sort key), and a change of source alone (the quote's
  offsets follow the new source's text);
- reopen of a closed claim records its reason on the event;
- approve, close and publication without a note record an empty note;
- public() does not load sources' full text; public_history() orders equal timestamps by id and applies to
  the claims it is given;
- the code (and field and message) of every refusal, drafts, appearances and imports by others included.
"""

import datetime

import pytest
from django.utils import timezone

from claims import workflow
from claims.models import Appearance, Claim, ClaimEvent

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
from .test_workflow import refused, writes_one_event

pytestmark = pytest.mark.django_db

Kind = ClaimEvent.Kind
Status = Claim.Status


# ---------------------------------------------------------------------------------------------------------
# edit_claim.


def test_the_same_topics_in_another_order_are_no_change(editor):
    first, second, third = TopicFactory(name="Alpha"), TopicFactory(name="Beta"), TopicFactory(name="Gamma")
    claim = new_claim(actor=editor, topics=[third, first, second])
    saved = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, topics=[second, third, first])
    assert saved.version == claim.version
    assert not claim.events.filter(kind=Kind.EDITED).exists()


def test_a_topic_change_is_recorded_in_a_stable_order(editor):
    first, second, third = TopicFactory(name="Zulu"), TopicFactory(name="Yankee"), TopicFactory(name="Xray")
    claim = new_claim(actor=editor, topics=[second, first])
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, topics=[third, first])
    event = claim.events.get(kind=Kind.EDITED)
    # By id, whatever order they were given in: before [Zulu, Yankee], after [Zulu, Xray].
    assert event.changes == {"topics": [["Zulu", "Yankee"], ["Zulu", "Xray"]]}
    assert sorted(t.name for t in claim.topics.all()) == ["Xray", "Zulu"]


def test_changing_only_the_source_moves_the_quote_offsets(editor):
    quote = "no legal way to seize our assets"
    first = SourceFactory(text=f"He said: {quote}.")
    second = SourceFactory(text=f"At the briefing the minister said there is {quote}, and more.")
    claim = new_claim(actor=editor, quote=quote, source=first)
    assert (claim.quote_start, claim.quote_end) == (9, 9 + len(quote))

    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, source=second)
    start = second.text.index(quote)
    assert (claim.quote_start, claim.quote_end) == (start, start + len(quote))
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.quote_start, stored.quote_end) == (start, start + len(quote))

    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, source=None)
    assert (claim.quote_start, claim.quote_end) == (None, None)


# ---------------------------------------------------------------------------------------------------------
# Notes on events.


def test_reopening_a_closed_claim_records_the_reason(editor, reviewer):
    claim = new_claim(actor=editor)
    claim = workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.NOT_CHECKABLE)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="  It is checkable after all ")
    event = claim.events.get(kind=Kind.REOPENED)
    assert (event.note, event.from_status, event.to_status) == ("It is checkable after all", Status.CLOSED,
                                                                Status.NEW)


def test_reopening_a_published_claim_records_the_reason(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised figures")
    assert claim.events.get(kind=Kind.REOPENED).note == "Revised figures"


def test_approval_and_publication_without_a_note_record_an_empty_note(editor, reviewer, other_reviewer, settings):
    settings.REQUIRED_APPROVALS = 2
    claim = in_review_claim(actor=editor)
    claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    claim = workflow.approve(claim=claim, actor=other_reviewer, version=claim.version)
    assert claim.status == Status.PUBLISHED
    assert claim.events.get(kind=Kind.APPROVED).note == ""
    assert claim.events.get(kind=Kind.PUBLISHED).note == ""


def test_approval_notes_are_kept_stripped(editor, reviewer, other_reviewer, settings):
    settings.REQUIRED_APPROVALS = 2
    claim = in_review_claim(actor=editor)
    claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version, note=" Checked the sums. ")
    claim = workflow.approve(claim=claim, actor=other_reviewer, version=claim.version, note=" Fine. ")
    assert claim.events.get(kind=Kind.APPROVED).note == "Checked the sums."
    assert claim.events.get(kind=Kind.PUBLISHED).note == "Fine."


def test_closing_without_a_note_records_an_empty_note(editor, reviewer):
    claim = new_claim(actor=editor)
    claim = workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.OUT_OF_SCOPE)
    assert claim.events.get(kind=Kind.CLOSED).note == ""
    other = new_claim(actor=editor)
    other = workflow.close(claim=other, actor=reviewer, version=other.version, reason=Claim.CloseReason.NOT_CHECKABLE,
                           note=" A forecast. ")
    assert other.events.get(kind=Kind.CLOSED).note == "A forecast."


# ---------------------------------------------------------------------------------------------------------
# The public verbs.


def test_public_does_not_load_sources_full_text(editor, reviewer, django_assert_num_queries):
    published_claim(actor=editor, approver=reviewer, source=SourceFactory(text="The whole article. " * 100))
    with django_assert_num_queries(1):  # the claims with their claimant, source and rating, in one query
        claim = Claim.objects.public().get()
        assert claim.claimant.name and claim.source.title and claim.published_verdict.rating.label
    assert "text" in claim.source.get_deferred_fields()


def test_public_history_orders_equal_timestamps_by_id(editor, reviewer, other_reviewer, monkeypatch):
    moment = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    first = published_claim(actor=editor, approver=reviewer)
    second = published_claim(actor=editor, approver=reviewer)
    # A correction at the very same moment: its previous rating is the one published just before it, by id.
    second = workflow.reopen(claim=second, actor=reviewer, version=second.version, reason="Revised figures")
    workflow.propose_verdict(claim=second, actor=editor, version=second.version, rating=rating("true"),
                             summary="Revised.", correction_note="The figure was revised.")
    second.refresh_from_db()
    workflow.approve(claim=second, actor=other_reviewer, version=second.version)

    history = list(Claim.objects.public().public_history())
    assert {event.at for event in history} == {moment}
    assert [event.pk for event in history] == sorted((event.pk for event in history), reverse=True)
    assert [(event.claim_id, event.kind) for event in history] == [
        (second.pk, Kind.CORRECTED), (second.pk, Kind.PUBLISHED), (first.pk, Kind.PUBLISHED)]
    assert history[0].previous_label == "False"


def test_public_history_applies_to_the_claims_it_is_given(editor, reviewer):
    first = published_claim(actor=editor, approver=reviewer)
    second = published_claim(actor=editor, approver=reviewer)
    only_first = list(Claim.objects.filter(pk=first.pk).public_history())
    assert [event.claim_id for event in only_first] == [first.pk]
    assert {event.claim_id for event in Claim.objects.public().public_history()} == {first.pk, second.pk}
    assert list(Claim.objects.none().public_history()) == []




def _corrected(claim, editor, reviewer, slug, *, at=None, monkeypatch=None):
    """``claim`` corrected to the rating ``slug`` (the correction dated ``at``); returns the correction's event."""
    claim.refresh_from_db()
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="New figures")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(slug),
                             summary="Revised.", correction_note=f"Now {slug}.")
    claim.refresh_from_db()
    if at is not None:
        monkeypatch.setattr(timezone, "now", lambda: at)
    workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    if at is not None:
        monkeypatch.undo()
    return claim.events.latest("id")


def test_public_history_goes_by_time_before_id(editor, reviewer, monkeypatch):
    # Event ids need not follow their times (events are append-only, but an event's time can be given).
    claim = published_claim(actor=editor, approver=reviewer)  # rated False
    published = claim.events.get(kind=Kind.PUBLISHED)
    earlier = _corrected(claim, editor, reviewer, "true", at=published.at - datetime.timedelta(days=1),
                         monkeypatch=monkeypatch)  # a later id, an earlier time
    same = _corrected(claim, editor, reviewer, "mostly-true", at=published.at, monkeypatch=monkeypatch)
    last = _corrected(claim, editor, reviewer, "mostly-false", at=published.at, monkeypatch=monkeypatch)

    history = list(Claim.objects.public().public_history())
    assert [event.pk for event in history] == [last.pk, same.pk, published.pk, earlier.pk]  # at equal times, by id
    labels = {event.pk: event.previous_label for event in history}
    assert labels == {last.pk: "Mostly true", same.pk: "False", published.pk: "True", earlier.pk: None}


def test_public_history_shows_only_public_publications_updates_and_corrections(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)  # rated False
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="New figures")
    hidden = workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("true"),
                                      summary="Hidden.")
    # Events readers must not see, whatever their kind or verdict: a correction not public, a public reopening.
    for kind, public in ((Kind.CORRECTED, False), (Kind.REOPENED, True)):
        ClaimEvent.objects.create(claim=claim, actor=None, actor_name="Archive", at=timezone.now(), kind=kind,
                                  from_status=Status.IN_REVIEW, to_status=Status.PUBLISHED, verdict=hidden,
                                  public=public)
    claim.refresh_from_db()
    claim = workflow.send_back(claim=claim, actor=reviewer, version=claim.version, note="No.")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("mostly-true"),
                             summary="Revised.", correction_note="Now mostly true.")
    claim.refresh_from_db()
    workflow.approve(claim=claim, actor=reviewer, version=claim.version)

    history = list(Claim.objects.public().public_history())
    assert [(event.kind, event.previous_label) for event in history] == [(Kind.CORRECTED, "False"),
                                                                         (Kind.PUBLISHED, None)]


def test_a_draft_and_its_approval_name_both_sides(editor, reviewer):
    old_topic, new_topic = TopicFactory(name="Old topic"), TopicFactory(name="New topic")
    claim = published_claim(actor=editor, approver=reviewer, topics=[old_topic])
    old_claimant = claim.claimant
    new_claimant = ClaimantFactory(name="New claimant")
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Reworded",
                                claimant=new_claimant, topics=[new_topic])
    assert workflow.draft_changes(claim) == {
        "text": ["Frozen assets total 210 billion euros", "Reworded"],
        "claimant": [old_claimant.name, "New claimant"],
        "topics": [["Old topic"], ["New topic"]],
    }
    workflow.add_appearance(claim=claim, actor=editor, version=claim.version, url="https://outlet.example/1")
    claim.refresh_from_db()

    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Reworded.")
    event = claim.events.latest("id")
    assert (event.kind, event.note, event.public, event.verdict_id) == (Kind.UPDATED, "Reworded.", True,
                                                                        claim.published_verdict_id)
    assert event.changes == {
        "text": ["Frozen assets total 210 billion euros", "Reworded"],
        "claimant": [old_claimant.name, "New claimant"],
        "topics": [["Old topic"], ["New topic"]],
        "appearances": [[], ["https://outlet.example/1"]],
    }
    assert (claim.text, claim.claimant, list(claim.topics.all())) == ("Reworded", new_claimant, [new_topic])
    assert claim.draft is None and not workflow.has_pending_changes(claim)



def test_a_draft_of_a_date_and_of_no_source(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer, source=SourceFactory(),
                            claim_date=datetime.date(2026, 1, 5))
    edit = dict(claim_date=datetime.date(2026, 2, 6), source=None)
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, **edit)
    assert claim.draft_fields == {"claim_date": "2026-02-06", "source": None}
    claim = Claim.objects.get(pk=claim.pk)
    again = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, **edit)  # the same draft: no change
    assert again.version == claim.version
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Dated.")
    assert (claim.claim_date, claim.source) == (datetime.date(2026, 2, 6), None)



def test_edits_of_a_public_claim_record_the_draft_and_the_desks_own_changes(editor, reviewer):
    old_source = SourceFactory(title="Old source")
    claim = published_claim(actor=editor, approver=reviewer, source=old_source)
    beta, alpha = TopicFactory(name="Beta"), TopicFactory(name="Alpha")  # ids not in the names' order
    new_source = SourceFactory(title="New source")
    status = Status.PUBLISHED
    with writes_one_event(Kind.EDITED, actor=editor, from_status=status, to_status=status) as edited:
        claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Draft one",
                                    recheck_on=datetime.date(2027, 1, 1), source=new_source, topics=[beta, alpha])
    assert edited.event.changes == {
        "recheck_on": [None, "2027-01-01"],  # the desk's own: at once
        "text": ["Frozen assets total 210 billion euros", "Draft one"],
        "source": ["Old source", "New source"],
        "topics": [[], ["Alpha", "Beta"]],
    }
    assert edited.event.note == workflow.DRAFT_NOTE
    assert claim.recheck_on == datetime.date(2027, 1, 1)

    with writes_one_event(Kind.EDITED, actor=editor, from_status=status, to_status=status) as again:
        claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Draft two")
    assert again.event.changes == {"text": ["Draft one", "Draft two"]}  # from the draft, not the public text

    with writes_one_event(Kind.EDITED, actor=editor, from_status=status, to_status=status) as back:
        claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                                    text="Frozen assets total 210 billion euros")
    assert back.event.changes == {"text": ["Draft two", "Frozen assets total 210 billion euros"]}
    assert set(claim.draft_fields) == {"source", "topics"}  # the text is back to what readers see

    with writes_one_event(Kind.EDITED, actor=editor, from_status=status, to_status=status) as own:
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, recheck_on=None)
    assert (own.event.changes, own.event.note) == ({"recheck_on": ["2027-01-01", None]}, "")


def test_an_update_is_approved_while_a_new_verdict_is_in_review(editor, reviewer, other_reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="New figures")
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Reworded")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("true"),
                             summary="Revised.", correction_note="Now true.")
    claim.refresh_from_db()
    claim = workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="Reworded.")
    assert (claim.status, claim.text) == (Status.IN_REVIEW, "Reworded")



def test_an_update_with_two_approvals_records_each(editor, reviewer, other_reviewer, settings):
    claim = _drafted(editor, reviewer)
    settings.REQUIRED_APPROVALS = 2
    status = Status.PUBLISHED
    with writes_one_event(Kind.APPROVED, actor=reviewer, from_status=status, to_status=status) as first:
        claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note=" Typo. ")
    assert first.event.note == "Typo."
    with refused("already_approved") as info:
        workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Typo.")
    assert info.value.message == "You have already approved these changes."
    with writes_one_event(Kind.UPDATED, actor=other_reviewer, from_status=status, to_status=status,
                          public=True) as last:
        workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="Typo fixed.")
    assert last.event.note == "Typo fixed."



@pytest.mark.parametrize("drafted", ["quote", "source"])
def test_an_approved_draft_of_the_quote_or_source_moves_the_quote_offsets(drafted, editor, reviewer):
    source = SourceFactory(text="First he said: no legal way. Then: assets frozen.")
    claim = published_claim(actor=editor, approver=reviewer, source=source, quote="no legal way")
    if drafted == "quote":
        edit, quote, text = {"quote": "assets frozen"}, "assets frozen", source.text
    else:
        moved = SourceFactory(text="Later, again: no legal way.")
        edit, quote, text = {"source": moved}, "no legal way", moved.text
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, **edit)
    assert (claim.quote_start, claim.quote_end) == (15, 27)  # readers still see the approved quote
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Quote.")
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.quote_start, stored.quote_end) == (text.index(quote), text.index(quote) + len(quote))


def test_an_approved_update_of_evidence_names_it(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Better source")
    workflow.change_evidence(evidence=claim.evidence.get(), actor=editor, version=claim.version, title="Renamed")
    claim.refresh_from_db()
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Renamed.")
    assert claim.events.latest("id").changes == {"evidence": [["Evidence 0"], ["Renamed"]]}



def test_an_approved_update_removes_and_adds_appearances_together(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    first = workflow.add_appearance(claim=claim, actor=editor, version=claim.version, url="https://o.example/1")
    claim.refresh_from_db()
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Repeated.")
    claim = workflow.remove_appearance(appearance=first, actor=editor, version=claim.version)
    later = workflow.add_appearance(claim=claim, actor=editor, version=claim.version, url="https://o.example/2")
    claim.refresh_from_db()
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Moved.")
    assert claim.events.latest("id").changes == {"appearances": [["https://o.example/1"], ["https://o.example/2"]]}
    assert [(a.pk, a.approved["url"]) for a in claim.appearances.all()] == [(later.pk, "https://o.example/2")]



def test_every_author_of_a_draft_is_kept_and_a_new_change_voids_approvals(editor, reviewer, other_reviewer,
                                                                           settings):
    claim = _drafted(editor, reviewer, author=other_reviewer)
    settings.REQUIRED_APPROVALS = 2
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Reworded.")
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, quote="A new quote")
    assert claim.draft == {"fields": {"text": "Reworded", "quote": "A new quote"},
                           "authors": sorted([other_reviewer.pk, editor.pk]), "approvals": []}
    with refused("own_change"):  # the first author still may not approve it
        workflow.approve_update(claim=claim, actor=other_reviewer, version=claim.version, note="Reworded.")


# ---------------------------------------------------------------------------------------------------------
# Appearances, at every stage they may be recorded.

STAGES = {
    Status.NEW: lambda editor, reviewer: new_claim(actor=editor),
    Status.RESEARCHING: lambda editor, reviewer: researching_claim(actor=editor),
    Status.IN_REVIEW: lambda editor, reviewer: in_review_claim(actor=editor),
    Status.PUBLISHED: lambda editor, reviewer: published_claim(actor=editor, approver=reviewer),
}


@pytest.mark.parametrize("status", STAGES)
def test_an_appearance_is_added_and_removed_at_every_open_stage(status, editor, reviewer):
    claim = STAGES[status](editor, reviewer)
    public = status == Status.PUBLISHED
    note = workflow.DRAFT_NOTE if public else ""
    with writes_one_event(Kind.EDITED, actor=editor, from_status=status, to_status=status) as added:
        appearance = workflow.add_appearance(claim=claim, actor=editor, version=claim.version,
                                             url=" https://outlet.example/1 ", outlet=" The Outlet ")
    summary = {"id": appearance.pk, "url": "https://outlet.example/1", "outlet": "The Outlet"}
    assert (added.event.changes, added.event.note) == ({"appearance": [None, summary]}, note)
    claim.refresh_from_db()
    if public:  # readers never saw it: approve it, so that its removal is a draft too
        claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Repeated.")
    with writes_one_event(Kind.EDITED, actor=editor, from_status=status, to_status=status) as removed:
        workflow.remove_appearance(appearance=appearance, actor=editor, version=claim.version)
    assert (removed.event.changes, removed.event.note) == ({"appearance": [summary, None]}, note)
    stored = Appearance.objects.filter(pk=appearance.pk).first()
    if public:  # still public until a reviewer approves the removal
        assert stored.removed and stored.approved["url"] == "https://outlet.example/1"
    else:
        assert stored is None


def test_an_appearance_keeps_its_date_and_archived_copy_and_needs_no_outlet(editor):
    claim = new_claim(actor=editor)
    appearance = workflow.add_appearance(claim=claim, actor=editor, version=claim.version, url="https://o.example/",
                                         seen_on=datetime.date(2026, 3, 1), archived_url="https://archive.example/o")
    stored = Appearance.objects.get(pk=appearance.pk)
    assert (stored.outlet, stored.seen_on, stored.archived_url) == ("", datetime.date(2026, 3, 1),
                                                                    "https://archive.example/o")


def test_discarding_a_draft_records_what_went_back(editor, other_editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Wrong turn")
    with writes_one_event(Kind.EDITED, actor=other_editor, from_status=Status.PUBLISHED,
                          to_status=Status.PUBLISHED) as discarded:
        workflow.discard_draft(claim=claim, actor=other_editor, version=claim.version)
    assert discarded.event.changes == {"text": ["Wrong turn", "Frozen assets total 210 billion euros"]}
    assert discarded.event.note == "Draft discarded: back to the public version."
    assert not discarded.event.public


def test_appearances_of_a_closed_claim_are_refused(editor, reviewer):
    claim = new_claim(actor=editor)
    appearance = workflow.add_appearance(claim=claim, actor=editor, version=claim.version, url="https://o.example/")
    claim.refresh_from_db()
    claim = workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.OUT_OF_SCOPE)
    with refused("invalid_transition") as info:
        workflow.add_appearance(claim=claim, actor=editor, version=claim.version, url="https://o.example/2")
    assert info.value.message.startswith("Cannot record an appearance: the claim is closed")
    with refused("invalid_transition") as info:
        workflow.remove_appearance(appearance=appearance, actor=editor, version=claim.version)
    assert info.value.message.startswith("Cannot remove an appearance: the claim is closed")


# ---------------------------------------------------------------------------------------------------------
# Every refusal's code.


def test_refusals_of_capture_and_edit(editor):
    outsider = UserFactory()
    with refused("permission_denied"):
        workflow.create_claim(actor=outsider, text="A claim", claimant=ClaimantFactory())
    with refused("permission_denied"):
        workflow.create_claim(actor=None, text="A claim", claimant=ClaimantFactory())
    with refused("required", field="claimant") as info:
        workflow.create_claim(actor=editor, text="A claim", claimant=None)
    assert info.value.message == "Choose who made the claim."
    with refused("required", field="text") as info:
        workflow.create_claim(actor=editor, text="", claimant=ClaimantFactory())
    assert info.value.message == "The claim text is required."
    with refused("too_long", field="text"):
        workflow.create_claim(actor=editor, text="x" * 201, claimant=ClaimantFactory())
    with refused("too_long", field="language"):
        workflow.create_claim(actor=editor, text="A claim", claimant=ClaimantFactory(), language="x" * 36)

    claim = new_claim(actor=editor)
    with refused("required", field="claimant"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, claimant=None)
    with refused("stale_version"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version + 1, text="Other")
    with pytest.raises(TypeError):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, status="published")


def test_refusals_of_assignment(editor, reviewer):
    claim = new_claim(actor=editor)
    with refused("invalid_assignee", field="assignee") as info:
        workflow.start_research(claim=claim, actor=editor, version=claim.version, assignee=UserFactory(
            first_name="Nora", last_name="Body"))
    assert info.value.message == "Nora Body is not an editor."
    claim = workflow.start_research(claim=claim, actor=editor, version=claim.version)
    with refused("invalid_transition") as info:
        workflow.start_research(claim=claim, actor=editor, version=claim.version)
    assert info.value.message == "Cannot start research: the claim is researching, and this needs it new."
    with refused("no_change", field="assignee"):
        workflow.assign(claim=claim, actor=editor, version=claim.version, assignee=editor)
    claim = workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.NOT_CHECKABLE)
    with refused("invalid_transition"):
        workflow.assign(claim=claim, actor=editor, version=claim.version, assignee=None)
    with refused("invalid_transition") as info:
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Other")
    assert info.value.message == "A closed claim cannot be edited; reopen it first."


def test_refusals_of_evidence(editor):
    claim = researching_claim(actor=editor, evidence=0)
    add = dict(claim=claim, actor=editor, version=claim.version)
    with refused("invalid_url", field="url"):
        workflow.add_evidence(**add, title="T", url="javascript:alert(1)")
    with refused("invalid_url", field="archived_url"):
        workflow.add_evidence(**add, title="T", archived_url="ftp://example.org/x")
    with refused("invalid", field="stance"):
        workflow.add_evidence(**add, title="T", stance="maybe")
    with refused("too_long", field="publisher"):
        workflow.add_evidence(**add, title="T", publisher="p" * 201)
    with refused("required", field="withheld_reason") as info:
        workflow.add_evidence(**add, title="T", withheld=True)
    assert info.value.message == "Say why the source is withheld."
    evidence = workflow.add_evidence(**add, title="T")
    claim.refresh_from_db()
    with refused("required", field="title"):
        workflow.change_evidence(evidence=evidence, actor=editor, version=claim.version, title=" ")
    with refused("required", field="withheld_reason"):
        workflow.change_evidence(evidence=evidence, actor=editor, version=claim.version, withheld=True)


def test_refusals_of_a_proposal(editor):
    claim = researching_claim(actor=editor, evidence=0)
    propose = dict(claim=claim, actor=editor, version=claim.version)
    with refused("required", field="rating") as info:
        workflow.propose_verdict(**propose, rating=None, summary="S")
    assert info.value.message == "Choose a rating."
    with refused("too_long", field="summary"):
        workflow.propose_verdict(**propose, rating=rating(), summary="s" * 601)
    with refused("evidence_required") as info:
        workflow.propose_verdict(**propose, rating=rating(), summary="S")
    assert info.value.message == "Add at least one evidence item before proposing a verdict."
    tip = workflow.create_claim(actor=None, text="A reader's claim", is_reader_tip=True)
    tip = workflow.start_research(claim=tip, actor=editor, version=tip.version)
    workflow.add_evidence(claim=tip, actor=editor, version=tip.version, title="T")
    tip.refresh_from_db()
    with refused("required", field="claimant") as info:
        workflow.propose_verdict(claim=tip, actor=editor, version=tip.version, rating=rating(), summary="S")
    assert info.value.message == "Say who made the claim before proposing a verdict."


def test_refusals_of_review(editor, reviewer, other_reviewer, settings):
    settings.REQUIRED_APPROVALS = 2
    claim = in_review_claim(actor=editor)
    with refused("permission_denied") as info:
        workflow.approve(claim=claim, actor=EditorFactory(), version=claim.version)
    assert info.value.message == "Only a reviewer can do this."
    proposer = in_review_claim(actor=reviewer)
    with refused("own_verdict"):
        workflow.approve(claim=proposer, actor=reviewer, version=proposer.version)
    claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    with refused("already_approved"):
        workflow.approve(claim=claim, actor=reviewer, version=claim.version)

    orphan = new_claim(actor=editor)
    Claim.objects.filter(pk=orphan.pk).update(status=Status.IN_REVIEW)  # no verdict: only a broken row gets here
    with refused("no_verdict") as info:
        workflow.approve(claim=orphan, actor=reviewer, version=orphan.version)
    assert info.value.message == "There is no proposed verdict to review."
    with refused("no_verdict"):
        workflow.send_back(claim=orphan, actor=reviewer, version=orphan.version, note="Look again")


def test_refusals_of_closing(editor, reviewer):
    claim = new_claim(actor=editor)
    close = dict(claim=claim, actor=reviewer, version=claim.version)
    with refused("permission_denied"):
        workflow.close(claim=claim, actor=editor, version=claim.version, reason=Claim.CloseReason.NOT_CHECKABLE)
    with refused("required", field="reason"):
        workflow.close(**close, reason="bored")
    with refused("required", field="duplicate_of") as info:
        workflow.close(**close, reason=Claim.CloseReason.DUPLICATE)
    assert info.value.message == "Say which claim this duplicates."
    with refused("invalid", field="duplicate_of") as info:
        workflow.close(**close, reason=Claim.CloseReason.DUPLICATE, duplicate_of=claim)
    assert info.value.message == "A claim cannot duplicate itself."
    published = published_claim(actor=editor, approver=reviewer)
    with refused("invalid_transition"):
        workflow.close(claim=published, actor=reviewer, version=published.version,
                       reason=Claim.CloseReason.NOT_CHECKABLE)
    with refused("invalid_transition"):
        workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Why not")


def test_refusals_of_recording_checks_by_others(reviewer, editor):
    def others(text="A claim", language="en"):
        return Claim(text=text, claimant=ClaimantFactory(), language=language)

    with refused("permission_denied"):
        workflow.record_checked_elsewhere(actor=editor, claims=[others()])
    with refused("required", field="text"):
        workflow.record_checked_elsewhere(actor=reviewer, claims=[others(), others(text="\u200b")])
    with refused("too_long", field="text"):
        workflow.record_checked_elsewhere(actor=reviewer, claims=[others(text="x" * 201)])
    with refused("too_long", field="language"):
        workflow.record_checked_elsewhere(actor=reviewer, claims=[others(language="x" * 36)])



# Refusals of appearances and drafts (a public claim's changes wait for a reviewer). Each row: the claim (made
# by CLAIMS), who acts, the operation and its arguments, then the code, field and start of the message.
CLAIMS = {
    "new": lambda editor, reviewer: new_claim(actor=editor),
    "public": lambda editor, reviewer: published_claim(actor=editor, approver=reviewer),
    "drafted": lambda editor, reviewer: _drafted(editor, reviewer),
    "drafted by the reviewer": lambda editor, reviewer: _drafted(editor, reviewer, author=reviewer),
    "closed since publication": lambda editor, reviewer: _closed_since_publication(editor, reviewer),
}
APPEARANCE = {"url": "https://outlet.example/1"}
DRAFT_REFUSALS = [
    ("new", "outsider", "add_appearance", APPEARANCE, "permission_denied", None, "Only an editor can do this."),
    ("new", "editor", "add_appearance", {"url": " "}, "required", "url", "The appearance's web address is required"),
    ("new", "editor", "add_appearance", {"url": "javascript:alert(1)"}, "invalid_url", "url", "Enter a web address"),
    ("new", "editor", "add_appearance", {**APPEARANCE, "archived_url": "ftp://archive.example/1"}, "invalid_url",
     "archived_url", "Enter a web address"),
    ("new", "editor", "add_appearance", {**APPEARANCE, "outlet": "x" * 201}, "too_long", "outlet",
     "The outlet is 201 characters; the limit is 200."),
    ("closed since publication", "editor", "add_appearance", APPEARANCE, "invalid_transition", None,
     "Cannot record an appearance: the claim is closed"),
    ("drafted", "editor", "approve_update", {"note": "Reworded."}, "permission_denied", None,
     "Only a reviewer can do this."),
    ("new", "reviewer", "approve_update", {"note": "Reworded."}, "invalid_transition", None,
     "Only a published claim has updates to approve"),
    ("closed since publication", "reviewer", "approve_update", {"note": "Reworded."}, "invalid_transition", None,
     "Cannot approve an update: the claim is closed"),
    ("drafted by the reviewer", "reviewer", "approve_update", {"note": "Reworded."}, "own_change", None,
     "You made changes in this draft, so someone else must approve them."),
    ("public", "reviewer", "approve_update", {"note": "Reworded."}, "no_change", None,
     "There are no changes waiting for approval."),
    ("drafted", "reviewer", "approve_update", {"note": "\u200b"}, "required", "note",
     "A note for readers saying what was updated is required."),
    ("drafted", "outsider", "discard_draft", {}, "permission_denied", None, "Only an editor can do this."),
    ("new", "editor", "discard_draft", {}, "no_change", None, "There are no changes to discard."),
    ("public", "editor", "discard_draft", {}, "no_change", None, "There are no changes to discard."),
]


def _drafted(editor, reviewer, author=None):
    claim = published_claim(actor=editor, approver=reviewer)
    return workflow.edit_claim(claim=claim, actor=author or editor, version=claim.version, text="Reworded")


def _closed_since_publication(editor, reviewer):
    claim = _drafted(editor, reviewer)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Recheck")
    return workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=Claim.CloseReason.OUT_OF_SCOPE)


@pytest.mark.parametrize(("made", "who", "operation", "arguments", "code", "field", "message"), DRAFT_REFUSALS)
def test_refusals_of_appearances_and_drafts(made, who, operation, arguments, code, field, message, editor, reviewer):
    claim = CLAIMS[made](editor, reviewer)
    actor = {"editor": editor, "reviewer": reviewer, "outsider": UserFactory()}[who]
    with refused(code, field=field) as info:
        getattr(workflow, operation)(claim=claim, actor=actor, version=claim.version, **arguments)
    assert info.value.message.startswith(message)


def test_refusals_of_removing_an_appearance(editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    appearance = workflow.add_appearance(claim=claim, actor=editor, version=claim.version, **APPEARANCE)
    claim.refresh_from_db()
    with refused("permission_denied"):
        workflow.remove_appearance(appearance=appearance, actor=UserFactory(), version=claim.version)
    claim = workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Repeated.")
    claim = workflow.remove_appearance(appearance=appearance, actor=editor, version=claim.version)
    with refused("not_found") as info:  # removed in the draft: readers see it until approved, the desk does not
        workflow.remove_appearance(appearance=appearance, actor=editor, version=claim.version)
    assert info.value.message == "That item has been removed."


@pytest.mark.parametrize("name", ["claimant", "source"])
def test_an_update_whose_claimant_or_source_was_deleted_is_refused(name, editor, reviewer):
    claim = published_claim(actor=editor, approver=reviewer)
    related = ClaimantFactory() if name == "claimant" else SourceFactory()
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, **{name: related})
    related.delete()  # the draft holds only its id
    with refused("invalid", field=name) as info:
        workflow.approve_update(claim=claim, actor=reviewer, version=claim.version, note="Renamed.")
    assert info.value.message == f"The draft's {name} no longer exists; choose another."
