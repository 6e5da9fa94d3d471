"""Import other publishers' fact-checks: ClaimReview JSON-LD, DataCommons feeds, JSON Lines, or Google Fact Check
Tools ``claims:search`` responses (saved, or fetched with ``--google``).

    python manage.py import_claimreview reviews.json
    curl … | python manage.py import_claimreview -
    FACTCHECK_API_KEY=… python manage.py import_claimreview --google "5G" --language en --max-age-days 30

Each review stays the publisher's: its own record on a claim (reviews.models.ExternalReview), never a verdict of
ours. Records stream, BATCH at a time, one transaction each: if the import stops, what was written stays, and a
rerun adds nothing (a review whose rating or date changed since is updated, and the change recorded).
"""

import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from reviews import google
from reviews.importing import Importer
from reviews.parsing import NotJSON, records

IMPORTER = "importer"


class Command(BaseCommand):
    help = "Import others' fact-checks from a file (or - for stdin), or from Google Fact Check Tools (--google)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="A JSON or JSON Lines file, or - to read standard input.")
        parser.add_argument("--progress-every", type=int, default=1000, metavar="N",
                            help="Report progress every N records (default 1000).")
        parser.add_argument("--google", metavar="QUERY", help="Search Google Fact Check Tools for QUERY and "
                            f"import what it finds (the API key from ${google.KEY_VARIABLE}).")
        parser.add_argument("--language", help="With --google: a BCP-47 language code, e.g. ar.")
        parser.add_argument("--publisher-site", help="With --google: only this publisher's reviews, e.g. fullfact.org")
        parser.add_argument("--max-age-days", type=int, help="With --google: only reviews this recent.")
        parser.add_argument("--max-pages", type=int, default=100, help="With --google: stop after this many pages.")

    def handle(self, *args, file, progress_every, google=None, **options):
        self.every = max(progress_every, 1)
        self.importer = Importer(actor=importer_account(), report=self.bad)
        if google is not None:
            if file:
                raise CommandError("Give a file or --google QUERY, not both.")
            self.from_google(google, options)
        elif not file:
            raise CommandError("Give a file (or - for standard input), or --google QUERY.")
        elif file == "-":
            self.run(getattr(sys.stdin, "buffer", sys.stdin), size=None)
        else:
            try:
                stream = open(file, "rb")  # noqa: SIM115 - closed below, after streaming
            except OSError as exc:
                raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
            with stream:
                self.run(stream, size=os.fstat(stream.fileno()).st_size)

    def run(self, stream, *, size):
        try:
            for position, record in records(stream):
                self.add(position, record, stream, size)
        except NotJSON as exc:
            self.importer.finish()
            self.summary()
            raise CommandError(f"Stopped after {self.importer.read} record(s): {exc}.") from None
        self.importer.finish()
        self.summary()

    def from_google(self, query, options):
        try:
            client = google.Client(key=google.api_key())
        except google.GoogleError as exc:
            raise CommandError(str(exc)) from None
        try:
            for page, (position, record) in client.search(
                query, language=options["language"], publisher_site=options["publisher_site"],
                max_age_days=options["max_age_days"], max_pages=options["max_pages"],
            ):
                self.add(f"page {page} {position}", record, None, None)
        except google.GoogleError as exc:
            self.importer.finish()
            self.summary()
            raise CommandError(f"Stopped after {self.importer.read} record(s): {exc}") from None
        self.importer.finish()
        self.summary()

    def add(self, position, record, stream, size):
        self.importer.add(position, record)
        if self.importer.read % self.every == 0:
            self.progress(stream, size)

    def bad(self, number, position, reason):
        self.stderr.write(f"Record {number} ({position}) skipped: {reason}.")

    def progress(self, stream, size):
        share = ""
        if size:
            try:
                share = f" [{min(stream.tell() / size, 1):4.0%}]"
            except (OSError, ValueError):
                share = ""
        self.stdout.write(f"…{share} {self.importer.read} records read: {self.tally()}")

    def summary(self):
        self.stdout.write(self.style.SUCCESS(f"Done: {self.importer.read} record(s) read: {self.tally()}."))

    def tally(self):
        return ", ".join(f"{n} {what}" for what, n in self.importer.counts.items())


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
