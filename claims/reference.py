"""Saving reference data (claimants, sources, topics) whose unique fields a concurrent save can take first.

A uniqueness check before a save cannot see a save that is running at the same moment: eight simultaneous
POSTs of one claimant name, source address or topic slug gave up to five 500s (IntegrityError) per burst.
The database's unique index decides the race; these helpers turn losing it into an answer:

- a claimant's slug made from its name: the loser takes the next free slug (people share names);
- a source typed in by its address: the loser uses the source that won (``source_at``);
- a value the caller chose (a slug, an address): ``save_unique`` runs the caller's validation again, which
  now sees the winner and names the field (a 400 in the API, a form error on the desk).

Each save runs in a savepoint, so a lost race leaves an enclosing transaction usable.
"""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .models import Claimant, Source

ATTEMPTS = 10


class LostRace(Exception):
    """Every attempt lost to a concurrent save (or the database refused the row for another reason)."""


def unique_slug(model, value, *, fallback):
    """A slug made from ``value`` that no row of ``model`` has, in any case (slugs are unique regardless of
    case: ``Sergey-Lavrov`` and ``sergey-lavrov`` would be one address to a person)."""
    base = slugify(value)[:190].strip("-") or fallback
    slug, n = base, 2
    while model.objects.filter(slug__iexact=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_unique(save, *, revalidate):
    """``save()``; when it loses a race on a unique field, ``revalidate()`` (which raises, or returns False,
    when the caller's input now collides with the winner) and try again. Returns what ``save`` returned."""
    for _ in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return save()
        except IntegrityError:
            if revalidate() is False:
                return None
    raise LostRace("Another change saved the same name or address at the same moment; try again.")


def new_claimant(*, name, **fields):
    """A new claimant with a slug made from its name; two people adding one name at once get two claimants."""
    return save_unique(
        lambda: Claimant.objects.create(name=name, slug=unique_slug(Claimant, name, fallback="claimant"), **fields),
        revalidate=lambda: True,
    )


def source_at(url, **fields):
    """The source at ``url``, made with ``fields`` when there is none (always made for an empty ``url``).
    Of two people adding one address at once, both get the source that won."""
    existing = Source.objects.at(url).first() if url else None
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Source.objects.create(url=url, **fields)
    except IntegrityError:
        winner = Source.objects.at(url).first() if url else None
        if winner is None:
            raise
        return winner
