"""The roster benchmark runs end to end on a small roster and prints every figure it promises
(docs/performance.md), so it keeps working as the app changes. It runs as its own process:
it creates and destroys its own throwaway database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_bench_roster_prints_its_figures(tmp_path):
    # Its own SQLite file (the command runs in an in-memory test database made from it), never
    # the database the tests run on.
    env = {
        **os.environ,
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
    }
    result = subprocess.run(
        [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_roster",
            "--rows",
            "100",
            "--repeat",
            "1",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    printed = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert printed["rows"] == "100"
    assert (printed["rows_new"], printed["rows_moved"], printed["rows_changed"]) == ("20", "8", "8")
    assert printed["rows_leaver"] == "4" and printed["rows_unchanged"] == "60"
    for name in ("baseline", "parse", "preview", "preview_page", "apply"):
        assert float(printed[f"{name}_ms"]) > 0
        assert float(printed[f"{name}_to_baseline"]) > 0
    assert printed["baseline_to_baseline"] == "1.00"
    assert printed["preview_within_target"] in {"True", "False"}
    assert printed["apply_within_target"] in {"True", "False"}
