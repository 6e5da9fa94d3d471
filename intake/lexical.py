"""Words for the lexical half of matching: BM25 over light stems, for the few candidates the embedding found.

The database's full-text search answers one query at a time (~20 ms at 100k claims), too slow for the fifty
or more sentences of an article; here the document frequencies are kept in memory beside the vectors.
"""

import math
import re
from collections import Counter

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


class Statistics:
    """Document frequencies and lengths, updated as texts come and go."""

    def __init__(self):
        self.df = Counter()
        self.documents = 0
        self.total_length = 0

    def add(self, doc_terms, sign=1):
        self.df.update(dict.fromkeys(doc_terms, sign))
        self.documents += sign
        self.total_length += sign * len(doc_terms)

    def idf(self, term):
        df = self.df.get(term, 0)
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))

    def bm25(self, query_terms, doc_terms):
        if not doc_terms:
            return 0.0
        average = self.total_length / max(self.documents, 1)
        norm = K1 * (1 - B + B * len(doc_terms) / max(average, 1e-9))
        score = 0.0
        for term in query_terms:
            tf = doc_terms.count(term)
            if tf:
                score += self.idf(term) * tf * (K1 + 1) / (tf + norm)
        return score
