"""Speed and peak memory of `import_claimreview`: records per second, and memory that stays flat as files grow.

    python manage.py benchmark_import                       # the shared files and 10k, 100k synthetic records
    python manage.py benchmark_import --records 10000 100000 --files ../shared/data/claimreview/*.json

Each input is imported in a child process of its own into an empty database (``<name>_import_<n>``, dropped
afterwards; a temporary file on SQLite). The child times the import alone (not Django's start-up or the
database's creation) and reports its peak resident memory. Results go to benchmark-import.json.
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
import io, json, os, resource, sys, time, django
django.setup()
from django.core.management import call_command
from django.db import connection
connection.settings_dict.setdefault("TEST", {})["NAME"] = os.environ["IMPORT_DB_NAME"]
connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
try:
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_claimreview", sys.argv[1], progress_every=1_000_000, stdout=out, stderr=io.StringIO())
    seconds = time.perf_counter() - started
finally:
    connection.creation.destroy_test_db(sys.argv[2], verbosity=0)
print("RESULT", json.dumps({"seconds": seconds, "summary": out.getvalue().strip().splitlines()[-1],
                            "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

SHARED = settings.BASE_DIR.parent / "shared" / "data" / "claimreview"
RATINGS = ["False", "Mostly false", "Half true", "Pants on Fire", "Missing context", "مضلل", "Faux"]


def write_reviews(path, count):
    """A claims:search response of ``count`` claims, one review each, written as a stream: several
    publishers, languages and claimants, a long text now and then, as the real files have."""
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"claims": [')
        for n in range(count):
            arabic = n % 3 == 0
            text = (f"ادعاء رقم {n} عن انقطاع الكهرباء في أوروبا" if arabic
                    else f"Claim number {n} says masks and 5G towers spread the virus")
            if n % 20 == 0:
                text += " and more, " * 30
            claim = {"text": text, "claimant": f"Speaker {n % 700}", "claimDate": "2025-10-20T00:00:00Z",
                     "claimReview": [{"publisher": {"name": f"Checker {n % 40}", "site": f"checker{n % 40}.example"},
                                      "url": f"https://checker{n % 40}.example/reviews/{n}",
                                      "title": f"Review {n}", "reviewDate": "2025-10-22T10:00:00Z",
                                      "textualRating": RATINGS[n % len(RATINGS)],
                                      "languageCode": "ar" if arabic else "en"}]}
            out.write(("," if n else "") + json.dumps(claim, ensure_ascii=False))
        out.write("]}")


class Command(BaseCommand):
    help = "Measure import_claimreview's records per second and peak memory on real and synthetic files."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, nargs="*", default=[10_000, 100_000],
                            help="Sizes of synthetic files to import (default 10000 100000).")
        parser.add_argument("--files", nargs="*", default=None,
                            help="Real files to import (default: the shared ClaimReview files, when present).")

    def handle(self, *args, records, files, **options):
        if any(count < 10 for count in records):
            raise CommandError("--records must be at least 10.")
        if files is None:
            files = [str(path) for path in sorted(SHARED.glob("*.json"))]
        original = connection.settings_dict["NAME"]
        rows = []
        with tempfile.TemporaryDirectory() as folder:
            inputs = [(Path(name).name, Path(name)) for name in files]
            for count in sorted(records):
                path = Path(folder) / f"synthetic-{count}.json"
                write_reviews(path, count)
                inputs.append((f"synthetic {count:,}", path))
            for label, path in inputs:
                row = self.run_child(label, path, original, folder, len(rows))
                rows.append(row)
                self.stdout.write(f"  {label}: {row['records']} records in {row['seconds']} s, "
                                  f"{row['records_per_second']}/s, peak {row['peak_mb']} MB")
        self.stdout.write(f"{connection.vendor}:")
        self.stdout.write(f"{'input':>34}{'records':>10}{'file MB':>9}{'seconds':>9}{'records/s':>11}{'peak MB':>9}")
        for row in rows:
            self.stdout.write(f"{row['input']:>34}{row['records']:>10}{row['file_mb']:>9}{row['seconds']:>9}"
                              f"{row['records_per_second']:>11}{row['peak_mb']:>9}")
        Path("benchmark-import.json").write_text(json.dumps({"database": connection.vendor, "rows": rows},
                                                            indent=2) + "\n")

    def run_child(self, label, path, original, folder, number):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "factcheck.settings", "LOG_LEVEL": "WARNING"}
        if connection.vendor == "sqlite":
            env["IMPORT_DB_NAME"] = str(Path(folder) / f"import-{number}.sqlite3")
        else:
            env["IMPORT_DB_NAME"] = f"{original}_import_{number}"
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", CHILD, str(path), str(original)],
                                cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
        if result.returncode != 0 or "RESULT" not in result.stdout:
            raise CommandError(f"The import of {label} failed:\n{result.stderr[-2000:]}")
        child = json.loads(result.stdout.rsplit("RESULT", 1)[1])
        read = int(child["summary"].split("Done: ", 1)[1].split(" record", 1)[0])
        return {"input": label, "records": read, "summary": child["summary"],
                "file_mb": round(path.stat().st_size / 1e6, 1), "seconds": round(child["seconds"], 2),
                "records_per_second": round(read / child["seconds"]), "peak_mb": round(child["peak_kb"] / 1024, 1),
                "wall_seconds": round(time.perf_counter() - started, 1)}
