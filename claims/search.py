"""Full-text search and near-duplicate lookup, one interface over two engines.

PostgreSQL: a weighted tsvector per claim in ``claims_claimsearch`` (GIN index) queried with
``websearch_to_tsquery``, and pg_trgm similarity on the claim text (trigram GIN index).
SQLite: the FTS5 table ``claims_claimsearch_fts`` with bm25 ranking.

Both indexes are kept by triggers (migration 0005). QuerySet verbs in models.py call these helpers;
nothing else should.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
# A query of more words than this is cut: a pasted paragraph should not become a 500-term query.
MAX_TERMS = 12


def terms(q):
    return WORD.findall(q or "")[:MAX_TERMS]


def fts5_query(q, *, any_term=False, prefix_all=False):
    """A safe FTS5 query from free text: every word quoted (no operators leak through), the last one (or
    every one) a prefix so that results come while typing."""
    words = [w.replace('"', "") for w in terms(q)]
    if not words:
        return None
    quoted = [f'"{w}"' + ("*" if prefix_all else "") for w in words]
    if not prefix_all:
        quoted[-1] += "*"
    return (" OR " if any_term else " ").join(quoted)


def phrase_query(q):
    """An FTS5 phrase: the words in order, next to each other."""
    words = [w.replace('"', "") for w in terms(q)]
    return '"' + " ".join(words) + '"' if words else None


def match(q):
    """(ids, rank) RawSQL expressions for claims matching every word of ``q``, or None when ``q`` has no
    words. ``rank`` is higher for better matches on both engines, and the exact phrase always ranks first."""
    if not terms(q):
        return None
    if connection.vendor == "postgresql":
        words = "websearch_to_tsquery('english', %s)"
        ids = RawSQL(f"SELECT claim_id FROM claims_claimsearch WHERE document @@ {words}", [q])
        rank = RawSQL(
            f"SELECT ts_rank(document, {words}) + CASE WHEN document @@ phraseto_tsquery('english', %s) "
            "THEN 1000 ELSE 0 END FROM claims_claimsearch WHERE claim_id = claims_claim.id",
            [q, q],
        )
        return ids, rank
    ids = RawSQL("SELECT rowid FROM claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s", [fts5_query(q)])
    # bm25 is lower for better matches; negate it so that both engines sort by -rank.
    rank = RawSQL(
        "SELECT -bm25(claims_claimsearch_fts, 10.0, 4.0, 1.0, 1.0) + CASE WHEN rowid IN (SELECT rowid FROM "
        "claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s) THEN 1000 ELSE 0 END "
        "FROM claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s AND rowid = claims_claim.id",
        [phrase_query(q), fts5_query(q)],
    )
    return ids, rank


def similar_candidates(text):
    """(filter, order) for the claims nearest to ``text`` in wording, best first; None for empty text.

    PostgreSQL orders by pg_trgm distance through the trigram GiST index: a k-nearest-neighbour scan, so
    the closest candidates come back however low their similarity, with no threshold to tune. SQLite
    matches any of the words (prefixes, so "Russia" finds "Russian") through FTS5 and orders by bm25.
    Either way the caller re-ranks the few candidates with ``resemblance``."""
    if not terms(text):
        return None
    if connection.vendor == "postgresql":
        return None, RawSQL("claims_claim.text <-> %s", [text])
    query = fts5_query(text, any_term=True, prefix_all=True)
    ids = RawSQL("SELECT rowid FROM claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s", [query])
    rank = RawSQL(
        "SELECT bm25(claims_claimsearch_fts, 10.0, 0.0, 0.0, 0.0) FROM claims_claimsearch_fts "
        "WHERE claims_claimsearch_fts MATCH %s AND rowid = claims_claim.id",
        [query],
    )
    return ids, rank


STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his in into is it its of on or our "
    "said says she that the their them they this to was we were which who will with would about".split()
)
NUMBER_OR_WORD = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)


def stems(text):
    """Content words cut to a five-letter stem, numbers split from their units ("€210bn" → 210, bn), so
    that "Russia"/"Russian" and "210bn"/"210 billion" meet."""
    words = NUMBER_OR_WORD.findall((text or "").casefold())
    return {w[:5] for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}


def resemblance(a, b):
    """0..1, how alike two claim texts are in substance: the Dice coefficient of their stems."""
    left, right = stems(a), stems(b)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))
