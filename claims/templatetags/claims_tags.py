import datetime
import re

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

from claims import people, rendering

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown; the output is sanitised by nh3, so marking it safe is sound."""
    return SafeString(rendering.render_markdown(text))


@register.filter(name="href")
def href_filter(url):
    """An http(s) address as a valid link target, or "" (claims/rendering.py's ``href``)."""
    return rendering.href(url)


@register.filter
def timestamp(value):
    """A date or time for a ``<time datetime>`` attribute: ISO 8601 to the second, in the page's time zone.
    Django's ``date:'c'`` writes microseconds, and the HTML standard allows at most three digits there."""
    if isinstance(value, datetime.datetime):
        return template_localtime(value).replace(microsecond=0).isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else ""


@register.filter
def display_name(user):
    """A person as the register names them everywhere (claims/people.py)."""
    return people.display_name(user)


@register.simple_tag
def verdict_badge(verdict, size=""):
    """The verdict as colour and text together, never colour alone. Built here rather than from a template:
    every card on a list page has one, and a sub-template per card was a fifth of the index page's time."""
    if not verdict:
        return ""
    return format_html(
        '<span class="badge badge--rating-{}{}"><span class="visually-hidden">Verdict: </span>{}</span>',
        verdict.rating.slug, f" badge--{size}" if size else "", verdict.rating_label,
    )


@register.simple_tag
def option_list(choices, selected=""):
    """``<option>``s for a {value: label} menu, the selected value marked. One tag rather than a loop of
    template nodes: the index's menus hold up to 130 options and render on every uncached request."""
    return format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices.items()),
    )


# Search words shorter than this are not marked (a lone "a" would light up every line).
HIGHLIGHT_MIN = 2
HIGHLIGHT_MAX_WORDS = 10


@register.filter
def highlight(text, q):
    """``text`` escaped, with each word starting like a word of the search ``q`` in ``<mark>``: search
    results show why they matched. Split on the raw text and escape every piece, so that neither the text
    nor the query can write markup (nor split an entity such as ``&amp;``)."""
    words = sorted({w.lower() for w in re.findall(r"\w+", q or "") if len(w) >= HIGHLIGHT_MIN},
                   key=len, reverse=True)[:HIGHLIGHT_MAX_WORDS]
    if not words:
        return conditional_escape(text)
    pattern = re.compile(r"\b((?:" + "|".join(map(re.escape, words)) + r")\w*)", re.IGNORECASE)
    pieces = pattern.split(str(text))
    return SafeString("".join(
        f"<mark>{conditional_escape(piece)}</mark>" if index % 2 else conditional_escape(piece)
        for index, piece in enumerate(pieces) if piece
    ))
