"""Import published fact-checks from ClaimReview JSON-LD or a Google Fact Check Tools claims:search response.

    python manage.py import_claimreview reviews.json
    curl … | python manage.py import_claimreview -

Each record becomes a claimant (reused by slug), a source (reused by URL, when the review names where the
claim appeared), a claim and its published verdict, marked as imported from the review's URL. Records are
read one at a time, so a file of any size streams. Each is written in its own savepoint: a bad record is
reported by its position and skipped, and never leaves half of itself behind. Records are committed BATCH
at a time (one commit per record made the disk's flush the import's speed limit); if the import stops
(a crash, ^C), what was committed stays and a rerun picks up the rest, since a review imported before is
left alone: running the same file twice adds nothing.
"""

import itertools
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from claims import workflow
from claims.claimreview_import import BadRecord, NotJSON, claimant_slug, reviews
from claims.models import Claim, Claimant, Rating, Source

IMPORTER = "importer"
BATCH = 200  # records per transaction


class Command(BaseCommand):
    help = "Import fact-checks from ClaimReview JSON-LD or a claims:search response (FILE, or - for stdin)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file, or - to read standard input.")
        parser.add_argument("--progress-every", type=int, default=100, metavar="N",
                            help="Report progress every N records (default 100).")

    def handle(self, *args, file, progress_every, **options):
        self.actor = importer_account()
        self.ratings = list(Rating.objects.all())
        self.counts = {"imported": 0, "already there": 0, "bad": 0}
        if file == "-":
            self.run(getattr(sys.stdin, "buffer", sys.stdin), max(progress_every, 1), size=None)
            return
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below, after streaming
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        with stream:
            self.run(stream, max(progress_every, 1), size=os.fstat(stream.fileno()).st_size)

    def run(self, stream, every, *, size):
        self.read = 0
        records = reviews(stream)
        while True:
            with transaction.atomic():
                taken, error = self.batch(records, every, stream, size)
            if error is not None:
                self.summary(self.read)
                raise CommandError(f"Stopped after {self.read} record(s): {error}.")
            if taken < BATCH:
                break
        self.summary(self.read)

    def batch(self, records, every, stream, size):
        """Up to BATCH records, inside the caller's transaction. A stream that breaks ends the batch, but what
        came before it is kept: returns (records taken, the NotJSON error or None)."""
        taken = 0
        try:
            for position, review in itertools.islice(records, BATCH):
                taken += 1
                self.read += 1
                self.one(self.read, position, review)
                if self.read % every == 0:
                    self.progress(self.read, stream, size)
        except NotJSON as exc:
            return taken, exc
        return taken, None

    def one(self, number, position, review):
        if isinstance(review, BadRecord):
            return self.bad(number, position, review)
        if Claim.objects.imported_from(review.review_url).exists():
            self.counts["already there"] += 1
            return
        try:
            with transaction.atomic():
                self.save(review)
        except BadRecord as exc:
            return self.bad(number, position, exc)
        except workflow.WorkflowError as exc:
            return self.bad(number, position, exc.message)
        except DatabaseError as exc:
            return self.bad(number, position, f"the database refused it ({exc})")
        self.counts["imported"] += 1

    def save(self, review):
        """One record: its claimant, source, claim and verdict, inside the caller's transaction."""
        rating = review.rating(self.ratings)
        return workflow.import_claim_review(
            actor=self.actor, text=review.text, claimant=self.claimant(review), source=self.source(review),
            claim_date=review.claim_date, language=review.language, rating=rating, summary=review.summary,
            analysis=review.analysis, review_url=review.review_url, reviewed_at=review.reviewed_at,
            publisher=review.publisher,
        )

    def claimant(self, review):
        if len(review.claimant_name) > Claimant._meta.get_field("name").max_length:
            raise BadRecord("its claimant's name is too long")
        slug = claimant_slug(review.claimant_name)
        existing = Claimant.objects.filter(slug=slug).first()
        if existing is not None:
            return existing
        return Claimant.objects.create(name=review.claimant_name, slug=slug, kind=review.claimant_kind,
                                       same_as=review.claimant_same_as)

    def source(self, review):
        if not review.appearance_url:
            return None
        if len(review.appearance_url) > Source._meta.get_field("url").max_length:
            raise BadRecord("its appearance URL is too long")
        existing = Source.objects.at(review.appearance_url).first()
        if existing is not None:
            return existing
        title = (review.appearance_title or review.appearance_url)[: Source._meta.get_field("title").max_length]
        return Source.objects.create(title=title, url=review.appearance_url, language=review.language)

    def bad(self, number, position, reason):
        self.counts["bad"] += 1
        self.stderr.write(f"Record {number} ({position}) skipped: {reason}.")

    def progress(self, read, stream, size):
        share = ""
        if size:
            try:
                share = f" [{min(stream.tell() / size, 1):4.0%}]"
            except (OSError, ValueError):
                share = ""
        self.stdout.write(f"…{share} {read} records read: {self.tally()}")

    def summary(self, read):
        self.stdout.write(self.style.SUCCESS(f"Done: {read} record(s) read: {self.tally()}."))

    def tally(self):
        return ", ".join(f"{n} {what}" for what, n in self.counts.items())


def importer_account():
    """The system account that imports are recorded under: a reviewer nobody can log in as."""
    user, created = get_user_model().objects.get_or_create(
        username=IMPORTER, defaults={"first_name": "ClaimReview", "last_name": "import"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name="Reviewers"))
    return get_user_model().objects.get(pk=user.pk)  # fresh, so its permission cache sees the group
