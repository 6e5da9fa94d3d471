from django import template

from reviews.models import ExternalReview

register = template.Library()


@register.inclusion_tag("reviews/also_checked_by.html")
def also_checked_by(claim):
    """Others' reviews of one of our fact-checks ("Also checked by"), one query."""
    return {"reviews": list(ExternalReview.objects.filter(claim=claim).listed()), "claim": claim}


@register.inclusion_tag("reviews/checked_elsewhere.html")
def checked_elsewhere(claims):
    """Others' reviews of claims the desk is about to duplicate (the capture page's "checked elsewhere"), one
    query for them all."""
    reviews = ExternalReview.objects.filter(claim__in=[claim.pk for claim in claims]).listed() if claims else []
    return {"reviews": list(reviews[:10])}
