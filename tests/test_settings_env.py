"""Settings come only from the environment, through helpers that fail loudly on bad values."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from ergo_site.env import env_bool, env_choice, env_int, env_list, env_str


def test_env_helpers_read_and_default(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.example, b.example ,")
    monkeypatch.delenv("X_MISSING", raising=False)
    assert env_bool("X_BOOL", default=False) is True
    assert env_int("X_INT", default=1) == 12
    assert env_list("X_LIST", default=[]) == ["a.example", "b.example"]
    assert env_str("X_MISSING", default="d") == "d"
    assert env_choice("X_MISSING", ("a", "b"), default="a") == "a"


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: env_bool("X", default=False), "maybe", "not a boolean"),
        (lambda: env_int("X", default=1), "ten", "not a whole number"),
        (lambda: env_int("X", default=1), "-3", "at least 0"),
        (lambda: env_choice("X", ("immediate", "rq"), default="rq"), "celery", "must be one of"),
    ],
)
def test_bad_values_stop_with_a_clear_message(monkeypatch, reader, value, message):
    monkeypatch.setenv("X", value)
    with pytest.raises(ImproperlyConfigured, match=message):
        reader()


def _start(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "ergo_site.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start():
    result = _start({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_bad_task_backend_refuses_to_start():
    result = _start({"DEBUG": "1", "TASK_BACKEND": "celery"})
    assert result.returncode != 0
    assert "TASK_BACKEND='celery' must be one of" in result.stderr


def test_database_url_selects_postgresql():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])",
        ],
        env={
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
            "DJANGO_SETTINGS_MODULE": "ergo_site.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"
