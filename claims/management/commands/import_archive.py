"""Restore a JSON Lines archive written by export_archive into an empty database (docs/archive-format.md)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from claims import archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into a new, migrated, empty database, in one transaction: "
        "a bad line stops the import with nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to read; - for standard input.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, choices=tuple(connections),
                            help="The database to restore into (default: %(default)s).")

    def handle(self, *args, file, database, verbosity, **options):
        progress = self.progress if verbosity >= 1 else None
        try:
            if file == "-":
                counts, locked_out = archive.restore(sys.stdin.buffer, using=database, progress=progress)
            else:
                with open(file, "rb") as lines:
                    counts, locked_out = archive.restore(lines, using=database, progress=progress)
        except OSError as exc:
            raise CommandError(f"Could not read {file}: {exc.strerror or exc}") from exc
        except archive.ArchiveError as exc:
            raise CommandError(f"Nothing was imported: {exc}") from exc
        except DatabaseError as exc:
            raise CommandError(f"Nothing was imported: the database refused it: {exc}") from exc
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Imported {sum(counts.values())} records."))
            if locked_out:
                self.stdout.write(
                    f"{locked_out} user(s) had no password hash in the archive and cannot log in until one is "
                    "set: manage.py changepassword USERNAME."
                )

    def progress(self, type_, done, total):
        self.stdout.write(f"{type_}: {done:,}/{total:,}")
