"""Nothing typed is lost, without a browser: date inputs carry ISO values whatever the site's language, and
a textarea's CRLF line ends (what browsers send) read back as the LF that was stored.
test_browser_unchanged_save.py saves every desk form unchanged in a real browser."""

import datetime
import re

import pytest
from django.test import override_settings

from claims import workflow
from claims.forms import ClaimEditForm, EvidenceForm, SourceForm
from claims.models import Claim, Source

from .factories import SourceFactory, new_claim

pytestmark = pytest.mark.django_db


def date_values(html):
    return re.findall(r'<input type="date" name="(\w+)" value="([^"]*)"', html)


@pytest.mark.parametrize("language", ["en-gb", "en-us", "de"])
def test_the_claim_page_renders_its_dates_in_iso(editor_client, editor, language):
    claim = new_claim(actor=editor, claim_date=datetime.date(2025, 10, 22))
    claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version,
                                recheck_on=datetime.date(2026, 12, 31))
    with override_settings(LANGUAGE_CODE=language):
        html = editor_client.get(claim.get_desk_url()).content.decode()
    assert date_values(html) == [("claim_date", "2025-10-22"), ("recheck_on", "2026-12-31")]


def test_the_source_form_renders_its_date_in_iso(editor_client):
    source = SourceFactory(published_on=datetime.date(2025, 10, 21))
    html = editor_client.get(f"/desk/sources/{source.pk}/").content.decode()
    assert date_values(html) == [("published_on", "2025-10-21")]


def test_every_date_widget_of_the_desk_forms_is_iso():
    for form in (ClaimEditForm(), SourceForm()):
        for name, field in form.fields.items():
            if getattr(field.widget, "input_type", None) == "date":
                assert field.widget.format == "%Y-%m-%d", name


def test_textarea_line_ends_read_back_as_stored(editor_client, editor):
    source = SourceFactory(text="First line.\n\nHe said: there is no legal way\nto seize them.\n")
    claim = new_claim(actor=editor, quote="there is no legal way\nto seize them", source=source)
    data = {"text": claim.text, "quote": claim.quote.replace("\n", "\r\n"), "claimant": claim.claimant_id,
            "source": source.pk, "claim_date": "", "language": "en", "recheck_on": "", "version": claim.version}
    editor_client.post(claim.get_desk_url(), data)
    assert Claim.objects.get().version == 1

    form = SourceForm({"title": source.title, "url": source.url, "outlet": source.outlet, "language": "en",
                       "text": source.text.replace("\n", "\r\n")}, instance=source)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == source.text  # not stripped either: quote offsets count from its start
    form.save()
    assert Source.objects.get().text == source.text


def test_an_evidence_note_reads_back_as_stored():
    form = EvidenceForm({"title": "T", "note": "One.\r\n\r\nTwo.", "stance": "context", "version": 1})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "One.\n\nTwo."
