"""Checks on claims.demo_data: verbatim quotes, integrity and the honesty rules.

Plain pytest functions: no database and no Django settings are needed.
The seed articles live outside the repository, in ``shared/seeds`` beside the
repo root; tests that read them skip if that folder is absent.
"""

import ast
from pathlib import Path

import pytest

from claims import demo_data

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

NAMED_CLAIM_KEYS = (
    "frozen-assets-210bn",
    "lavrov-security-council-absence",
    "ft-article-commissioned-by-rivals",
)
STAGES = {"new", "researching", "published"}
RATINGS = {"true", "mostly-true", "half-true", "mostly-false", "false", "misleading", "unsupported"}
CLAIMANT_KINDS = {"person", "organization", "unnamed"}
PUBLISHED_FIELDS = ("rating", "summary", "analysis", "evidence_note")
# Text in the seeds that is not the article's own: paywall leftovers and links prompts.
NOT_ARTICLE_TEXT = ("Members are reading", "Unlock this", "Subscribe to our", "We believe you deserve")

SOURCES_BY_KEY = {s["key"]: s for s in demo_data.SOURCES}


@pytest.fixture(scope="module")
def seed_texts():
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS_DIR}")
    return {s["key"]: (SEEDS_DIR / s["seed_file"]).read_text(encoding="utf-8") for s in demo_data.SOURCES}


def test_seed_files_exist(seed_texts):
    for source in demo_data.SOURCES:
        assert (SEEDS_DIR / source["seed_file"]).is_file(), source["key"]


def test_every_quote_occurs_exactly_once_in_its_seed(seed_texts):
    missing, repeated = [], []
    for claim in demo_data.CLAIMS:
        count = seed_texts[claim["source"]].count(claim["quote"])
        if count == 0:
            missing.append(claim["key"])
        elif count > 1:
            repeated.append(claim["key"])
    assert not missing, f"quotes not found verbatim in their seed: {missing}"
    assert not repeated, f"quotes found more than once (ambiguous position): {repeated}"


def test_quotes_avoid_paywall_leftovers_and_stray_caption(seed_texts):
    bad = []
    for claim in demo_data.CLAIMS:
        lines = seed_texts[claim["source"]].strip().splitlines()
        last_line = lines[-1].strip()
        from_paywall = any(marker in claim["quote"] for marker in NOT_ARTICLE_TEXT)
        from_caption = claim["source"] == "last-tango" and last_line in claim["quote"]
        if from_paywall or from_caption:
            bad.append(claim["key"])
    assert not bad, f"quotes taken from non-article text: {bad}"


def test_blog_title_is_its_first_line(seed_texts):
    first_line = seed_texts["last-tango"].splitlines()[0].strip()
    assert SOURCES_BY_KEY["last-tango"]["title"] == first_line.rstrip(".")


def test_quotes_are_short():
    too_long = [c["key"] for c in demo_data.CLAIMS if not c["quote"].strip() or len(c["quote"]) > 400]
    assert not too_long, f"quotes empty or longer than a sentence or two: {too_long}"


def test_keys_and_slugs_are_unique():
    for name, rows, field in (
        ("SOURCES", demo_data.SOURCES, "key"),
        ("CLAIMANTS", demo_data.CLAIMANTS, "slug"),
        ("TOPICS", demo_data.TOPICS, "slug"),
        ("CLAIMS", demo_data.CLAIMS, "key"),
    ):
        values = [row[field] for row in rows]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        assert not duplicates, f"duplicate {field} in {name}: {duplicates}"


def test_references_resolve():
    claimants = {c["slug"] for c in demo_data.CLAIMANTS}
    topics = {t["slug"] for t in demo_data.TOPICS}
    broken = []
    for claim in demo_data.CLAIMS:
        if claim["source"] not in SOURCES_BY_KEY:
            broken.append((claim["key"], "source", claim["source"]))
        if claim["claimant"] not in claimants:
            broken.append((claim["key"], "claimant", claim["claimant"]))
        if not claim["topics"]:
            broken.append((claim["key"], "topics", "none"))
        broken.extend((claim["key"], "topic", t) for t in claim["topics"] if t not in topics)
    assert not broken, f"dangling references: {broken}"


def test_claim_text_is_short():
    bad = [c["key"] for c in demo_data.CLAIMS if not c["text"].strip() or len(c["text"]) > 200]
    assert not bad, f"claim text empty or over 200 characters: {bad}"


def test_enough_claims_from_both_articles():
    assert len(demo_data.CLAIMS) >= 18
    used = {c["source"] for c in demo_data.CLAIMS}
    assert used == set(SOURCES_BY_KEY), f"sources without claims: {set(SOURCES_BY_KEY) - used}"


def test_named_claims_present_and_one_in_research():
    by_key = {c["key"]: c for c in demo_data.CLAIMS}
    missing = [k for k in NAMED_CLAIM_KEYS if k not in by_key]
    assert not missing, f"commission's named claims missing: {missing}"
    assert any(by_key[k]["stage"] == "researching" for k in NAMED_CLAIM_KEYS)


def test_stages_and_verdict_fields():
    problems = []
    for claim in demo_data.CLAIMS:
        if claim["stage"] not in STAGES:
            problems.append((claim["key"], "stage"))
        elif claim["stage"] == "published":
            problems.extend(
                (claim["key"], f"missing {f}") for f in PUBLISHED_FIELDS if not str(claim.get(f, "")).strip()
            )
            if claim.get("rating") not in RATINGS:
                problems.append((claim["key"], "unknown rating"))
        else:
            problems.extend((claim["key"], f"unpublished has {f}") for f in PUBLISHED_FIELDS if f in claim)
    assert not problems, problems


def test_published_verdicts_are_few_and_only_unsupported():
    published = [c for c in demo_data.CLAIMS if c["stage"] == "published"]
    assert 1 <= len(published) <= 6, [c["key"] for c in published]
    assert {c["rating"] for c in published} == {"unsupported"}
    assert any(c["stage"] == "new" for c in demo_data.CLAIMS)
    assert any(c["stage"] == "researching" for c in demo_data.CLAIMS)


def test_no_invented_urls_dates_or_outlets():
    for source in demo_data.SOURCES:
        assert source["published_on"] is None, source["key"]
        assert source["outlet"] == "", source["key"]
        assert source["url"] == "", source["key"]
        assert source["language"] == "en", source["key"]
    for claim in demo_data.CLAIMS:
        for field in ("summary", "analysis", "evidence_note"):
            assert "http" not in claim.get(field, ""), (claim["key"], field)
            assert "www." not in claim.get(field, ""), (claim["key"], field)


def test_claimants_kinds_and_same_as():
    for claimant in demo_data.CLAIMANTS:
        assert claimant["kind"] in CLAIMANT_KINDS, claimant["slug"]
        same_as = claimant["same_as"]
        assert same_as == "" or same_as.startswith("https://en.wikipedia.org/wiki/"), claimant["slug"]
        if claimant["kind"] == "unnamed":
            assert same_as == "", claimant["slug"]


def test_demo_data_has_no_imports_and_a_docstring():
    tree = ast.parse(Path(demo_data.__file__).read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), "demo_data needs a module docstring"
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert not imports, "demo_data must be pure data"
