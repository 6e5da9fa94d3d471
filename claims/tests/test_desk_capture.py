"""Capturing a claim: existing or inline claimant and source, the near-duplicate check, and bad input."""

import pytest
from django.urls import reverse

from claims.models import Claim, Claimant, ClaimEvent, Source

from .factories import ClaimantFactory, SourceFactory, TopicFactory, new_claim

pytestmark = pytest.mark.django_db

URL = reverse("desk:claim_new")


def form(**fields):
    return {"text": "Frozen Russian assets total €210bn", "quote": "", "claimant": "", "new_claimant_name": "",
            "source": "", "new_source_title": "", "new_source_url": "", "claim_date": "", "language": "en",
            **fields}


def nothing_saved():
    return Claim.objects.count() == 0 and ClaimEvent.objects.count() == 0


def test_the_capture_page_offers_every_field(editor_client):
    TopicFactory()
    html = editor_client.get(URL).content.decode()
    for name in ["text", "quote", "claimant", "new_claimant_name", "source", "new_source_title", "new_source_url",
                 "claim_date", "language", "topics"]:
        assert f'name="{name}"' in html
    # The hard limit is in the page; the soft one drives the live hint.
    assert 'maxlength="200"' in html and 'data-soft-limit="75"' in html
    # Every visible input has a label.
    assert 'for="claim-text"' in html and 'for="claim-new_source_url"' in html


def test_capture_with_an_existing_claimant_and_source(editor_client, editor):
    claimant, source, topic = ClaimantFactory(), SourceFactory(), TopicFactory()
    response = editor_client.post(URL, form(claimant=claimant.pk, source=source.pk, topics=[topic.pk],
                                            claim_date="2025-10-22", language="ru"))
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == claim.get_desk_url()
    assert (claim.claimant, claim.source, claim.language, str(claim.claim_date)) == (claimant, source, "ru",
                                                                                      "2025-10-22")
    assert list(claim.topics.all()) == [topic]
    assert claim.status == Claim.Status.NEW and claim.version == 1
    assert claim.events.get().actor == editor
    page = editor_client.get(response["Location"])
    assert f"Claim {claim.pk} captured." in page.content.decode()


def test_capture_creates_a_claimant_and_a_source_inline(editor_client):
    response = editor_client.post(URL, form(
        new_claimant_name="Sergey Lavrov", new_claimant_description="Russian Foreign Minister",
        new_source_title="Lavrov’s last tango", new_source_url="https://example.org/lavrov",
    ))
    assert response.status_code == 302
    claim = Claim.objects.select_related("claimant", "source").get()
    assert (claim.claimant.name, claim.claimant.slug, claim.claimant.description) == (
        "Sergey Lavrov", "sergey-lavrov", "Russian Foreign Minister")
    assert (claim.source.title, claim.source.url) == ("Lavrov’s last tango", "https://example.org/lavrov")


def test_a_second_claimant_of_the_same_name_gets_its_own_slug(editor_client):
    ClaimantFactory(name="Sergey Lavrov", slug="sergey-lavrov")
    editor_client.post(URL, form(new_claimant_name="Sergey Lavrov"))
    assert Claim.objects.get().claimant.slug == "sergey-lavrov-2"


def test_picking_a_claimant_and_naming_a_new_one_is_refused(editor_client):
    response = editor_client.post(URL, form(claimant=ClaimantFactory().pk, new_claimant_name="Someone else"))
    assert response.status_code == 200
    assert "Pick an existing claimant or name a new one, not both." in response.content.decode()
    assert nothing_saved() and Claimant.objects.count() == 1


def test_a_claim_needs_a_claimant_and_an_inline_source_is_then_not_kept(editor_client):
    response = editor_client.post(URL, form(new_source_title="An article", new_source_url="https://example.org/a"))
    assert response.status_code == 200
    assert "Choose who made the claim." in response.content.decode()
    # The workflow refused after the source was created; the one transaction took it back.
    assert nothing_saved() and Source.objects.count() == 0
    # What the editor typed is still there.
    assert 'value="https://example.org/a"' in response.content.decode()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "JaVaScRiPt:alert(1)", "ftp://example.org/file"])
def test_a_new_source_address_must_be_http(editor_client, url):
    response = editor_client.post(URL, form(claimant=ClaimantFactory().pk, new_source_title="Bad",
                                            new_source_url=url))
    assert response.status_code == 200
    assert "Enter a web address starting with http:// or https://." in response.content.decode()
    assert nothing_saved() and Source.objects.count() == 0


@pytest.mark.parametrize("title", ["Again", ""])
def test_a_known_address_uses_that_source_whether_or_not_it_is_in_the_menu(editor_client, title):
    known = SourceFactory(title="Already here", url="https://example.org/known")
    editor_client.post(URL, form(claimant=ClaimantFactory().pk, new_source_title=title,
                                 new_source_url="https://example.org/known"))
    assert Claim.objects.get().source == known and Source.objects.count() == 1


def test_the_menus_offer_the_recently_used_and_the_one_asked_for(editor_client, editor, monkeypatch,
                                                                 django_assert_num_queries):
    from claims import forms

    monkeypatch.setattr(forms, "MENU_SIZE", 2)
    old = [ClaimantFactory(name=f"Old claimant {n}") for n in range(3)]
    for n in range(25):  # newer claimants, each with a claim changed later than the old ones'
        new_claim(actor=editor, text=f"Claim {n}", claimant=ClaimantFactory(name=f"Recent claimant {n:02}"))
    menu = editor_client.get(URL).context["form"]["claimant"]
    names = [label for value, label in menu.field.widget.choices if value]
    assert names == ["Recent claimant 23", "Recent claimant 24"]  # the two of the latest claims (and newest)
    page = editor_client.get(reverse("desk:claimant", args=[old[0].pk])).content.decode()
    assert f'href="{URL}?claimant={old[0].pk}"' in page  # the claimant's page links to a capture by them
    asked = editor_client.get(URL, {"claimant": old[0].pk})
    assert f'<option value="{old[0].pk}" selected>Old claimant 0</option>' in asked.content.decode()
    response = editor_client.post(URL, form(claimant=old[1].pk, confirm_new="on"))  # not offered, still accepted
    assert response.status_code == 302 and Claim.objects.latest("id").claimant == old[1]


def test_oversized_text_is_refused_with_the_limit(editor_client):
    response = editor_client.post(URL, form(text="x" * 201, claimant=ClaimantFactory().pk))
    assert response.status_code == 200
    assert "The claim text is 201 characters; the limit is 200." in response.content.decode()
    assert nothing_saved()


def test_empty_text_is_refused(editor_client):
    response = editor_client.post(URL, form(text="   ", claimant=ClaimantFactory().pk))
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert nothing_saved()


def test_a_bad_language_tag_is_refused(editor_client):
    response = editor_client.post(URL, form(language="english please", claimant=ClaimantFactory().pk))
    assert "Enter a language tag such as en, ru or pt-BR." in response.content.decode()
    assert nothing_saved()


def test_long_text_is_saved_with_a_warning(editor_client):
    text = "About €210bn of Russian central-bank reserves are frozen, mostly at Euroclear"
    assert len(text) > 75
    response = editor_client.post(URL, form(text=text, claimant=ClaimantFactory().pk), follow=True)
    assert Claim.objects.get().text == text
    assert f"The claim text is {len(text)} characters" in response.content.decode()


def test_unicode_and_right_to_left_text_is_kept_intact(editor_client):
    text = "«Никакого законного способа нет» — לא קיימת דרך חוקית"
    editor_client.post(URL, form(text=text, quote=text, new_claimant_name="Сергей Лавров"))
    claim = Claim.objects.select_related("claimant").get()
    assert (claim.text, claim.quote, claim.claimant.name) == (text, text, "Сергей Лавров")
    assert claim.claimant.slug  # a slug even when the name has no Latin letters


def test_near_duplicates_are_shown_before_saving(editor_client, editor):
    existing = new_claim(actor=editor, text="Frozen Russian assets total 210 billion euros")
    response = editor_client.post(URL, form(text="Frozen Russian assets total 210 billion euro",
                                            claimant=ClaimantFactory().pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "These look similar" in html
    assert existing.get_desk_url() in html
    assert 'name="confirm_new"' in html
    assert Claim.objects.count() == 1

    confirmed = editor_client.post(URL, form(text="Frozen Russian assets total 210 billion euro",
                                             claimant=ClaimantFactory().pk, confirm_new="on"))
    assert confirmed.status_code == 302
    assert Claim.objects.count() == 2


def test_an_unrelated_claim_saves_at_once(editor_client, editor):
    new_claim(actor=editor, text="Frozen Russian assets total 210 billion euros")
    response = editor_client.post(URL, form(text="Lavrov missed the Security Council meeting",
                                            claimant=ClaimantFactory().pk))
    assert response.status_code == 302
    assert Claim.objects.count() == 2


def test_the_quote_is_located_in_the_source_text(editor_client):
    source = SourceFactory(text="Intro. Lavrov said: “there is no legal way”. The end.")
    editor_client.post(URL, form(claimant=ClaimantFactory().pk, source=source.pk, quote="there is no legal way"))
    claim = Claim.objects.get()
    assert source.text[claim.quote_start:claim.quote_end] == "there is no legal way"


def test_a_quote_missing_from_the_source_text_is_saved_with_a_warning(editor_client):
    source = SourceFactory(text="Something else entirely.")
    response = editor_client.post(URL, form(claimant=ClaimantFactory().pk, source=source.pk,
                                            quote="words that are not there"), follow=True)
    assert Claim.objects.get().quote_start is None
    assert "The quote was not found word for word" in response.content.decode()


def test_capture_from_a_source_preselects_it(editor_client):
    source = SourceFactory()
    response = editor_client.get(URL, {"source": source.pk})
    assert f'<option value="{source.pk}" selected>' in response.content.decode()
    assert editor_client.get(URL, {"source": "nonsense"}).status_code == 200
