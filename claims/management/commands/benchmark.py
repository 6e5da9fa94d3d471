"""Measure the app against the database's own floor, at any archive size.

    python manage.py benchmark --claims 100000            # builds (or reuses) its own database
    DATABASE_URL=postgres://… python manage.py benchmark --claims 1000 --requests 300

It builds a synthetic archive in a database of its own (``<name>_bench_<N>``; never the configured one),
by bulk inserts shaped like a newsroom's: about one claimant per 50 claims, one source per 5, and for each
claim 3 evidence items, 2 verdicts and 6 history events. The archive is kept for the next run unless
``--drop`` is given. Bulk inserts bypass claims.workflow on purpose: this is a throwaway database, and
routing a million claims through a row-locking workflow would measure the loader, not the pages.

Each figure is measured in-process through Django's full request handling and middleware (the test
Client: no network), with warm-up requests first, and reported as p50/p95 in milliseconds with the
queries each request runs. Figures are timed round-robin (one request of each in turn), so that a slow
spell of a shared machine slows them all alike, the floor included. The API claim list is also produced
by the floor: one hand-written SQL query through psycopg and ``json.dumps``, the least any implementation
must do. Every figure is printed with its ratio to that floor, and the whole table is written as JSON
(``--output``).
"""

import itertools
import json
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, Claimant, ClaimEvent, Evidence, Rating, Source, Topic, Verdict
from claims.views.public import position_of

WORDS = (
    "minister said frozen assets billion euro summit sanctions ceasefire talks ministry kremlin council meeting "
    "reserves bank trade china india energy gas oil exports budget deficit inflation unemployment wages pension "
    "election vote turnout poll border troops casualties aid weapons treaty agreement leak report interview "
    "statement press secretary foreign envoy washington moscow brussels kyiv budapest alaska euroclear denied "
    "confirmed cancelled signed grew fell doubled tripled percent million record highest lowest since"
).split()
KINDS = ["created", "research_started", "evidence_added", "evidence_added", "verdict_proposed", "published"]
CHUNK = 2000
FLOOR = "floor: API claim list (SQL + json)"
TIGHT_FLOOR = "floor, in a tight loop"


class Vocabulary:
    """Newsroom-like text: the topical WORDS plus 20,000 made-up words drawn with Zipf's law, as words are
    in real text. A uniform draw from a few dozen words would put every word in half the archive, which no
    real archive does, and would make every search and every trigram lookup match everything."""

    def __init__(self, rng, size=20_000):
        syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
        words = list(WORDS)
        seen = set(words)
        while len(words) < size:
            word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        rng.shuffle(words)
        self.words = words
        self.cum_weights = list(itertools.accumulate(1 / rank for rank in range(1, size + 1)))
        self.rng = rng

    def sentence(self, count):
        return " ".join(self.rng.choices(self.words, cum_weights=self.cum_weights, k=count)).capitalize()

    def middling(self):
        """A word of middling frequency, as readers search for (not "the", not a one-off)."""
        return self.words[self.rng.randint(50, 500)]


def reworded(rng, text):
    """A claim as someone else might word it: one word dropped and two swapped, ready for a query string."""
    words = text.split()
    if len(words) > 3:
        words.pop(rng.randrange(len(words)))
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return "+".join(words)


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


_FLOOR_COLUMNS = """
    c.id, c.text, c.slug, c.quote, c.quote_start, c.quote_end, c.claim_date, c.language, c.published_at,
    c.imported_from, c.version, c.created_at, c.updated_at,
    p.id AS claimant_id, p.slug AS claimant_slug, p.name AS claimant_name, p.kind AS claimant_kind,
    s.id AS source_id, s.title AS source_title, s.url AS source_url, s.outlet AS source_outlet,
    s.published_on AS source_published_on,
    v.id AS verdict_id, r.slug AS rating_slug, v.rating_label, v.rating_value, v.summary, v.correction_note,
    v.proposed_at"""
_FLOOR_FROM = """
    FROM claims_claim c
    JOIN claims_claimant p ON p.id = c.claimant_id
    LEFT JOIN claims_source s ON s.id = c.source_id
    JOIN claims_verdict v ON v.id = c.published_verdict_id
    JOIN claims_rating r ON r.id = v.rating_id
    WHERE c.published_verdict_id IS NOT NULL
    ORDER BY c.updated_at DESC, c.id DESC
    LIMIT 50"""
FLOOR_SQL = {
    "postgresql": f"""SELECT {_FLOOR_COLUMNS},
        (SELECT coalesce(json_agg(json_build_object('id', t.id, 'slug', t.slug, 'name', t.name) ORDER BY t.name), '[]')
           FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id WHERE ct.claim_id = c.id) AS topics
        {_FLOOR_FROM}""",
    "sqlite": f"""SELECT {_FLOOR_COLUMNS},
        (SELECT coalesce(json_group_array(json_object('id', t.id, 'slug', t.slug, 'name', t.name)), '[]')
           FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id WHERE ct.claim_id = c.id) AS topics
        {_FLOOR_FROM}""",
}


class Phrases:
    """Pools of pre-built sentences by length for the long, rarely searched fields: picking one is far
    cheaper than building one per row. Claim texts are built one by one (``Vocabulary.sentence``)."""

    def __init__(self, vocabulary, size=2000):
        self.vocabulary = vocabulary
        self.pools = {}
        self.size = size

    def __call__(self, words):
        pool = self.pools.get(words)
        if pool is None:
            pool = self.pools[words] = [self.vocabulary.sentence(words) for _ in range(self.size)]
        return self.vocabulary.rng.choice(pool)


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Build a synthetic archive in its own database and measure pages and API against the SQL floor."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=100_000, help="archive size (default 100000)")
        parser.add_argument("--requests", type=int, default=200, help="timed requests per figure (default 200)")
        parser.add_argument("--output", default="", help="JSON report path (default benchmark-<db>-<N>.json)")
        parser.add_argument("--drop", action="store_true", help="drop the benchmark database afterwards")
        parser.add_argument("--seed", type=int, default=20251022)

    def handle(self, *args, claims, requests, output, drop, seed, **options):
        if claims < 100:
            raise CommandError("--claims must be at least 100.")
        if requests < 20:
            raise CommandError("--requests must be at least 20.")
        self.rng = random.Random(seed)
        self.vocabulary = Vocabulary(self.rng)
        self.requests = requests
        original = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = self.bench_name(original, claims)
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=True)
        # The benchmark is one client making thousands of requests: throttling would measure the 429 page.
        unthrottled = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
        try:
            self.ensure_archive(claims)
            with override_settings(REST_FRAMEWORK=unthrottled):
                results = self.measure()
        finally:
            # Back to the configured database; the archive stays for the next run unless --drop.
            connection.creation.destroy_test_db(original, verbosity=0, keepdb=not drop)
        self.print_table(results)
        report = {"database": connection.vendor, "claims": claims, "requests": requests, "figures": results}
        path = Path(output or f"benchmark-{connection.vendor}-{claims}.json")
        path.write_text(json.dumps(report, indent=2) + "\n")
        self.stdout.write(f"Wrote {path}")

    def bench_name(self, original, claims):
        if connection.vendor == "sqlite":
            return str(Path(settings.BASE_DIR) / f"bench-{claims}.sqlite3")
        return f"{original}_bench_{claims}"

    # --------------------------------------------------------------------------------------------------
    # The archive.

    def ensure_archive(self, n):
        have = Claim.objects.count()
        if have == n:
            self.stdout.write(f"Reusing the benchmark archive of {n} claims in {connection.settings_dict['NAME']}.")
            return
        if have:
            raise CommandError(f"The benchmark database holds {have} claims, not {n}; rerun with --drop first.")
        self.stdout.write(f"Building a synthetic archive of {n} claims in {connection.settings_dict['NAME']} …")
        started = time.perf_counter()
        self.build(n)
        self.stdout.write(f"Built in {time.perf_counter() - started:.0f} s.")

    def build(self, n):
        rng = self.rng
        self.phrase = Phrases(self.vocabulary)
        User = get_user_model()
        editors = Group.objects.get(name="Editors")
        reviewers = Group.objects.get(name="Reviewers")
        users = []
        for i in range(25):
            user = User.objects.create_user(f"bench{i}", password=None, first_name="Bench", last_name=str(i))
            user.groups.add(reviewers if i < 5 else editors)
            users.append(user)
        ratings = list(Rating.objects.all())
        topics = Topic.objects.bulk_create(Topic(name=f"Topic {i}", slug=f"topic-{i}") for i in range(50))
        claimants = Claimant.objects.bulk_create(
            (
                Claimant(
                    name=f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}",
                    slug=f"claimant-{i}",
                    description="Minister",
                )
                for i in range(max(10, n // 50))
            ),
            batch_size=CHUNK,
        )
        sources = Source.objects.bulk_create(
            (
                Source(title=self.vocabulary.sentence(7), url=f"https://news.example/{i}", outlet=f"Outlet {i % 300}")
                for i in range(max(10, n // 5))
            ),
            batch_size=CHUNK,
        )
        now = timezone.now()
        through = Claim.topics.through
        if connection.vendor == "postgresql":
            # One set-based reindex at the end beats a trigger call per row.
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE claims_claim DISABLE TRIGGER claim_search_reindex")
        for start in range(1, n + 1, CHUNK):
            ids = range(start, min(n, start + CHUNK - 1) + 1)
            with transaction.atomic():
                self.build_chunk(ids, n, now, users, ratings, topics, claimants, sources, through)
            done = ids[-1]
            if done == n or done % (CHUNK * 10) < CHUNK:
                self.stdout.write(f"  {done}/{n} claims")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                self.stdout.write("  indexing for search …")
                cursor.execute(
                    "INSERT INTO claims_claimsearch (claim_id, document, published) SELECT id, "
                    "claims_search_document(text, quote, claimant_id, published_verdict_id, language), "
                    "published_verdict_id IS NOT NULL FROM claims_claim"
                )
                cursor.execute("ALTER TABLE claims_claim ENABLE TRIGGER claim_search_reindex")
            for sql in connection.ops.sequence_reset_sql(self.style, [Claim, Verdict, Evidence, ClaimEvent]):
                cursor.execute(sql)
            # VACUUM too on PostgreSQL: the visibility map makes index-only scans (deep pages) index-only.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def build_chunk(self, ids, n, now, users, ratings, topics, claimants, sources, through):
        rng, phrase = self.rng, self.phrase
        claims, verdicts, evidence, events, tags = [], [], [], [], []
        empty = json.dumps({})
        for cid in ids:
            at = now - timedelta(minutes=(n - cid) * 7)
            published = cid % 10 < 6  # 60% published, the rest spread over the desk's stages
            status = "published" if published else ("new", "researching", "in_review", "closed")[cid % 4]
            proposer, approver = rng.sample(users, 2)
            for k in (1, 2):
                rating = rng.choice(ratings)
                verdicts.append(
                    (
                        2 * cid - 2 + k,
                        cid,
                        rating.pk,
                        rating.label,
                        rating.value,
                        phrase(18),
                        phrase(60),
                        "",
                        proposer.pk,
                        proposer.get_full_name(),
                        at + timedelta(minutes=k),
                    )
                )
            text = self.vocabulary.sentence(9)[:75]
            claims.append(
                (
                    cid,
                    text,
                    text.lower().replace(" ", "-")[:80],
                    phrase(25),
                    None,
                    None,
                    rng.choice(claimants).pk,
                    rng.choice(sources).pk,
                    None,
                    "en",
                    status,
                    "out_of_scope" if status == "closed" else "",
                    proposer.pk if status in ("researching", "in_review") else None,
                    2 * cid if published else None,
                    None,
                    None,
                    False,
                    "",
                    "",
                    7,
                    at,
                    at,
                    at if published else None,
                )
            )
            for k in range(3):
                withheld = (cid + k) % 50 == 0
                item = (
                    f"https://evidence.example/{cid}/{k}",
                    phrase(6),
                    f"Publisher {k}",
                    phrase(20),
                    ("supports", "refutes", "context")[k],
                    "",
                    withheld,
                    "Protects a source" if withheld else "",
                )
                # A published claim's evidence is approved as it stands (Evidence.approved).
                approved = json.dumps(dict(zip(Evidence.PUBLIC_FIELDS, item, strict=True))) if published else None
                evidence.append((cid, *item, proposer.pk, at, approved, False))
            for k, kind in enumerate(KINDS):
                final = kind == "published"
                actor = approver if final else proposer
                events.append(
                    (
                        cid,
                        actor.pk,
                        actor.get_full_name(),
                        at + timedelta(seconds=k),
                        kind,
                        "",
                        "",
                        2 * cid if final else None,
                        phrase(8) if k % 3 == 0 else "",
                        empty,
                        final,
                    )
                )
            tags.append((cid, rng.choice(topics).pk))
        self.insert(
            Verdict,
            [
                "id",
                "claim_id",
                "rating_id",
                "rating_label",
                "rating_value",
                "summary",
                "analysis",
                "correction_note",
                "proposed_by_id",
                "proposed_by_name",
                "proposed_at",
            ],
            verdicts,
        )
        self.insert(
            Claim,
            [
                "id",
                "text",
                "slug",
                "quote",
                "quote_start",
                "quote_end",
                "claimant_id",
                "source_id",
                "claim_date",
                "language",
                "status",
                "close_reason",
                "assignee_id",
                "published_verdict_id",
                "recheck_on",
                "duplicate_of_id",
                "is_reader_tip",
                "tipster_email",
                "imported_from",
                "version",
                "created_at",
                "updated_at",
                "published_at",
            ],
            claims,
        )
        self.insert(
            Evidence,
            [
                "claim_id",
                "url",
                "title",
                "publisher",
                "note",
                "stance",
                "archived_url",
                "withheld",
                "withheld_reason",
                "added_by_id",
                "added_at",
                "approved",
                "removed",
            ],
            evidence,
        )
        self.insert(
            ClaimEvent,
            [
                "claim_id",
                "actor_id",
                "actor_name",
                "at",
                "kind",
                "from_status",
                "to_status",
                "verdict_id",
                "note",
                "changes",
                "public",
            ],
            events,
        )
        self.insert(through, ["claim_id", "topic_id"], tags)

    def insert(self, model, columns, rows):
        """Bulk-load rows: COPY on PostgreSQL, executemany on SQLite. Far faster than bulk_create at 1M."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    # --------------------------------------------------------------------------------------------------
    # Measurement.

    def measure(self):
        anonymous, desk = Client(), Client()
        desk.force_login(get_user_model().objects.get(username="bench0"))
        public = list(Claim.objects.public().order_by("?")[:500])
        # Deep in the index: older than the claim half way down it (the link a reader follows is the same).
        middle = Claim.objects.public().order_by("-published_at", "-id")[Claim.objects.public().count() // 2]
        deep = f"/claims/?before={position_of(middle)}"
        rng = self.rng

        def get(client, url):
            return lambda: self.fetch(client, url() if callable(url) else url)

        # The type-ahead is asked for the first one to four letters of names and titles in the register.
        claimants = list(Claimant.objects.order_by("?").values_list("name", flat=True)[:200])
        sources = list(Source.objects.order_by("?").values_list("title", flat=True)[:200])

        def prefix(names):
            return quote(rng.choice(names)[: rng.randint(1, 4)])

        floor = (FLOOR, self.floor_api_list)
        # The floor alone in a tight loop too, as earlier versions of this benchmark measured it: its query
        # then runs with every cache hot, which no figure interleaved with others enjoys. Both ratios print.
        results = self.time_round_robin("floor alone", [(TIGHT_FLOOR, self.floor_api_list)])
        for cache_on in (False, True):
            tag = "cache on" if cache_on else "cache off"
            # Cold: any of 500 claims. Cached: the 20 most read ones, as readers crowd onto a few stories.
            pool = public[:20] if cache_on else public
            urls = [claim.get_absolute_url() for claim in pool]
            figures = [
                (f"public index, first page ({tag})", get(anonymous, "/claims/")),
                (f"public index, deep page ({tag})", get(anonymous, deep)),
                (f"fact-check page ({tag})", get(anonymous, lambda urls=urls: rng.choice(urls))),
                (f"API claim list, 50 a page ({tag})", get(anonymous, "/api/v1/claims/?page_size=50")),
                (f"API claim detail ({tag})",
                 get(anonymous, lambda pool=pool: f"/api/v1/claims/{rng.choice(pool).pk}/")),
            ]
            if not cache_on:
                figures = [floor, *figures, (
                    "search (public index, q)",
                    get(anonymous, lambda: f"/claims/?q={self.vocabulary.middling()}+{self.vocabulary.middling()}"),
                ), (
                    "duplicate suggestions (API)",
                    get(desk, lambda: f"/api/v1/claims/similar/?text={reworded(rng, rng.choice(public).text)}"),
                ), ("desk dashboard", get(desk, "/desk/")),
                    ("desk board", get(desk, "/desk/board/")),
                    ("type-ahead, claimants", get(desk, lambda: f"/desk/typeahead/claimants/?q={prefix(claimants)}")),
                    ("type-ahead, sources", get(desk, lambda: f"/desk/typeahead/sources/?q={prefix(sources)}"))]
            with override_settings(PUBLIC_CACHE_SECONDS=600 if cache_on else 0):
                cache.clear()
                for claim, url in zip(pool, urls, strict=True):
                    self.fetch(anonymous, url)
                    self.fetch(anonymous, f"/api/v1/claims/{claim.pk}/")
                results += self.time_round_robin(tag, figures)
        return results

    def floor_api_list(self):
        """The least any implementation of the anonymous API claim list must do: one SQL query for the same
        50 rows and fields, straight through the driver, and ``json.dumps`` of the same shape."""
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL[connection.vendor])
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        results = []
        for row in rows:
            topics = row["topics"]
            results.append(
                {
                    "id": row["id"],
                    "text": row["text"],
                    "slug": row["slug"],
                    "quote": row["quote"],
                    "quote_start": row["quote_start"],
                    "quote_end": row["quote_end"],
                    "claimant": {
                        "id": row["claimant_id"],
                        "slug": row["claimant_slug"],
                        "name": row["claimant_name"],
                        "kind": row["claimant_kind"],
                    },
                    "source": {
                        "id": row["source_id"],
                        "title": row["source_title"],
                        "url": row["source_url"],
                        "outlet": row["source_outlet"],
                        "published_on": _iso(row["source_published_on"]),
                    },
                    "claim_date": _iso(row["claim_date"]),
                    "language": row["language"],
                    "topics": json.loads(topics) if isinstance(topics, str) else topics,
                    "published_verdict": {
                        "id": row["verdict_id"],
                        "rating": row["rating_slug"],
                        "rating_label": row["rating_label"],
                        "rating_value": row["rating_value"],
                        "summary": row["summary"],
                        "correction_note": row["correction_note"],
                        "proposed_at": _iso(row["proposed_at"]),
                    },
                    "published_at": _iso(row["published_at"]),
                    "page_url": f"{settings.SITE_URL}/claims/{row['id']}/{row['slug']}/",
                    "imported_from": row["imported_from"],
                    "status": None,
                    "close_reason": None,
                    "assignee": None,
                    "recheck_on": None,
                    "duplicate_of": None,
                    "is_reader_tip": None,
                    "tipster_email": None,
                    "version": row["version"],
                    "created_at": _iso(row["created_at"]),
                    "updated_at": _iso(row["updated_at"]),
                }
            )
        return json.dumps({"next": None, "previous": None, "results": results})

    def fetch(self, client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}; the benchmark measures working pages.")
        return response

    def time_round_robin(self, tag, figures):
        """Time each of ``figures`` (label, request) N times, one request of each in turn, so that a slow
        spell of a shared machine slows every figure alike, the floor included, rather than whichever figure
        it fell on. Warm-up requests first; p50/p95 in ms and the queries one request runs."""
        self.stdout.write(f"Timing {len(figures)} figures ({tag}), {self.requests} rounds …")
        queries = {}
        for label, make_request in figures:
            for _ in range(10):
                make_request()
            with CaptureQueriesContext(connection) as ctx:
                make_request()
            queries[label] = len(ctx.captured_queries)
        samples = {label: [] for label, _ in figures}
        for done in range(1, self.requests + 1):
            for label, make_request in figures:
                started = time.perf_counter()
                make_request()
                samples[label].append((time.perf_counter() - started) * 1000)
            if done % 50 == 0:
                self.stdout.write(f"  {done}/{self.requests} rounds")
        results = []
        for label, _ in figures:
            result = {
                "figure": label,
                "p50_ms": round(statistics.median(samples[label]), 3),
                "p95_ms": round(percentile(samples[label], 95), 3),
                "queries": queries[label],
            }
            self.stdout.write(f"  {label:<44} p50 {result['p50_ms']:8.2f} ms  p95 {result['p95_ms']:8.2f} ms  "
                              f"{result['queries']} queries")
            results.append(result)
        return results

    def print_table(self, results):
        p50 = {r["figure"]: r["p50_ms"] for r in results}
        floor, tight = p50.get(FLOOR), p50.get(TIGHT_FLOOR)
        self.stdout.write("")
        self.stdout.write(f"{'figure':<46}{'p50 ms':>10}{'p95 ms':>10}{'× floor':>9}{'× tight':>9}{'queries':>9}")
        for r in results:
            r["ratio_to_floor"] = round(r["p50_ms"] / floor, 2) if floor else None
            r["ratio_to_tight_floor"] = round(r["p50_ms"] / tight, 2) if tight else None
            ratios = "".join(f"{ratio:>9.2f}" if ratio is not None else f"{'—':>9}"
                             for ratio in (r["ratio_to_floor"], r["ratio_to_tight_floor"]))
            self.stdout.write(f"{r['figure']:<46}{r['p50_ms']:>10.2f}{r['p95_ms']:>10.2f}{ratios}{r['queries']:>9}")
