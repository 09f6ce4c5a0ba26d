"""Production mode: the documented environment passes Django's deployment checklist, and
the production server (gunicorn + WhiteNoise, DEBUG off) serves pages and static files
with one JSON log line per request."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.servers import wait_until_answering

BASE_DIR = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = BASE_DIR / ".env.example"


def documented_environment() -> dict[str, str]:
    """The uncommented KEY=value lines of .env.example, with a real random secret key."""
    env = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def _clean_environment(extra: dict[str, str]) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR"}
    return {**{k: v for k, v in os.environ.items() if k in keep}, **extra}


def _manage(
    *argv: str, env: dict[str, str], timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (BASE_DIR / "ergo_site" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', settings_source))
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))
    assert read, "the settings read their variables through ergo_site.env"
    assert read - listed == set(), "add these to .env.example (and docs/deployment.md)"


def test_every_variable_is_described_in_the_deployment_guide():
    guide = (BASE_DIR / "docs" / "deployment.md").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))
    missing = {name for name in listed if f"`{name}`" not in guide}
    assert missing == set()


@pytest.mark.parametrize("task_backend", ["database", "rq"])
def test_deployment_checklist_passes_with_the_documented_environment(task_backend):
    env = _clean_environment({**documented_environment(), "TASK_BACKEND": task_backend})
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deployment_checklist_fails_with_development_email(tmp_path):
    env = documented_environment()
    env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_clean_environment(env))
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_the_worker_command_explains_that_immediate_needs_no_worker():
    env = _clean_environment({**documented_environment(), "TASK_BACKEND": "immediate"})
    result = _manage("worker", env=env)
    assert result.returncode != 0
    assert "no worker to start" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_production_server_serves_pages_and_static_files_and_logs_json(tmp_path):
    port = _free_port()
    env = _clean_environment(
        {
            **documented_environment(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "WEB_CONCURRENCY": "2",
        }
    )
    for argv in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        result = _manage(*argv, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
    log = tmp_path / "server.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "ergo_site.wsgi:application",
            "--config",
            "ergo_site/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    behind_proxy = {"X-Forwarded-Proto": "https"}  # the TLS-terminating proxy sets this
    try:
        wait_until_answering(
            f"{base}/healthz", process=server, headers=behind_proxy, output=log.read_text
        )
        page = requests.get(
            f"{base}/accounts/login/",
            headers={**behind_proxy, "X-Request-ID": "deploy-test-1"},
            timeout=30,
        )
        assert page.status_code == 200
        assert "Sign in" in page.text or "password" in page.text.lower()
        assert page.headers["X-Request-ID"] == "deploy-test-1"
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.text)
        assert stylesheet, "static URLs carry a content hash (manifest storage)"
        css = requests.get(base + stylesheet.group(1), headers=behind_proxy, timeout=30)
        assert css.status_code == 200
        assert css.headers["Content-Type"].startswith("text/css")
        assert "immutable" in css.headers["Cache-Control"]
        plain_http = requests.get(f"{base}/accounts/login/", allow_redirects=False, timeout=30)
        assert plain_http.status_code == 301
        assert plain_http.headers["Location"].startswith("https://")
        missing = requests.get(f"{base}/no-such-page/", headers=behind_proxy, timeout=30)
        assert missing.status_code == 404
        assert "URLconf" not in missing.text  # DEBUG is off: no technical 404 page
        assert requests.get(f"{base}/readyz", headers=behind_proxy, timeout=30).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    raw = [line for line in log.read_text().splitlines() if line.strip()]
    assert [line for line in raw if not line.startswith("{")] == [], "every log line is JSON"
    lines = [json.loads(line) for line in raw]
    requests_logged = [line for line in lines if line["logger"] == "ergo_site.requests"]
    login = next(line for line in requests_logged if line["request_id"] == "deploy-test-1")
    assert login["path"] == "/accounts/login/"
    assert login["status"] == 200
    assert login["method"] == "GET"
    assert login["user_id"] is None
    assert login["duration_ms"] > 0
    assert any(line["path"] == stylesheet.group(1) for line in requests_logged)
    assert any(line["logger"] == "gunicorn.error" for line in lines)


def test_waiting_for_a_server_outlasts_a_first_request_that_times_out():
    """A server that accepts the first connection but is too busy to answer it (loading
    the application on a slow machine) is asked again rather than given up on."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    held: list[socket.socket] = []

    def serve() -> None:
        first, _ = listener.accept()
        held.append(first)  # never answered: the client's read times out
        second, _ = listener.accept()
        second.recv(4096)
        second.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        second.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        response = wait_until_answering(
            f"http://127.0.0.1:{port}/healthz", seconds=60, request_seconds=0.5
        )
    finally:
        thread.join(timeout=10)
        for connection in held:
            connection.close()
        listener.close()
    assert response.status_code == 200
    assert len(held) == 1
