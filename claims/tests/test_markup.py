"""The pieces that keep pages valid HTML (factcheck/tests/test_valid_html.py runs the Nu HTML Checker over every
page): link targets, timestamps, and form inputs that come back with what the editor typed."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from claims.forms import AppearanceForm, ClaimantForm, ReaderTipForm, SourceForm
from claims.rendering import href, render_markdown


@pytest.mark.parametrize(("typed", "link"), [
    ("https://example.org/a|b", "https://example.org/a%7Cb"),
    ("https://example.org/{x}?q=a b^c&d=%", "https://example.org/%7Bx%7D?q=a%20b%5Ec&d=%25"),
    ("https://example.org/%zz%41", "https://example.org/%25zz%41"),  # a % that escapes nothing, and one that does
    ("https://example.org/a#b#c", "https://example.org/a#b%23c"),
    ("https://example.org/ä", "https://example.org/%C3%A4"),
    ("https://user:secret@example.org/x", "https://example.org/x"),
    ("  http://example.org/fine?a=1&b=2#top ", "http://example.org/fine?a=1&b=2#top"),
    ("https://example.org:99999/", ""),
    ("javascript:alert(1)", ""),
    ("data:text/html,hi", ""),
    ("https:///no-host", ""),
    ("", ""),
    (None, ""),
])
def test_href_is_a_valid_http_link_or_nothing(typed, link):
    assert href(typed) == link


def test_markdown_links_are_valid_and_a_refused_one_is_left_as_its_words():
    html = render_markdown("[a](https://a.example/x|y) [b **c**](javascript:alert(1)) [d](mailto:desk@example.org)")
    assert '<a href="https://a.example/x%7Cy" rel="nofollow noopener noreferrer">a</a>' in html
    assert " b <strong>c</strong> " in html and "javascript" not in html
    assert '<a href="mailto:desk@example.org"' in html
    assert html.count("<a ") == 2


def test_timestamp_is_iso_to_the_second_in_the_page_time_zone(settings):
    settings.TIME_ZONE = "Europe/Brussels"
    at = datetime.datetime(2025, 10, 22, 9, 30, 15, 612287, tzinfo=datetime.UTC)
    rendered = Template("{% load claims_tags %}{{ at|timestamp }} {{ day|timestamp }} [{{ nothing|timestamp }}]")
    with timezone.override(zoneinfo.ZoneInfo("Europe/Brussels")):
        text = rendered.render(Context({"at": at, "day": datetime.date(2025, 10, 21), "nothing": None}))
    assert text == "2025-10-22T11:30:15+02:00 2025-10-21 []"


def test_a_refused_web_address_comes_back_typed_in_a_text_input():
    form = AppearanceForm({"version": "1", "url": "javascript:alert(1)", "archived_url": "https://archive.example/x",
                           "seen_on": "last week"})
    assert not form.is_valid()
    html = str(form["url"])
    assert 'type="text"' in html and 'value="javascript:alert(1)"' in html
    assert 'type="url"' in str(form["archived_url"])
    seen_on = str(form["seen_on"])
    assert 'type="text"' in seen_on and 'value="last week"' in seen_on


def test_web_address_and_date_inputs_keep_their_types_for_good_values(db):
    assert 'type="url"' in str(ReaderTipForm()["url"])
    assert 'type="url"' in str(ClaimantForm(initial={"same_as": "https://en.wikipedia.org/wiki/X"})["same_as"])
    source = str(SourceForm(initial={"published_on": datetime.date(2025, 10, 22)})["published_on"])
    assert 'type="date"' in source and 'value="2025-10-22"' in source
    # Stored before this check existed, with a character a URL may not hold: editable as text.
    assert 'type="text"' in str(ClaimantForm(initial={"same_as": "https://example.org/a|b"})["same_as"])
