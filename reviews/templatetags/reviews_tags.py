from django import template

from reviews.models import ExternalReview

register = template.Library()


@register.inclusion_tag("reviews/also_checked_by.html")
def also_checked_by(claim):
    """Others' reviews of one of our fact-checks ("Also checked by"), one query."""
    return {"reviews": list(ExternalReview.objects.filter(claim=claim).listed()), "claim": claim}
