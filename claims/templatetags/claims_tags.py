import datetime
import functools
import re

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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
    template nodes, and plain escaped strings rather than a format_html per option: the index's menus hold up
    to 130 options and render on every uncached request. Safe because every value and label goes through
    ``escape``; test_public_escaping plants markup in claimant and topic names."""
    return mark_safe("".join(
        f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(label)}</option>'
        for value, label in choices.items()
    ))


def _local_date(value, format_string):
    """The ``date`` filter as a template applies it: in the page's time zone and language."""
    if isinstance(value, datetime.datetime):
        value = template_localtime(value)
    return date_filter(value, format_string)


@register.simple_tag
def change_flag(claim):
    """"Updated" or "Corrected" with its date, after a fact-check's publication date (``ClaimQuerySet.
    with_last_change``); nothing for a fact-check unchanged since it was published."""
    if not getattr(claim, "last_change", None):
        return ""
    return format_html(
        ' <span class="flag flag--{}">{} <time datetime="{}">{}</time></span>', claim.last_change,
        "Corrected" if claim.last_change == "corrected" else "Updated",
        timestamp(claim.last_change_at), _local_date(claim.last_change_at, "j M Y"),
    )


@register.simple_tag
def claim_card(claim, level=2, q=""):
    """A published fact-check as a card: lists, search results (``q``'s words marked), the home page.
    Built here rather than from a template, as ``verdict_badge`` is: a list page has twenty, and the
    template's lookups and includes were two thirds of a search page's rendering (docs/performance.md)."""
    level = level or 2
    verdict = claim.published_verdict

    def shown(text):
        return highlight(text, q) if q else conditional_escape(text)

    byline = []
    if claim.claimant:
        byline.append(format_html('<a href="{}">{}</a>', claim.claimant.get_absolute_url(),
                                  shown(claim.claimant.name)))
    if claim.claim_date:
        byline.append(format_html(" · said {}", _local_date(claim.claim_date, "j F Y")))
    byline.append(format_html(' · checked <time datetime="{}">{}</time>{}', timestamp(claim.published_at),
                              _local_date(claim.published_at, "j F Y"), change_flag(claim)))
    return format_html(
        '<article class="card">\n  <div class="card__verdict">{}</div>\n  <div class="card__body">\n'
        '    <h{} class="card__title"><a href="{}" dir="auto">{}</a></h{}>\n'
        '    <p class="card__byline">{}</p>\n'
        '    <p class="card__summary" dir="auto">{}</p>\n  </div>\n</article>',
        verdict_badge(verdict), level, claim.get_absolute_url(), shown(claim.text), level,
        format_html_join("", "{}", ((part,) for part in byline)), shown(verdict.summary if verdict else ""),
    )


# Search words shorter than this are not marked (a lone "a" would light up every line).
HIGHLIGHT_MIN = 2
HIGHLIGHT_MAX_WORDS = 10


@functools.lru_cache(maxsize=64)
def _highlight_pattern(q):
    """The pattern marking ``q``'s words, or None: built once for a search's sixty titles, names and summaries."""
    words = sorted({w.lower() for w in re.findall(r"\w+", q) if len(w) >= HIGHLIGHT_MIN},
                   key=len, reverse=True)[:HIGHLIGHT_MAX_WORDS]
    if not words:
        return None
    return re.compile(r"\b((?:" + "|".join(map(re.escape, words)) + r")\w*)", re.IGNORECASE)


@register.filter
def highlight(text, q):
    """``text`` escaped, with each word starting like a word of the search ``q`` in ``<mark>``: search
    results show why they matched. Split on the raw text and escape every piece, so that neither the text
    nor the query can write markup (nor split an entity such as ``&amp;``)."""
    pattern = _highlight_pattern(q or "")
    if pattern is None:
        return conditional_escape(text)
    pieces = pattern.split(str(text))
    return SafeString("".join(
        f"<mark>{conditional_escape(piece)}</mark>" if index % 2 else conditional_escape(piece)
        for index, piece in enumerate(pieces) if piece
    ))
