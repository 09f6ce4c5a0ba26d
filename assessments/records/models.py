"""Assessments, their sections and lifting tasks, and photos.

Section models mirror the scoring interchange format field for field, so
`to_input()` is a plain mapping and the web app and the command line score through
the same path."""

from __future__ import annotations

import dataclasses
import secrets
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.people.models import Employee
from assessments.scoring import niosh, rosa, sitting, worker


def _choices(enum: type[Any]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ").capitalize()) for member in enum]


#: The query columns of an employee's current assessment, in one covering index.
_CURRENT_COLUMNS = (
    "is_latest",
    "band",
    "employee",
    "previous",
    "strain_score",
    "reassess_due",
    "rosa_chair",
    "rosa_monitor_phone",
    "rosa_mouse_keyboard",
    "lifting_index",
    "limiting_factor",
)


AMENDMENT_REASON_REQUIRED = _("Say why the completed assessment is being amended.")
#: Long enough for a paragraph; a reason is not a second set of notes.
AMENDMENT_REASON_MAX_LENGTH = 2000


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    class Band(models.TextChoices):
        LOW = "low", _("Low")
        MODERATE = "moderate", _("Moderate")
        HIGH = "high", _("High")
        VERY_HIGH = "very_high", _("Very high")
        NOT_ASSESSABLE = "not_assessable", _("Not assessable")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments_made"
    )
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text=_("The completed revision this amendment replaces."),
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reassessments",
        help_text=_("The earlier assessment this reassessment followed up."),
    )
    notes = models.TextField(_("notes"), blank=True)
    #: Why this revision amends the one it supersedes: free text, so OH-only
    #: (`core.health.assessment_text_shown`) and emptied on erasure.
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    reassess_due = models.DateField(_("reassessment due"), null=True, blank=True)
    # Snapshot written once on completion, in the scoring interchange format.
    inputs = models.JSONField(null=True, blank=True, editable=False)
    results = models.JSONField(null=True, blank=True, editable=False)
    scoring_version = models.CharField(max_length=20, blank=True, editable=False)
    strain_score = models.FloatField(null=True, blank=True, editable=False)
    band = models.CharField(max_length=16, choices=Band.choices, blank=True, editable=False)
    # The assessor's statements about the sections not assessed, in the interchange format's
    # `unassessed_sections` (recorded when completing; part of the snapshot's inputs).
    section_statements = models.JSONField(default=list, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Copies of a few snapshot values, for indexed dashboard queries.
    rosa_final = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    rosa_chair = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    rosa_monitor_phone = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    rosa_mouse_keyboard = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    lifting_index = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Governing LI, or the CLI for several tasks (capped at 99 when infinite)."),
    )
    limiting_factor = models.CharField(max_length=4, blank=True, editable=False)
    # The latest completed revision of the employee's latest assessment ("risk now").
    is_latest = models.BooleanField(default=False, editable=False)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["inputs", "results"])

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [
            # Covering indexes for a department's dashboard recount and for the lists: their
            # columns answer the query without reading the row (on SQLite a row carries its
            # JSON snapshot).
            models.Index(
                fields=["employee", "status", "assessed_on", "band", "strain_score"],
                name="assessment_trend_cover",
            ),
            models.Index(fields=[*_CURRENT_COLUMNS], name="assessment_current_cover"),
            models.Index(
                fields=["employee", *(c for c in _CURRENT_COLUMNS if c != "employee")],
                name="assessment_employee_cover",
            ),
            models.Index(fields=["id", "status", "strain_score"], name="assessment_score_by_id"),
            models.Index(fields=["employee", "-assessed_on"]),
            models.Index(fields=["reassess_due"]),
            # The list's order (newest first), read backwards off the index.
            models.Index(fields=["assessed_on"], name="assessment_list_order"),
            # Current assessments only (partial), covering what the list's filters test: in
            # the list's order, so a filtered page stops after its 25th match instead of
            # sorting every match; and by band and reassessment date, for the filtered
            # count. `is_latest` is a column too, so that SQLite reads neither table row
            # (docs/performance.md shows the plans).
            models.Index(
                fields=["assessed_on", "id", "band", "reassess_due", "employee", "is_latest"],
                condition=models.Q(is_latest=True),
                name="assessment_latest_order",
            ),
            models.Index(
                fields=["band", "reassess_due", "employee", "is_latest"],
                condition=models.Q(is_latest=True),
                name="assessment_latest_band",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(results__isnull=False, band__gt=""),
                name="completed_assessment_has_results",
            ),
            models.CheckConstraint(
                condition=Q(strain_score__isnull=True)
                | Q(strain_score__gte=0, strain_score__lte=100),
                name="strain_score_0_100",
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="revision_from_1"),
            models.CheckConstraint(
                condition=Q(is_latest=False) | Q(status="completed"),
                name="only_completed_is_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} — {self.assessed_on:%d %b %Y} (rev {self.revision})"

    def get_absolute_url(self) -> str:
        return reverse("assessment_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


def interchange_fields(input_type: type[Any]) -> tuple[str, ...]:
    """The model fields that hold a section's interchange input: the fields of the scoring
    package's input dataclass, in its order (the model mirrors it field for field)."""
    return tuple(field.name for field in dataclasses.fields(input_type))


def unsuperseded_q(prefix: str = "") -> Q:
    """A completed assessment that no completed amendment has replaced: drafts never count,
    and of an amended assessment only the revision that replaced it does.

    `prefix` reaches the assessment through a relation (``"assessment__"`` from an action).
    """
    replaced = Assessment.objects.filter(
        supersedes=OuterRef(f"{prefix}pk"), status=Assessment.Status.COMPLETED
    )
    # NOT EXISTS rather than a negated join: both planners estimate the anti-join from
    # the statistics of `supersedes_id`, where the negated LEFT JOIN led PostgreSQL to
    # expect a few hundred current assessments among tens of thousands.
    return Q(**{f"{prefix}status": Assessment.Status.COMPLETED}) & ~Exists(replaced)


class Section(models.Model):
    """Common shape of a one-per-assessment section; `lock_version` guards concurrent edits."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="+")
    lock_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    #: Names of the model fields that make up the section's interchange input.
    input_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def to_input(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.input_fields}


_hours = [MinValueValidator(0), MaxValueValidator(rosa.MAX_HOURS_PER_DAY)]


_minutes = [MinValueValidator(0), MaxValueValidator(rosa.MAX_HOURS_PER_DAY * 60)]


class WorkstationSection(Section):
    """The ROSA sheet. Its items and each device's hours start unanswered (null): a section
    with any unanswered is not scored, so saving without looking never records a perfect
    workstation. Null, not "", because "not answered" is no option of the sheet."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="workstation"
    )
    seat_height = models.CharField(  # noqa: DJ001 (null: not answered yet)
        _("seat pan height"),
        max_length=20,
        choices=_choices(rosa.SeatHeight),
        null=True,
        blank=True,
    )
    seat_leg_space_insufficient = models.BooleanField(
        _("insufficient space under the desk for the legs"), default=False
    )
    seat_height_non_adjustable = models.BooleanField(_("seat height not adjustable"), default=False)
    seat_depth = models.CharField(  # noqa: DJ001 (null: not answered yet)
        _("seat pan depth"), max_length=20, choices=_choices(rosa.SeatDepth), null=True, blank=True
    )
    seat_depth_non_adjustable = models.BooleanField(_("seat depth not adjustable"), default=False)
    armrests = models.CharField(  # noqa: DJ001 (null: not answered yet)
        _("armrests"), max_length=20, choices=_choices(rosa.Armrests), null=True, blank=True
    )
    armrests_hard_or_damaged = models.BooleanField(_("hard or damaged surface"), default=False)
    armrests_too_wide = models.BooleanField(_("too wide apart"), default=False)
    armrests_non_adjustable = models.BooleanField(_("armrests not adjustable"), default=False)
    back_support = models.CharField(  # noqa: DJ001 (null: not answered yet)
        _("back support"), max_length=24, choices=_choices(rosa.BackSupport), null=True, blank=True
    )
    back_work_surface_too_high = models.BooleanField(
        _("work surface too high (shoulders shrugged)"), default=False
    )
    back_non_adjustable = models.BooleanField(_("back support not adjustable"), default=False)
    chair_hours_per_day = models.FloatField(
        _("chair: hours per day"), null=True, blank=True, validators=_hours
    )
    chair_longest_continuous_minutes = models.FloatField(
        _("chair: longest continuous minutes"), null=True, blank=True, validators=_minutes
    )
    monitor = models.CharField(  # noqa: DJ001 (null: not answered yet)
        _("monitor"), max_length=20, choices=_choices(rosa.Monitor), null=True, blank=True
    )
    monitor_neck_twist = models.BooleanField(_("neck twisted more than 30°"), default=False)
    monitor_glare = models.BooleanField(_("glare on screen"), default=False)
    monitor_no_document_holder = models.BooleanField(
        _("documents used with no holder"), default=False
    )
    monitor_too_far = models.BooleanField(_("monitor too far (beyond 75 cm)"), default=False)
    monitor_hours_per_day = models.FloatField(
        _("monitor: hours per day"), null=True, blank=True, validators=_hours
    )
    monitor_longest_continuous_minutes = models.FloatField(
        _("monitor: longest continuous minutes"), null=True, blank=True, validators=_minutes
    )
    phone = models.CharField(  # noqa: DJ001 (null: not answered yet)
        _("telephone"), max_length=20, choices=_choices(rosa.Phone), null=True, blank=True
    )
    phone_neck_shoulder = models.BooleanField(
        _("phone held between neck and shoulder"), default=False
    )
    phone_no_hands_free = models.BooleanField(_("no hands-free option"), default=False)
    phone_hours_per_day = models.FloatField(
        _("telephone: hours per day"), null=True, blank=True, validators=_hours
    )
    phone_longest_continuous_minutes = models.FloatField(
        _("telephone: longest continuous minutes"), null=True, blank=True, validators=_minutes
    )
    mouse = models.CharField(  # noqa: DJ001 (null: not answered yet)
        _("mouse"), max_length=20, choices=_choices(rosa.Mouse), null=True, blank=True
    )
    mouse_different_surface = models.BooleanField(
        _("mouse and keyboard on different surfaces or heights"), default=False
    )
    mouse_pinch_grip = models.BooleanField(_("pinch grip / mouse too small"), default=False)
    mouse_palm_rest = models.BooleanField(_("hard palm rest in front of the mouse"), default=False)
    mouse_hours_per_day = models.FloatField(
        _("mouse: hours per day"), null=True, blank=True, validators=_hours
    )
    mouse_longest_continuous_minutes = models.FloatField(
        _("mouse: longest continuous minutes"), null=True, blank=True, validators=_minutes
    )
    keyboard = models.CharField(  # noqa: DJ001 (null: not answered yet)
        _("keyboard"), max_length=20, choices=_choices(rosa.Keyboard), null=True, blank=True
    )
    keyboard_wrists_deviated = models.BooleanField(_("wrists deviated while typing"), default=False)
    keyboard_too_high = models.BooleanField(
        _("keyboard too high (shoulders shrugged)"), default=False
    )
    keyboard_overhead_reach = models.BooleanField(_("reaching to overhead items"), default=False)
    keyboard_platform_non_adjustable = models.BooleanField(
        _("keyboard platform not adjustable"), default=False
    )
    keyboard_hours_per_day = models.FloatField(
        _("keyboard: hours per day"), null=True, blank=True, validators=_hours
    )
    keyboard_longest_continuous_minutes = models.FloatField(
        _("keyboard: longest continuous minutes"), null=True, blank=True, validators=_minutes
    )
    history = HistoricalRecords()

    input_fields = interchange_fields(rosa.RosaInput)

    def __str__(self) -> str:
        return f"Workstation for {self.assessment_id}"


class SittingSection(Section):
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="sitting")
    hours_worked_per_day = models.FloatField(
        _("hours worked per day"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(sitting.HOURS_WORKED_MAX)],
    )
    pct_sitting = models.PositiveSmallIntegerField(
        _("% of the workday sitting"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    pct_standing = models.PositiveSmallIntegerField(
        _("% standing"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    pct_walking = models.PositiveSmallIntegerField(
        _("% walking"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    pct_heavy = models.PositiveSmallIntegerField(
        _("% heavy labour"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    longest_sitting_bout_minutes = models.PositiveSmallIntegerField(
        _("usual longest uninterrupted sitting (minutes)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(sitting.HOURS_WORKED_MAX * 60)],
    )
    sit_stand_desk_available = models.BooleanField(_("sit-stand desk available"), default=False)
    sit_stand_desk_used = models.BooleanField(_("sit-stand desk used"), default=False)
    moderate_minutes_per_week = models.PositiveSmallIntegerField(
        _("moderate activity, minutes per week"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(sitting.MAX_WEEKLY_MINUTES)],
    )
    vigorous_minutes_per_week = models.PositiveSmallIntegerField(
        _("vigorous activity, minutes per week"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(sitting.MAX_WEEKLY_MINUTES)],
    )
    strengthening_days_per_week = models.PositiveSmallIntegerField(
        _("muscle-strengthening days per week"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(sitting.STRENGTHENING_DAYS_MAX)],
    )
    location = models.CharField(
        _("where the sitting happens"),
        max_length=10,
        choices=[
            (sitting.SittingLocation.DESK.value, _("At a desk")),
            (sitting.SittingLocation.VEHICLE.value, _("In a vehicle (driving)")),
            (sitting.SittingLocation.MACHINE.value, _("At a machine or in a control room")),
        ],
        default=sitting.SittingLocation.DESK.value,
        help_text=_("A driver gets vehicle advice (seat, lumbar support, breaks), not a desk."),
    )
    history = HistoricalRecords()

    input_fields = interchange_fields(sitting.SittingInput)

    class Meta:
        constraints = [
            models.CheckConstraint(
                # Checked once all four are answered (an unanswered one is null).
                condition=Q(pct_sitting__isnull=True)
                | Q(pct_standing__isnull=True)
                | Q(pct_walking__isnull=True)
                | Q(pct_heavy__isnull=True)
                | Q(
                    pct_sitting__lte=100 - F("pct_standing") - F("pct_walking") - F("pct_heavy"),
                    pct_sitting__gte=100 - F("pct_standing") - F("pct_walking") - F("pct_heavy"),
                ),
                name="sitting_percentages_sum_to_100",
            ),
            models.CheckConstraint(
                condition=Q(sit_stand_desk_used=False) | Q(sit_stand_desk_available=True),
                name="desk_used_only_if_available",
            ),
        ]

    def __str__(self) -> str:
        return f"Sitting for {self.assessment_id}"


class RedFlagAnswer(models.TextChoices):
    """A red-flag question's answer; "not asked" is never read as "no"."""

    YES = worker.Answer.YES.value, _("Yes")
    NO = worker.Answer.NO.value, _("No")
    NOT_ASKED = worker.Answer.NOT_ASKED.value, _("Not asked")


def _red_flag() -> models.CharField[str, str]:
    return models.CharField(
        max_length=9, choices=RedFlagAnswer.choices, default=RedFlagAnswer.NOT_ASKED
    )


class WorkerSection(Section):
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="worker")
    age_years = models.PositiveSmallIntegerField(
        _("age (years)"), validators=[MinValueValidator(16), MaxValueValidator(100)]
    )
    height_cm = models.FloatField(
        _("height (cm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(250)],
    )
    weight_kg = models.FloatField(
        _("weight (kg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(350)],
    )
    bmi = models.FloatField(
        _("BMI (if entered directly)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(12), MaxValueValidator(80)],
    )
    current_pain = models.BooleanField(_("low back pain now"), default=False)
    pain_duration_weeks = models.FloatField(
        _("duration of this episode (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(52 * 80)],
    )
    back_pain_onset_age = models.PositiveSmallIntegerField(
        _("age when back pain first started"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    episodes_last_12_months = models.PositiveSmallIntegerField(
        _("episodes in the last 12 months"), validators=[MaxValueValidator(52)]
    )
    pain_intensity = models.PositiveSmallIntegerField(
        _("pain now (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    # The pain-pattern screen: each question asked once (labels in worker.PATTERN_FIELDS).
    pain_eases_with_movement = models.BooleanField(
        _("pain eases with movement or exercise"), default=False
    )
    pain_returns_after_rest = models.BooleanField(_("rest does not ease the pain"), default=False)
    night_pain_eases_on_rising = models.BooleanField(
        _("night pain in the second half of the night that eases on getting up"), default=False
    )
    morning_stiffness_minutes = models.PositiveSmallIntegerField(
        _("stiffness on waking, minutes"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1440)],
    )
    # Psychosocial yellow flags (our own wording on the published domains).
    yf_stress_worry = models.BooleanField(default=False)
    yf_low_mood = models.BooleanField(default=False)
    yf_job_dissatisfaction = models.BooleanField(default=False)
    yf_low_support_at_work = models.BooleanField(default=False)
    yf_activity_harmful_belief = models.BooleanField(default=False)
    # Red flags (never scored; each routes to a clinician): yes / no / not asked.
    rf_saddle_anaesthesia = _red_flag()
    rf_bladder_bowel_dysfunction = _red_flag()
    rf_bilateral_or_progressive_leg_weakness = _red_flag()
    rf_fever = _red_flag()
    rf_unexplained_weight_loss = _red_flag()
    rf_history_of_cancer = _red_flag()
    rf_immunosuppression = _red_flag()
    rf_iv_drug_use = _red_flag()
    rf_significant_trauma = _red_flag()
    rf_osteoporosis_or_steroids = _red_flag()
    rf_progressive_neuro_deficit = _red_flag()
    rf_night_pain = _red_flag()
    rf_failure_to_improve = _red_flag()
    red_flags_not_asked_reason = models.TextField(
        _("why some red-flag questions were not asked"),
        blank=True,
        default="",
        max_length=worker.NOT_ASKED_REASON_MAX,
    )
    # Inflammatory back pain screen, beyond the pain pattern: ASAS (Sieper 2009), NICE NG65.
    asas_onset_before_40 = models.BooleanField(default=False)
    asas_insidious_onset = models.BooleanField(default=False)
    ng65_started_before_35 = models.BooleanField(default=False)
    ng65_buttock_pain = models.BooleanField(default=False)
    ng65_nsaid_response_48h = models.BooleanField(default=False)
    ng65_family_history_spa = models.BooleanField(default=False)
    ng65_arthritis = models.BooleanField(default=False)
    ng65_enthesitis = models.BooleanField(default=False)
    ng65_psoriasis = models.BooleanField(default=False)
    history = HistoricalRecords()

    input_fields = interchange_fields(worker.WorkerInput)

    def __str__(self) -> str:
        return f"Worker factors for {self.assessment_id}"


class LiftingTask(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="lifting_tasks"
    )
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("task"), max_length=120)
    units = models.CharField(
        _("units"),
        max_length=6,
        choices=[("metric", "Metric (cm, kg)"), ("us", "US (in, lb)")],
        default="metric",
    )
    load = models.FloatField(_("average load"), validators=[MinValueValidator(0)])
    max_load = models.FloatField(
        _("maximum load"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    h_origin = models.FloatField(_("H at origin"), validators=[MinValueValidator(0)])
    v_origin = models.FloatField(_("V at origin"), validators=[MinValueValidator(0)])
    h_dest = models.FloatField(_("H at destination"), validators=[MinValueValidator(0)])
    v_dest = models.FloatField(_("V at destination"), validators=[MinValueValidator(0)])
    asymmetry_origin = models.FloatField(
        _("A at origin (degrees)"), validators=[MinValueValidator(0)]
    )
    asymmetry_dest = models.FloatField(
        _("A at destination (degrees)"), validators=[MinValueValidator(0)]
    )
    frequency = models.FloatField(
        _("frequency (lifts per minute)"), validators=[MinValueValidator(0)]
    )
    duration = models.CharField(_("duration"), max_length=10, choices=_choices(niosh.Duration))
    coupling = models.CharField(_("coupling"), max_length=6, choices=_choices(niosh.Coupling))
    significant_control = models.BooleanField(
        _("significant control at the destination"), default=False
    )
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    input_fields = interchange_fields(niosh.LiftingTask)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_load__isnull=True) | Q(max_load__gte=F("load")),
                name="lifting_max_load_not_below_load",
            ),
            models.CheckConstraint(condition=Q(load__gt=0), name="lifting_load_positive"),
            models.UniqueConstraint(
                fields=["assessment", "position"], name="lifting_task_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def to_input(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.input_fields}


def _random_photo_name(instance: Photo, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower() or ".jpg"
    return f"photos/{secrets.token_hex(16)}{suffix}"


class Photo(models.Model):
    class SectionName(models.TextChoices):
        GENERAL = "general", _("General")
        WORKSTATION = "workstation", _("Workstation")
        LIFTING = "lifting", _("Lifting task")
        ACTION = "action", _("Action evidence")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="photos")
    action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    section = models.CharField(
        max_length=12, choices=SectionName.choices, default=SectionName.GENERAL
    )
    image = models.ImageField(
        upload_to=_random_photo_name, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or f"Photo {self.pk}"
