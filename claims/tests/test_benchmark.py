"""The benchmark command works (at a tiny size: timings are not the point here), and the hot queries can use
their indexes on PostgreSQL."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from claims.models import Claim, Source

from .factories import published_claim

NOW = datetime.datetime(2025, 10, 22, 12, tzinfo=datetime.UTC)
FIGURES = [
    "floor, in a tight loop", "floor: API claim list (SQL + json)",
    "public index, first page (cache off)", "public index, deep page (cache off)", "fact-check page (cache off)",
    "API claim list, 50 a page (cache off)", "API claim detail (cache off)",
    "search (public index, q)", "duplicate suggestions (API)", "desk dashboard", "desk board",
    "type-ahead, claimants", "type-ahead, sources",
    "public index, first page (cache on)", "public index, deep page (cache on)", "fact-check page (cache on)",
    "API claim list, 50 a page (cache on)", "API claim detail (cache on)",
]


def test_the_benchmark_runs_at_a_tiny_size_and_reports_every_figure(tmp_path):
    report = tmp_path / "bench.json"
    env = {
        **os.environ, "SECRET_KEY": "benchmark-test", "DEBUG": "0", "ALLOWED_HOSTS": "testserver",
        "STATIC_MANIFEST": "0", "LOG_LEVEL": "WARNING",
    }
    if connection.vendor == "postgresql":
        # The command derives its own database from the configured one; never the test database itself.
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "--claims", "200", "--requests", "20", "--drop",
         "--output", str(report)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(report.read_text())
    assert data["claims"] == 200
    assert [figure["figure"] for figure in data["figures"]] == FIGURES
    for figure in data["figures"]:
        assert figure["p50_ms"] > 0 and figure["p95_ms"] >= figure["p50_ms"]
        assert figure["ratio_to_floor"] is not None and figure["ratio_to_tight_floor"] is not None
    cached = {f["figure"]: f["queries"] for f in data["figures"] if "(cache on)" in f["figure"]}
    assert cached["public index, first page (cache on)"] == 0  # served from the cache
    assert "× floor" in result.stdout


def test_the_benchmark_refuses_a_tiny_request_count():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--requests"):
        call_command("benchmark", claims=200, requests=5)


def plan(queryset):
    """PostgreSQL's plan for ``queryset`` with sequential scans discouraged: on a test-sized table the
    planner would rightly prefer them, and the question here is whether an index *can* serve the query."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if isinstance(queryset, (str, tuple)):
            sql, params = (queryset, ()) if isinstance(queryset, str) else queryset
            # Fresh statistics for the search table: what earlier tests left there must not steer the plan.
            cursor.execute("ANALYZE claims_claimsearch")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.parametrize("name, build, index", [
    ("public index", lambda: Claim.objects.latest_published()[:20], "claim_public_newest"),
    # An older page of it, as views.public.CursorPage reads it: from a (published_at, id) position on.
    ("public index, older page", lambda: Claim.objects.latest_published().filter(published_at__lte=NOW)
     .exclude(published_at=NOW, pk__gte=10)[:21], "claim_public_newest"),
    ("API claim list", lambda: Claim.objects.public().order_by("-updated_at", "-id")[:50], "claim_public_updated"),
    ("desk list", lambda: Claim.objects.order_by("-updated_at", "-id")[:50], "claim_updated"),
    # The condition Claim.objects.search() filters on (claims/search.py), as PostgreSQL sees it.
    ("search", lambda: "SELECT claim_id FROM claims_claimsearch WHERE document @@ "
                       "websearch_to_tsquery('english', 'frozen assets')", "claimsearch_document_gin"),
    # The public search's condition (search.ranked_published): the published claims' own index, migration 0020.
    ("public search", lambda: "SELECT claim_id FROM claims_claimsearch WHERE published AND document @@ "
                              "websearch_to_tsquery('english', 'frozen assets')", "claimsearch_published_gin"),
    # The condition Claim.objects.similar_to() finds its candidates with.
    ("duplicate suggestions", None, "claimsearch_document_gin"),
    ("fact-check page", lambda: Claim.objects.public().filter(pk=1), "claims_claim_pkey"),
    # Every card's "Updated"/"Corrected" flag (with_last_change), migration 0021.
    ("cards", lambda: Claim.objects.public().cards().filter(pk=1), "event_public_change"),
])
def test_hot_queries_can_use_their_indexes(editor, reviewer, name, build, index):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's; CI runs this file on PostgreSQL too")
    published_claim(actor=editor, approver=reviewer)
    if build is None:
        from claims import search

        ids, _ = search.similar_candidates("frozen Russian assets")
        queryset = (ids.sql, ids.params)
    else:
        queryset = build()
    assert index in plan(queryset), plan(queryset)


def test_sqlite_search_joins_the_full_text_index_once(editor, reviewer):
    """On SQLite the ranked search reads the FTS5 index once and looks each claim up by its key: a rank
    subquery per row ran the whole MATCH again for every matching claim."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan; test_hot_queries_can_use_their_indexes checks PostgreSQL's")
    published_claim(actor=editor, approver=reviewer)
    sql, params = Claim.objects.public().search("frozen assets")[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[-1] for row in cursor.fetchall()]
    assert any(step.startswith("SCAN claims_claimsearch_fts VIRTUAL TABLE") for step in steps), steps
    assert "SEARCH claims_claim USING INTEGER PRIMARY KEY (rowid=?)" in steps, steps
    assert not any("CORRELATED" in step for step in steps), steps


@pytest.mark.parametrize("name, build, index", [
    ("a review imported before", lambda: Claim.objects.imported_from("https://checks.example/1").values("pk")[:1],
     "claim_imported_from_unique"),
    ("a source by its address", lambda: Source.objects.at("https://news.example/1")[:1],
     "source_url_unique_when_given"),
])
def test_import_lookups_use_the_partial_unique_indexes(db, name, build, index):
    """The ClaimReview import asks these once a record: a scan instead made it slower with every record."""
    sql, params = build().query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        steps = " ".join(str(row[-1]) if connection.vendor == "sqlite" else row[0] for row in cursor.fetchall())
    assert index in steps, steps
