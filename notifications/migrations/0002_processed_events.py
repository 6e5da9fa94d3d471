import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The event sweep records the events it processed (an event that commits late is found whenever it shows
    up), and the cursor only says since when events notify anyone."""

    dependencies = [
        ("claims", "0011_search_statistics"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="eventcursor", old_name="processed_until", new_name="since"),
        migrations.CreateModel(
            name="ProcessedEvent",
            fields=[
                ("event", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                               related_name="+", serialize=False, to="claims.claimevent")),
                ("processed_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
