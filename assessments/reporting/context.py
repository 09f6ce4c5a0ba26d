"""What each report shows, built from the stored snapshot (never re-scored)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from PIL import Image

from assessments import permissions
from assessments.actions.models import Action, overdue_q
from assessments.core import charts, health
from assessments.core.health import Audience, assessment_text_shown
from assessments.core.names import person_name
from assessments.insights import figures
from assessments.people.models import Department
from assessments.records import evidence, presenters, snapshot
from assessments.records.models import Assessment, Photo
from assessments.records.snapshot import snapshot_digest
from assessments.scoring.worker import PAIN_PATTERN_REASON

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
        rows.append(
            {
                "caption": photo.caption or photo.get_section_display(),
                # The PDF reads the file; a browser preview fetches it through the app,
                # which checks who is asking (and never learns the server's paths).
                "uri": uri,
                "url": reverse("photo_file", args=[photo.pk]) if uri else None,
            }
        )
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


def _end_figures(task: snapshot.TaskResult, end: snapshot.LiftEnd) -> list[str]:
    """One end's figures, in the order of LIFTING_COLUMNS."""
    inputs, m = task.task, end.multipliers
    origin = end.point == "origin"
    li = "∞" if end.lifting_index_is_infinite else _fixed(end.lifting_index, 2)
    return [
        _fixed(inputs.load, 1),
        _fixed(inputs.h_origin if origin else inputs.h_dest, 0),
        _fixed(inputs.v_origin if origin else inputs.v_dest, 0),
        _fixed(task.travel_distance, 0),
        _fixed(inputs.asymmetry_origin if origin else inputs.asymmetry_dest, 0) + "°",
        _fixed(inputs.frequency, 1),
        *(_fixed(value, 2) for value in (m.hm, m.vm, m.dm, m.am, m.fm, m.cm)),
        _fixed(end.rwl, 1),
        li,
    ]


def lifting_grid(results: snapshot.Results) -> list[dict[str, Any]]:
    """Each lifting task with one tab-separated line of figures per end of the lift.

    The lines are laid out at the print stylesheet's tab stops (a grid of text lines, far
    cheaper to typeset than a table of cells); the figures are padded to right-align in
    their columns across all the tasks.
    """
    tasks = results.lifting.tasks if results.lifting else ()
    padded = iter(_right_aligned([_end_figures(t, end) for t in tasks for end in t.ends]))
    return [
        {
            "label": task.task.label,
            "units": "in, lb" if task.task.units == "us" else "cm, kg",
            "duration": task.task.duration,
            "coupling": task.task.coupling,
            "lines": [END_LABELS[end.point] + "\t".join(next(padded)) for end in task.ends],
            "warnings": task.warnings,
            "not_applicable_reasons": task.not_applicable_reasons,
        }
        for task in tasks
    ]


def what_if_rows(results: snapshot.Results) -> list[dict[str, Any]]:
    """The lifting recommendations with the lifting index they would reach, as stored."""
    return [
        {
            "task": rec.task_label or ALL_TASKS,
            "title": rec.title,
            "what_if": rec.what_if,
            "before": rec.lifting_index,
            "after": rec.what_if_lifting_index,
        }
        for rec in results.recommendations
        if rec.what_if
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


def plain_summary(results: snapshot.Results, *, name: str) -> str:
    """One paragraph in plain words: the band, what drives it, what happens next."""
    strain = results.strain
    band = strain.band.replace("_", " ")
    drivers = sorted((c for c in strain.components if c.level >= 2), key=lambda c: -c.points)
    if not strain.assessable:
        parts = [
            f"{name}'s risk of recurrent low back pain from mechanical strain is not "
            "assessable: no section of the assessment was assessed."
        ]
    else:
        provisional = ", provisional," if strain.provisional else ""
        basis = ", based on the sections assessed" if strain.not_assessed else ""
        parts = [
            f"{name}'s risk of recurrent low back pain from mechanical strain is {band}"
            f"{provisional} (score {strain.score:.0f} of 100{basis})."
        ]
    if not strain.assessable:
        pass
    elif drivers:
        names = [c.component.replace("_", " ") for c in drivers[:3]]
        parts.append("It is driven mainly by " + ", ".join(names) + ".")
    else:
        parts.append("No single exposure stands out.")
    recs = results.recommendations
    if recs:
        parts.append(
            f"{len(recs)} recommendation(s) follow, starting with: {recs[0].title.rstrip('.')}."
        )
    if results.referrals:
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


def _bars(rows: list[charts.BarRow]) -> list[dict[str, Any]]:
    return [
        {
            "label": row.label,
            "value": row.value,
            "maximum": row.maximum,
            "shown": row.shown(),
            "bar": _bar(
                row.value,
                row.maximum,
                row.colour,
                label=f"{row.label}: {row.value:g} of {row.maximum:g}",
            ),
        }
        for row in rows
    ]


def strain_bars(results: snapshot.Results) -> list[dict[str, Any]]:
    """Each strain component with its bar (points out of its weight)."""
    components = results.strain.components
    rows = charts.strain_component_rows(components)
    return [{**row, "component": c} for row, c in zip(_bars(rows), components, strict=True)]


def sitting_bars(results: snapshot.Results) -> list[dict[str, Any]]:
    return _bars(charts.sitting_rows(results.sitting)) if results.sitting else []


ROSA_SECTIONS = {
    "chair": "Chair",
    "monitor_phone": "Monitor and telephone",
    "mouse_keyboard": "Mouse and keyboard",
}


def rosa_findings(results: snapshot.Results) -> list[tuple[str, list[snapshot.Finding]]]:
    """The ROSA observations grouped by the part of the workstation they score."""
    groups: dict[str, list[snapshot.Finding]] = {}
    for finding in results.workstation.findings if results.workstation else ():
        section = finding.section
        name = ROSA_SECTIONS.get(section, section.replace("_", " ").capitalize())
        groups.setdefault(name, []).append(finding)
    return list(groups.items())


def _with_evidence(actions: list[Action], lines: dict[str, str]) -> list[Action]:
    """Each action with the evidence line of the recommendation it came from.

    The lifting changes share one line (NIOSH lowers the index; no trial of the index
    itself): an action whose line an earlier action already gave names that action
    instead (`evidence_as_for`), so the report says it once."""
    first: dict[str, Action] = {}
    for action in actions:
        line = lines.get(action.code, "")
        earlier = first.setdefault(line, action) if line else action
        action.evidence_line = line  # type: ignore[attr-defined]
        action.evidence_as_for = earlier.title if earlier is not action else ""  # type: ignore[attr-defined]
    return actions


#: The legend for actions whose reason is the change they describe.
WHY_IN_CHANGE = (
    "A lifting change gives no separate reason: its figures in brackets are the reason, "
    "each task's value now and after the change with the lifting index it reaches."
)
WHY_REFERRAL = "the clinical referral above."


def _worker_notes(results: snapshot.Results) -> list[str]:
    """The worker factors' reasons, less the pain pattern the report states above them."""
    worker = results.worker
    if worker is None:
        return []
    if not worker.pain_class:
        return list(worker.reasons)
    return [r for r in worker.reasons if not r.startswith(PAIN_PATTERN_REASON)]


def _with_reasons(actions: list[Action], results: snapshot.Results) -> list[Action]:
    """Each action with the reason the report prints (`why_shown`), said once.

    A clinical referral's reason is the referral box above, word for word, so the action
    points to it. A lifting change that still carries its what-if in brackets (task by
    task, the value now and after, and the index reached) needs no reason beside it: the
    reason repeated those figures and the lifting grid's.
    """
    referrals = {r.reason for r in results.referrals}
    changes = {r.code: r.what_if for r in results.recommendations if r.what_if}
    for action in actions:
        what_if = changes.get(action.code)
        in_change = bool(what_if) and f"({what_if})" in action.detail
        if action.rationale in referrals:
            why = WHY_REFERRAL
        else:
            why = "" if in_change else action.rationale
        action.why_shown = why  # type: ignore[attr-defined]
        action.why_in_change = in_change and not why  # type: ignore[attr-defined]
    return actions


def oh_context(assessment: Assessment) -> dict[str, Any]:
    results = snapshot.load(assessment).results.for_audience(Audience.OH)
    actions = _with_reasons(
        _with_evidence(
            list(assessment.actions.select_related("owner")),
            evidence.evidence_lines(results.recommendations),
        ),
        results,
    )
    return {
        **_common(assessment),
        "variant": "oh",
        "title": "Occupational health report",
        "amendment_reason": assessment_text_shown(
            "amendment_reason", assessment.amendment_reason, audience=Audience.OH
        ),
        "summary": plain_summary(results, name=assessment.employee.name),
        # The charts are drawn here as bars (strain_bars, sitting_bars), so the SVG charts
        # of presenters.results_view are not needed.
        "results": results,
        "actions": actions,
        "why_in_change": WHY_IN_CHANGE if any(a.why_in_change for a in actions) else "",
        "worker_notes": _worker_notes(results),
        "not_recommended": evidence.not_recommended_lines(),
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
    audience = Audience.MANAGER
    view = presenters.results_view(snapshot.load(assessment).results, audience=audience)
    certainty = evidence.manager_evidence(view.recommendations)
    actions = [
        {
            "title": a.title,
            "detail": a.detail,
            "why": health.reason_shown(
                a.rationale, code=a.code, category=a.category, audience=audience
            ),
            "category": a.get_category_display(),
            "priority": a.get_priority_display(),
            "owner": person_name(a.owner),
            "due_on": a.due_on,
            "status": a.get_status_display(),
            "certainty": certainty.get(a.code, ""),
            "cost": evidence.cost_words(a.cost_band),
        }
        for a in assessment.actions.filter(health.action_visible_q()).select_related("owner")
    ]
    return {
        **_common(assessment),
        "variant": "manager",
        "title": "Manager report",
        "results": view,
        "findings": presenters.plain_findings(view.strain.components),
        "actions": actions,
        "photos": _photo_rows(assessment.photos.filter(health.photo_visible_q())),
        "photo_unavailable": PHOTO_UNAVAILABLE,
        "disclaimer": DISCLAIMER,
    }


BAND_ORDER = ["very_high", "high", "moderate", "low", "not_assessable"]
#: The department report lists the reassessments due within this many days, and overdue ones.
REASSESS_DAYS = 60


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
    """The departments now, by the dashboard's figures in a line manager's view (staff,
    current assessments by band, open and overdue actions, reassessments due), and their
    completed assessments in the period (the trend). Whoever asks, it is a line manager's
    view: an assessment is counted and listed only when the employee lets managers see it
    (`permissions.consent_visible_q`).

    Built for long periods and large departments: one query reads the current and the
    period's assessments, only the recommendations of each current assessment are read
    from the snapshots, and the long lists (open actions, reassessments, employees) are
    grouped so the PDF stays short.
    """
    today = timezone.localdate()
    chosen = list(
        departments.annotate(staff=Count("employees", filter=figures.staff_q("employees__")))
    )
    period = figures.assessed_between_q(start, end)
    rows = list(
        Assessment.objects.filter(employee__department__in=departments)
        .filter(permissions.consent_visible_q())
        .filter(figures.CURRENT.rows() | period)
        .annotate(
            is_current=figures.flag(figures.CURRENT.rows()),
            in_period=figures.flag(period),
            reassess_listed=figures.flag(figures.reassess_due_q(today, REASSESS_DAYS)),
            reassess_overdue=figures.flag(figures.reassess_overdue_q(today)),
        )
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
        .order_by("employee__name", "pk")
    )
    current = [a for a in rows if a.is_current]
    by_pk = {a.pk: a for a in current}
    band_counts = Counter(a.band for a in current)
    in_period = [a for a in rows if a.in_period]
    quarters = figures.quarters_of(
        figures.trend_counts((a.assessed_on, a.band, a.strain_score, 1) for a in in_period)
    )
    quarter_rows = [(q.label, q.bands, q.median) for q in quarters]

    findings: Counter[str] = Counter()
    titles: dict[str, str] = {}
    stored = Assessment.objects.filter(pk__in=by_pk).values_list(
        "scoring_version", "results__recommendations"
    )
    for version, items in stored:
        visible = [
            rec
            for rec in snapshot.read_recommendations(items, scoring_version=version)
            if health.action_visible(code=rec.code, category=rec.category)
        ]
        for rec in visible:
            titles.setdefault(rec.code, rec.title)
        # One count per employee, however many of their tasks raised the finding.
        findings.update({rec.code for rec in visible})

    open_actions = list(
        Action.objects.filter(assessment__employee__department__in=departments)
        .filter(figures.open_actions_q() & figures.managers_see_q())
        .annotate(overdue=figures.flag(overdue_q(today)))
        .select_related("owner", "assessment__employee")
        .only(
            "pk",
            "assessment",
            "assessment__employee",
            "assessment__employee__name",
            "code",
            "title",
            "category",
            "status",
            "due_on",
            "owner",
        )
        .order_by("due_on", "pk")
    )
    overdue = [a for a in open_actions if a.overdue]
    per_employee: dict[int, list[Action]] = defaultdict(list)
    for a in open_actions:
        per_employee[a.assessment.employee_id].append(a)
    actions_by_employee = sorted(
        (
            {
                "employee": items[0].assessment.employee,
                "open": len(items),
                "overdue": sum(1 for a in items if a.overdue),
                "first_due": items[0].due_on or dt.date.max,
                "owners": _by_owner(items),
            }
            for items in per_employee.values()
        ),
        key=lambda row: (-row["overdue"], row["first_due"], row["employee"].name),
    )
    employees_by_band = [(band, [a for a in current if a.band == band]) for band in BAND_ORDER]
    due = sorted(
        (a for a in current if a.reassess_listed),
        key=lambda a: (a.reassess_due, a.employee.name),
    )
    return {
        "variant": "department",
        "title": "Department report",
        "departments": chosen,
        "start": start,
        "end": end,
        "generated_on": today,
        "today": today,
        "staff": sum(d.staff for d in chosen),
        "headcount_assessed": len(current),
        "assessments_in_period": len(in_period),
        "band_counts": {b: band_counts.get(b, 0) for b in reversed(BAND_ORDER)},
        "band_chart": charts.band_distribution(dict(band_counts)),
        "quarter_chart": charts.stacked_quarters(quarter_rows) if quarter_rows else "",
        "quarters": quarter_rows,
        "top_findings": sorted(((titles[c], n) for c, n in findings.items()), key=_by_count)[:8],
        "open_actions": open_actions,
        "overdue_actions": overdue,
        "actions_by_employee": actions_by_employee,
        "reassessments_due": due,
        "employees_by_band": employees_by_band,
        "disclaimer": DISCLAIMER,
    }
