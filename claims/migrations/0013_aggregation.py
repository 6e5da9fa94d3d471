"""Fact-checks by others (the reviews app), and search in every language.

- A close reason for claims known only from others' fact-checks: closed as checked elsewhere, they wait in no
  desk queue until a reviewer reopens one to check it ourselves.
- An index of our own claims' wording, where an imported review of the same words is looked for.
- PostgreSQL: each claim's language picks the text search configuration of its document (arabic, russian,
  english, french, spanish, german and every other one the server has; ``simple`` otherwise), and every word
  is indexed as written too (``simple``), so that a stop word ("WHO") or an Arabic word with an attached
  prefix can still be found. The words as written carry weights B (text, claimant) and D (quote), those of
  the language's configuration A (text) and C (quote, summary), so that a query read word for word matches
  only words as written (claims/search.py). The claimant's name is indexed as written. Claims are re-indexed.
"""

from django.db import migrations, models

# BCP-47 primary language subtag -> PostgreSQL text search configuration (where the server has it).
CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
    "en": "english", "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
    "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}

DOCUMENT = """
CREATE OR REPLACE FUNCTION claims_search_document(claim_text text, quote text, claimant bigint, verdict bigint,
                                                  language text)
RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
-- PL/pgSQL rather than SQL: a SQL function that cannot be inlined is planned again at every call, which made
-- each claim's insert cost half a millisecond (the import's speed limit).
DECLARE
    config regconfig := claims_search_config(language);
BEGIN
    RETURN setweight(to_tsvector(config, coalesce(claim_text, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(claim_text, '')), 'B')
        || setweight(to_tsvector('simple', coalesce((SELECT name FROM claims_claimant WHERE id = claimant), '')), 'B')
        || setweight(to_tsvector(config, coalesce(quote, '')), 'C')
        || setweight(to_tsvector('simple', coalesce(quote, '')), 'D')
        || setweight(to_tsvector(config, coalesce((SELECT summary FROM claims_verdict WHERE id = verdict), '')), 'C');
END
$$;

CREATE OR REPLACE FUNCTION claims_claim_reindex() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claims_claimsearch (claim_id, document)
    VALUES (NEW.id, claims_search_document(NEW.text, NEW.quote, NEW.claimant_id, NEW.published_verdict_id,
                                           NEW.language))
    ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS claim_search_reindex ON claims_claim;
CREATE TRIGGER claim_search_reindex AFTER INSERT OR UPDATE OF text, quote, claimant_id, published_verdict_id, language
    ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_claim_reindex();

CREATE OR REPLACE FUNCTION claims_claimant_reindex() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims_claimsearch s
       SET document = claims_search_document(c.text, c.quote, c.claimant_id, c.published_verdict_id, c.language)
      FROM claims_claim c WHERE c.id = s.claim_id AND c.claimant_id = NEW.id;
    RETURN NULL;
END
$$;
DROP FUNCTION IF EXISTS claims_search_document(text, text, bigint, bigint);
UPDATE claims_claimsearch s
   SET document = claims_search_document(c.text, c.quote, c.claimant_id, c.published_verdict_id, c.language)
  FROM claims_claim c WHERE c.id = s.claim_id;
"""

OLD_DOCUMENT = """
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
DROP TRIGGER IF EXISTS claim_search_reindex ON claims_claim;
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
DROP FUNCTION IF EXISTS claims_search_document(text, text, bigint, bigint, text);
DROP FUNCTION IF EXISTS claims_search_config(text);
UPDATE claims_claimsearch s
   SET document = claims_search_document(c.text, c.quote, c.claimant_id, c.published_verdict_id)
  FROM claims_claim c WHERE c.id = s.claim_id;
"""


def config_function(cursor):
    """claims_search_config(language): the CASE lists only the configurations this server has."""
    cursor.execute("SELECT cfgname FROM pg_ts_config")
    available = {name for (name,) in cursor.fetchall()}
    cases = " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in sorted(CONFIGS.items()) if name in available)
    return (
        "CREATE OR REPLACE FUNCTION claims_search_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE AS "
        f"$$ SELECT (CASE lower(split_part(coalesce(language, ''), '-', 1)) {cases} ELSE 'simple' END)::regconfig $$;"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        schema_editor.execute(config_function(cursor))
    schema_editor.execute(DOCUMENT)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_DOCUMENT)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0012_approved_versions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='claim',
            name='close_reason',
            field=models.CharField(blank=True, choices=[('not_checkable', 'Not checkable (opinion or prediction)'), ('duplicate', 'Duplicate of another claim'), ('out_of_scope', 'Out of scope'), ('checked_elsewhere', 'Checked by other fact-checkers')], max_length=20),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(condition=models.Q(('close_reason', 'checked_elsewhere'), _negated=True), fields=['text'], name='claim_desk_text'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
