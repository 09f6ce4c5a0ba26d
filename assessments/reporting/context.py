"""What each report shows, built from the stored snapshot (never re-scored)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html
from PIL import Image

from assessments.actions.models import Action
from assessments.core import charts
from assessments.core import health as redaction
from assessments.people.models import Department
from assessments.records import presenters
from assessments.records.models import Assessment, Photo
from assessments.records.snapshot import snapshot_digest

SOURCES = [
    "Waters TR, Putz-Anderson V, Garg A. Applications Manual for the Revised NIOSH Lifting "
    "Equation. DHHS (NIOSH) Publication No. 94-110 (revised 2021).",
    "Sonne M, Villalta DL, Andrews DM. Development and evaluation of an office ergonomic risk "
    "checklist: ROSA. Applied Ergonomics 2012;43(1):98-108.",
    "Buckley JP et al. The sedentary office: an expert statement. Br J Sports Med "
    "2015;49:1357-1362.",
    "Bull FC et al. WHO 2020 guidelines on physical activity and sedentary behaviour. Br J "
    "Sports Med 2020;54:1451-1462.",
    "NICE NG59 Low back pain and sciatica in over 16s (2016, updated 2020); NICE NG65 "
    "Spondyloarthritis in over 16s (2017).",
    "Sieper J et al. ASAS expert criteria for inflammatory back pain. Ann Rheum Dis "
    "2009;68:784-788.",
]
DISCLAIMER = (
    "The mechanical-strain score combines the published methods above with worker factors "
    "into one transparent number. It is not itself a validated instrument: use it to rank "
    "and follow up risks, with professional judgement."
)
RED_FLAG_NOTE = "Red flags are never part of the score: each one is a referral in its own right."
PHOTO_UNAVAILABLE = "Photo unavailable: the stored file could not be read."
ALL_TASKS = "All lifting tasks (CLI)"


def _photo_rows(photos: QuerySet[Photo]) -> list[dict[str, Any]]:
    rows = []
    for photo in photos:
        uri = None
        try:
            path = Path(photo.image.path)
            with Image.open(path) as probe:
                probe.verify()
            uri = path.resolve().as_uri()
        except (OSError, ValueError, SyntaxError):
            uri = None
        rows.append({"caption": photo.caption or photo.get_section_display(), "uri": uri})
    return rows


#: As wide as a digit in the report font: pads numbers so they right-align in a column.
FIGURE_SPACE = "\u2007"
#: The columns of the lifting grid, after the end of the lift ("Origin" or "Destination").
LIFTING_COLUMNS = ["Load", "H", "V", "D", "A", "F", "HM", "VM", "DM", "AM", "FM", "CM", "RWL", "LI"]
#: Tab stops before each end's figures: "Origin" needs two, the longer "Destination" one.
END_LABELS = {"origin": "Origin\t\t", "destination": "Destination\t"}


def _fixed(value: Any, places: int) -> str:
    if value is None:
        return "—"
    return f"{float(value):.{places}f}"


def _right_aligned(rows: list[list[str]]) -> list[list[str]]:
    """Each column padded on the left to its widest value, so the figures line up."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return [
        [value.rjust(width, FIGURE_SPACE) for value, width in zip(row, widths, strict=True)]
        for row in rows
    ]


def _ends(task: dict[str, Any]) -> list[dict[str, Any]]:
    """The ends of a lift evaluated: the origin, and the destination under significant control."""
    return [task["origin"]] + ([task["destination"]] if task.get("destination") else [])


def _end_figures(task: dict[str, Any], end: dict[str, Any]) -> list[str]:
    """One end's figures, in the order of LIFTING_COLUMNS."""
    inputs, m = task["task"], end["multipliers"]
    origin = end["point"] == "origin"
    li = "∞" if end.get("lifting_index_is_infinite") else _fixed(end["lifting_index"], 2)
    return [
        _fixed(inputs["load"], 1),
        _fixed(inputs["h_origin" if origin else "h_dest"], 0),
        _fixed(inputs["v_origin" if origin else "v_dest"], 0),
        _fixed(task.get("travel_distance"), 0),
        _fixed(inputs["asymmetry_origin" if origin else "asymmetry_dest"], 0) + "°",
        _fixed(inputs["frequency"], 1),
        *(_fixed(m[factor], 2) for factor in ("hm", "vm", "dm", "am", "fm", "cm")),
        _fixed(end["rwl"], 1),
        li,
    ]


def lifting_grid(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each lifting task with one tab-separated line of figures per end of the lift.

    The lines are laid out at the print stylesheet's tab stops (a grid of text lines, far
    cheaper to typeset than a table of cells); the figures are padded to right-align in
    their columns across all the tasks.
    """
    tasks = (results.get("lifting") or {}).get("tasks", [])
    padded = iter(_right_aligned([_end_figures(t, end) for t in tasks for end in _ends(t)]))
    return [
        {
            "label": task["task"]["label"],
            "units": "in, lb" if task["task"]["units"] == "us" else "cm, kg",
            "duration": task["task"]["duration"],
            "coupling": task["task"]["coupling"],
            "lines": [END_LABELS[end["point"]] + "\t".join(next(padded)) for end in _ends(task)],
            "warnings": task.get("warnings", []),
            "not_applicable_reasons": task.get("not_applicable_reasons", []),
        }
        for task in tasks
    ]


def what_if_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The lifting recommendations with the lifting index they would reach, as stored."""
    return [
        {
            "task": rec.get("task_label") or ALL_TASKS,
            "title": rec["title"],
            "what_if": rec["what_if"],
            "before": rec.get("lifting_index"),
            "after": rec.get("what_if_lifting_index"),
        }
        for rec in results.get("recommendations", [])
        if rec.get("what_if")
    ]


def what_if_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The what-if rows grouped by task, in the order the tasks first appear."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        index = "CLI" if row["task"] == ALL_TASKS else "LI"
        group = groups.setdefault(
            row["task"], {"task": row["task"], "index": index, "before": row["before"], "rows": []}
        )
        group["rows"].append(row)
    return list(groups.values())


def _common(assessment: Assessment) -> dict[str, Any]:
    inputs, results = assessment.inputs or {}, assessment.results or {}
    return {
        "assessment": assessment,
        "employee": assessment.employee,
        "department": assessment.employee.department,
        "snapshot_sha256": snapshot_digest(inputs, results),
        "document_id": f"EA-{assessment.pk:06d}-R{assessment.revision}",
        "generated_on": timezone.localdate(),
    }


def plain_summary(results: dict[str, Any], *, name: str) -> str:
    """One paragraph in plain words: the band, what drives it, what happens next."""
    strain = results.get("strain") or {}
    band = str(strain.get("band", "")).replace("_", " ")
    drivers = sorted(
        (c for c in strain.get("components", []) if c.get("level", 0) >= 2),
        key=lambda c: -c.get("points", 0),
    )
    parts = [
        f"{name}'s risk of recurrent low back pain from mechanical strain is {band} "
        f"(score {strain.get('score', 0):.0f} of 100)."
    ]
    if drivers:
        names = [str(c["component"]).replace("_", " ") for c in drivers[:3]]
        parts.append("It is driven mainly by " + ", ".join(names) + ".")
    else:
        parts.append("No single exposure stands out.")
    recs = results.get("recommendations", [])
    if recs:
        parts.append(
            f"{len(recs)} recommendation(s) follow, starting with: {recs[0]['title'].rstrip('.')}."
        )
    if results.get("referrals"):
        parts.append("A clinical referral is advised; see the referral box.")
    return " ".join(parts)


#: Length of a bar in the printed charts, and its colour where nothing is scored.
BAR_MM = 80
BAR_TRACK = "#e9ecef"


def _bar(value: float, maximum: float, colour: str, *, label: str) -> str:
    """A bar of value out of maximum drawn as the two borders of an empty inline box.

    Typesets several times faster than the same bar as an SVG image.
    """
    fraction = 0.0 if maximum <= 0 else max(0.0, min(1.0, value / maximum))
    filled = BAR_MM * fraction
    return format_html(
        '<span class="bar" role="img" aria-label="{}" style="border-left: {}mm solid {}; '
        'border-right: {}mm solid {}"></span>',
        label,
        f"{filled:.1f}",
        colour,
        f"{BAR_MM - filled:.1f}",
        BAR_TRACK,
    )


def _bars(rows: list[tuple[str, float, float, str]]) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "value": value,
            "maximum": maximum,
            "bar": _bar(value, maximum, colour, label=f"{label}: {value:g} of {maximum:g}"),
        }
        for label, value, maximum, colour in rows
    ]


def strain_bars(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each strain component with its bar (points out of its weight)."""
    components = (results.get("strain") or {}).get("components", [])
    rows = charts.strain_component_rows(components)
    return [{**row, "component": c} for row, c in zip(_bars(rows), components, strict=True)]


def sitting_bars(results: dict[str, Any]) -> list[dict[str, Any]]:
    sitting = results.get("sitting")
    if not sitting:
        return []
    return _bars(charts.sitting_rows(sitting))


ROSA_SECTIONS = {
    "chair": "Chair",
    "monitor_phone": "Monitor and telephone",
    "mouse_keyboard": "Mouse and keyboard",
}


def rosa_findings(results: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The ROSA observations grouped by the part of the workstation they score."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for finding in (results.get("workstation") or {}).get("findings", []):
        section = str(finding["section"])
        name = ROSA_SECTIONS.get(section, section.replace("_", " ").capitalize())
        groups.setdefault(name, []).append(finding)
    return list(groups.items())


def oh_context(assessment: Assessment) -> dict[str, Any]:
    results = assessment.results or {}
    return {
        **_common(assessment),
        "variant": "oh",
        "title": "Occupational health report",
        "summary": plain_summary(results, name=assessment.employee.name),
        # The stored results as they are: the charts are drawn here as bars (strain_bars,
        # sitting_bars), so the SVG charts of presenters.results_view are not needed.
        "results": results,
        "actions": list(assessment.actions.select_related("owner")),
        "photos": _photo_rows(assessment.photos.all()),
        "what_ifs": what_if_groups(what_if_rows(results)),
        "lifting_grid": lifting_grid(results),
        "strain_bars": strain_bars(results),
        "rosa_findings": rosa_findings(results),
        "sitting_bars": sitting_bars(results),
        "lifting_header": "End\t\t" + "\t".join(LIFTING_COLUMNS),
        "photo_unavailable": PHOTO_UNAVAILABLE,
        "before_after": presenters.before_after(assessment),
        "sources": SOURCES,
        "disclaimer": f"{DISCLAIMER} {RED_FLAG_NOTE}",
    }


def manager_context(assessment: Assessment) -> dict[str, Any]:
    results = assessment.results or {}
    view = presenters.results_view(results, redact=True)
    actions = [
        {
            "title": a.title,
            "detail": a.detail,
            "why": redaction.manager_reason(a.code, a.rationale),
            "category": a.get_category_display(),
            "priority": a.get_priority_display(),
            "owner": a.owner.get_full_name() or a.owner.username if a.owner else "",
            "due_on": a.due_on,
            "status": a.get_status_display(),
        }
        for a in assessment.actions.select_related("owner")
        if not redaction.is_health_action(a.code, a.category)
    ]
    return {
        **_common(assessment),
        "variant": "manager",
        "title": "Manager report",
        "results": view,
        "actions": actions,
        "photos": _photo_rows(assessment.photos.exclude(section=Photo.SectionName.GENERAL)),
        "photo_unavailable": PHOTO_UNAVAILABLE,
        "disclaimer": DISCLAIMER,
    }


def _quarter(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


BAND_ORDER = ["very_high", "high", "moderate", "low"]


def _by_count(row: tuple[str, int]) -> tuple[int, str]:
    return -row[1], row[0]


def _by_owner(actions: list[Action]) -> list[tuple[Any, list[Action]]]:
    """Actions grouped by owner, keeping their order (soonest due first)."""
    groups: dict[Any, list[Action]] = {}
    for action in actions:
        groups.setdefault(action.owner, []).append(action)
    return list(groups.items())


def department_context(
    *, departments: QuerySet[Department], start: dt.date, end: dt.date
) -> dict[str, Any]:
    """Aggregates over completed, current revisions assessed in the period.

    Built for long periods and large departments: only the recommendations of each
    employee's latest assessment are read from the snapshots, and the long lists (open
    actions, reassessments, employees) are grouped so the PDF stays short.
    """
    today = timezone.localdate()
    rows = list(
        Assessment.objects.filter(
            employee__department__in=departments,
            status=Assessment.Status.COMPLETED,
            assessed_on__gte=start,
            assessed_on__lte=end,
        )
        .exclude(superseded_by__status=Assessment.Status.COMPLETED)
        .select_related("employee__department")
        .only(
            "pk",
            "employee",
            "assessed_on",
            "band",
            "strain_score",
            "reassess_due",
            "employee__name",
            "employee__job_title",
            "employee__department__name",
        )
        .order_by("employee_id", "-assessed_on", "-pk")
    )
    latest: dict[int, Assessment] = {}
    for a in rows:
        latest.setdefault(a.employee_id, a)
    by_pk = {a.pk: a for a in latest.values()}
    band_counts = Counter(a.band for a in latest.values())
    quarters: dict[str, list[Assessment]] = defaultdict(list)
    for a in rows:
        quarters[_quarter(a.assessed_on)].append(a)
    quarter_rows = [
        (
            label,
            dict(Counter(a.band for a in items)),
            statistics.median(a.strain_score for a in items if a.strain_score is not None),
        )
        for label, items in sorted(quarters.items())
    ]

    findings: Counter[str] = Counter()
    titles: dict[str, str] = {}
    stored = Assessment.objects.filter(pk__in=by_pk).values_list("results__recommendations")
    for (recs,) in stored:
        visible = redaction.manager_recommendations(recs or [])
        for rec in visible:
            titles.setdefault(rec["code"], rec["title"])
        # One count per employee, however many of their tasks raised the finding.
        findings.update({rec["code"] for rec in visible})

    open_actions = [
        a
        for a in Action.objects.filter(assessment__in=list(by_pk))
        .exclude(status__in=Action.CLOSED)
        .exclude(category__in=redaction.HEALTH_CATEGORIES)
        .select_related("owner")
        .only("pk", "assessment", "code", "title", "category", "status", "due_on", "owner")
        .order_by("due_on", "pk")
        if not redaction.is_health_action(a.code, a.category)
    ]
    overdue = [a for a in open_actions if a.is_overdue(today)]
    per_employee: dict[int, list[Action]] = defaultdict(list)
    for a in open_actions:
        per_employee[a.assessment_id].append(a)
    actions_by_employee = sorted(
        (
            {
                "employee": by_pk[pk].employee,
                "open": len(items),
                "overdue": sum(1 for a in items if a.is_overdue(today)),
                "first_due": items[0].due_on or dt.date.max,
                "owners": _by_owner(items),
            }
            for pk, items in per_employee.items()
        ),
        key=lambda row: (-row["overdue"], row["first_due"], row["employee"].name),
    )
    employees_by_band = [
        (
            band,
            sorted((a for a in latest.values() if a.band == band), key=lambda a: a.employee.name),
        )
        for band in BAND_ORDER
    ]
    due = (
        Assessment.objects.filter(
            employee__department__in=departments,
            is_latest=True,
            employee__active=True,
            reassess_due__lte=today + dt.timedelta(days=60),
        )
        .select_related("employee")
        .only("pk", "employee", "reassess_due", "employee__name")
        .order_by("reassess_due", "employee__name")
    )
    return {
        "variant": "department",
        "title": "Department report",
        "departments": list(departments),
        "start": start,
        "end": end,
        "generated_on": today,
        "today": today,
        "headcount_assessed": len(latest),
        "assessments_in_period": len(rows),
        "band_counts": {b: band_counts.get(b, 0) for b in reversed(BAND_ORDER)},
        "band_chart": charts.band_distribution(dict(band_counts)),
        "quarter_chart": charts.stacked_quarters(quarter_rows) if quarter_rows else "",
        "quarters": quarter_rows,
        "top_findings": sorted(((titles[c], n) for c, n in findings.items()), key=_by_count)[:8],
        "open_actions": open_actions,
        "overdue_actions": overdue,
        "actions_by_employee": actions_by_employee,
        "reassessments_due": list(due),
        "employees_by_band": employees_by_band,
        "disclaimer": DISCLAIMER,
    }
