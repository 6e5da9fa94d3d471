"""Nothing unpublished leaks: every public page, the feed, the sitemap and the JSON-LD are scanned for
markers planted in drafts, unapproved verdicts, internal notes, non-public events, withheld addresses,
source full texts, tipsters' e-mails and unpublished claims. Hidden things answer 404."""

import pytest

from claims import workflow
from claims.models import Claim, ClaimEvent, Evidence
from claims.tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    researching_claim,
)

pytestmark = pytest.mark.django_db

# Each is planted somewhere the public must never see.
MARKERS = {
    "source full text": "SOURCEFULLTEXTMARKER",
    "withheld url": "withheld-source.example",
    "withheld archive": "withheld-archive.example",
    "withheld publisher": "WITHHELDPUBLISHERMARKER",
    "withheld reason": "WITHHELDREASONMARKER",
    "sent-back verdict summary": "REJECTEDSUMMARYMARKER",
    "sent-back verdict analysis": "REJECTEDANALYSISMARKER",
    "send-back note": "SENDBACKNOTEMARKER",
    "approval note": "APPROVENOTEMARKER",
    "reopen reason": "REOPENREASONMARKER",
    "pending verdict summary": "PENDINGSUMMARYMARKER",
    "pending verdict analysis": "PENDINGANALYSISMARKER",
    "pending correction note": "PENDINGCORRECTIONMARKER",
    "evidence added after publication": "LATEEVIDENCEMARKER",
    "tipster e-mail": "tipster-marker@example.org",
    "tip note": "TIPNOTEMARKER",
    "in-review claim": "INREVIEWCLAIMMARKER",
    "in-review verdict summary": "DRAFTSUMMARYMARKER",
    "in-review claimant": "HIDDENCLAIMANTMARKER",
    "in-review topic": "HIDDENTOPICMARKER",
    "in-review source": "HIDDENSOURCEMARKER",
    "new claim": "NEWCLAIMMARKER",
    "closed claim": "CLOSEDCLAIMMARKER",
    "closing note": "CLOSINGNOTEMARKER",
    "reader tip": "READERTIPCLAIMMARKER",
    "reader tip e-mail": "draft-tipster@example.org",
    "edit history": "EDITEDAWAYMARKER",
}


@pytest.fixture
def world(editor, reviewer, other_reviewer):
    """One published claim whose every hidden corner is planted with a marker, plus claims in every
    unpublished state."""
    claimant = ClaimantFactory(name="Public Claimant", slug="public-claimant")
    source = SourceFactory(title="Public source", url="https://public-source.example/a",
                           text=f"Once upon a time. {MARKERS['source full text']} The assets total 300 billion.")
    topic = TopicFactory(name="Public topic", slug="public-topic")

    # Arrives as a reader tip with an e-mail, is attributed and researched.
    claim = workflow.create_claim(actor=None, is_reader_tip=True, text=f"Assets total {MARKERS['edit history']}",
                                  note=MARKERS["tip note"], tipster_email=MARKERS["tipster e-mail"])
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, claimant=claimant, source=source,
                                topics=[topic], text="Assets total 300 billion euros",
                                quote="The assets total 300 billion.")
    claim = workflow.start_research(claim=claim, actor=editor, version=claim.version)
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Euroclear results",
                          url="https://evidence.example/euroclear", stance=Evidence.Stance.REFUTES)
    claim.refresh_from_db()
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Insider account",
                          url=f"https://{MARKERS['withheld url']}/x",
                          archived_url=f"https://{MARKERS['withheld archive']}/x",
                          publisher=MARKERS["withheld publisher"], withheld=True,
                          withheld_reason=MARKERS["withheld reason"])
    claim.refresh_from_db()

    # A first verdict is sent back with a note; a second is approved with an internal note.
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("true"),
                             summary=MARKERS["sent-back verdict summary"],
                             analysis=MARKERS["sent-back verdict analysis"])
    claim.refresh_from_db()
    claim = workflow.send_back(claim=claim, actor=reviewer, version=claim.version, note=MARKERS["send-back note"])
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                             summary="Euroclear holds about 185 billion euros.", analysis="The figure is too high.")
    claim.refresh_from_db()
    claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version, note=MARKERS["approval note"])
    assert claim.is_public

    # Then reopened: new evidence and a new verdict wait in review, not yet approved.
    claim = workflow.reopen(claim=claim, actor=other_reviewer, version=claim.version, reason=MARKERS["reopen reason"])
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version,
                          title=MARKERS["evidence added after publication"], url="https://late-evidence.example/x")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("half-true"),
                             summary=MARKERS["pending verdict summary"], analysis=MARKERS["pending verdict analysis"],
                             correction_note=MARKERS["pending correction note"])
    claim.refresh_from_db()

    # Claims in every unpublished state, with their own claimant, topic and source.
    hidden_claimant = ClaimantFactory(name=MARKERS["in-review claimant"], slug="hiddenclaimantmarker")
    hidden_topic = TopicFactory(name=MARKERS["in-review topic"], slug="hiddentopicmarker")
    hidden_source = SourceFactory(title=MARKERS["in-review source"], url="https://hiddensourcemarker.example/")
    in_review = in_review_claim(actor=editor, text=MARKERS["in-review claim"], claimant=hidden_claimant,
                                topics=[hidden_topic], source=hidden_source)
    workflow.send_back(claim=in_review, actor=reviewer, version=in_review.version, note="again")
    in_review.refresh_from_db()
    workflow.propose_verdict(claim=in_review, actor=editor, version=in_review.version, rating=rating("false"),
                             summary=MARKERS["in-review verdict summary"])
    in_review.refresh_from_db()
    new = new_claim(actor=editor, text=MARKERS["new claim"], claimant=hidden_claimant)
    closed = researching_claim(actor=editor, text=MARKERS["closed claim"], claimant=hidden_claimant)
    closed = workflow.close(claim=closed, actor=reviewer, version=closed.version, reason="out_of_scope",
                            note=MARKERS["closing note"])
    tip = workflow.create_claim(actor=None, is_reader_tip=True, text=MARKERS["reader tip"],
                                tipster_email=MARKERS["reader tip e-mail"])

    # A second public claim, corrected, so that the corrections log and feed have content.
    corrected = published_claim(actor=editor, approver=reviewer, text="Rubio spoke to Lavrov", claimant=claimant)
    corrected = workflow.reopen(claim=corrected, actor=reviewer, version=corrected.version, reason="Transcript")
    workflow.propose_verdict(claim=corrected, actor=editor, version=corrected.version, rating=rating("true"),
                             summary="The transcript shows the call.", correction_note="The transcript came out.")
    corrected.refresh_from_db()
    corrected = workflow.approve(claim=corrected, actor=reviewer, version=corrected.version)

    assert set(Claim.objects.public()) == {claim, corrected}
    assert ClaimEvent.objects.filter(public=False).count() > 10
    return {"claim": claim, "corrected": corrected, "claimant": claimant, "topic": topic, "source": source,
            "hidden": [in_review, new, closed, tip], "hidden_claimant": hidden_claimant,
            "hidden_topic": hidden_topic, "hidden_source": hidden_source}


def public_urls(world):
    claim, source = world["claim"], world["source"]
    return [
        "/",
        "/claims/",
        "/claims/?q=assets",
        "/claims/?rating=false&claimant=public-claimant&topic=public-topic",
        f"/claims/?source={source.pk}",
        claim.get_absolute_url(),
        world["corrected"].get_absolute_url(),
        "/claimants/public-claimant/",
        "/topics/public-topic/",
        f"/sources/{source.pk}/",
        "/corrections/",
        "/methodology/",
        "/feeds/latest/",
        "/sitemap.xml",
        "/robots.txt",
        "/submit/",
    ]


def assert_clean(body, where):
    lowered = body.lower()
    leaked = [name for name, marker in MARKERS.items() if marker.lower() in lowered]
    assert not leaked, f"{where} leaks: {', '.join(leaked)}"


def test_every_marker_is_really_planted(world):
    """The scan below proves something only if each marker is in the database to be leaked."""
    from django.core import serializers

    from claims.models import Appearance, Claimant, Source, Topic, Verdict

    dump = "".join(
        serializers.serialize("json", model.objects.all())
        for model in (Claim, ClaimEvent, Evidence, Verdict, Source, Claimant, Topic, Appearance)
    ).lower()
    missing = [name for name, marker in MARKERS.items() if marker.lower() not in dump]
    assert not missing


def test_no_public_page_feed_or_sitemap_leaks_anything_unpublished(anonymous, world):
    for url in public_urls(world):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert_clean(response.content.decode(), url)


def test_the_published_verdict_still_shows_while_its_correction_is_in_review(anonymous, world):
    page = anonymous.get(world["claim"].get_absolute_url()).content.decode()
    assert "Euroclear holds about 185 billion euros." in page
    assert "Insider account" in page and "Source withheld" in page
    assert "Erin Editor" in page and "Rita Reviewer" in page  # who checked the published verdict
    assert "Remy Second" not in page  # reopened it: an internal step


@pytest.mark.parametrize("name", ["source full text", "pending verdict summary", "in-review claim", "new claim",
                                  "closed claim", "reader tip", "in-review claimant", "sent-back verdict summary",
                                  "send-back note"])
def test_search_finds_nothing_unpublished(anonymous, world, name):
    response = anonymous.get("/claims/", {"q": MARKERS[name]})
    assert list(response.context["page"].object_list) == []
    assert_clean(response.content.decode().replace(MARKERS[name], ""), f"search for {name}")


def test_filters_naming_hidden_things_find_nothing_and_offer_nothing(anonymous, world):
    hidden = world["hidden_source"]
    response = anonymous.get(f"/claims/?source={hidden.pk}")
    assert list(response.context["page"].object_list) == []
    assert "HIDDENSOURCEMARKER" not in response.content.decode()
    # A claimant or topic with nothing published is answered exactly as a made-up one: the filter is ignored,
    # with no chip, so the answer confirms nothing.
    for query in ("claimant=hiddenclaimantmarker", "topic=hiddentopicmarker"):
        response = anonymous.get(f"/claims/?{query}")
        made_up = anonymous.get(f"/claims/?{query.split('=')[0]}=madeupmarker")
        assert list(response.context["page"].object_list) == list(made_up.context["page"].object_list)
        assert response.context["chips"] == made_up.context["chips"] == []
        assert_clean(response.content.decode(), query)
    options = anonymous.get("/claims/").context["options"]
    assert "hiddenclaimantmarker" not in options["claimant"] and "hiddentopicmarker" not in options["topic"]


def test_hidden_claims_and_their_claimant_topic_and_source_answer_404(anonymous, world):
    for claim in world["hidden"]:
        assert anonymous.get(claim.get_absolute_url()).status_code == 404
        assert anonymous.get(f"/claims/{claim.pk}/").status_code == 404
        assert anonymous.get(f"/claims/{claim.pk}/other-slug/").status_code == 404
    assert anonymous.get("/claimants/hiddenclaimantmarker/").status_code == 404
    assert anonymous.get("/topics/hiddentopicmarker/").status_code == 404
    assert anonymous.get(f"/sources/{world['hidden_source'].pk}/").status_code == 404


def test_logged_in_editors_see_the_same_public_pages(editor_client, world):
    # The public site is the public's view even for the desk: drafts stay on the desk.
    for claim in world["hidden"]:
        assert editor_client.get(claim.get_absolute_url()).status_code == 404
    body = editor_client.get(world["claim"].get_absolute_url()).content.decode()
    assert_clean(body, "claim page seen by an editor")


def test_json_ld_leaks_nothing(anonymous, world):
    import json
    import re

    page = anonymous.get(world["claim"].get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["reviewRating"]["alternateName"] == "False"
    assert_clean(json.dumps(data), "JSON-LD")
