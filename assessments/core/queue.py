"""Handing work to the background queue once a change is committed.

A change a person made is committed first; the work that follows it (rendering reports,
building a report pack, sending an email) is handed to the task queue afterwards, so a
worker never looks for a row that is not committed yet. The queue is another service (the
database queue, or Redis) and may be unreachable at that moment. That must never turn a
change that is already saved into an error page: the failure is logged, the caller's
`on_failed` marks the work as not queued (so a worker or the next reader catches up), and
the request carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(
    task: Any,
    *args: Any,
    on_queued: Callable[[Any], None] | None = None,
    on_failed: Callable[[], None] | None = None,
) -> None:
    """Enqueue `task(*args)` once the current transaction commits (at once outside one).

    `on_queued(result)` runs after the queue accepted the task, `on_failed()` after it
    could not be reached. Neither the enqueue nor the callbacks raise into the request:
    every failure is logged.
    """

    def send() -> None:
        name = getattr(task, "name", repr(task))
        try:
            result = task.enqueue(*args)
        except Exception:
            logger.exception("could not enqueue %s%r: the task queue is unreachable", name, args)
            if on_failed is not None:
                _quietly(on_failed, name)
            return
        if on_queued is not None:
            _quietly(lambda: on_queued(result), name)

    transaction.on_commit(send, robust=True)


def _quietly(callback: Callable[[], None], name: str) -> None:
    try:
        callback()
    except Exception:
        logger.exception("after enqueueing %s: recording the outcome failed", name)
