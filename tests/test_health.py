"""Liveness and readiness probes: no sign-in, 503 without detail when a dependency is down."""

from __future__ import annotations

import pytest
from django.db.utils import ConnectionHandler
from django.urls import reverse

from assessments.views import health

pytestmark = pytest.mark.django_db

CLOSED_PORT = {
    "ENGINE": "django.db.backends.postgresql",
    "HOST": "127.0.0.1",
    "PORT": "1",  # nothing listens here
    "NAME": "ergo",
    "USER": "ergo",
    "PASSWORD": "secret-password",
    "OPTIONS": {"connect_timeout": 2},
}


@pytest.fixture
def database_down(monkeypatch):
    """The app's database is a server on a closed port."""
    handler = ConnectionHandler({"default": CLOSED_PORT})
    monkeypatch.setattr(health, "connections", handler)
    yield
    handler.close_all()


def test_liveness_answers_without_sign_in(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_answers_when_database_and_migrations_are_ready(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_fails_without_detail_when_the_database_is_down(client, database_down):
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    body = response.content.decode()
    for leak in ("127.0.0.1", "5432", "port", "ergo", "secret", "Traceback", "connection"):
        assert leak not in body


def test_liveness_stays_up_when_the_database_is_down(client, database_down):
    assert client.get(reverse("healthz")).status_code == 200


def test_readiness_fails_while_migrations_are_pending(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)]
    )
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_readiness_fails_when_the_redis_queue_is_down(client, settings):
    settings.TASK_BACKEND = "rq"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_probes_accept_only_get(client):
    assert client.post(reverse("healthz")).status_code == 405
    assert client.post(reverse("readyz")).status_code == 405
