"""Check the pinned runtime requirements against the known-vulnerability databases.

    .venv/bin/python scripts/pip_audit.py          # `make audit` runs this

Runs pip-audit on requirements.txt (the pins `make run` installs) and exits

- 0 when no pinned package has a known vulnerability,
- 1 when one has (each is listed with its fix version),
- 0 with a clear NOTICE when the vulnerability database cannot be reached (no network,
  or a package index that does not serve PyPI's JSON API): nothing was audited then, and
  the notice says so. Set AUDIT_REQUIRE_DATABASE=1 to make that case fail instead (for a
  release check on a machine with network access).

A vulnerability that does not affect this app can be accepted by adding its ID, with the
reason, to scripts/pip-audit-ignore.txt (one "ID  # reason" per line); docs/security.md
lists the accepted ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE_FILE = ROOT / "scripts" / "pip-audit-ignore.txt"
TIMEOUT_SECONDS = 900


def _ignored() -> list[str]:
    if not IGNORE_FILE.exists():
        return []
    ids = []
    for line in IGNORE_FILE.read_text("utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            ids.append(entry)
    return ids


def _unreachable(reason: str) -> int:
    print(
        "NOTICE: pip-audit could not check the pinned requirements against a vulnerability "
        f"database ({reason}). NOTHING WAS AUDITED. Run `make audit` where PyPI's JSON API "
        "or osv.dev is reachable."
    )
    return 2 if os.environ.get("AUDIT_REQUIRE_DATABASE") == "1" else 0


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        "requirements.txt",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        "20",
    ]
    for vuln_id in _ignored():
        command += ["--ignore-vuln", vuln_id]
    try:
        result = subprocess.run(  # noqa: S603 - fixed command, no shell, no user input
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _unreachable(f"no answer within {TIMEOUT_SECONDS} s")
    try:
        report = json.loads(result.stdout)
        dependencies = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return _unreachable(last[:300])

    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if vulnerable:
        print("pip-audit: known vulnerabilities in pinned requirements:")
        for dependency in vulnerable:
            for vuln in dependency["vulns"]:
                fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
                name = f"{dependency['name']} {dependency['version']}"
                print(f"  {name}: {vuln['id']} (fixed in {fixes})")
        return 1
    if not audited:
        return _unreachable(
            f"all {len(skipped)} packages skipped: {skipped[0]['skip_reason']}"
            if skipped
            else "no packages in the report"
        )
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        print(f"pip-audit: {len(skipped)} package(s) could not be audited: {names}")
    print(f"pip-audit: no known vulnerabilities in {len(audited)} audited package(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
