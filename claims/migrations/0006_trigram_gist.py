"""Duplicate suggestions rank the nearest claims by trigram distance (``text <-> q ORDER BY … LIMIT``),
which a GiST index serves as a k-nearest-neighbour scan; a GIN index cannot. Replaces 0005's GIN index."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claim_text_trgm")
        schema_editor.execute("CREATE INDEX claim_text_trgm_gist ON claims_claim USING gist (text gist_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claim_text_trgm_gist")
        schema_editor.execute("CREATE INDEX claim_text_trgm ON claims_claim USING gin (text gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
