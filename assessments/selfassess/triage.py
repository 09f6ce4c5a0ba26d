"""How urgent a returned self-assessment is, and why: red flags first, then possible
inflammatory or persistent pain, then the self-reported band."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from assessments.records import snapshot
from assessments.scoring.worker import RED_FLAG_FIELDS, PainClass, PainDurationClass
from assessments.selfassess.questions import RED_FLAG_QUESTIONS, is_emergency

RED_FLAGS: Final = 0
PAIN: Final = 1
#: Band -> urgency (after the red flags and the pain routing).
BAND_URGENCY: Final = {"very_high": 2, "high": 3, "moderate": 4, "low": 5, "not_assessable": 6}
NO_RESULT: Final = 7

URGENCY_LABELS: Final = {
    RED_FLAGS: "Red flag",
    PAIN: "Pain needs review",
    2: "Very high (self-reported)",
    3: "High (self-reported)",
    4: "Moderate (self-reported)",
    5: "Low (self-reported)",
    6: "Not assessable",
    NO_RESULT: "Not scored",
}


@dataclass(frozen=True)
class Triage:
    urgency: int
    triggers: tuple[str, ...]

    @property
    def label(self) -> str:
        return URGENCY_LABELS[self.urgency]


def triage(results: dict[str, Any] | None, red_flags: list[str]) -> Triage:
    """The urgency (lower is more urgent) and what triggered it, in OH's words."""
    triggers: list[str] = []
    if red_flags:
        kind = (
            "Emergency: possible cauda equina syndrome" if is_emergency(red_flags) else ("Red flag")
        )
        triggers += [f"{kind}: {RED_FLAG_FIELDS[name]}" for name in red_flags]
    if results is None:
        return Triage(RED_FLAGS if red_flags else NO_RESULT, tuple(triggers))
    read = snapshot.read_results(results)
    pain = False
    worker = read.worker
    if worker is not None:
        if worker.pain_class == PainClass.POSSIBLE_INFLAMMATORY:
            pain = True
            triggers.append(
                "Possible inflammatory back pain: " + "; ".join(worker.pain_class_criteria)
            )
        if worker.pain_duration_class in (PainDurationClass.SUBACUTE, PainDurationClass.CHRONIC):
            pain = True
            triggers.append(
                f"Persistent pain: {worker.pain_duration_weeks:g} weeks "
                f"({worker.pain_duration_class})"
            )
    band = read.strain.band
    triggers.append(f"Self-reported strain band: {band.replace('_', ' ')}")
    if red_flags:
        return Triage(RED_FLAGS, tuple(triggers))
    if pain:
        return Triage(PAIN, tuple(triggers))
    return Triage(BAND_URGENCY.get(band, NO_RESULT), tuple(triggers))


def red_flag_questions(names: list[str]) -> list[str]:
    return [RED_FLAG_QUESTIONS[name] for name in names]
