"""A completed assessment's signed results as JSON, for an audience.

The snapshot is read by its version's reader (`records.snapshot.load`) and narrowed by
`Snapshot.for_audience`; for a manager every field the allowlist (`core.health`) does not
name is left out of the document altogether, not sent empty.
"""

from __future__ import annotations

import math
from dataclasses import fields, replace
from typing import Any

from assessments.core import health
from assessments.core.health import Audience
from assessments.records import snapshot


def _shown(block: str, name: str) -> bool:
    # A recommendation's reason is not in the field list: `for_audience` has already put
    # it through the reason rule (`health.reason_shown`).
    return health.result_field_visible(block, name) or (
        block == snapshot.Recommendation.BLOCK and name == "why"
    )


def _value(value: Any, audience: Audience) -> Any:
    if isinstance(value, snapshot.Block):
        return block_document(value, audience=audience)
    if isinstance(value, tuple | list):
        return [_value(item, audience) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # the `..._is_infinite` flag beside it says so
    return value


def block_document(block: snapshot.Block, *, audience: Audience) -> dict[str, Any]:
    if audience is Audience.MANAGER and isinstance(block, snapshot.Recommendation):
        # The code and the evidence name the family, as the reason does.
        block = replace(
            block,
            code=health.code_shown(block.code, category=block.category, audience=audience),
            evidence=health.evidence_shown(
                block.evidence, code=block.code, category=block.category, audience=audience
            ),
        )
    return {
        f.name: _value(getattr(block, f.name), audience)
        for f in fields(block)
        if audience is Audience.OH or _shown(block.BLOCK, f.name)
    }


def results_document(snap: snapshot.Snapshot, *, audience: Audience) -> dict[str, Any]:
    shown = snap.for_audience(audience)
    return {
        "scoring_version": shown.scoring_version,
        "results": block_document(shown.results, audience=audience),
        "lifting_tasks": [
            block_document(task, audience=audience) for task in shown.inputs.lifting_tasks
        ],
    }
