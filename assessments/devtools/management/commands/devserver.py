"""The development server and a background worker beside it, started and stopped together.

    python manage.py devserver [HOST:PORT]

`make run` uses it. The web server is Django's `runserver` (it reloads on code changes);
the worker is `manage.py worker` at a lower CPU priority, so rendering reports in the
background leaves the web server responsive. Each runs in its own session, and Ctrl-C
(SIGINT), SIGTERM or SIGHUP here stops both with everything they started; if either stops
on its own, the other is stopped too and the command fails with the reason. With
`TASK_BACKEND=immediate` there is no worker to start and only the web server runs.

With `DEBUG` on, both restart when the code changes (the database-queue worker reloads
as runserver does).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

STOP_SECONDS = 20


class Command(BaseCommand):
    help = "Run the development server and a background worker; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        processes: dict[str, subprocess.Popen[bytes]] = {}
        previous = {
            signum: signal.signal(signum, _stop_on_signal)
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        }
        try:
            if settings.TASK_BACKEND != "immediate":
                processes["worker"] = subprocess.Popen(  # noqa: S603 - our own manage.py
                    [*manage, "worker"], preexec_fn=_lower_priority, start_new_session=True
                )
            else:
                self.stdout.write("TASK_BACKEND=immediate: reports render inside each request.")
            processes["web server"] = subprocess.Popen(  # noqa: S603 - our own manage.py
                [*manage, "runserver", addrport], start_new_session=True
            )
            stopped = _first_to_stop(processes)
            raise CommandError(
                f"The {stopped} stopped (exit code {processes[stopped].returncode}), "
                "so the rest was stopped too."
            )
        except KeyboardInterrupt:
            self.stdout.write("Stopping the web server and the worker...")
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            _stop(list(processes.values()))


def _stop_on_signal(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _first_to_stop(processes: dict[str, subprocess.Popen[bytes]]) -> str:
    while True:
        for name, process in processes.items():
            if process.poll() is not None:
                return name
        time.sleep(0.5)


def _lower_priority() -> None:
    os.nice(10)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop each process with everything it started (runserver's reloading child).

    SIGINT first, as Ctrl-C in their own terminal would: the worker finishes the job in
    hand (its reloader turns SIGTERM into an immediate exit). Then SIGTERM, then SIGKILL,
    for whatever is still running. Each runs in its own session, so a signal to its
    process group reaches everything it started."""
    for signum, seconds in ((signal.SIGINT, STOP_SECONDS), (signal.SIGTERM, 5.0)):
        running = [process for process in processes if process.poll() is None]
        for process in running:
            _signal_group(process, signum)
        deadline = time.monotonic() + seconds
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in processes:
        if process.poll() is None:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signum)
