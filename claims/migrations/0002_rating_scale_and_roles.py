"""Seed the default rating scale and create the Editors and Reviewers groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RATINGS = [
    # slug, label, value, colour (white text passes WCAG AA on each), definition
    ("true", "True", 5, "#17663a", "The statement is accurate, and nothing significant is missing."),
    ("mostly-true", "Mostly true", 4, "#3f6b1f",
     "The statement is accurate but needs clarification or additional information."),
    ("half-true", "Half true", 3, "#7a5c00",
     "The statement is partly accurate but leaves out important details or takes things out of context."),
    ("mostly-false", "Mostly false", 2, "#a3430b",
     "The statement contains an element of truth but ignores facts that would give a different impression."),
    ("false", "False", 1, "#a1121f", "The statement is not accurate."),
    ("misleading", "Misleading", None, "#6b3fa0",
     "The statement may be literally accurate, but it is presented so as to leave a false impression."),
    ("unsupported", "Unsupported", None, "#4a5361",
     "The claim is made without evidence, and we found none that would support or refute it."),
]

EDITOR_PERMISSIONS = [
    "view_claim", "add_claim", "change_claim",
    "view_evidence", "add_evidence", "change_evidence", "delete_evidence",
    "view_appearance", "add_appearance", "change_appearance", "delete_appearance",
    "view_verdict", "add_verdict",
    "view_source", "add_source", "change_source",
    "view_claimant", "add_claimant", "change_claimant",
    "view_topic", "add_topic", "change_topic",
    "view_rating", "view_claimevent",
]
REVIEWER_PERMISSIONS = [*EDITOR_PERMISSIONS, "review_claim"]


def seed(apps, schema_editor):
    # Through the alias being migrated: `migrate --database X` must seed X, not the default database.
    db = schema_editor.connection.alias
    Rating = apps.get_model("claims", "Rating")
    for order, (slug, label, value, colour, definition) in enumerate(RATINGS, start=1):
        Rating.objects.using(db).update_or_create(
            slug=slug, defaults={"label": label, "value": value, "colour": colour, "definition": definition,
                                 "order": order},
        )

    # Permissions are normally created after all migrations; create them now so the groups can hold them.
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=db)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITOR_PERMISSIONS), ("Reviewers", REVIEWER_PERMISSIONS)):
        group, _ = Group.objects.using(db).get_or_create(name=name)
        group.permissions.set(
            Permission.objects.using(db).filter(content_type__app_label="claims", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
