from django import template
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
