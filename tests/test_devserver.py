"""`make run`'s one command: the development server and a background worker, started
together and stopped together by Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.servers import START_SECONDS, wait_until_answering
from tests.test_deploy import BASE_DIR, _free_port, _manage


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")},
        "DEBUG": "1",
        "TASK_BACKEND": "database",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_devserver_runs_web_and_worker_and_ctrl_c_stops_both(tmp_path):
    env = _environment(tmp_path)
    result = _manage("migrate", "--noinput", "-v0", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    port = _free_port()
    log = tmp_path / "devserver.log"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # As in a terminal: Ctrl-C raises KeyboardInterrupt (a background job ignores it).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        response = wait_until_answering(
            f"http://127.0.0.1:{port}/healthz", process=server, output=log.read_text
        )
        assert response.status_code == 200
        deadline = time.monotonic() + START_SECONDS
        while "Starting worker" not in log.read_text():  # the database-queue worker
            assert time.monotonic() < deadline, log.read_text()
            assert server.poll() is None, log.read_text()
            time.sleep(0.3)
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in the terminal
        server.wait(timeout=60)
    text = log.read_text()
    assert "Stopping the web server and the worker" in text
    assert "shutting down gracefully" in text  # the worker was asked to stop
    assert not _listening(port)
