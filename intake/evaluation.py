"""Matching measured on CLEF 2020 task 2 (tweets that repeat a claim Snopes verified): MAP@5."""

import re

from . import datasets, matching, transformer

_SIGNATURE = re.compile(r"\s+—\s+[^—]*\(@\w+\)\s+\w+ \d+, \d{4}\s*$")  # "— Name (@handle) January 14, 2020"
_LINK = re.compile(r"https?://\S+|pic\.twitter\.com/\S+")


def clean_tweet(text):
    """The tweet's words: no signature line, links, or # and @ marks."""
    text = _LINK.sub(" ", _SIGNATURE.sub("", text))
    return re.sub(r"[#@](\w+)", r"\1", text)


def verified_claims_corpus():
    claims = datasets.clef2020_verified_claims()
    texts = [f"{claim} {title}" for claim, title in claims.values()]
    corpus = matching.Corpus()
    # Integer keys: the ids count up with age, and the oldest of near-duplicates is offered first.
    for key, text, vector in zip(claims, texts, transformer.embed(texts), strict=True):
        corpus.put(int(key), text, vector)
    return corpus


def map_at_5(corpus, split):
    queries = datasets.clef2020_queries(split)
    ranked = corpus.rank([clean_tweet(q) for q, _ in queries], limit=5)
    total = 0.0
    for (_, relevant), row in zip(queries, ranked, strict=True):
        hits, precision = 0, 0.0
        for rank, (key, _score) in enumerate(row, 1):
            if str(key) in relevant:
                hits += 1
                precision += hits / rank
        total += precision / min(len(relevant), 5)
    return total / len(queries), len(queries)
