"""Liveness and readiness probes for the load balancer: no sign-in, no detail leaked.

`/healthz` answers 200 while the process can serve HTTP at all. `/readyz` answers 200
only when the database answers, every migration is applied and the task queue is
reachable (Redis for the `rq` backend; the database for the others); otherwise 503 with
the same one-word body, the reason going to the log only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Once every migration is applied it stays applied for the life of this process (its code
# does not change), so the migration graph is loaded once, not on every probe.
_migrations_seen_applied = False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_ready() -> bool:
    global _migrations_seen_applied
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_seen_applied:
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                logger.error("readiness: migrations are not applied")
                return False
            _migrations_seen_applied = True
    except Exception:  # any failure means "not ready"; the reason goes to the log only
        logger.exception("readiness: database check failed")
        return False
    return True


def _tasks_ready() -> bool:
    if settings.TASK_BACKEND != "rq":
        return True  # immediate and database backends share the database checked above
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:
        logger.exception("readiness: task queue check failed")
        return False
    return True


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready = _database_ready() and _tasks_ready()
    return JsonResponse({"status": "ok" if ready else "unavailable"}, status=200 if ready else 503)
