"""`scripts/pip_audit.py`: fails on a known vulnerability, passes with a loud notice when
the vulnerability database cannot be reached (nothing audited), passes when all is clean."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pip_audit.py"


@pytest.fixture
def audit(monkeypatch: Any) -> Any:
    spec = importlib.util.spec_from_file_location("pip_audit_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def answer(report: Any, stderr: str = "") -> None:
        stdout = report if isinstance(report, str) else json.dumps(report)

        def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
            assert command[1:4] == ["-m", "pip_audit", "--requirement"]
            return subprocess.CompletedProcess(command, 0, stdout=stdout, stderr=stderr)

        monkeypatch.setattr(module.subprocess, "run", run)

    module.answer = answer
    return module


def test_a_known_vulnerability_fails(audit, capsys):
    audit.answer(
        {
            "dependencies": [
                {"name": "django", "version": "6.1.3", "vulns": []},
                {
                    "name": "pillow",
                    "version": "13.0.0",
                    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["13.0.1"]}],
                },
            ]
        }
    )
    assert audit.main() == 1
    assert "pillow 13.0.0: PYSEC-2099-1 (fixed in 13.0.1)" in capsys.readouterr().out


def test_an_unreachable_database_passes_with_a_notice(audit, capsys, monkeypatch):
    skipped = {"name": "django", "version": "6.1.3", "skip_reason": "Dependency not found"}
    audit.answer({"dependencies": [skipped]})
    monkeypatch.delenv("AUDIT_REQUIRE_DATABASE", raising=False)
    assert audit.main() == 0
    assert "NOTICE" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_REQUIRE_DATABASE", "1")
    assert audit.main() == 2


def test_no_report_at_all_passes_with_a_notice(audit, capsys):
    audit.answer("", stderr="ConnectionError: Name or service not known")
    assert audit.main() == 0
    assert "Name or service not known" in capsys.readouterr().out


def test_a_clean_report_passes(audit, capsys):
    audit.answer({"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []}]})
    assert audit.main() == 0
    assert "no known vulnerabilities in 1 audited package(s)" in capsys.readouterr().out
