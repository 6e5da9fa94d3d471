"""Peak memory of `import_claimreview` at growing file sizes: streaming means it stays flat.

    python manage.py benchmark_import --records 10000 100000

For each size it writes a ClaimReview JSON-LD file of that many records, imports it into a database of
its own (``<name>_import_<N>``, dropped afterwards; a temporary file on SQLite) in a child process, and
reports the child's peak resident memory, its time, and the ratio of each peak to the smallest run's.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

CHILD = """
import os, resource, sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
connection.settings_dict.setdefault("TEST", {})["NAME"] = os.environ["IMPORT_DB_NAME"]
connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
try:
    call_command("import_claimreview", sys.argv[1], progress_every=10_000)
finally:
    connection.creation.destroy_test_db(sys.argv[2], verbosity=0)
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

RATINGS = [("False", 1), ("Mostly false", 2), ("Half true", 3), ("Mostly true", 4), ("True", 5)]


def write_reviews(path, count):
    """A JSON array of ``count`` ClaimReview documents, written as a stream."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for n in range(count):
            label, value = RATINGS[n % len(RATINGS)]
            review = {
                "@context": "https://schema.org", "@type": "ClaimReview",
                "url": f"https://factchecker.example/reviews/{n}",
                "claimReviewed": f"Claim number {n} about frozen assets and summit talks",
                "datePublished": "2025-10-22",
                "author": {"@type": "Organization", "name": "Example Fact Check"},
                "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                                 "alternateName": label},
                "itemReviewed": {"@type": "Claim", "datePublished": "2025-10-20",
                                 "author": {"@type": "Person", "name": f"Speaker {n % 500}"},
                                 "appearance": {"@type": "CreativeWork", "url": f"https://news.example/{n % 5000}"}},
            }
            out.write(("," if n else "") + json.dumps(review))
        out.write("]")


class Command(BaseCommand):
    help = "Measure import_claimreview's peak memory at several file sizes."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, nargs="+", default=[10_000, 100_000])

    def handle(self, *args, records, **options):
        if min(records) < 10:
            raise CommandError("--records must be at least 10.")
        original = connection.settings_dict["NAME"]
        rows = []
        with tempfile.TemporaryDirectory() as folder:
            for count in sorted(records):
                path = Path(folder) / f"reviews-{count}.json"
                write_reviews(path, count)
                rows.append(self.run_child(path, count, original, folder))
                self.stdout.write(f"  {count} records: peak {rows[-1]['peak_mb']} MB in {rows[-1]['seconds']} s")
        smallest = rows[0]["peak_mb"]
        self.stdout.write(f"{'records':>10}{'file MB':>10}{'peak RSS MB':>14}{'× smallest':>12}{'seconds':>10}")
        for row in rows:
            row["ratio"] = round(row["peak_mb"] / smallest, 2)
            self.stdout.write(f"{row['records']:>10}{row['file_mb']:>10}{row['peak_mb']:>14}{row['ratio']:>12}"
                              f"{row['seconds']:>10}")
        Path("benchmark-import.json").write_text(json.dumps(rows, indent=2) + "\n")

    def run_child(self, path, count, original, folder):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "factcheck.settings", "LOG_LEVEL": "WARNING"}
        if connection.vendor == "sqlite":
            test_name = str(Path(folder) / f"import-{count}.sqlite3")
        else:
            test_name = f"{original}_import_{count}"
        env["IMPORT_DB_NAME"] = test_name
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), str(original)],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise CommandError(f"The import of {count} records failed:\n{result.stderr[-2000:]}")
        peak_kb = int(result.stdout.rsplit("PEAK_KB", 1)[1].split()[0])
        return {"records": count, "file_mb": round(path.stat().st_size / 1e6, 1), "peak_mb": round(peak_kb / 1024, 1),
                "seconds": round(time.perf_counter() - started, 1)}
