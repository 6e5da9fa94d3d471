"""Has this been checked before? Each sentence is compared with every matchable text (the register's claims,
and any further corpus) by the cosine of their sentence vectors (all-MiniLM-L6-v2 fine-tuned for claim
retrieval, ``transformer.py``) over a float32 matrix; its nearest are re-ranked with BM25, and near-duplicates
among them are offered oldest first.

Measured on the CLEF 2020 claim-retrieval dev set by ``manage.py evaluate_matching``. The index lives in
each process's memory and catches up with the database before every use by reading the rows changed since
it last looked, so a claim captured through another process is matched at once.
"""

import threading
from dataclasses import dataclass

import numpy as np

from . import lexical, transformer

# The cosine's weight against BM25 (divided by the sentence's best BM25 among the candidates) in the combined
# score, chosen on the CLEF 2020 *train* split with the tweets as published and the untuned model: 0.8 gave
# MAP@5 0.908 there (0.85: 0.907, 0.9: 0.892, 0.75: 0.907, 0.7: 0.903). Not chosen again after fine-tuning on
# that split, where any choice would flatter the model. With the fine-tuned model, a combined score of
# MATCH_THRESHOLD keeps 173 of the 175 dev tweets whose claim ranks first (it offered 15 of the 22 wrong firsts).
EMBEDDING_WEIGHT = 0.8
CANDIDATES = 100  # nearest by cosine, re-ranked with BM25
BATCH = 64  # sentences compared at once
MATCH_THRESHOLD = 0.5  # below this combined score nothing is offered as a repeat
# Texts this close (cosine) are one claim told twice; the oldest (smallest key) is offered first. On the CLEF
# 2020 train split, when the tweet's claim had such a twin, the annotated one was the older in 187 of 192.
DUPLICATE_COSINE = 0.95
DIMENSIONS = transformer.DIMENSIONS


def _unit(vectors):
    vectors = np.array(np.atleast_2d(vectors), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


@dataclass(frozen=True)
class Match:
    corpus: str
    object_id: int
    score: float


class Corpus:
    """Matchable texts with their vectors and word statistics, added or replaced one by one. Keys must be
    comparable: a smaller key is an older text (a claim's id), offered first among near-duplicates."""

    def __init__(self):
        self.keys = []
        self.rows = {}
        # One column per text: the product with a few sentences' rows reads it in its stored order.
        self.columns = np.zeros((DIMENSIONS, 1024), dtype=np.float32)
        self.statistics = lexical.Statistics()

    def __len__(self):
        return len(self.keys)

    def put(self, key, text, vector):
        row = self.rows.get(key)
        replacing = row is not None
        if not replacing:
            row = self.rows[key] = len(self.keys)
            self.keys.append(key)
            if row >= self.columns.shape[1]:
                self.columns = np.concatenate([self.columns, np.zeros_like(self.columns)], axis=1)
        self.statistics.put(row, lexical.terms(text), replacing=replacing)
        self.columns[:, row] = _unit(vector)[0]

    def rank(self, queries, vectors=None, *, limit=5, threshold=0.0):
        """For each query, up to ``limit`` (key, score) pairs, best first, scoring at least ``threshold``.
        ``vectors`` are the queries' ``transformer.embed`` vectors when already computed."""
        if not queries or not self.keys:
            return [[] for _ in queries]
        vectors = transformer.embed(queries, cache=True) if vectors is None else _unit(vectors)
        results = []
        # In batches: a whole article's sentences against 100k texts at once would be a matrix of gigabytes.
        for start in range(0, len(queries), BATCH):
            results.extend(self._rank_batch(queries[start:start + BATCH], vectors[start:start + BATCH],
                                            limit=limit, threshold=threshold))
        return results

    def _rank_batch(self, queries, vectors, *, limit, threshold):
        cosine = vectors @ self.columns[:, : len(self.keys)]
        # BM25 adds at most 1 - EMBEDDING_WEIGHT: below this cosine a text cannot reach the threshold, so only
        # those above it are ranked (a full partial sort of 100k scores per sentence costs more than the rest).
        floor = (threshold - (1 - EMBEDDING_WEIGHT)) / EMBEDDING_WEIGHT
        results = []
        for row, query in enumerate(queries):
            scores_row = cosine[row]
            candidates = np.flatnonzero(scores_row >= floor) if floor > -1 else np.arange(len(self.keys))
            if len(candidates) > CANDIDATES:
                candidates = candidates[np.argpartition(-scores_row[candidates], CANDIDATES - 1)[:CANDIDATES]]
            if not len(candidates):
                results.append([])
                continue
            bm25 = self.statistics.bm25(lexical.terms(query), candidates)
            scores = EMBEDDING_WEIGHT * scores_row[candidates] + (1 - EMBEDDING_WEIGHT) * (
                bm25 / max(bm25.max(), 1e-9)
            )
            order = np.argsort(-scores, kind="stable")[: max(limit * 4, 20)]
            ranked = self._oldest_first(candidates[order], scores[order])[:limit]
            results.append([(self.keys[i], float(score)) for i, score in ranked if score >= threshold])
        return results

    def _oldest_first(self, rows, scores):
        """(row, score) best first, where near-duplicates (``DUPLICATE_COSINE``) share their best score and
        come oldest first."""
        vectors = self.columns[:, rows]
        similar = vectors.T @ vectors
        group = list(range(len(rows)))  # each row's group: the best-scored row it duplicates
        for i in range(len(rows)):
            for j in range(i):
                if similar[i, j] >= DUPLICATE_COSINE:
                    group[i] = group[j]
                    break
        order = sorted(range(len(rows)), key=lambda i: (-scores[group[i]], group[i], self.keys[rows[i]]))
        return [(rows[i], scores[group[i]]) for i in order]


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
                  model=transformer.MODEL_NAME)
        for claim, text, vector in zip(claims, texts, transformer.embed(texts), strict=True)
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
