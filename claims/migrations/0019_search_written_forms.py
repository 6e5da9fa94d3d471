"""Search: the words as written are marked in the document by a prefix (``=``), not by their weights.

Migration 0013 indexed each claim's words twice, stemmed in its language's configuration (weights A, C) and as
written (``simple``, weights B, D), and a query read word for word asked for weights B and D so that it matched
only the written forms. A GIN index holds lexemes, not weights: it answered every claim holding the word in any
form, and PostgreSQL read each one from the table to test its weights. At 1M claims that recheck was more than
half of a search's time, and a written word that is also another word's stem (``pogimas``, the English stem of
``pogimase``) rechecked thousands of claims to find three.

Now the written forms are lexemes of their own, ``=word``, so the index alone answers exactly (the weights stay,
for ts_rank). The claimant's name is indexed stemmed as well as written, as the text is, so that a query read
in the language's configuration still finds it. Claims are re-indexed.
"""

from django.db import migrations

# A tsvector's or tsquery's text form quotes every lexeme ('it''s':1); the prefix goes after each opening quote.
WRITTEN = r"""
CREATE OR REPLACE FUNCTION claims_written(words tsvector) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT regexp_replace(words::text, '''((?:[^'']|'''')*)''', '''=\1''', 'g')::tsvector $$;
CREATE OR REPLACE FUNCTION claims_written_query(words tsquery) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT regexp_replace(words::text, '''((?:[^'']|'''')*)''', '''=\1''', 'g')::tsquery $$;
"""


def document_function(*, marked):
    """claims_search_document(): the claim's words stemmed in its language's configuration (weights A, C) and as
    written (B, D); ``marked``, the written ones carry the "=" and the claimant's name is stemmed too (this
    migration), else as migration 0013 wrote it."""
    def written(words):
        return f"claims_written({words})" if marked else words

    claimant_stems = "|| setweight(to_tsvector(config, claimant_name), 'B')" if marked else ""
    return f"""
CREATE OR REPLACE FUNCTION claims_search_document(claim_text text, quote text, claimant bigint, verdict bigint,
                                                  language text)
RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
DECLARE
    config regconfig := claims_search_config(language);
    claimant_name text := coalesce((SELECT name FROM claims_claimant WHERE id = claimant), '');
BEGIN
    RETURN setweight(to_tsvector(config, coalesce(claim_text, '')), 'A')
        || setweight({written("to_tsvector('simple', coalesce(claim_text, ''))")}, 'B')
        {claimant_stems}
        || setweight({written("to_tsvector('simple', claimant_name)")}, 'B')
        || setweight(to_tsvector(config, coalesce(quote, '')), 'C')
        || setweight({written("to_tsvector('simple', coalesce(quote, ''))")}, 'D')
        || setweight(to_tsvector(config, coalesce((SELECT summary FROM claims_verdict WHERE id = verdict), '')), 'C');
END
$$;
"""


REINDEX = """
UPDATE claims_claimsearch s
   SET document = claims_search_document(c.text, c.quote, c.claimant_id, c.published_verdict_id, c.language)
  FROM claims_claim c WHERE c.id = s.claim_id;
-- Rewriting every row leaves the GIN index's posting lists fragmented: at 1M claims a two-word lookup read the
-- same pages for ten times as long until the index was rebuilt.
REINDEX INDEX claimsearch_document_gin;
ANALYZE claims_claimsearch;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WRITTEN + document_function(marked=True) + REINDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(document_function(marked=False) + REINDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0018_event_kinds_replied_and_research_started"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
