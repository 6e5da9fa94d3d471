"""The intake workspace and the API: access, shape, capture with exact offsets, bad input."""

import io

import pytest
from django.urls import reverse

from claims.tests.factories import ClaimantFactory, SourceFactory, new_claim, token_client
from intake import limits, transformer

TEXT = (
    "Markets were calm on Tuesday. Western governments still hold roughly 210 billion euros of frozen Russian "
    "central bank money, most of it at Euroclear. 👍 The minister smiled. Unemployment rose by 4.2 percent in 2023."
)


@pytest.fixture
def source(db):
    return SourceFactory(text=TEXT, url="https://example.org/markets", outlet="Example")


@pytest.fixture
def checked(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return new_claim(actor=editor, text="About €210bn of Russian central-bank reserves are frozen",
                         quote="The approximately €210 billion in Russian central bank reserves frozen by sanctions.",
                         claimant=ClaimantFactory())


def test_the_workspace_lists_sentences_by_score_with_capture_links_and_matches(editor_client, source, checked):
    page = editor_client.get(reverse("intake:workspace", args=[source.pk]))
    assert page.status_code == 200
    ranked = page.context["ranked"]
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    repeat = next(r for r in page.context["rows"] if "210 billion" in r["text"])
    assert repeat["matches"][0]["claim"] == checked.pk
    assert checked.get_desk_url() in page.content.decode()
    # Without JavaScript, each sentence has a capture link with its quote and offset.
    assert "quote_start=" in repeat["capture_url"]


def test_the_workspace_is_for_editors(client, django_user_model, source):
    assert client.get(reverse("intake:workspace", args=[source.pk])).status_code == 302  # to the log-in page
    client.force_login(django_user_model.objects.create_user("reader"))
    assert client.get(reverse("intake:workspace", args=[source.pk])).status_code == 403


def test_an_unknown_source_is_404(editor_client, db):
    assert editor_client.get(reverse("intake:workspace", args=[999999])).status_code == 404


def test_a_span_captured_keeps_its_exact_offsets_even_when_the_words_recur(editor_client, source, editor):
    source.text = "he said it. Then he said it. " + TEXT
    source.save()
    second = source.text.index("he said it", 5)
    answer = editor_client.post(reverse("intake:capture", args=[source.pk]),
                                {"start": second, "end": second + len("he said it")})
    form = editor_client.get(answer["Location"])
    assert form.context["form"].initial["quote"] == "he said it"
    claimant = ClaimantFactory()
    saved = editor_client.post(reverse("desk:claim_new"), {
        "text": "He said it", "quote": "he said it", "quote_start": second,
        "claimant": claimant.pk, "source": source.pk, "language": "en", "confirm_new": "on",
    })
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    from claims.models import Claim

    claim = Claim.objects.get(text="He said it")
    assert (claim.quote_start, claim.quote_end) == (second, second + len("he said it"))
    assert source.text[claim.quote_start:claim.quote_end] == claim.quote


def test_ticked_sentences_become_one_quote(editor_client, source):
    editor_client.get(reverse("intake:workspace", args=[source.pk]))
    answer = editor_client.post(reverse("intake:capture", args=[source.pk]), {"sentence": ["0", "1"]})
    form = editor_client.get(answer["Location"])
    quote = form.context["form"].initial["quote"]
    assert quote.startswith("Markets were calm") and quote.endswith("at Euroclear.")
    assert form.context["form"].initial["quote_start"] == 0


def test_nothing_ticked_is_a_message_not_an_error(editor_client, source):
    answer = editor_client.post(reverse("intake:capture", args=[source.pk]), {})
    assert answer.status_code == 302 and answer["Location"].endswith("/intake/")


def test_recording_an_appearance_goes_through_the_workflow(editor_client, source, checked):
    answer = editor_client.post(reverse("intake:appearance", args=[source.pk]), {"claim": checked.pk})
    assert answer.status_code == 302
    assert checked.appearances.filter(url=source.url).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\x00" * 100, "binary"),
        (b"%PDF-1.4\n%%EOF", "PDF"),
        (b"<!doctype html><html><head><script>alert(1)</script></head><body><script>x()</script></body></html>",
         "No article text"),
    ],
    ids=["empty", "binary", "pdf-without-text", "scripts-only-html"],
)
def test_bad_uploads_get_a_clear_error(editor_client, source, upload, message):
    file = io.BytesIO(upload)
    file.name = "upload.pdf" if upload.startswith(b"%PDF") else "upload.html" if b"html" in upload else "upload.txt"
    page = editor_client.post(reverse("intake:workspace", args=[source.pk]), {"upload": file})
    assert page.status_code == 200
    assert message in str(page.context["form"].errors)


def test_a_five_megabyte_upload_is_refused_before_it_is_read(editor_client, source):
    """The request's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) answers first, with the 413 page."""
    file = io.BytesIO(b"a" * 5_000_000)
    file.name = "big.txt"
    page = editor_client.post(reverse("intake:workspace", args=[source.pk]), {"upload": file})
    assert page.status_code == 413
    assert "too large" in page.content.decode()


def test_a_file_over_the_intake_limit_is_refused_with_a_clear_error(editor_client, source, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000_000
    file = io.BytesIO(b"word " * (limits.MAX_UPLOAD_BYTES // 5 + 1))
    file.name = "big.txt"
    page = editor_client.post(reverse("intake:workspace", args=[source.pk]), {"upload": file})
    assert page.status_code == 200
    assert "the limit is 2 MB" in str(page.context["form"].errors)


def test_html_gives_its_article_text_and_no_script(editor_client, source):
    html = (b"<html><head><script>document.write('bad')</script><title>t</title></head><body><nav>Menu</nav>"
            b"<article><h1>Summit</h1><p>The Russian Foreign Ministry said it had sent a non-paper to Washington "
            b"before the summit was cancelled, according to Kommersant.</p><p>Officials declined to comment on "
            b"the reports on Tuesday evening.</p></article><script>steal()</script></body></html>")
    file = io.BytesIO(html)
    file.name = "page.html"
    editor_client.post(reverse("intake:workspace", args=[source.pk]), {"upload": file})
    source.refresh_from_db()
    assert "non-paper" in source.text
    assert "steal" not in source.text and "document.write" not in source.text


def test_pasted_text_in_an_encoding_other_than_utf8_is_decoded(editor_client, source):
    file = io.BytesIO("Le ministre a déclaré que la réunion était annulée.".encode("latin-1") * 3)
    file.name = "note.txt"
    editor_client.post(reverse("intake:workspace", args=[source.pk]), {"upload": file})
    source.refresh_from_db()
    assert "déclaré" in source.text


def test_right_to_left_and_mixed_text_is_kept_and_left_unscored(editor_client, source):
    text = "قال لافروف إن روسيا مستعدة للمحادثات. Rubio said the summit was off. وأضاف أن القمة أُلغيت."
    editor_client.post(reverse("intake:workspace", args=[source.pk]), {"text": text})
    page = editor_client.get(reverse("intake:workspace", args=[source.pk]))
    scores = [r["score"] for r in page.context["rows"]]
    assert scores[0] is None and scores[2] is None and scores[1] is not None


def test_empty_and_oversized_pasted_text_get_a_clear_error(editor_client, source):
    page = editor_client.post(reverse("intake:workspace", args=[source.pk]), {"text": "   "})
    assert "no text" in str(page.context["form"].errors)
    page = editor_client.post(reverse("intake:workspace", args=[source.pk]),
                              {"text": "a" * (limits.MAX_TEXT_CHARACTERS + 1)})
    assert "300,000" in str(page.context["form"].errors)


# --- the API --------------------------------------------------------------------------------------------


def test_the_api_answers_the_documented_shape(editor, checked):
    api = token_client(editor)
    answer = api.post("/api/v1/analysis/", {"text": TEXT, "language": "en"}, format="json")
    assert answer.status_code == 200
    sentences = answer.json()["sentences"]
    assert set(sentences[0]) == {"start", "end", "text", "score", "matches"}
    for s in sentences:
        assert TEXT[s["start"]:s["end"]] == s["text"]
    repeat = next(s for s in sentences if "210 billion" in s["text"])
    assert set(repeat["matches"][0]) == {"claim", "url", "score", "origin"}
    assert repeat["matches"][0]["claim"] == checked.pk and repeat["matches"][0]["origin"] == "ours"


def test_the_api_scores_sentences_already_split(editor):
    answer = token_client(editor).post(
        "/api/v1/analysis/", {"sentences": ["Unemployment rose by 4.2 percent in 2023.", "Привет, мир."]},
        format="json",
    )
    first, second = answer.json()["sentences"]
    assert first["start"] is None and 0 <= first["score"] <= 1
    assert second["score"] is None


def test_repeated_sentences_are_encoded_once(editor, checked, monkeypatch):
    """2,000 copies of one sentence (schemathesis sent that) cost one encoding, not minutes of them."""
    encoded = []
    real_embed = transformer.embed

    def counting_embed(texts, **options):
        encoded.extend(texts)
        return real_embed(texts, **options)

    monkeypatch.setattr(transformer, "embed", counting_embed)
    sentence = "About €210bn of Russian central-bank reserves are frozen, officials said."
    answer = token_client(editor).post("/api/v1/analysis/", {"sentences": [sentence, "0"] * 1000}, format="json")
    rows = answer.json()["sentences"]
    assert len(rows) == 2000 and rows[0] == rows[2000 - 2] and rows[1] == rows[-1]
    assert rows[0]["matches"][0]["claim"] == checked.pk
    assert sorted(encoded) == ["0", sentence]


@pytest.mark.parametrize("body", [{}, {"text": "a", "sentences": ["b"]}, {"sentences": "not a list"},
                                  {"text": "a" * (limits.MAX_TEXT_CHARACTERS + 1)}])
def test_the_api_refuses_bad_bodies_with_400(editor, body, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000_000
    assert token_client(editor).post("/api/v1/analysis/", body, format="json").status_code == 400


def test_the_api_is_for_editors_only(api_client, django_user_model, db):
    assert api_client.post("/api/v1/analysis/", {"text": "x"}, format="json").status_code == 401
    reader = django_user_model.objects.create_user("reader")
    assert token_client(reader).post("/api/v1/analysis/", {"text": "x"}, format="json").status_code == 403


def test_the_source_analysis_endpoint(editor, source, api_client):
    answer = token_client(editor).get(f"/api/v1/sources/{source.pk}/analysis/")
    assert answer.status_code == 200
    assert answer.json()["sentences"][0]["text"] == "Markets were calm on Tuesday."
    assert token_client(editor).get("/api/v1/sources/999999/analysis/").status_code == 404
    assert api_client.get(f"/api/v1/sources/{source.pk}/analysis/").status_code == 401


def test_both_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/analysis/" in schema["paths"]
    assert "/api/v1/sources/{source_id}/analysis/" in schema["paths"]


def test_a_source_fetched_from_its_address_keeps_the_pages_text(editor_client, source, settings):
    from factcheck.tests.webserver import web_server

    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with web_server() as server:
        editor_client.post(reverse("intake:workspace", args=[source.pk]), {"url": server.url("/")})
    source.refresh_from_db()
    assert "Exports rose by 4% in 2024." in source.text
    assert "alert" not in source.text


@pytest.mark.parametrize(("address", "message"), [
    ("http://127.0.0.1:9/", "Could not fetch"),  # a private address: refused by the fetcher
    ("http://10.0.0.1/", "Could not fetch"),
])
def test_a_private_or_failing_address_gets_a_clear_error(editor_client, source, address, message, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    page = editor_client.post(reverse("intake:workspace", args=[source.pk]), {"url": address})
    assert page.status_code == 200
    assert message in str(page.context["form"].errors["url"])


def test_an_address_that_answers_404_gets_a_clear_error(editor_client, source, settings):
    from factcheck.tests.webserver import web_server

    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with web_server() as server:
        page = editor_client.post(reverse("intake:workspace", args=[source.pk]), {"url": server.url("/404")})
    assert "404" in str(page.context["form"].errors["url"])


def test_a_long_text_is_analysed_by_the_task_queue(editor_client, source, django_capture_on_commit_callbacks):
    from background.testing import run_queued_tasks

    long_text = " ".join(f"Exports rose by {n} percent in 2024." for n in range(800))
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("intake:workspace", args=[source.pk]), {"text": long_text})
    page = editor_client.get(reverse("intake:workspace", args=[source.pk]))
    assert page.context["pending"] and page.context["rows"] == []
    assert run_queued_tasks() >= 1
    page = editor_client.get(reverse("intake:workspace", args=[source.pk]))
    assert not page.context["pending"] and len(page.context["rows"]) == 800


def test_the_workspace_reads_in_a_fixed_number_of_queries(editor_client, source, checked, django_assert_num_queries):
    url = reverse("intake:workspace", args=[source.pk])
    editor_client.get(url)  # analyses the text once and reads the index
    # session, user, the user's own and group permissions (desk gate), the source, its stored analysis, the
    # index's changes since it last looked, the matched claims
    with django_assert_num_queries(8):
        assert editor_client.get(url).status_code == 200


def test_the_api_reads_in_a_fixed_number_of_queries(editor, checked, django_assert_num_queries):
    api = token_client(editor)
    api.post("/api/v1/analysis/", {"text": TEXT}, format="json")
    # the token and its user, the user's permissions, the index's changes, the matched claims
    with django_assert_num_queries(5):
        assert api.post("/api/v1/analysis/", {"text": TEXT}, format="json").status_code == 200


@pytest.mark.parametrize("span", [{"start": "5", "end": "99999999"}, {"start": "99999999", "end": "99999999999"},
                                  {"start": "-5", "end": "3"}, {"start": "x", "end": "y"}, {"sentence": "999"},
                                  {"start": "29", "end": "30"}])
def test_a_selection_outside_the_text_is_a_message_not_an_error(editor_client, source, span):
    answer = editor_client.post(reverse("intake:capture", args=[source.pk]), span)
    assert answer.status_code == 302 and answer["Location"].endswith("/intake/")


@pytest.mark.parametrize("claim", ["abc", "", "99999999", "²"])
def test_recording_an_appearance_of_an_unknown_claim_is_404(editor_client, source, claim):
    assert editor_client.post(reverse("intake:appearance", args=[source.pk]), {"claim": claim}).status_code == 404


def test_recording_an_appearance_needs_the_sources_address(editor_client, checked, db):
    source = SourceFactory(text=TEXT, url="")
    answer = editor_client.post(reverse("intake:appearance", args=[source.pk]), {"claim": checked.pk}, follow=True)
    assert answer.status_code == 200
    assert not checked.appearances.exists()


def test_an_id_past_64_bits_is_404_not_an_error(editor_client, editor):
    huge = 2**70
    assert editor_client.get(f"/desk/sources/{huge}/intake/").status_code == 404
    assert token_client(editor).get(f"/api/v1/sources/{huge}/analysis/").status_code == 404
