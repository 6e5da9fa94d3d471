"""Words for the lexical half of matching: BM25 over light stems, for the few candidates the embedding found.

The database's full-text search answers one query at a time (~20 ms at 100k claims), too slow for the fifty
or more sentences of an article; here the document frequencies are kept in memory beside the vectors.
"""

import re

import numpy as np

_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    "a an the of to in on at by for from with and or but is are was were be been being has have had do does did "
    "it its this that these those as not no so than then there their they them he she his her him we our you "
    "your i me my will would can could should may might just about into over also more most very what which who "
    "whom whose when where why how all any some such only own same other".split()
)
K1, B = 1.2, 0.75


def stem(word):
    """A light suffix stripper: enough to meet 'sanctions' with 'sanction'."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def terms(text):
    return tuple(stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP)


MAX_TERMS = 64  # words of a text that BM25 sees: claims are a sentence or two


class Statistics:
    """Each text's word ids (a padded int32 matrix), lengths and document frequencies, updated as texts come and
    go, so that BM25 against a few candidates is a handful of array operations."""

    def __init__(self, capacity=1024):
        self.vocabulary = {}
        self.ids = np.full((capacity, MAX_TERMS), -1, dtype=np.int32)
        self.lengths = np.zeros(capacity, dtype=np.float32)
        self.df = np.zeros(1024, dtype=np.int64)
        self.documents = 0
        self.total_length = 0

    def put(self, row, doc_terms, *, replacing):
        if row >= len(self.ids):
            self.ids = np.concatenate([self.ids, np.full_like(self.ids, -1)])
            self.lengths = np.concatenate([self.lengths, np.zeros_like(self.lengths)])
        if replacing:
            old = self.ids[row][self.ids[row] >= 0]
            np.subtract.at(self.df, np.unique(old), 1)
            self.documents -= 1
            self.total_length -= int(self.lengths[row])
        ids = [self.vocabulary.setdefault(t, len(self.vocabulary)) for t in doc_terms[:MAX_TERMS]]
        if len(self.vocabulary) > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(max(len(self.df), len(self.vocabulary)), dtype=np.int64)])
        self.ids[row] = -1
        self.ids[row, : len(ids)] = ids
        self.lengths[row] = len(ids)
        np.add.at(self.df, np.unique(np.asarray(ids, dtype=np.int64)), 1)
        self.documents += 1
        self.total_length += len(ids)

    def bm25(self, query_terms, rows):
        """BM25 of one query against the texts at ``rows``."""
        query = np.array(sorted({self.vocabulary[t] for t in query_terms if t in self.vocabulary}), dtype=np.int32)
        if not len(query) or not len(rows):
            return np.zeros(len(rows), dtype=np.float32)
        df = self.df[query]
        idf = np.log(1 + (self.documents - df + 0.5) / (df + 0.5))
        average = self.total_length / max(self.documents, 1)
        norm = K1 * (1 - B + B * self.lengths[rows] / max(average, 1e-9))
        tf = (self.ids[rows][:, :, None] == query[None, None, :]).sum(axis=1)
        return (idf * tf * (K1 + 1) / (tf + norm[:, None])).sum(axis=1)
