from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from claims import people, rendering

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown; the output is sanitised by nh3, so marking it safe is sound."""
    return SafeString(rendering.render_markdown(text))


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
