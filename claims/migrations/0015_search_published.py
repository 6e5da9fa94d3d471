"""Search: the search table knows which claims are published, so that the public search ranks its matches in
that table alone.

A public search used to look up every matching claim's row (is it published?) and then its search document
again (its rank): at 1M claims two random reads for each of a thousand matches, 40 ms of a 50 ms query. The
``published`` flag is ``published_verdict_id IS NOT NULL``, the test ``Claim.objects.public()`` makes, kept
by the same trigger that keeps the document (it already fires when ``published_verdict_id`` changes).
SQLite's FTS5 join needs no such flag; the column stays false there and nothing reads it.
"""

from django.db import migrations, models

REINDEX = """
CREATE OR REPLACE FUNCTION claims_claim_reindex() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claims_claimsearch (claim_id, document, published)
    VALUES (NEW.id, claims_search_document(NEW.text, NEW.quote, NEW.claimant_id, NEW.published_verdict_id,
                                           NEW.language),
            NEW.published_verdict_id IS NOT NULL)
    ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document, published = EXCLUDED.published;
    RETURN NULL;
END
$$;
UPDATE claims_claimsearch s SET published = true FROM claims_claim c
 WHERE c.id = s.claim_id AND c.published_verdict_id IS NOT NULL;
"""

OLD_REINDEX = """
CREATE OR REPLACE FUNCTION claims_claim_reindex() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claims_claimsearch (claim_id, document)
    VALUES (NEW.id, claims_search_document(NEW.text, NEW.quote, NEW.claimant_id, NEW.published_verdict_id,
                                           NEW.language))
    ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REINDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_REINDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0014_merge_0013_aggregation_0013_robust"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimsearch",
            name="published",
            field=models.BooleanField(default=False, db_default=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
