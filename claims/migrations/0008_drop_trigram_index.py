"""Duplicate suggestions now come from the full-text GIN index (the query's most distinctive words, see
claims/search.py): the trigram GiST index on claim text is no longer read, and every claim write paid for it.
Measured at 100k claims: a trigram k-NN scan 115-190 ms, the distinctive-word lookup 3-8 ms."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claim_text_trgm_gist")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX claim_text_trgm_gist ON claims_claim USING gist (text gist_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_list_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
