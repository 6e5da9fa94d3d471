"""A lexical index in memory: BM25 over word stems, as a sparse matrix, so that fifty sentences are scored
against every claim in one product (the database's full-text search answers one query at a time, ~20 ms each
at 100k claims: a 2,000-word article would take seconds)."""

import re

import numpy as np

_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    "a an the of to in on at by for from with and or but is are was were be been being has have had do does did "
    "it its this that these those as not no so than then there their they them he she his her him we our you "
    "your i me my will would can could should may might just about into over also more most very what which who "
    "whom whose when where why how all any some such only own same other".split()
)


def stem(word):
    """A light suffix stripper: enough to meet 'sanctions' with 'sanction' and 'frozen' stays 'frozen'."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def terms(text):
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


class LexicalIndex:
    K1, B = 1.2, 0.75

    def __init__(self, texts):
        from scipy import sparse

        self.vocabulary = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            doc_terms = terms(text)
            lengths[row] = len(doc_terms)
            tf = {}
            for term in doc_terms:
                col = self.vocabulary.setdefault(term, len(self.vocabulary))
                tf[col] = tf.get(col, 0) + 1
            rows.extend([row] * len(tf))
            cols.extend(tf)
            counts.extend(tf.values())
        counts = np.asarray(counts, dtype=np.float32)
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        n = max(len(texts), 1)
        df = np.bincount(cols, minlength=len(self.vocabulary)).astype(np.float32)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if len(texts) else 1.0
        norm = self.K1 * (1 - self.B + self.B * lengths[rows] / max(average, 1e-9))
        weights = self.idf[cols] * counts * (self.K1 + 1) / (counts + norm)
        # Columns are claims: a query row times this gives every claim's score at once.
        self.matrix = sparse.csr_matrix((weights, (cols, rows)), shape=(len(self.vocabulary), len(texts)))

    def scores(self, queries):
        """BM25 of each query against every text: a dense (queries × texts) float32 array."""
        from scipy import sparse

        rows, cols = [], []
        for row, query in enumerate(queries):
            for col in {self.vocabulary[t] for t in terms(query) if t in self.vocabulary}:
                rows.append(row)
                cols.append(col)
        q = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(queries), len(self.vocabulary))
        )
        return np.asarray((q @ self.matrix).todense(), dtype=np.float32)

    def self_scores(self, queries):
        """Each query's best possible BM25 (the sum of its terms' idf times K1+1): a scale to bring scores
        to 0..1 whatever the query's length."""
        return np.array(
            [sum(self.idf[self.vocabulary[t]] for t in set(terms(q)) if t in self.vocabulary) * (self.K1 + 1)
             for q in queries], dtype=np.float32,
        )
