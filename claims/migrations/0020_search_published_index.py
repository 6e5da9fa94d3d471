"""Search: an index of the published claims' documents alone, for the public search.

The public search asks for ``published AND document @@ query`` (search.ranked_published). With one index of
every claim, PostgreSQL read each matching claim's row to find out whether it is published: at 1M claims, 40% of
them are not, and those reads were a third of the query's time (3.3 ms p50 against 2.3 ms with this index,
docs/performance.md, round 7). The desk's search and the duplicate lookup, which see every claim, keep the full
index. A claim enters this one when the trigger of migration 0015 sets its ``published`` flag.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS claimsearch_published_gin ON claims_claimsearch USING gin (document) "
            "WHERE published"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claimsearch_published_gin")


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0019_search_written_forms"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
