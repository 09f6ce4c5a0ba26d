"""Benchmark of the PDF reports, in a throwaway database.

Renders a full OH report (three lifting tasks, ten actions, two photos, red flags), its
manager report and a department report over 100 completed assessments, N times each, and
prints one `name: value` line per figure: median milliseconds, the median of a one-page
plain WeasyPrint document in the same process (`floor_ms`), each report's ratio to that
floor, pages, and the process's peak memory (`resource.getrusage` ru_maxrss).

The data lives in a test database created for the run and destroyed afterwards (an
in-memory SQLite database with the default settings; `test_<name>` on PostgreSQL), and
photos in a temporary folder: the configured database and media are never touched.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import platform
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import weasyprint
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image

from assessments import permissions
from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.people.models import Department, Employee, Site
from assessments.records import photos, services, snapshot
from assessments.records.models import (
    Assessment,
    LiftingTask,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.reporting import context, rendering
from assessments.reporting.store import report_render
from assessments.scoring import worker

#: Targets on a 2-core machine, as multiples of `floor_ms`: the OH and manager reports
#: within 5 x with a 15 % margin, the department report within 15 x.
TARGETS = {"oh_report": 4.25, "manager_report": 4.25, "department_report": 15.0}
MEMORY_TARGET_MB = 300
FLOOR_HTML = "<!doctype html><title>floor</title><p>One plain page.</p>"


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader  # a development dependency, like this command

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _measure(renders: dict[str, Callable[[], bytes]], repeat: int) -> dict[str, dict[str, Any]]:
    """Median wall and CPU milliseconds of each rendering, measured in interleaved rounds.

    One warm-up rendering each first (fonts, templates, caches). Rounds interleave the
    renderings so that a busy machine slows them alike and the ratios stay meaningful.
    """
    out: dict[str, dict[str, Any]] = {
        name: {"pdf": render(), "wall": [], "cpu": []} for name, render in renders.items()
    }
    gc.collect()
    gc.freeze()  # the seeded data is not garbage: keep collections out of the timings
    for _ in range(repeat):
        for name, render in renders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            out[name]["pdf"] = render()
            out[name]["wall"].append((time.perf_counter() - wall) * 1000)
            out[name]["cpu"].append((time.process_time() - cpu) * 1000)
    gc.unfreeze()
    return {
        name: {
            "pdf": row["pdf"],
            "ms": statistics.median(row["wall"]),
            "cpu_ms": statistics.median(row["cpu"]),
        }
        for name, row in out.items()
    }


def _photo(colour: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _workstation(level: int) -> dict[str, Any]:
    bad = level >= 2
    return {
        "seat_height": "too_high" if bad else "knees_90",
        "seat_height_non_adjustable": level >= 3,
        "seat_depth": "ok",
        "armrests": "too_low_or_none" if level else "supported",
        "back_support": "no_lumbar" if level else "adequate",
        "chair_hours_per_day": 3.0 + 1.5 * level,
        "chair_longest_continuous_minutes": 30.0 + 30 * level,
        "monitor": "too_low" if bad else "eye_level",
        "monitor_glare": level >= 3,
        "monitor_hours_per_day": 3.0 + 1.5 * level,
        "monitor_longest_continuous_minutes": 30.0 + 30 * level,
        "phone": "neutral",
        "phone_hours_per_day": 0.5,
        "phone_longest_continuous_minutes": 10.0,
        "mouse": "reaching" if bad else "in_line",
        "mouse_hours_per_day": 3.0 + level,
        "mouse_longest_continuous_minutes": 30.0 + 20 * level,
        "keyboard": "wrists_extended" if level >= 3 else "neutral",
        "keyboard_hours_per_day": 3.0 + level,
        "keyboard_longest_continuous_minutes": 30.0 + 20 * level,
    }


def _sitting(level: int, warehouse: bool) -> dict[str, Any]:
    sitting = 10 + 5 * level if warehouse else 55 + 10 * level
    split = (
        {"pct_standing": 40, "pct_walking": 30, "pct_heavy": 30 - sitting}
        if warehouse
        else {"pct_standing": 90 - sitting, "pct_walking": 10, "pct_heavy": 0}
    )
    return {
        "hours_worked_per_day": 8.0,
        "pct_sitting": sitting,
        **split,
        "longest_sitting_bout_minutes": 30 + 30 * level,
        "sit_stand_desk_available": False,
        "sit_stand_desk_used": False,
        "moderate_minutes_per_week": max(0, 180 - 60 * level),
        "vigorous_minutes_per_week": 0,
        "strengthening_days_per_week": max(0, 2 - level),
    }


def _worker(level: int, *, red_flag: bool = False) -> dict[str, Any]:
    pain = level >= 2
    return {
        "age_years": 30 + 5 * level,
        "height_cm": 175.0,
        "weight_kg": round((22 + 3 * level) * 1.75**2, 1),
        "current_pain": pain,
        "pain_duration_weeks": 4.0 + 4 * level if pain else None,
        "pain_intensity": 2 + level if pain else None,
        "episodes_last_12_months": level,
        "pain_eases_with_movement": pain,
        "pain_returns_after_rest": pain,
        "yf_stress_worry": level >= 2,
        "yf_low_support_at_work": level >= 3,
        **dict.fromkeys(worker.RED_FLAG_FIELDS, worker.Answer.NO.value),
        "rf_night_pain": (worker.Answer.YES if red_flag else worker.Answer.NO).value,
    }


def _lifting(level: int, count: int) -> list[dict[str, Any]]:
    base = {
        "units": "metric",
        "max_load": None,
        "asymmetry_dest": 0.0,
        "duration": "long" if level >= 2 else "moderate",
        "significant_control": False,
        "conditions": [],
    }
    tasks = [
        {
            **base,
            "label": "Cartons from pallet to conveyor",
            "load": 8.0 + 4 * level,
            "h_origin": 35.0 + 6 * level,
            "v_origin": max(5.0, 60.0 - 15 * level),
            "h_dest": 35.0,
            "v_dest": 90.0,
            "asymmetry_origin": 15.0 * level,
            "frequency": 1.0 + level,
            "coupling": "fair" if level < 2 else "poor",
        },
        {
            **base,
            "label": "Totes to racking",
            "load": 6.0 + 2 * level,
            "h_origin": 30.0,
            "v_origin": 80.0,
            "h_dest": 40.0,
            "v_dest": 140.0,
            "asymmetry_origin": 0.0,
            "asymmetry_dest": 30.0,
            "frequency": 2.0,
            "coupling": "good",
            "significant_control": True,
        },
        {
            **base,
            "label": "Sacks from floor to bench",
            "load": 20.0,
            "h_origin": 45.0,
            "v_origin": 10.0,
            "h_dest": 35.0,
            "v_dest": 85.0,
            "asymmetry_origin": 45.0,
            "frequency": 1.0,
            "coupling": "poor",
        },
    ]
    return tasks[:count]


class Command(BaseCommand):
    help = (
        "Benchmark the OH, manager and department PDF reports in a throwaway database; "
        "prints `name: value` lines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=5, help="Renderings of each (5).")
        parser.add_argument(
            "--assessments",
            type=int,
            default=100,
            help="Completed assessments in the department report (100).",
        )

    def handle(self, *args: Any, repeat: int = 5, assessments: int = 100, **opts: Any) -> None:
        repeat = max(1, repeat)
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with (
                tempfile.TemporaryDirectory(prefix="bench-reports-") as media,
                override_settings(MEDIA_ROOT=media),
            ):
                figures = self._run(repeat=repeat, count=max(2, assessments))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        for name, value in figures:
            self.stdout.write(f"{name}: {value}")

    # --- the run ---------------------------------------------------------------------

    def _run(self, *, repeat: int, count: int) -> list[tuple[str, Any]]:
        assessor, manager = self._users()
        oh_assessment, departments, start, end = self._seed(assessor, manager, count)
        in_period = Assessment.objects.filter(
            employee__department__in=departments,
            status=Assessment.Status.COMPLETED,
            assessed_on__range=(start, end),
        ).count()

        def department() -> bytes:
            ctx = context.department_context(departments=departments, start=start, end=end)
            return rendering.render_pdf("assessments/pdf/department_report.html", ctx)

        measured = _measure(
            {
                "floor": lambda: weasyprint.HTML(string=FLOOR_HTML).write_pdf(),
                "oh_report": lambda: report_render(oh_assessment, "oh"),
                "manager_report": lambda: report_render(oh_assessment, "manager"),
                "department_report": department,
            },
            repeat,
        )
        floor = measured.pop("floor")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

        figures: list[tuple[str, Any]] = [
            ("machine", self._machine()),
            ("load_average_1min", f"{os.getloadavg()[0]:.2f}"),
            ("repeat", repeat),
            ("department_assessments", in_period),
            ("floor_ms", f"{floor['ms']:.1f}"),
            ("floor_cpu_ms", f"{floor['cpu_ms']:.1f}"),
        ]
        for name, row in measured.items():
            ratio = row["ms"] / floor["ms"]
            figures += [
                (f"{name}_ms", f"{row['ms']:.1f}"),
                (f"{name}_ratio", f"{ratio:.2f}"),
                (f"{name}_cpu_ms", f"{row['cpu_ms']:.1f}"),
                (f"{name}_cpu_ratio", f"{row['cpu_ms'] / floor['cpu_ms']:.2f}"),
                (f"{name}_pages", _pages(row["pdf"])),
            ]
            if name in TARGETS:
                limit = TARGETS[name]
                cpu_ratio = row["cpu_ms"] / floor["cpu_ms"]
                verdict = (
                    f"<= {limit:g} x floor: wall {_yes(ratio <= limit)}, "
                    f"cpu {_yes(cpu_ratio <= limit)}"
                )
                figures.append((f"{name}_target", verdict))
        figures += [
            ("peak_memory_mb", f"{peak_mb:.1f}"),
            ("peak_memory_method", "resource.getrusage(RUSAGE_SELF).ru_maxrss, whole process"),
            ("peak_memory_target", f"< {MEMORY_TARGET_MB} MB: {_yes(peak_mb < MEMORY_TARGET_MB)}"),
        ]
        return figures

    def _machine(self) -> str:
        cpu = platform.processor() or platform.machine()
        try:
            with open("/proc/cpuinfo") as info:
                cpu = next(
                    line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
                )
        except (OSError, StopIteration):
            pass
        return (
            f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), "
            f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}"
        )

    # --- the data --------------------------------------------------------------------

    def _users(self) -> tuple[Any, Any]:
        users = get_user_model()
        assessor = users.objects.create_user("bench-assessor", first_name="Alex")
        manager = users.objects.create_user("bench-manager", first_name="Jordan")
        assessor.groups.add(Group.objects.get_or_create(name=permissions.ASSESSOR_GROUP)[0])
        manager.groups.add(Group.objects.get_or_create(name=permissions.MANAGER_GROUP)[0])
        return assessor, manager

    def _seed(
        self, assessor: Any, manager: Any, count: int
    ) -> tuple[Assessment, Any, dt.date, dt.date]:
        """`count` completed assessments over two years in two departments, plus the OH case."""
        rng = random.Random(2026)  # noqa: S311 - benchmark data, not security
        site = Site.objects.create(name="Riverside Distribution Centre")
        goods_in = Department.objects.create(site=site, name="Goods In")
        picking = Department.objects.create(site=site, name="Picking and Despatch")
        for department in (goods_in, picking):
            department.managers.add(manager)
        today = timezone.localdate()
        employees = count // 2
        made = 0
        for index in range(employees):
            employee = Employee.objects.create(
                hr_reference=f"B{1000 + index}",
                name=f"Employee {index + 1:03d}",
                job_title="Warehouse operative" if index % 2 else "Team leader",
                department=(goods_in, picking)[index % 2],
                work_type=Employee.WorkType.MANUAL,
            )
            previous = None
            for visit in range(2):
                day = today - dt.timedelta(days=700 - 300 * visit - rng.randint(0, 60))
                level = max(0, index % 4 - visit)
                previous = self._assessment(
                    employee, assessor, manager, day, level, previous, tasks=1 + level % 3
                )
                made += 1
        while made < count:  # odd counts: one more first visit
            employee = Employee.objects.create(
                hr_reference=f"B{2000 + made}",
                name=f"Employee {made + 1:03d}",
                job_title="Loader",
                department=goods_in,
                work_type=Employee.WorkType.MANUAL,
            )
            self._assessment(employee, assessor, manager, today, 1, None, tasks=1)
            made += 1

        # The OH case has a department of its own, outside the department report.
        bulk_store = Department.objects.create(site=site, name="Bulk Store")
        subject = Employee.objects.create(
            hr_reference="B0001",
            name="Robin Patel",
            job_title="Warehouse operative",
            department=bulk_store,
            work_type=Employee.WorkType.MANUAL,
        )
        oh = self._assessment(
            subject, assessor, manager, today, 3, None, tasks=3, actions=10, red_flag=True
        )
        for colour, caption, section in (
            ("steelblue", "Pallet station", "lifting"),
            ("darkorange", "Bench height", "lifting"),
        ):
            photos.photo_store(
                assessment=oh,
                upload=_photo(colour),
                section=section,
                caption=caption,
                user=assessor,
            )
        start = today - dt.timedelta(days=800)
        return oh, Department.objects.filter(pk__in=[goods_in.pk, picking.pk]), start, today

    def _assessment(
        self,
        employee: Employee,
        assessor: Any,
        manager: Any,
        day: dt.date,
        level: int,
        previous: Assessment | None,
        *,
        tasks: int,
        actions: int = 8,
        red_flag: bool = False,
    ) -> Assessment:
        draft = services.assessment_create(employee=employee, assessor=assessor)
        Assessment.objects.filter(pk=draft.pk).update(assessed_on=day, previous=previous)
        draft.refresh_from_db()
        WorkstationSection.objects.create(assessment=draft, **_workstation(level))
        SittingSection.objects.create(assessment=draft, **_sitting(level, warehouse=True))
        WorkerSection.objects.create(assessment=draft, **_worker(level, red_flag=red_flag))
        for position, task in enumerate(_lifting(level, tasks), start=1):
            LiftingTask.objects.create(assessment=draft, position=position, **task)
        preview = services.assessment_preview(assessment=draft)
        assert preview.results is not None, preview.errors
        drafts = [
            action_services.ActionDraft.from_recommendation(
                rec,
                assessed_on=day,
                owner=assessor if rec.category == "clinical" else manager,
                due_on=day + dt.timedelta(days=30 * rec.priority),
            )
            for rec in snapshot.read_results(preview.results).recommendations[:actions]
        ]
        completed = action_services.assessment_complete(
            assessment=draft, user=assessor, actions=drafts
        )
        if previous is not None:  # the follow-up found the earlier actions done
            Action.objects.filter(assessment=previous).update(
                status=Action.Status.DONE, completed_on=day
            )
        return completed


def _yes(met: bool) -> str:
    return "met" if met else "MISSED"
