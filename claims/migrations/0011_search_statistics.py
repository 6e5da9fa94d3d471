"""Duplicate suggestions pick the query's rarest words by how many claims hold each, as the planner's
statistics of the search column estimate it (claims/search.py). By default ANALYZE tracks the 1,000 most
common lexemes; at a million claims a word it does not list may still be in thousands of claims, so the
column's statistics target goes from 100 to 1,000 (10,000 lexemes tracked), and ANALYZE runs once now."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE claims_claimsearch ALTER COLUMN document SET STATISTICS 1000")
        schema_editor.execute("ANALYZE claims_claimsearch")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE claims_claimsearch ALTER COLUMN document SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_desk_queue_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
