"""Request ids and one structured log line per request."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from django.db.utils import ConnectionHandler
from django.urls import reverse

from assessments.views import health
from ergo_site.logging import JsonFormatter, RequestIdFilter
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LOGGER = "ergo_site.requests"


def _request_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == LOGGER]


def test_every_request_is_logged_once_as_json_with_its_id_user_and_timing(caplog, manager):
    caplog.set_level(logging.INFO, logger=LOGGER)
    response = client_for(manager).get(reverse("dashboard"), HTTP_X_REQUEST_ID="proxy-1234.a_b")
    (line,) = _request_lines(caplog)
    assert response["X-Request-ID"] == "proxy-1234.a_b"
    assert line["request_id"] == "proxy-1234.a_b"
    assert line["user_id"] == manager.pk
    assert line["method"] == "GET"
    assert line["path"] == "/dashboard/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO"


@pytest.mark.parametrize("sent", ["", "has spaces", "x" * 65, "new\nline", 'quote"d', "ünïcode"])
def test_an_unsafe_request_id_is_replaced_by_a_fresh_one(caplog, client, sent):
    caplog.set_level(logging.INFO, logger=LOGGER)
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID=sent)
    (line,) = _request_lines(caplog)
    assert response["X-Request-ID"] == line["request_id"]
    assert line["request_id"] != sent
    assert len(line["request_id"]) == 32
    int(line["request_id"], 16)


def test_requests_without_an_id_get_distinct_ones(client):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]
    assert first != second


def test_anonymous_requests_log_no_user_and_redirects_log_their_status(caplog, client):
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.get(reverse("dashboard"))
    (line,) = _request_lines(caplog)
    assert line["user_id"] is None
    assert line["status"] == 302


def test_server_errors_are_logged_as_errors(caplog, client, monkeypatch):
    def boom() -> bool:
        raise RuntimeError("boom")

    monkeypatch.setattr(health, "_tasks_ready", boom)
    client.raise_request_exception = False
    caplog.set_level(logging.INFO, logger=LOGGER)
    response = client.get(reverse("readyz"))
    assert response.status_code == 500
    (line,) = _request_lines(caplog)
    assert line["status"] == 500
    assert line["level"] == "ERROR"


def test_lines_logged_while_handling_a_request_carry_its_id(caplog, client, monkeypatch):
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": "1",
                "NAME": "ergo",
            }
        }
    )
    monkeypatch.setattr(health, "connections", handler)
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestIdFilter())  # as the console handler in settings.LOGGING
    client.get(reverse("readyz"), HTTP_X_REQUEST_ID="probe-42")
    formatter = JsonFormatter()
    readiness = [
        json.loads(formatter.format(r)) for r in caplog.records if r.name == health.logger.name
    ]
    assert readiness, "the failed check is logged"
    assert all(line["request_id"] == "probe-42" for line in readiness)
    assert "exception" in readiness[0]


def test_the_console_log_handler_stamps_request_ids(settings):
    assert "request_id" in settings.LOGGING["handlers"]["console"]["filters"]


def test_a_django_log_line_is_printed_once_in_development():
    """Django's own DEBUG console handler would repeat every `django.*` line (the task
    worker's among them) beside the root handler."""
    script = (
        "import logging, django; django.setup(); "
        "logging.getLogger('django.tasks').info('worker-line-canary')"
    )
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "ergo_site.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert (done.stdout + done.stderr).count("worker-line-canary") == 1
