"""A small partial index for a card's "Updated"/"Corrected" flag: each claim's public update and correction
events, newest first (ClaimQuerySet.with_last_change). The timeline index read every event of each listed claim
to find none: at 1M claims, half of a search page's twenty claims' SQL time, from cold pages."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0020_search_published_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='claimevent',
            index=models.Index(models.F('claim'), models.OrderBy(models.F('at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('kind__in', ['updated', 'corrected']), ('public', True)), name='event_public_change'),
        ),
    ]
