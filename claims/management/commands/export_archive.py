"""Write the whole register, history included, as a JSON Lines archive (docs/archive-format.md)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from claims import archive


class Command(BaseCommand):
    help = (
        "Export everything needed to restore the register (users, reference data, claims, evidence, verdicts "
        "and the full history) as a versioned JSON Lines archive. Restore it with import_archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-",
                            help="Where to write the archive; - (the default) for standard output.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, choices=tuple(connections),
                            help="The database to export (default: %(default)s).")
        parser.add_argument(
            "--include-password-hashes", action="store_true",
            help="Also export users' password hashes, so that they can log in after a restore. Keep such an "
                 "archive as secret as the database itself.",
        )

    def handle(self, *args, file, database, include_password_hashes, verbosity, **options):
        to_stdout = file == "-"
        # The archive owns standard output when it goes there; progress must not mix into it.
        self.report = self.stderr if to_stdout else self.stdout
        self.verbosity = verbosity
        progress = self.progress if verbosity >= 1 else None
        try:
            if to_stdout:
                counts = archive.export(lambda line: self.stdout.write(line, ending=""), using=database,
                                        include_password_hashes=include_password_hashes, progress=progress)
            else:
                counts = self.export_to_file(Path(file), database, include_password_hashes, progress)
        except DatabaseError as exc:
            raise CommandError(f"The database could not be read: {exc}") from exc
        except BrokenPipeError:
            raise CommandError("Standard output was closed before the end: the archive is incomplete.") from None
        if verbosity >= 1:
            where = "standard output" if to_stdout else file
            self.say(self.style.SUCCESS(f"Exported {sum(counts.values())} records to {where}."))

    def export_to_file(self, path, database, include_password_hashes, progress):
        # Written beside the target and renamed when complete, so a failed export never leaves a file that
        # looks like a backup.
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as out:
                counts = archive.export(out.write, using=database, include_password_hashes=include_password_hashes,
                                        progress=progress)
            os.replace(partial, path)
        except OSError as exc:
            raise CommandError(f"Could not write {path}: {exc.strerror or exc}") from exc
        finally:
            partial.unlink(missing_ok=True)
        return counts

    def progress(self, type_, done, total):
        self.say(f"{type_}: {done:,}/{total:,}")

    def say(self, message):
        self.report.write(message, style_func=lambda text: text)
