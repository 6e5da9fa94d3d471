"""Public pages. Placeholder routes until the public site lands (issue 4): they answer 404."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404


home = claim_detail = claimant_detail = source_detail = topic_detail = _not_yet
