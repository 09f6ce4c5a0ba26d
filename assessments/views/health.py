"""Liveness and readiness probes for the load balancer: no sign-in, no detail leaked."""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_ready() -> bool:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # any failure means "not ready"; the reason goes to the log only
        logger.exception("readiness: database check failed")
        return False


def _tasks_ready() -> bool:
    from django.conf import settings

    if settings.TASK_BACKEND != "rq":
        return True  # immediate and database backends share the database checked above
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        logger.exception("readiness: task queue check failed")
        return False
    return True


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready = _database_ready() and _tasks_ready()
    return JsonResponse({"status": "ok" if ready else "unavailable"}, status=200 if ready else 503)
