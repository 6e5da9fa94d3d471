"""Has this been checked before? Each sentence is compared with every matchable text (the register's claims,
and any further corpus) by embedding cosine over a float32 matrix, and its nearest are re-ranked with BM25.

Measured on the CLEF 2020 claim-retrieval dev set by ``manage.py evaluate_matching``. The index lives in
each process's memory and catches up with the database before every use by reading the rows changed since
it last looked, so a claim captured through another process is matched at once.
"""

import threading
from dataclasses import dataclass

import numpy as np

from . import embeddings, lexical

# The embedding cosine's weight against BM25 (divided by the sentence's best BM25) in the combined score,
# chosen on the CLEF 2020 *train* split.
EMBEDDING_WEIGHT = 0.7
CANDIDATES = 100  # nearest by cosine, re-ranked with BM25
MATCH_THRESHOLD = 0.55  # below this combined score nothing is offered as a repeat


@dataclass(frozen=True)
class Match:
    corpus: str
    object_id: int
    score: float


class Corpus:
    """Matchable texts with their vectors and word statistics, added or replaced one by one."""

    def __init__(self):
        self.keys = []
        self.rows = {}
        self.terms = []
        self.vectors = np.zeros((1024, embeddings.DIMENSIONS), dtype=np.float32)
        self.statistics = lexical.Statistics()

    def __len__(self):
        return len(self.keys)

    def put(self, key, text, vector):
        doc_terms = lexical.terms(text)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = len(self.keys)
            self.keys.append(key)
            self.terms.append(())
            if row >= len(self.vectors):
                self.vectors = np.concatenate([self.vectors, np.zeros_like(self.vectors)])
        else:
            self.statistics.add(self.terms[row], sign=-1)
        self.terms[row] = doc_terms
        self.statistics.add(doc_terms)
        self.vectors[row] = vector

    def rank(self, queries, vectors=None, *, limit=5, threshold=0.0):
        """For each query, up to ``limit`` (key, score) pairs, best first, scoring at least ``threshold``."""
        if not queries or not self.keys:
            return [[] for _ in queries]
        if vectors is None:
            vectors = embeddings.embed(queries)
        cosine = vectors @ self.vectors[: len(self.keys)].T
        k = min(CANDIDATES, len(self.keys))
        candidates = np.argpartition(-cosine, k - 1, axis=1)[:, :k]
        results = []
        for row, query in enumerate(queries):
            query_terms = set(lexical.terms(query))
            bm25 = np.array([self.statistics.bm25(query_terms, self.terms[i]) for i in candidates[row]])
            scores = EMBEDDING_WEIGHT * cosine[row, candidates[row]] + (1 - EMBEDDING_WEIGHT) * (
                bm25 / max(bm25.max(), 1e-9)
            )
            order = np.argsort(-scores, kind="stable")[:limit]
            results.append([(self.keys[candidates[row, i]], float(scores[i])) for i in order if scores[i] >= threshold])
        return results


class Index:
    """The database's matchable texts (``Embedding`` rows) in memory, caught up before each use."""

    def __init__(self):
        self._lock = threading.Lock()
        self._corpus = Corpus()
        self._as_of = None

    def refresh(self):
        from .models import Embedding

        with self._lock:
            changed = list(Embedding.objects.changed_since(self._as_of))
            for corpus, object_id, text, vector, updated_at in changed:
                self._corpus.put((corpus, object_id), text, np.frombuffer(bytes(vector), dtype=np.float32))
                self._as_of = updated_at if self._as_of is None else max(self._as_of, updated_at)
            return self._corpus

    def match(self, sentences, vectors=None, *, limit=3, threshold=MATCH_THRESHOLD):
        """For each sentence, its likely repeats: [[Match, …], …], best first."""
        ranked = self.refresh().rank(sentences, vectors, limit=limit, threshold=threshold)
        return [[Match(corpus, object_id, score) for (corpus, object_id), score in row] for row in ranked]


index = Index()


def matchable_text(claim):
    return " ".join(part for part in (claim.text, claim.quote) if part)


def store_claim_embeddings(claims):
    """Embed ``claims`` (captured, imported, edited or backfilled) and store their vectors."""
    from .models import Embedding

    claims = list(claims)
    texts = [matchable_text(c) for c in claims]
    rows = [
        Embedding(corpus=Embedding.Corpus.CLAIM, object_id=claim.pk, text=text, vector=vector.tobytes(),
                  model=embeddings.MODEL_NAME)
        for claim, text, vector in zip(claims, texts, embeddings.embed(texts), strict=True)
    ]
    Embedding.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["corpus", "object_id"],
        update_fields=["text", "vector", "model", "updated_at"],
    )


def _describe_claims(ids):
    from claims.models import Claim

    found = Claim.objects.filter(pk__in=ids).only("pk", "text", "slug", "imported_from", "close_reason")

    def origin(claim):
        # Known only from another publisher's review: imported as such, or closed as checked elsewhere.
        elsewhere = claim.imported_from or claim.close_reason == getattr(Claim.CloseReason, "CHECKED_ELSEWHERE", None)
        return "other_publisher" if elsewhere else "ours"

    return {c.pk: (c.text, c.get_desk_url(), origin(c)) for c in found}


# How each corpus's matches are shown: ids -> {object_id: (label, url, origin)}. A further corpus (others'
# reviews) adds its Corpus choice, writes its Embedding rows and registers a describer here.
DESCRIBERS = {"claim": _describe_claims}


def describe(matches_by_sentence):
    """{(corpus, object_id): (label, url, origin)} for every match that still exists; a query per corpus."""
    wanted = {}
    for matches in matches_by_sentence:
        for m in matches:
            wanted.setdefault(m.corpus, set()).add(m.object_id)
    described = {}
    for corpus, ids in wanted.items():
        for object_id, info in DESCRIBERS[corpus](ids).items():
            described[(corpus, object_id)] = info
    return described
