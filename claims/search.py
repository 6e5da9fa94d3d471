"""Full-text search and near-duplicate lookup, one interface over two engines.

PostgreSQL: a weighted tsvector per claim in ``claims_claimsearch`` (GIN index) queried with
``websearch_to_tsquery``, and pg_trgm similarity on the claim text (trigram GIN index).
SQLite: the FTS5 table ``claims_claimsearch_fts`` with bm25 ranking.

Both indexes are kept by triggers (migration 0005). QuerySet verbs in models.py call these helpers;
nothing else should.
"""

import difflib
import re

from django.db import connection
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
# A query of more words than this is cut: a pasted paragraph should not become a 500-term query.
MAX_TERMS = 12


def terms(q):
    return WORD.findall(q or "")[:MAX_TERMS]


def fts5_query(q, *, any_term=False):
    """A safe FTS5 query from free text: every word quoted (no operators leak through), the last one a
    prefix so that results come while typing."""
    words = [w.replace('"', "") for w in terms(q)]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return (" OR " if any_term else " ").join(quoted)


def match(q):
    """(ids, rank) RawSQL expressions for claims matching ``q``, or None when ``q`` has no words.
    ``rank`` is higher for better matches on both engines."""
    if connection.vendor == "postgresql":
        if not terms(q):
            return None
        tsquery = "websearch_to_tsquery('english', %s)"
        ids = RawSQL(f"SELECT claim_id FROM claims_claimsearch WHERE document @@ {tsquery}", [q])
        rank = RawSQL(
            f"SELECT ts_rank(document, {tsquery}) FROM claims_claimsearch WHERE claim_id = claims_claim.id", [q]
        )
        return ids, rank
    query = fts5_query(q)
    if query is None:
        return None
    ids = RawSQL("SELECT rowid FROM claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s", [query])
    # bm25 is lower for better matches; negate it so that both engines sort by -rank.
    rank = RawSQL(
        "SELECT -bm25(claims_claimsearch_fts, 10.0, 4.0, 1.0, 1.0) FROM claims_claimsearch_fts "
        "WHERE claims_claimsearch_fts MATCH %s AND rowid = claims_claim.id",
        [query],
    )
    return ids, rank


def similar_candidates(text):
    """(ids, score) RawSQL expressions for claims whose text resembles ``text``; None for empty text.
    PostgreSQL uses pg_trgm's ``%`` operator (trigram index); SQLite any-word FTS5 with bm25."""
    if connection.vendor == "postgresql":
        if not terms(text):
            return None
        ids = RawSQL("SELECT id FROM claims_claim WHERE text %% %s", [text])
        score = RawSQL("similarity(claims_claim.text, %s)", [text])
        return ids, score
    query = fts5_query(text, any_term=True)
    if query is None:
        return None
    ids = RawSQL("SELECT rowid FROM claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s", [query])
    score = RawSQL(
        "SELECT -bm25(claims_claimsearch_fts, 10.0, 0.0, 0.0, 0.0) FROM claims_claimsearch_fts "
        "WHERE claims_claimsearch_fts MATCH %s AND rowid = claims_claim.id",
        [query],
    )
    return ids, score


def resemblance(a, b):
    """0..1, how alike two claim texts read; used to rank and cut SQLite's candidates."""
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()
