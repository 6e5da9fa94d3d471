"""Full-text search and near-duplicate lookup, one interface over two engines.

PostgreSQL: a weighted tsvector per claim in ``claims_claimsearch`` (GIN index) queried with
``websearch_to_tsquery`` and ranked with ts_rank; duplicate candidates from the same index.
SQLite: the FTS5 table ``claims_claimsearch_fts`` with bm25 ranking.

Both indexes are kept by triggers (migration 0005). QuerySet verbs in models.py call these helpers;
nothing else should.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
NUMBER_OR_WORD = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
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


# Duplicate candidates on PostgreSQL come from the query's distinctive words, as a search engine's "more like
# this" picks them: by how many claims hold each word, estimated from the planner's own statistics of the
# search column (pg_stats.most_common_elems, kept by ANALYZE and autovacuum; a word not listed there is rarer
# than any that is).
# - Candidates are the claims holding any of the rarest words (at most DISTINCTIVE_TERMS), taken rarest first
#   while together they are in at most CANDIDATE_POOL claims: common words would make every claim a candidate.
# - When every word is common, the claims holding all of the rarest few words together: as many of them as
#   bring the estimate under CANDIDATE_POOL.
# - Before the first ANALYZE there are no statistics, and any word counts (the table is new or small).
# Words of five letters or more match as prefixes ("russia" finds "russian"); shorter ones exactly, or "eu"
# would find every "euro" and "europe".
# The candidates are then ranked (ts_rank) against every word of the query, rare or not.
DISTINCTIVE_TERMS = 6
CANDIDATE_POOL = 500  # claims the candidate words may reach, by the estimate
_DISTINCTIVE_TSQUERY = """(
    WITH terms AS (
        SELECT quote_literal(t.lexeme) || CASE WHEN length(t.lexeme) >= 5 THEN ':*' ELSE '' END AS term,
               CASE WHEN s.elems IS NOT NULL
                    THEN greatest(coalesce(s.freqs[array_position(s.elems, t.lexeme)], 0), 1e-9) END AS share,
               s.claims AS total
        FROM unnest(to_tsvector('english', %(text)s)) AS t
        LEFT JOIN (SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs,
                          (SELECT reltuples FROM pg_class WHERE oid = 'claims_claimsearch'::regclass) AS claims
                   FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'claims_claimsearch'
                   AND attname = 'document') AS s ON true
    ), ranked AS (
        SELECT term, share * total AS claims, row_number() OVER rarest AS n,
               total * sum(share) OVER rarest AS reach,  -- claims holding this or any rarer word, at most
               total * exp(sum(ln(share)) OVER rarest) AS together  -- claims holding this and every rarer word
        FROM terms WINDOW rarest AS (ORDER BY share, term)
    ), picked AS (SELECT *, lag(together) OVER (ORDER BY n) AS before FROM ranked)
    SELECT to_tsquery('simple', CASE
        WHEN min(claims) IS NULL OR min(claims) <= %(pool)s THEN string_agg(term, ' | ' ORDER BY n)
            FILTER (WHERE claims IS NULL OR n <= %(terms)s AND reach <= %(pool)s)
        ELSE string_agg(term, ' & ' ORDER BY n) FILTER (WHERE n = 1 OR before > %(pool)s) END)
    FROM picked
)"""
_EVERY_WORD_TSQUERY = """(
    SELECT to_tsquery('simple', string_agg(quote_literal(lexeme) || CASE WHEN length(lexeme) >= 5 THEN ':*' ELSE ''
                                           END, ' | ')) FROM unnest(to_tsvector('english', %s))
)"""


def similar_candidates(text):
    """(ids, distance) for the claims nearest to ``text`` in wording, nearest first; None for empty text.

    Both engines look for claims sharing the query's words, as prefixes so that "Russia" finds "Russian",
    with numbers split from their units so that "€210bn" finds "210 billion". PostgreSQL asks the GIN index
    for the few most distinctive words (see above) and ranks the matches with ts_rank; SQLite asks FTS5 for
    any of the words and ranks by bm25. Either way the caller re-ranks the nearest few with ``resemblance``.

    (pg_trgm was measured first: at 100k claims a trigram GiST k-NN scan took 115-190 ms and a trigram GIN
    ``%`` search 40-340 ms, since sentence-length texts share most of their trigrams. docs/performance.md.)"""
    words = NUMBER_OR_WORD.findall(text or "")[: 2 * MAX_TERMS]
    if not words:
        return None
    if connection.vendor == "postgresql":
        tsquery = _DISTINCTIVE_TSQUERY % {"text": "%s", "pool": int(CANDIDATE_POOL), "terms": int(DISTINCTIVE_TERMS)}
        text = " ".join(words)
        ids = RawSQL(f"SELECT claim_id FROM claims_claimsearch WHERE document @@ {tsquery}", [text])
        distance = RawSQL(
            f"SELECT -ts_rank(document, {_EVERY_WORD_TSQUERY}) FROM claims_claimsearch "
            "WHERE claim_id = claims_claim.id",
            [text],
        )
        return ids, distance
    query = fts5_query(" ".join(words), any_term=True, prefix_all=True)
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
