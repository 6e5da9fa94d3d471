"""Writing imported reviews: a batch of ``parsing.Record`` at a time, in one transaction.

A review is known by its URL and the claim it reviews (``models.review_key``): a rerun adds nothing, and a
review whose rating or date changed is updated, with the change recorded on its claim's history. A claim is
known by its wording (``models.claim_key``): several publishers' reviews of the same words share one claim.
Claims change only through ``claims.workflow.record_checked_elsewhere``; a claim known only from others'
reviews is closed as checked elsewhere, so it waits in no desk queue.
"""

import collections
import hashlib
import re

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from claims import workflow
from claims.models import Claim, Claimant

from .models import ExternalReview, Publisher, claim_key, rating_words, review_key
from .parsing import platform_or_unnamed

BATCH = 500
CACHE_LIMIT = 20_000  # claimant names remembered between batches; beyond it the cache starts again (flat memory)
COMPARED = ("textual_rating", "rating_value", "best_rating", "worst_rating", "review_date")
ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def guess_language(text):
    """For a review that names no language: enough to pick a search configuration, never exported."""
    if ARABIC.search(text):
        return "ar"
    if CYRILLIC.search(text):
        return "ru"
    return "en"


def claim_wording(text):
    """(text, quote) for our claim: others' wording in full as the quote when it is over the desk's limit."""
    limit = settings.CLAIM_TEXT_HARD_LIMIT
    if len(text) <= limit:
        return text, ""
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…", text


class Importer:
    """Feed it ``(position, Record | BadRecord)`` pairs with ``add``; ``finish`` writes what is left.
    ``counts`` tallies imported, updated, already there and bad; ``report(number, position, reason)`` hears of
    every refused record."""

    def __init__(self, *, actor, report, batch=BATCH):
        self.actor, self.report, self.batch_size = actor, report, batch
        self.counts = collections.Counter({"imported": 0, "updated": 0, "already there": 0, "bad": 0})
        self.pending = []
        self.read = 0
        self.publishers = {}
        self.claimants = {}

    def add(self, position, record):
        self.read += 1
        if isinstance(record, Exception):
            self.counts["bad"] += 1
            self.report(self.read, position, str(record))
            return
        self.pending.append(record)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def finish(self):
        if self.pending:
            self.flush()

    def flush(self):
        batch, self.pending = self.pending, []
        with transaction.atomic():
            self.write(batch)

    # -----------------------------------------------------------------------------------------------------

    def write(self, batch):
        now = timezone.now()
        keys = {review_key(r.review_url, r.claim_reviewed) for r in batch}
        known = {review.key: review for review in ExternalReview.objects.filter(key__in=keys)}
        claim_keys = {claim_key(r.claim_reviewed) for r in batch}
        claim_of = dict(ExternalReview.objects.filter(claim_key__in=claim_keys).values_list("claim_key", "claim_id"))
        claim_of = {**self.desk_claims(batch, claim_of), **claim_of}
        new_claims, new_reviews, changed, notes = {}, [], {}, []
        for record in batch:
            key = review_key(record.review_url, record.claim_reviewed)
            review = known.get(key)
            if review is not None:
                self.compare(review, record, now, changed, notes)
                continue
            review = self.review(record, key, now)
            known[key] = review
            new_reviews.append(review)
            self.counts["imported"] += 1
            if review.claim_key in claim_of:
                review.claim_id = claim_of[review.claim_key]
                notes.append((review.claim_id, f"Also checked by {review.publisher_label}: {review.url}",
                              {"external_review": [None, _summary(review)]}))
            elif review.claim_key in new_claims:
                new_claims[review.claim_key].origin_note += f"; also {review.publisher_label}: {review.url}"
            else:
                new_claims[review.claim_key] = self.claim(record)
        self.resolve_claimants(list(new_claims.values()))
        saved = workflow.record_checked_elsewhere(actor=self.actor, claims=list(new_claims.values()), notes=notes)
        ids = {claim_key(claim.full_text): claim.pk for claim in saved}
        for review in new_reviews:
            if review.claim_id is None:
                review.claim_id = ids[review.claim_key]
        insert(ExternalReview, new_reviews)
        if changed:
            ExternalReview.objects.bulk_update(list(changed.values()), [*COMPARED, "rating_words", "changed_at"])

    @staticmethod
    def desk_claims(batch, known):
        """{claim key: id} of our own claims worded exactly as a review words its claim ("Also checked by")."""
        texts = {r.claim_reviewed for r in batch if claim_key(r.claim_reviewed) not in known
                 and len(r.claim_reviewed) <= settings.CLAIM_TEXT_HARD_LIMIT}
        if not texts:
            return {}
        # The condition of the partial index claim_desk_text, as written there, so that SQLite's planner uses it.
        found = Claim.objects.filter(text__in=texts).exclude(close_reason=Claim.CloseReason.CHECKED_ELSEWHERE)
        return {claim_key(text): pk for pk, text in found.order_by().values_list("pk", "text")}

    def compare(self, review, record, now, changed, notes):
        """A review seen before: the same (nothing to do), or changed since (updated, and the change noted)."""
        differences = {}
        for field in COMPARED:
            before, after = getattr(review, field), getattr(record, field)
            if before != after:
                differences[field] = [_plain(before), _plain(after)]
                setattr(review, field, after)
        if not differences:
            self.counts["already there"] += 1
            return
        review.rating_words = rating_words(review.textual_rating)
        review.changed_at = now
        self.counts["updated"] += 1
        if review.pk is None:  # met twice in this batch: the later wins, before it is written
            return
        changed[review.pk] = review
        notes.append((review.claim_id, f"{review.publisher_label} changed its review: {review.url}",
                      {"external_review": review.url, **differences}))

    def review(self, record, key, now):
        return ExternalReview(
            key=key, claim_key=claim_key(record.claim_reviewed), publisher=self.publisher(record),
            url=record.review_url, publisher_name=record.publisher_name, claim_reviewed=record.claim_reviewed,
            claimant_name=record.claimant_name, claimant_same_as=record.claimant_same_as,
            claim_date=record.claim_date, appearance_url=record.appearance_url, headline=record.headline,
            textual_rating=record.textual_rating, rating_words=rating_words(record.textual_rating),
            rating_value=record.rating_value, best_rating=record.best_rating, worst_rating=record.worst_rating,
            rating_explanation=record.rating_explanation, language=record.language, review_date=record.review_date,
            imported_at=now,
        )

    def claim(self, record):
        text, quote = claim_wording(record.claim_reviewed)
        claim = Claim(text=text, quote=quote, claim_date=record.claim_date,
                      language=(record.language or guess_language(record.claim_reviewed))[:35])
        claim.full_text, claim.record = record.claim_reviewed, record
        claim.origin_note = f"Known from the fact-check by {record.publisher_name or record.publisher_site}: " \
                            f"{record.review_url}"
        return claim

    def publisher(self, record):
        cache_key = record.publisher_site or "name:" + record.publisher_name
        publisher = self.publishers.get(cache_key)
        if publisher is None:
            if record.publisher_site:
                publisher = Publisher.objects.filter(site=record.publisher_site).first()
            else:
                publisher = Publisher.objects.filter(site="", name=record.publisher_name).first()
            if publisher is None:
                publisher = Publisher.objects.create(name=record.publisher_name or record.publisher_site,
                                                     site=record.publisher_site)
            elif not publisher.name and record.publisher_name:
                publisher.name = record.publisher_name
                publisher.save(update_fields=["name"])
            self.publishers[cache_key] = publisher
        return publisher

    def resolve_claimants(self, claims):
        """Each new claim's claimant, by its exact name (no ASCII slug merging two people): those known are read
        in one query, the others made in one ``bulk_create``."""
        limit = Claimant._meta.get_field("name").max_length
        wanted = {}
        for claim in claims:
            name = claim.record.claimant_name[:limit]
            if name and name not in self.claimants:
                wanted.setdefault(name, claim.record)
        if wanted:
            if len(self.claimants) > CACHE_LIMIT:
                self.claimants.clear()
            for found in Claimant.objects.filter(name__in=list(wanted)).order_by("-id"):
                self.claimants[found.name] = found  # the oldest of a name wins
            missing = [name for name in wanted if name not in self.claimants]
            slugs = unique_slugs(missing)
            made = Claimant.objects.bulk_create([
                Claimant(name=name, slug=slugs[name], kind=claimant_kind(wanted[name]),
                         same_as=wanted[name].claimant_same_as[:500])
                for name in missing
            ])
            self.claimants.update((claimant.name, claimant) for claimant in made)
        for claim in claims:
            claim.claimant = self.claimants.get(claim.record.claimant_name[:limit])


def insert(model, objects):
    """INSERT ``objects`` (COPY on PostgreSQL, one executemany on SQLite), without reading their keys back:
    bulk_create compiles every value of every row through the query compiler, which was a quarter of the
    import's time."""
    if not objects:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    # Text needs no preparing; the other fields (dates, numbers, keys) go through their field's own.
    plain = [isinstance(field, models.CharField | models.TextField) for field in fields]
    rows = [[getattr(obj, field.attname) if is_plain
             else field.get_db_prep_save(getattr(obj, field.attname), connection)
             for field, is_plain in zip(fields, plain, strict=True)] for obj in objects]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream rather than a statement per row.
            columns = ", ".join(quote(field.column) for field in fields)
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, rows)


def claimant_kind(record):
    types = record.claimant_type
    if "Person" in types and not platform_or_unnamed(record.claimant_name):
        return Claimant.Kind.PERSON
    if platform_or_unnamed(record.claimant_name):
        return Claimant.Kind.UNNAMED
    return Claimant.Kind.ORGANIZATION if types else Claimant.Kind.PERSON


def unique_slugs(names):
    """{name: slug}: Unicode slugs ("الشريف-𝕏" keeps its letters), made unique with a hash of the name when
    taken, or when the name has no letters at all."""
    wanted = {}
    for name in names:
        base = slugify(name, allow_unicode=True)[:180].strip("-")
        wanted[name] = base or f"claimant-{hashlib.sha1(name.encode()).hexdigest()[:10]}"
    taken = set(Claimant.objects.filter(slug__in=set(wanted.values())).values_list("slug", flat=True))
    slugs = {}
    for name, slug in wanted.items():
        if slug in taken:
            slug = f"{slug[:180]}-{hashlib.sha1(name.encode()).hexdigest()[:10]}"
        taken.add(slug)
        slugs[name] = slug
    return slugs


def _summary(review):
    return {"publisher": review.publisher_label, "url": review.url, "rating": review.textual_rating}


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
