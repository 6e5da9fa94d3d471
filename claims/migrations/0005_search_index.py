"""Full-text search (PostgreSQL tsvector + GIN; SQLite FTS5) and trigram duplicate detection (pg_trgm).

The search documents are kept current by triggers, so every write path keeps them right."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


# --- Full-text search and duplicate detection, maintained by the database -----------------------------

POSTGRES_UP = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION claims_search_document(claim_text text, quote text, claimant bigint, verdict bigint)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(claim_text, '')), 'A')
        || setweight(to_tsvector('english', coalesce((SELECT name FROM claims_claimant WHERE id = claimant), '')), 'B')
        || setweight(to_tsvector('english', coalesce(quote, '')), 'C')
        || setweight(to_tsvector('english', coalesce((SELECT summary FROM claims_verdict WHERE id = verdict), '')), 'C')
$$;

CREATE OR REPLACE FUNCTION claims_claim_reindex() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claims_claimsearch (claim_id, document)
    VALUES (NEW.id, claims_search_document(NEW.text, NEW.quote, NEW.claimant_id, NEW.published_verdict_id))
    ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$;
CREATE TRIGGER claim_search_reindex AFTER INSERT OR UPDATE OF text, quote, claimant_id, published_verdict_id
    ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_claim_reindex();

CREATE OR REPLACE FUNCTION claims_claimant_reindex() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims_claimsearch s
       SET document = claims_search_document(c.text, c.quote, c.claimant_id, c.published_verdict_id)
      FROM claims_claim c WHERE c.id = s.claim_id AND c.claimant_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER claimant_search_reindex AFTER UPDATE OF name ON claims_claimant
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION claims_claimant_reindex();

CREATE INDEX claimsearch_document_gin ON claims_claimsearch USING gin (document);
CREATE INDEX claim_text_trgm ON claims_claim USING gin (text gin_trgm_ops);
"""

POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS claim_search_reindex ON claims_claim;
DROP TRIGGER IF EXISTS claimant_search_reindex ON claims_claimant;
DROP FUNCTION IF EXISTS claims_claim_reindex();
DROP FUNCTION IF EXISTS claims_claimant_reindex();
DROP FUNCTION IF EXISTS claims_search_document(text, text, bigint, bigint);
DROP INDEX IF EXISTS claim_text_trgm;
"""

_SQLITE_ROW = """
    INSERT INTO claims_claimsearch_fts (rowid, text, claimant, quote, summary)
    VALUES (NEW.id, NEW.text,
            coalesce((SELECT name FROM claims_claimant WHERE id = NEW.claimant_id), ''),
            NEW.quote,
            coalesce((SELECT summary FROM claims_verdict WHERE id = NEW.published_verdict_id), ''));
"""

SQLITE_UP = [
    # unicode61 with diacritics removed: "Lavrov" finds "Lavróv"; prefix indexes make "Lav*" fast.
    "CREATE VIRTUAL TABLE claims_claimsearch_fts USING fts5("
    "text, claimant, quote, summary, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')",
    f"CREATE TRIGGER claim_search_insert AFTER INSERT ON claims_claim BEGIN {_SQLITE_ROW} END",
    "CREATE TRIGGER claim_search_update AFTER UPDATE OF text, quote, claimant_id, published_verdict_id "
    "ON claims_claim BEGIN DELETE FROM claims_claimsearch_fts WHERE rowid = OLD.id; "
    f"{_SQLITE_ROW} END",
    "CREATE TRIGGER claim_search_delete AFTER DELETE ON claims_claim "
    "BEGIN DELETE FROM claims_claimsearch_fts WHERE rowid = OLD.id; END",
    "CREATE TRIGGER claimant_search_rename AFTER UPDATE OF name ON claims_claimant WHEN OLD.name IS NOT NEW.name "
    "BEGIN UPDATE claims_claimsearch_fts SET claimant = NEW.name "
    "WHERE rowid IN (SELECT id FROM claims_claim WHERE claimant_id = NEW.id); END",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS claim_search_insert",
    "DROP TRIGGER IF EXISTS claim_search_update",
    "DROP TRIGGER IF EXISTS claim_search_delete",
    "DROP TRIGGER IF EXISTS claimant_search_rename",
    "DROP TABLE IF EXISTS claims_claimsearch_fts",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_UP], "sqlite": SQLITE_UP}[vendor]
    for statement in statements:
        schema_editor.execute(statement)
    # Index the claims that already exist.
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "INSERT INTO claims_claimsearch (claim_id, document) SELECT id, "
                "claims_search_document(text, quote, claimant_id, published_verdict_id) FROM claims_claim"
            )
        else:
            cursor.execute(
                "INSERT INTO claims_claimsearch_fts (rowid, text, claimant, quote, summary) "
                "SELECT c.id, c.text, coalesce(p.name, ''), c.quote, coalesce(v.summary, '') FROM claims_claim c "
                "LEFT JOIN claims_claimant p ON p.id = c.claimant_id "
                "LEFT JOIN claims_verdict v ON v.id = c.published_verdict_id"
            )


def remove(apps, schema_editor):
    statements = {"postgresql": [POSTGRES_DOWN], "sqlite": SQLITE_DOWN}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0004_reader_tips_and_imports'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClaimSearch',
            fields=[
                ('claim', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='claims.claim')),
                ('document', django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.RunPython(install, remove),
    ]
