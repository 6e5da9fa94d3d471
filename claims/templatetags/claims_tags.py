from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from claims import rendering

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown; the output is sanitised by nh3, so marking it safe is sound."""
    return SafeString(rendering.render_markdown(text))


@register.inclusion_tag("includes/verdict_badge.html")
def verdict_badge(verdict, size=""):
    """The verdict as colour and text together, never colour alone."""
    return {"verdict": verdict, "size": size}


@register.simple_tag
def option_list(choices, selected=""):
    """``<option>``s for a {value: label} menu, the selected value marked. One tag rather than a loop of
    template nodes: the index's menus hold up to 130 options and render on every uncached request."""
    return format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices.items()),
    )
