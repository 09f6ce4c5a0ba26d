"""What each report shows, built from the stored snapshot (never re-scored)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from PIL import Image

from assessments import charts, presenters, redaction
from assessments.models import Action, Assessment, Department, Photo
from assessments.services import snapshot_digest

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


def oh_context(assessment: Assessment) -> dict[str, Any]:
    results = assessment.results or {}
    return {
        **_common(assessment),
        "variant": "oh",
        "title": "Occupational health report",
        "summary": plain_summary(results, name=assessment.employee.name),
        "results": presenters.results_view(results),
        "inputs": assessment.inputs or {},
        "actions": list(assessment.actions.select_related("owner")),
        "photos": _photo_rows(assessment.photos.all()),
        "what_ifs": what_if_rows(results),
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
        .exclude(status__in=[Action.Status.DONE, Action.Status.DECLINED])
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
