"""Safe rendering: script in any field a person typed comes out as inert text on every public page."""

import re

import pytest

from claims import workflow
from claims.models import Appearance, Evidence
from claims.tests.factories import ClaimantFactory, SourceFactory, TopicFactory, rating, researching_claim

pytestmark = pytest.mark.django_db

XSS = '<script>alert("xss")</script>'
IMG = '<img src=x onerror="alert(1)">'


@pytest.fixture
def hostile(editor, reviewer):
    """A published claim with a script payload in every field a person types."""
    claimant = ClaimantFactory(name=f"Evil {XSS}", slug="evil", description=f"Minister {IMG}")
    source = SourceFactory(title=f"Source {XSS}", outlet=f"Outlet {IMG}", url="https://news.example/x")
    topic = TopicFactory(name=f"Topic {XSS}", slug="evil-topic")
    claim = researching_claim(actor=editor, evidence=0, text=f"Claim {XSS}", quote=f"Quote {IMG} {XSS}",
                              claimant=claimant, source=source, topics=[topic])
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=f"Evidence {XSS}",
                          note=f"Note {IMG}", publisher=f"Publisher {XSS}", url="https://evidence.example/1",
                          stance=Evidence.Stance.REFUTES)
    claim.refresh_from_db()
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=f"Withheld {XSS}",
                          note=f"Withheld note {IMG}", withheld=True, withheld_reason="Risk")
    claim.refresh_from_db()
    Appearance.objects.create(claim=claim, url="https://social.example/1", outlet=f"Outlet {XSS}")
    analysis = (
        f"Para {XSS}\n\n{IMG}\n\n[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
        '<a href="javascript:alert(2)">raw link</a> <iframe src="https://evil.example"></iframe>\n\n'
        "<svg onload=alert(3)></svg> **bold**"
    )
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                             summary=f"Summary {XSS} {IMG}", analysis=analysis)
    claim.refresh_from_db()
    claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="r")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("misleading"),
                             summary=f"Corrected {XSS}", analysis=analysis,
                             correction_note=f"Correction {XSS} {IMG}")
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def pages(claim):
    return ["/", "/claims/", "/claims/?q=claim", f"/claims/?q={XSS}", claim.get_absolute_url(), "/claimants/evil/",
            "/topics/evil-topic/", f"/sources/{claim.source_id}/", "/corrections/"]


def assert_inert(body, where):
    assert "<script>alert" not in body, where
    assert "<img src=x" not in body, where
    assert "onerror=" not in body.replace("onerror=&quot;", "").replace("onerror=&#x27;", ""), where
    assert not re.search(r"<(iframe|svg)\b", body), where
    assert not re.search(r'href="\s*(javascript|data):', body, re.I), where


def test_payloads_render_escaped_on_every_public_page(anonymous, hostile):
    for url in pages(hostile):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_inert(body, url)
        # The only script elements are the site's own ClaimReview block and its own files.
        inline = re.findall(r"<script\b(?![^>]*\bsrc=)", body)
        assert len(inline) == (1 if url == hostile.get_absolute_url() else 0), url
        assert all(src.startswith("/static/") for src in re.findall(r'<script\b[^>]*\bsrc="([^"]*)"', body)), url


def test_payloads_show_as_text_where_readers_expect_them(anonymous, hostile):
    page = anonymous.get(hostile.get_absolute_url()).content.decode()
    escaped = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"
    for field in ("Claim ", "Evil ", "Evidence ", "Publisher ", "Withheld ", "Correction ", "Corrected "):
        assert field + escaped in page, field
    assert "<strong>bold</strong>" in page  # Markdown still works
    assert "raw link" in page


def test_feed_escapes_payloads_for_feed_readers(anonymous, hostile):
    body = anonymous.get("/feeds/latest/").content.decode()
    # Titles are text; descriptions are HTML to a feed reader, so they arrive escaped twice in the XML.
    assert "<script>" not in body
    assert "&amp;lt;script&amp;gt;" in body
