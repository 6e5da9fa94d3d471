"""Make the reviewer history append-only in the database itself.

UPDATE and DELETE on claims_claimevent fail even from raw SQL. The one exception is the update that
deleting a user causes (actor_id set to NULL, nothing else changed): the event stays, and its
actor_name keeps who it was. A later migration that adds a column to the table must recreate the
SQLite trigger, which lists the columns.
"""

from django.db import migrations

TABLE = "claims_claimevent"
MESSAGE = "claims_claimevent is append-only"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION claims_claimevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}: %% refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER claimevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION claims_claimevent_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS claimevent_append_only ON {TABLE};
DROP FUNCTION IF EXISTS claims_claimevent_append_only();
"""


def sqlite_up(columns):
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns if c != "actor_id")
    return [
        f"CREATE TRIGGER claimevent_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END;",
        f"CREATE TRIGGER claimevent_no_update BEFORE UPDATE ON {TABLE} "
        f"WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL AND {unchanged}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END;",
    ]


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif connection.vendor == "sqlite":
        event = apps.get_model("claims", "ClaimEvent")
        for statement in sqlite_up([f.column for f in event._meta.concrete_fields]):
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No append-only trigger for {connection.vendor}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS claimevent_no_delete")
        schema_editor.execute("DROP TRIGGER IF EXISTS claimevent_no_update")


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_rating_scale_and_roles")]
    operations = [migrations.RunPython(install, remove)]
