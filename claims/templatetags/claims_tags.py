import datetime

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

from claims import rendering

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
