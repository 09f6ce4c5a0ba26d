"""The stored snapshot of a completed assessment."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def snapshot_digest(inputs: dict[str, Any], results: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a snapshot, printed on reports rendered from it."""
    canonical = json.dumps(
        {"inputs": inputs, "results": results}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
