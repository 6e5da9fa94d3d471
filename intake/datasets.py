"""Readers for the public data sets in ``../shared/data`` beside the project (never copied into it).

Training, evaluation and their tests read them from there; see ``../shared/data/README.md``.
"""

import csv
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

DATA_DIR = Path(settings.BASE_DIR).parent / "shared" / "data"
CLAIMBUSTER = DATA_DIR / "checkworthiness" / "claimbuster-kfold_25ncs.csv"
CLEF2019 = DATA_DIR / "checkworthiness" / "clef2019-train"
CLEF2020 = DATA_DIR / "claim-matching" / "clef2020-task2-v3"


class MissingData(FileNotFoundError):
    def __init__(self, path):
        super().__init__(f"{path} not found: the public data sets live in ../shared/data beside the project")


def _require(path):
    if not path.exists():
        raise MissingData(path)
    return path


class Line(NamedTuple):
    speaker: str
    text: str
    label: int


def clef2019_debates():
    """{debate file name: [Line, …]} for the CLEF CheckThat! 2019 task 1 training debates, in file order."""
    debates = {}
    for path in sorted(_require(CLEF2019).glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            debates[path.name] = [Line(r[1], r[2].strip(), int(r[3])) for r in rows if len(r) >= 4]
    return debates


def claimbuster():
    """[(text, label), …] from ClaimBuster's two-class file (1 = check-worthy factual sentence)."""
    with _require(CLAIMBUSTER).open(encoding="utf-8", newline="") as f:
        return [(row["text"], int(row["label"])) for row in csv.DictReader(f)]


def clef2020_verified_claims():
    """{vclaim id: (claim, title)} from the CLEF 2020 task 2 verified claims (Snopes)."""
    with _require(CLEF2020 / "verified_claims.docs.tsv").open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return {r[0]: (r[1], r[2]) for r in rows if len(r) >= 3}


def clef2020_queries(split):
    """[(tweet text, {relevant vclaim ids}), …] for the ``train`` or ``dev`` split."""
    folder = _require(CLEF2020 / split)
    tweets = {}
    with (folder / "tweets.queries.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) >= 2 and row[0].isdigit():
                tweets[row[0]] = row[1]
    relevant = {}
    with (folder / "tweet-vclaim-pairs.qrels").open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and parts[3] != "0":
                relevant.setdefault(parts[0], set()).add(parts[2])
    return [(tweets[t], ids) for t, ids in relevant.items() if t in tweets]
