"""Load and concurrency benchmark: gunicorn on PostgreSQL under assessors and managers.

    python manage.py bench_load [--users 20] [--duration 60] [--employees 300]

Creates a throwaway PostgreSQL database (dropped at the end), migrates and seeds it,
collects static files, starts gunicorn (2 worker processes, the production settings of
`make serve`) and database-queue workers on loopback, then drives it from this process
for a fixed time with virtual users: assessors save sections and complete assessments;
managers load the dashboard and the assessment list and download manager reports.
Afterwards it waits for the report queue to drain and checks that no record was lost or
doubled. Prints `name: value` lines. Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.devtools.bench import client, data

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
READY_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class Command(BaseCommand):
    help = "Load-test gunicorn on a throwaway PostgreSQL database; prints name: value lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=20, help="Virtual users (half assessors).")
        parser.add_argument("--duration", type=float, default=60, help="Seconds of load (max 600).")
        parser.add_argument("--employees", type=int, default=300, help="Employees to seed.")
        parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes.")
        parser.add_argument("--task-workers", type=int, default=1, help="db_worker processes.")
        parser.add_argument(
            "--think-ms", type=float, default=1000, help="Mean pause between a user's steps."
        )
        parser.add_argument(
            "--admin-url",
            default=os.environ.get("BENCH_ADMIN_URL", DEFAULT_ADMIN_URL),
            help="A PostgreSQL URL allowed to CREATE and DROP databases.",
        )
        parser.add_argument("--drain-timeout", type=float, default=300)
        parser.add_argument("--keep", action="store_true", help="Keep the database and files.")
        # Internal: the phases that run inside the throwaway database.
        parser.add_argument("--phase", choices=["seed", "check"], help="(internal)")
        parser.add_argument("--file", help="(internal)")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["phase"] == "seed":
            plan = data.seed(users=o["users"], employees=o["employees"])
            Path(o["file"]).write_text(json.dumps(plan))
            return
        if o["phase"] == "check":
            outcome = json.loads(Path(o["file"]).read_text())
            for name, value in data.check(
                outcome=outcome, drain_timeout=o["drain_timeout"]
            ).items():
                self.stdout.write(f"{name}: {value}")
            return
        if not 1 <= o["duration"] <= 600:
            raise CommandError("--duration must be between 1 and 600 seconds.")
        self._run(o)

    # --- orchestration -----------------------------------------------------------------------

    def _run(self, o: dict[str, Any]) -> None:
        import psycopg

        admin_url = o["admin_url"]
        if not admin_url.startswith(("postgres://", "postgresql://")):
            raise CommandError("--admin-url must be a PostgreSQL URL.")
        name = f"ergo_bench_{secrets.token_hex(4)}"
        work = Path(tempfile.mkdtemp(prefix="ergo-bench-"))
        processes: list[subprocess.Popen[bytes]] = []
        base_dir = Path(settings.BASE_DIR)
        try:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as error:
            raise CommandError(f"Cannot create the benchmark database: {error}") from None
        self.stdout.write(f"database: {name}")
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": _with_database(admin_url, name),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback only
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "TASK_BACKEND": "database",
            "MEDIA_ROOT": str(work / "media"),
            "STATIC_ROOT": str(work / "static"),
            "LOG_LEVEL": "INFO",
            "LOG_FORMAT": "json",
            "WEB_CONCURRENCY": str(o["web_workers"]),
            "AXES_FAILURE_LIMIT": "1000",
        }
        manage = [sys.executable, str(base_dir / "manage.py")]

        def run(*argv: str) -> str:
            result = subprocess.run(  # noqa: S603 - our own manage.py
                [*manage, *argv],
                cwd=base_dir,
                # The seed and check phases are this command: development tools installed.
                env={**env, "DEVTOOLS": "1"},
                capture_output=True,
                text=True,
                timeout=1800,
                check=False,
            )
            if result.returncode:
                raise CommandError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
            return result.stdout

        try:
            started = time.monotonic()
            run("migrate", "--noinput", "-v0")
            run("collectstatic", "--noinput", "-v0")
            plan_file = work / "plan.json"
            run(
                "bench_load",
                "--phase",
                "seed",
                "--users",
                str(o["users"]),
                "--employees",
                str(o["employees"]),
                "--file",
                str(plan_file),
            )
            plan = json.loads(plan_file.read_text())
            self.stdout.write(f"seed_s: {time.monotonic() - started:.1f}")
            self.stdout.write(f"employees: {plan['employees']}")
            self.stdout.write(f"completed_assessments_seeded: {plan['completed_seeded']}")
            logs = (work / "server.log").open("wb")
            gunicorn = Path(sys.executable).parent / "gunicorn"
            processes.append(
                subprocess.Popen(  # noqa: S603 - the venv's gunicorn
                    [
                        str(gunicorn),
                        "ergo_site.wsgi:application",
                        "--config",
                        "ergo_site/gunicorn.conf.py",
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    cwd=base_dir,
                    env=env,
                    stdout=logs,
                    stderr=logs,
                    start_new_session=True,
                )
            )
            for _ in range(o["task_workers"]):
                # Background rendering yields the CPU to requests, as it should when
                # workers share a host with the web processes.
                processes.append(
                    subprocess.Popen(  # noqa: S603 - our own manage.py
                        [*manage, "worker"],
                        preexec_fn=lambda: os.nice(10),
                        cwd=base_dir,
                        env=env,
                        stdout=logs,
                        stderr=logs,
                        start_new_session=True,
                    )
                )
            self.stdout.write(f"machine_cpus: {os.cpu_count()}")
            self.stdout.write(f"load_average_1m_before: {os.getloadavg()[0]:.2f}")
            base = f"http://127.0.0.1:{port}"
            self._wait_until_up(base)
            baseline = client.baseline(base=base, plan=plan)
            for key, value in baseline.items():
                self.stdout.write(f"{key}: {value}")
            from datetime import UTC, datetime

            stats, window = client.drive(
                base=base, plan=plan, duration=o["duration"], think=o["think_ms"] / 1000
            )
            wall = time.monotonic() - window.start
            window_end = time.time()
            outcome_started = window_end - wall
            self._report(o, stats, wall)
            logs.flush()
            server = client.server_times(
                (work / "server.log").read_text(errors="replace").splitlines(),
                since=outcome_started,
                until=window_end,
            )
            for key, value in server.items():
                self.stdout.write(f"{key}: {value}")
            outcome = {
                "completed": {str(pk): kept for pk, kept in stats.completed.items()},
                "sections": stats.sections,
                "started_at": datetime.fromtimestamp(outcome_started, tz=UTC).isoformat(),
            }
            outcome_file = work / "outcome.json"
            outcome_file.write_text(json.dumps(outcome))
            self._stop(processes[:1])  # the web server; the workers drain the report queue
            self.stdout.write(
                run(
                    "bench_load",
                    "--phase",
                    "check",
                    "--file",
                    str(outcome_file),
                    "--drain-timeout",
                    str(o["drain_timeout"]),
                ).rstrip()
            )
        finally:
            self._stop(processes)
            if o["keep"]:
                self.stdout.write(f"kept: database {name}, files {work}")
            else:
                try:
                    with psycopg.connect(admin_url, autocommit=True) as admin:
                        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                except psycopg.Error as error:
                    self.stderr.write(f"could not drop {name}: {error}")
                shutil.rmtree(work, ignore_errors=True)

    def _wait_until_up(self, base: str) -> None:
        """Wait for /readyz to answer 200, retrying refused connections and slow first
        requests, for as long as a machine four times slower than ours could need."""
        import requests

        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/readyz", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise CommandError(f"gunicorn did not become ready within {READY_SECONDS} s")

    def _stop(self, processes: list[subprocess.Popen[bytes]]) -> None:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def _report(self, o: dict[str, Any], stats: Any, wall: float) -> None:
        write = self.stdout.write
        write(f"users: {o['users']}")
        write(f"duration_s: {wall:.1f}")
        write(f"web_workers: {o['web_workers']}")
        write(f"task_workers: {o['task_workers']}")
        write(f"think_ms: {o['think_ms']:.0f}")
        write(f"requests: {stats.requests}")
        write(f"throughput_rps: {stats.requests / wall:.1f}")
        write(f"failures: {stats.failures}")
        write(f"http_5xx: {stats.server_errors}")
        for line in stats.failure_samples:
            write(f"failure_sample: {line}")
        for name, value in stats.summary().items():
            write(f"{name}: {value}")
        write(f"assessments_completed: {len(stats.completed)}")
