"""Full-text search and near-duplicate lookup, one interface over two engines.

PostgreSQL: a weighted tsvector per claim in ``claims_claimsearch`` (GIN index) queried with
``websearch_to_tsquery`` and ranked with ts_rank; duplicate candidates from the same index.
SQLite: the FTS5 table ``claims_claimsearch_fts`` with bm25 ranking.

Both indexes are kept by triggers (migration 0005). QuerySet verbs in models.py call these helpers;
nothing else should.
"""

import re

from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
NUMBER_OR_WORD = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
# A query of more words than this is cut: a pasted paragraph should not become a 500-term query.
MAX_TERMS = 12


def terms(q):
    return WORD.findall(q or "")[:MAX_TERMS]


# Arabic attaches conjunctions, prepositions and the article to the word ("وإسرائيل", "لإسرائيل", "بالاحتلال"):
# a word is looked for with and without them, on both engines (the index keeps words as written). Longest first.
ARABIC_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "وب", "ول", "وك", "فب", "فل", "وس",
                   "و", "ف", "ب", "ك", "ل", "س")
TATWEEL = "\u0640"  # the stretching stroke written after an attached letter: "لـإسرائيل"
ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def arabic_forms(word):
    """``word`` and its forms with the usual attached prefixes, from its bare form too ("الاحتلال" also finds
    "للاحتلال", "إسرائيل" also finds "وإسرائيل" and "لـإسرائيل")."""
    word = word.replace(TATWEEL, "")
    bare = word
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            bare = word[len(prefix):]
            break
    forms = {word, bare}
    for stem in (word, bare):
        for prefix in ARABIC_PREFIXES:
            forms.add(prefix + stem)
            if len(prefix) == 1 or prefix in ("وب", "ول"):
                forms.add(prefix + TATWEEL + stem)
    return sorted(forms)


def query_configs(q):
    """PostgreSQL text search configurations to read a query with, besides ``simple`` (which keeps every word,
    stop words such as "WHO" too): by its script, as the claims' own languages choose theirs. An Arabic query is
    read word for word with its attached forms only: the Arabic stemmer also takes "إسرائيلي" (Israeli) for
    "إسرائيل" (Israel), and "مصري" for "مصر", which tripled the matches and left SQLite, which has no Arabic
    stemmer, far behind (160 claims for إسرائيل against 56 that hold the word)."""
    if ARABIC.search(q):
        return []
    if CYRILLIC.search(q):
        return ["russian"]
    return ["english"]


def _pg_lexeme(word):
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def simple_tsquery(q):
    """A ``to_tsquery('simple', …)`` text: every word of ``q`` as written (Arabic with its attached forms)."""
    groups = []
    for word in terms(q):
        forms = arabic_forms(word.casefold()) if ARABIC.search(word) else [word.casefold()]
        groups.append("(" + " | ".join(_pg_lexeme(form) for form in forms) + ")")
    return " & ".join(groups)


# The document holds the words as written with a prefix of their own, "=word" (migration 0019), apart from the
# language's stems: claims_written_query() puts it on every word of a query read as written.
WRITTEN_TSQUERY = "claims_written_query(to_tsquery('simple', %s))"


def pg_tsquery(q):
    """(SQL, params) of the tsquery for ``q``: read in the language configuration its script suggests, OR as
    written word for word (``simple``), so that stemming helps and stop words are not lost."""
    configs = query_configs(q)
    sql = " || ".join(["websearch_to_tsquery(%s::regconfig, %s)"] * len(configs) + [WRITTEN_TSQUERY])
    return "(" + sql + ")", [param for config in configs for param in (config, q)] + [simple_tsquery(q)]


def pg_phrase_tsquery(q):
    """(SQL, params) of the tsquery of ``q``'s words in order, for the exact phrase's bonus: stemmed in the
    configuration its script suggests, or as written (an Arabic query)."""
    configs = query_configs(q)
    if configs:
        return "phraseto_tsquery(%s::regconfig, %s)", [configs[0], q]
    return "claims_written_query(phraseto_tsquery('simple', %s))", [q]


def fts5_query(q):
    """A safe FTS5 query from free text: every word quoted (no operators leak through), an Arabic word with its
    attached forms, the last word a prefix so that results come while typing."""
    words = [w.replace('"', "") for w in terms(q)]
    if not words:
        return None
    parts = []
    for index, word in enumerate(words):
        if ARABIC.search(word):
            parts.append("(" + " OR ".join(f'"{form}"' for form in arabic_forms(word)) + ")")
        else:
            parts.append(f'"{word}"' + ("*" if index == len(words) - 1 else ""))
    return " AND ".join(parts)


def phrase_query(q):
    """An FTS5 phrase: the words in order, next to each other."""
    words = [w.replace('"', "") for w in terms(q)]
    return '"' + " ".join(words) + '"' if words else None


def matching(claims, q):
    """``claims`` narrowed to those matching every word of ``q``, annotated with ``search_rank`` (higher is
    better on both engines, and the exact phrase always ranks first); None when ``q`` has no words."""
    if not terms(q):
        return None
    if connection.vendor == "postgresql":
        words, params = pg_tsquery(q)
        phrase, phrase_params = pg_phrase_tsquery(q)
        ids = RawSQL(f"SELECT claim_id FROM claims_claimsearch WHERE document @@ {words}", params)
        rank = RawSQL(
            f"SELECT ts_rank(document, {words}) + CASE WHEN document @@ {phrase} "
            "THEN 1000 ELSE 0 END FROM claims_claimsearch WHERE claim_id = claims_claim.id",
            [*params, *phrase_params],
        )
        return claims.filter(id__in=ids).annotate(search_rank=rank)
    # A join, not a subquery per row: FTS5 would run the whole MATCH again for every row it ranked (0.7 ms a
    # row at 100k claims). QuerySet.extra() is the only way to join a table Django has no model for.
    # bm25 is lower for better matches; negated so that both engines sort by -search_rank.
    return claims.extra(
        tables=["claims_claimsearch_fts"],
        where=["claims_claimsearch_fts.rowid = claims_claim.id", "claims_claimsearch_fts MATCH %s"],
        params=[fts5_query(q)],
        select={"search_rank": (
            "-bm25(claims_claimsearch_fts, 10.0, 4.0, 1.0, 1.0) + CASE WHEN claims_claimsearch_fts.rowid IN "
            "(SELECT rowid FROM claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s) THEN 1000 ELSE 0 END"
        )},
        select_params=[phrase_query(q)],
    )


def ranked_published(q, *, offset, limit):
    """PostgreSQL: ([ids], total) of the published claims matching ``q``, ``limit`` of them from ``offset`` on,
    in ``matching``'s order (rank, then newest id), with how many match in all; None when ``q`` has no words.

    One query, on the search table alone: its ``published`` flag (migration 0015) says what
    ``Claim.objects.public()`` would, and the rank is computed from the row the match already read, so no
    claim row is read for a match that does not make the page. ``matching`` over ``public()`` reads the claim's
    row and the search row again for every match: at 1M claims, 40 ms against 10 for a two-word query."""
    if not terms(q):
        return None
    words, params = pg_tsquery(q)
    phrase, phrase_params = pg_phrase_tsquery(q)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT claim_id, count(*) OVER () FROM ("
            f"  SELECT claim_id, ts_rank(document, {words}) + CASE WHEN document @@ {phrase}"
            f"  THEN 1000 ELSE 0 END AS rank FROM claims_claimsearch WHERE published AND document @@ {words}"
            f") AS found ORDER BY rank DESC, claim_id DESC LIMIT %s OFFSET %s",
            [*params, *phrase_params, *params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows or not offset:
            return [pk for pk, _ in rows], rows[0][1] if rows else 0
        # Past the last page: the window counted nothing, so count.
        cursor.execute(f"SELECT count(*) FROM claims_claimsearch WHERE published AND document @@ {words}", params)
        return [], cursor.fetchone()[0]


# Duplicate candidates come from the query's distinctive words, as a search engine's "more like this" picks
# them (the rule is ``distinctive`` below; each engine says how many claims hold each word):
# - any of the rarest words (at most DISTINCTIVE_TERMS), taken rarest first while together they reach at
#   most CANDIDATE_POOL claims: common words would make every claim a candidate;
# - when every word is common, the claims holding all of the rarest few words together (on SQLite, all the
#   words);
# - with no word counts yet (PostgreSQL before the first ANALYZE), any of the words: the table is new or small.
# PostgreSQL orders the candidates by ts_rank against every word of the query and the caller scores the
# nearest RANKED_CANDIDATES by ``resemblance``; SQLite's bm25 ranks only against the words looked for, which
# ties when there are few, so there the caller scores every candidate (at most CANDIDATE_LIMIT).
DISTINCTIVE_TERMS = 6
CANDIDATE_POOL = 500  # claims the chosen words may reach, by the counts
CANDIDATE_LIMIT = 2 * CANDIDATE_POOL  # candidates read at most, whatever the counts said
RANKED_CANDIDATES = 50
ANY, ALL = "any", "all"


def distinctive(counts, *, total=None, terms=None, pool=None):
    """Which of the query's words to look for, and whether ANY or ALL of them: ``counts`` is
    [(word, claims holding it or None when unknown)], ``total`` the number of claims (None: unknown)."""
    terms = DISTINCTIVE_TERMS if terms is None else terms
    pool = CANDIDATE_POOL if pool is None else pool
    if not counts:
        return [], ANY
    if any(claims is None for _, claims in counts):
        return [word for word, _ in counts], ANY
    rarest = sorted(counts, key=lambda pair: (pair[1], pair[0]))
    if rarest[0][1] <= pool:
        chosen, reach = [], 0
        for word, claims in rarest[:terms]:
            if reach + claims > pool:
                break
            chosen.append(word)
            reach += claims
        return chosen, ANY
    if not total:
        return [word for word, _ in rarest], ALL
    chosen, together = [], float(total)
    for word, claims in rarest:  # holding every one of them, were words independent
        chosen.append(word)
        together *= claims / total
        if together <= pool:
            break
    return chosen, ALL


# PostgreSQL: the query's lexemes (english stemming, stopwords dropped), and how many claims hold each from the
# planner's own statistics of the search column (pg_stats.most_common_elems, kept by ANALYZE and autovacuum;
# migration 0011 has it track 10,000 lexemes rather than 1,000). Reading pg_stats costs ten
# times what the lookup does, and it changes only when ANALYZE runs, so it is kept in the cache for a while.
STATISTICS_SECONDS = 600
_PG_STATISTICS = """
    SELECT most_common_elems::text::text[], most_common_elem_freqs,
           (SELECT reltuples FROM pg_class WHERE oid = 'claims_claimsearch'::regclass)
    FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'claims_claimsearch' AND attname = 'document'
"""


def _pg_statistics(cursor):
    """({lexeme: claims holding it}, claims holding an unlisted lexeme, claims) from ANALYZE's statistics, or
    None before the first ANALYZE."""
    def read():
        cursor.execute(_PG_STATISTICS)
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return None
        elems, freqs, claims = row
        # After one frequency per listed lexeme come the smallest and the largest of them: a lexeme not listed
        # is rarer than the rarest listed one, so it counts as in half as many claims.
        unlisted = freqs[len(elems)] / 2 * claims
        return {lexeme: share * claims for lexeme, share in zip(elems, freqs, strict=False)}, unlisted, claims

    return cache.get_or_set("search:word-statistics", read, STATISTICS_SECONDS)


# SQLite: FTS5 counts the claims holding a word by reading its list of documents, so each word is counted only
# up to CANDIDATE_POOL + 1 (more than that is "common" whatever the number).
_SQLITE_WORD_COUNT = (
    "(SELECT count(*) FROM (SELECT 1 FROM claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s LIMIT %s))"
)


def _pg_term(lexeme):
    # Lexemes of five letters or more match as prefixes ("russia" finds "russian"); shorter ones exactly, or
    # "eu" would find every "euro" and "europe". Stemmed or as written ("=…", migration 0019): a claim in
    # another language has its own stems, and only its written words can match an English lexeme.
    prefix = ":*" if len(lexeme) >= 5 else ""
    return "(" + " | ".join(_pg_lexeme(form) + prefix for form in (lexeme, "=" + lexeme)) + ")"


def _pg_count(known, lexeme, unlisted):
    """Claims holding ``lexeme``, stemmed or as written, by the statistics: the larger of the two counts (the
    same claims, for one in English)."""
    counts = [known[form] for form in (lexeme, "=" + lexeme) if form in known]
    return max(counts) if counts else unlisted


def _fts5_term(word):
    # Porter stems are cut to five letters and matched as prefixes, for the same reason as _pg_term.
    return f'"{word[:5]}"*' if len(word) >= 5 else f'"{word}"'


def similar_candidates(text):
    """(ids, distance) for the claims sharing ``text``'s distinctive words (see above), or None when it has
    no words: ``ids`` a RawSQL subquery, ``distance`` a RawSQL to order them by, nearest first, or None when
    the engine has no good order. Runs one query of its own, for the words and their counts. Numbers are split
    from their units, so that "€210bn" finds "210 billion".

    (pg_trgm was measured first: at 100k claims a trigram GiST k-NN scan took 115-190 ms and a trigram GIN
    ``%`` search 40-340 ms, since sentence-length texts share most of their trigrams. docs/performance.md.)"""
    words = _words(text)[: 2 * MAX_TERMS]
    if not words:
        return None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT lexeme FROM unnest(to_tsvector('english', %s))", [" ".join(words)])
            lexemes = [lexeme for (lexeme,) in cursor.fetchall()]
            statistics = _pg_statistics(cursor)
            known, unlisted, total = statistics if statistics else ({}, None, None)
            counts = [(_pg_term(lexeme), _pg_count(known, lexeme, unlisted)) for lexeme in lexemes]
        else:
            unique = list(dict.fromkeys(w.casefold() for w in words if w.casefold() not in STOPWORDS))
            fts_terms = [_fts5_term(word) for word in unique]
            if not fts_terms:
                return None
            cursor.execute("SELECT " + ", ".join([_SQLITE_WORD_COUNT] * len(fts_terms)),
                           [param for term in fts_terms for param in (term, CANDIDATE_POOL + 1)])
            counts, total = list(zip(fts_terms, cursor.fetchone(), strict=True)), None
    chosen, how = distinctive(counts, total=total)
    if not chosen:
        return None
    if connection.vendor == "postgresql":
        query = (" | " if how == ANY else " & ").join(chosen)
        # Cast, not to_tsquery(): the lexemes are normalised already, and its parser would strip the "=" of the
        # written forms (an Arabic claim, whose stems are Arabic, was then found by none of its words).
        ids = RawSQL("SELECT claim_id FROM claims_claimsearch WHERE document @@ %s::tsquery", [query])
        distance = RawSQL(
            "SELECT -ts_rank(document, %s::tsquery) FROM claims_claimsearch "
            "WHERE claim_id = claims_claim.id",
            [" | ".join(term for term, _ in counts)],
        )
        return ids, distance
    query = (" OR " if how == ANY else " AND ").join(chosen)
    return RawSQL("SELECT rowid FROM claims_claimsearch_fts WHERE claims_claimsearch_fts MATCH %s", [query]), None


STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his in into is it its of on or our "
    "said says she that the their them they this to was we were which who will with would about".split()
)


def _words(text):
    """Numbers split from their units ("€210bn": 210, bn), and tokens that mix digits and letters kept whole
    too ("5G", "COVID19"), or "5G" would be looked for as "5" and a dropped "g"."""
    words = NUMBER_OR_WORD.findall(text or "")
    mixed = [w for w in WORD.findall(text or "") if not w.isdigit() and not w.isalpha() and any(c.isdigit() for c in w)]
    return mixed + words


def stems(text):
    """Content words cut to a five-letter stem, numbers split from their units ("€210bn" → 210, bn), so
    that "Russia"/"Russian" and "210bn"/"210 billion" meet."""
    words = _words((text or "").casefold())
    return {w[:5] for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}


def resemblance(a, b):
    """0..1, how alike two claim texts are in substance: the Dice coefficient of their stems."""
    left, right = stems(a), stems(b)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))
