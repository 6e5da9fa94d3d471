"""Probes for load balancers and orchestrators.

- ``/healthz``: the process is up and serving requests. It touches nothing else, not even the database, so
  a database outage never makes every app server look dead at once (and get restarted for nothing).
- ``/readyz``: this server can do useful work: the database answers and every migration is applied. 503 with
  a JSON ``reason`` otherwise, so the load balancer sends traffic elsewhere until it is ready.

Neither needs a login, sets a cookie or is cached.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("claims.ops")


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = unapplied_migrations(connection)
    except DatabaseError as exc:
        log.warning("not ready: database unreachable: %s: %s", type(exc).__name__, str(exc).strip())
        return unavailable("database unreachable")
    if pending:
        log.warning("not ready: %d unapplied migration(s)", len(pending))
        return unavailable("unapplied migrations", pending=pending)
    return JsonResponse({"status": "ok"})


def unapplied_migrations(connection):
    """The names of the migrations not yet applied to ``connection``'s database, in the order migrate would
    apply them."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def unavailable(reason, **details):
    response = JsonResponse({"status": "unavailable", "reason": reason, **details}, status=503)
    response["Retry-After"] = "5"
    return response
