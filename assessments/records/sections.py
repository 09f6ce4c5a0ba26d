"""The sections of an assessment, listed once.

Each section has one entry here: its interchange key (the name of its object in the
scoring package's input document, docs/interchange.md), the title people see, the model
that stores it, the editor's form, and the layout that groups its fields on the page, in
the reports and in the exports. The editor, the services, the import, the presenters and
the exports read this registry; a new section is added here and nowhere else.

Lifting tasks are not a one-per-assessment section (an assessment has any number of them)
but are described the same way in `LIFTING`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.db import models

from assessments.records.forms import LiftingTaskForm, SittingForm, WorkerForm, WorkstationForm
from assessments.records.models import (
    LiftingTask,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.scoring import worker

#: Groups of fields, each with its heading, in the order people read them.
Layout = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class SectionKind:
    key: str
    title: str
    model: type[models.Model]
    form: type[Any]
    layout: Layout
    #: Input fields the editor does not ask: its form sets them from another answer.
    derived: tuple[str, ...] = ()

    @property
    def input_fields(self) -> tuple[str, ...]:
        fields: tuple[str, ...] = self.model.input_fields  # type: ignore[attr-defined]
        return fields


WORKSTATION = SectionKind(
    key="workstation",
    title="Workstation (ROSA)",
    model=WorkstationSection,
    form=WorkstationForm,
    layout=(
        (
            "Chair: seat pan height",
            ("seat_height", "seat_leg_space_insufficient", "seat_height_non_adjustable"),
        ),
        ("Chair: seat pan depth", ("seat_depth", "seat_depth_non_adjustable")),
        (
            "Chair: armrests",
            (
                "armrests",
                "armrests_hard_or_damaged",
                "armrests_too_wide",
                "armrests_non_adjustable",
            ),
        ),
        (
            "Chair: back support",
            ("back_support", "back_work_surface_too_high", "back_non_adjustable"),
        ),
        ("Chair: time in use", ("chair_hours_per_day", "chair_longest_continuous_minutes")),
        (
            "Monitor",
            (
                "monitor",
                "monitor_neck_twist",
                "monitor_glare",
                "monitor_no_document_holder",
                "monitor_too_far",
                "monitor_hours_per_day",
                "monitor_longest_continuous_minutes",
            ),
        ),
        (
            "Telephone",
            (
                "phone",
                "phone_neck_shoulder",
                "phone_no_hands_free",
                "phone_hours_per_day",
                "phone_longest_continuous_minutes",
            ),
        ),
        (
            "Mouse",
            (
                "mouse",
                "mouse_different_surface",
                "mouse_pinch_grip",
                "mouse_palm_rest",
                "mouse_hours_per_day",
                "mouse_longest_continuous_minutes",
            ),
        ),
        (
            "Keyboard",
            (
                "keyboard",
                "keyboard_wrists_deviated",
                "keyboard_too_high",
                "keyboard_overhead_reach",
                "keyboard_platform_non_adjustable",
                "keyboard_hours_per_day",
                "keyboard_longest_continuous_minutes",
            ),
        ),
    ),
)

SITTING = SectionKind(
    key="sitting",
    title="Sitting and activity",
    model=SittingSection,
    form=SittingForm,
    layout=(
        (
            "The working day (OSPAQ)",
            ("hours_worked_per_day", "pct_sitting", "pct_standing", "pct_walking", "pct_heavy"),
        ),
        (
            "Sitting pattern",
            (
                "location",
                "longest_sitting_bout_minutes",
                "sit_stand_desk_available",
                "sit_stand_desk_used",
            ),
        ),
        (
            "Physical activity outside work (WHO 2020)",
            (
                "moderate_minutes_per_week",
                "vigorous_minutes_per_week",
                "strengthening_days_per_week",
            ),
        ),
    ),
)

WORKER = SectionKind(
    key="worker",
    title="Worker factors",
    model=WorkerSection,
    form=WorkerForm,
    layout=(
        ("About the person", ("age_years", "height_cm", "weight_kg", "bmi")),
        (
            "Low back pain",
            (
                "current_pain",
                "pain_duration_weeks",
                "pain_intensity",
                "episodes_last_12_months",
                "back_pain_onset_age",
            ),
        ),
        (
            "Pain pattern (each question asked once; it feeds the mechanical pattern, ASAS and "
            "NICE NG65)",
            tuple(
                name
                for name in (*worker.PATTERN_FIELDS, *worker.ASAS_FIELDS, *worker.NG65_FIELDS)
                if name not in worker.ONSET_FEATURES
            ),
        ),
        ("How things are at the moment (yellow flags)", tuple(worker.YELLOW_FLAG_FIELDS)),
        (
            "Red flags: ask each one (refer, never scored)",
            (*worker.RED_FLAG_FIELDS, "red_flags_not_asked_reason"),
        ),
    ),
    # "Age at onset under 40" (ASAS) and "started before 35" (NG65) are answered by the age
    # when back pain first started, asked once.
    derived=tuple(worker.ONSET_FEATURES),
)

LIFTING = SectionKind(
    key="lifting",
    title="Lifting tasks (NIOSH)",
    model=LiftingTask,
    form=LiftingTaskForm,
    layout=(
        ("Task", ("label", "units")),
        ("The load", ("load", "max_load")),
        ("Hands from the ankles and from the floor", ("h_origin", "v_origin", "h_dest", "v_dest")),
        ("Twist", ("asymmetry_origin", "asymmetry_dest")),
        ("How often, how long, how held", ("frequency", "duration", "coupling")),
        (
            "At the destination and outside the equation",
            ("significant_control", "conditions"),
        ),
    ),
)

#: The one-per-assessment sections, in the editor's order.
SECTIONS: tuple[SectionKind, ...] = (WORKSTATION, SITTING, WORKER)
BY_KEY: Mapping[str, SectionKind] = MappingProxyType({kind.key: kind for kind in SECTIONS})
#: Every part of an assessment the editor shows, lifting tasks last.
TITLES: Mapping[str, str] = MappingProxyType(
    {kind.key: kind.title for kind in (*SECTIONS, LIFTING)}
)


def task_columns() -> tuple[str, ...]:
    """A lifting task's input fields in the layout's order: the columns of the exports."""
    return tuple(name for _heading, names in LIFTING.layout for name in names)
