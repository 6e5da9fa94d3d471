"""Sources and claimants on the desk, and the annotated source with each claim's quote highlighted in place."""

import pytest
from django.urls import reverse

from claims import workflow
from claims.models import Claimant, Source

from .factories import ClaimantFactory, SourceFactory, in_review_claim, new_claim

pytestmark = pytest.mark.django_db

TEXT = "Lavrov said there is no legal way to seize the assets. Later, he said Russia would retaliate."


def source_form(**fields):
    return {"title": "Lavrov’s last tango", "url": "https://example.org/lavrov", "outlet": "The Bell",
            "author": "", "published_on": "2025-10-24", "language": "en", "text": TEXT, **fields}


def test_creating_and_editing_a_source(editor_client):
    response = editor_client.post(reverse("desk:source_new"), source_form())
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:source", args=[source.pk])
    assert (source.title, source.outlet, source.text) == ("Lavrov’s last tango", "The Bell", TEXT)

    response = editor_client.post(reverse("desk:source", args=[source.pk]), source_form(outlet="Meduza"),
                                  follow=True)
    assert "Source “Lavrov’s last tango” saved." in response.content.decode()
    source.refresh_from_db()
    assert source.outlet == "Meduza"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi"])
def test_a_source_address_must_be_http(editor_client, url):
    response = editor_client.post(reverse("desk:source_new"), source_form(url=url))
    assert "Enter a web address starting with http:// or https://." in response.content.decode()
    assert not Source.objects.exists()


def test_two_sources_cannot_share_an_address(editor_client):
    SourceFactory(title="First", url="https://example.org/lavrov")
    response = editor_client.post(reverse("desk:source_new"), source_form())
    assert "“First” already has this address." in response.content.decode()
    assert Source.objects.count() == 1


def test_a_source_needs_a_title(editor_client):
    response = editor_client.post(reverse("desk:source_new"), source_form(title=""))
    assert response.context["form"].errors["title"]
    assert not Source.objects.exists()


def test_the_source_list_counts_claims_and_finds_by_title(editor_client, editor):
    source = SourceFactory(title="Lavrov’s last tango")
    SourceFactory(title="Something else")
    new_claim(actor=editor, source=source)
    response = editor_client.get(reverse("desk:sources"), {"q": "tango"})
    assert [(s.title, s.claim_count) for s in response.context["page"]] == [("Lavrov’s last tango", 1)]


def test_the_source_page_lists_its_claims_and_offers_capture(editor_client, editor):
    source = SourceFactory()
    claim = new_claim(actor=editor, source=source, text="From this source")
    html = editor_client.get(reverse("desk:source", args=[source.pk])).content.decode()
    assert "From this source" in html and claim.get_desk_url() in html
    assert f"{reverse('desk:claim_new')}?source={source.pk}" in html


def test_the_annotated_source_highlights_each_quote_by_status(editor_client, editor):
    source = SourceFactory(text=TEXT)
    first = new_claim(actor=editor, source=source, text="No legal way", quote="there is no legal way")
    second = in_review_claim(actor=editor, source=source, text="Russia would retaliate",
                             quote="Russia would retaliate")
    missing = new_claim(actor=editor, source=source, text="Not in the text", quote="words not there")
    html = editor_client.get(reverse("desk:source_annotated", args=[source.pk])).content.decode()
    assert (f'<a class="quote quote--new" href="{first.get_desk_url()}" id="claim-{first.pk}">'
            "<mark>there is no legal way</mark>") in html
    assert (f'<a class="quote quote--in_review" href="{second.get_desk_url()}" id="claim-{second.pk}">'
            "<mark>Russia would retaliate</mark>") in html
    assert "Lavrov said " in html and " to seize the assets. Later, he said " in html
    assert "quote not found in the text" in html and missing.get_desk_url() in html


def test_the_annotated_source_escapes_the_text(editor_client, editor):
    text = 'Before <script>alert("x")</script> the quote <b>bold</b> & after'
    source = SourceFactory(text=text)
    new_claim(actor=editor, source=source, text="Bold quote", quote="the quote <b>bold</b>")
    html = editor_client.get(reverse("desk:source_annotated", args=[source.pk])).content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "Before &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; " in html
    assert "<mark>the quote &lt;b&gt;bold&lt;/b&gt;</mark>" in html
    assert " &amp; after" in html


def test_quotes_are_located_in_a_text_pasted_after_capture(editor_client, editor):
    source = SourceFactory(text="")
    claim = new_claim(actor=editor, source=source, quote="Russia would retaliate")
    assert claim.quote_start is None
    editor_client.post(reverse("desk:source", args=[source.pk]),
                       source_form(url=source.url, title=source.title))
    html = editor_client.get(reverse("desk:source_annotated", args=[source.pk])).content.decode()
    assert f'id="claim-{claim.pk}"><mark>Russia would retaliate</mark>' in html


def test_stale_offsets_fall_back_to_finding_the_quote(editor_client, editor):
    source = SourceFactory(text=TEXT)
    claim = new_claim(actor=editor, source=source, quote="Russia would retaliate")
    Source.objects.filter(pk=source.pk).update(text="New first paragraph. " + TEXT)
    html = editor_client.get(reverse("desk:source_annotated", args=[source.pk])).content.decode()
    assert f'id="claim-{claim.pk}"><mark>Russia would retaliate</mark>' in html


def test_overlapping_quotes_mark_the_first_and_list_the_second(editor_client, editor):
    source = SourceFactory(text=TEXT)
    outer = new_claim(actor=editor, source=source, text="Outer", quote="there is no legal way to seize")
    inner = new_claim(actor=editor, source=source, text="Inner", quote="no legal way")
    response = editor_client.get(reverse("desk:source_annotated", args=[source.pk]))
    located = {c.pk: c.located for c in response.context["claims"]}
    assert located == {outer.pk: True, inner.pk: False}
    assert response.content.decode().count("<mark>") == 1 + 5  # one highlight and the five legend samples


def test_a_source_without_text_says_so(editor_client):
    source = SourceFactory(text="")
    html = editor_client.get(reverse("desk:source_annotated", args=[source.pk])).content.decode()
    assert "This source has no full text." in html


@pytest.mark.parametrize("n", [1, 10])
def test_annotated_source_queries_do_not_grow(editor_client, editor, n, django_assert_num_queries):
    source = SourceFactory(text=TEXT * n)
    for i in range(n):
        workflow.create_claim(actor=editor, text=f"Claim {i}", claimant=ClaimantFactory(), source=source,
                              quote="Russia would retaliate")
    # session, user, permissions (2), the source, its claims with their claimants.
    with django_assert_num_queries(6):
        editor_client.get(reverse("desk:source_annotated", args=[source.pk]))


def test_creating_and_editing_a_claimant(editor_client, editor):
    response = editor_client.post(reverse("desk:claimant_new"), {
        "name": "Sergey Lavrov", "kind": "person", "description": "Russian Foreign Minister",
        "same_as": "https://en.wikipedia.org/wiki/Sergey_Lavrov"})
    claimant = Claimant.objects.get()
    assert response["Location"] == reverse("desk:claimant", args=[claimant.pk])
    assert claimant.slug == "sergey-lavrov"

    new_claim(actor=editor, claimant=claimant, text="His claim")
    response = editor_client.post(reverse("desk:claimant", args=[claimant.pk]), {
        "name": "Sergei Lavrov", "kind": "person", "description": "Minister", "same_as": ""}, follow=True)
    html = response.content.decode()
    assert "Claimant “Sergei Lavrov” saved." in html and "His claim" in html
    claimant.refresh_from_db()
    # The public address stays put after a rename.
    assert (claimant.name, claimant.slug) == ("Sergei Lavrov", "sergey-lavrov")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi"])
def test_a_claimant_link_must_be_http(editor_client, url):
    response = editor_client.post(reverse("desk:claimant_new"),
                                  {"name": "X", "kind": "person", "description": "", "same_as": url})
    assert "Enter a web address starting with http:// or https://." in response.content.decode()
    assert not Claimant.objects.exists()


def test_the_claimant_list_counts_claims(editor_client, editor):
    claimant = ClaimantFactory(name="Sergey Lavrov")
    new_claim(actor=editor, claimant=claimant)
    response = editor_client.get(reverse("desk:claimants"), {"q": "lavrov"})
    assert [(c.name, c.claim_count) for c in response.context["page"]] == [("Sergey Lavrov", 1)]
