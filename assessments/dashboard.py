"""Dashboard figures, computed by grouped, indexed queries in the database.

Every figure is a handful of aggregate queries whatever the number of assessments:
Python only folds grouped rows (at most a few hundred), never one row per assessment.
Medians come from a histogram of whole-number buckets grouped in the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, FloatField, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Floor, TruncQuarter

from assessments.models import Action, Assessment

BANDS = ["low", "moderate", "high", "very_high"]
HIGH_BANDS = ["high", "very_high"]
OPEN = [Action.Status.OPEN, Action.Status.IN_PROGRESS]
FACTOR_NAMES = {
    "hm": "Reach (HM)",
    "vm": "Height (VM)",
    "dm": "Travel (DM)",
    "am": "Twisting (AM)",
    "fm": "Frequency (FM)",
    "cm": "Grip (CM)",
}
ROSA_ACTION_LEVEL = 5


def median_from_histogram(buckets: dict[int, int]) -> float | None:
    """Median of values known only as counts per floor() bucket: the bucket's midpoint.

    Exact to within half a point, which is all a 0-100 score trend needs.
    """
    total = sum(buckets.values())
    if not total:
        return None
    middle = (total + 1) / 2
    running = 0
    for value in sorted(buckets):
        running += buckets[value]
        if running >= middle:
            return value + 0.5
    return None  # pragma: no cover


@dataclass(frozen=True)
class Dashboard:
    band_counts: dict[str, int]
    current_total: int
    high_share: float | None
    by_department: list[dict[str, Any]]
    top_codes: list[dict[str, Any]]
    limiting_factors: list[tuple[str, str, int]]
    rosa_sections: list[tuple[str, str, int]]
    quarters: list[tuple[str, dict[str, int], float | None]]
    change: dict[str, Any]
    action_counts: dict[str, int]
    overdue_actions: list[Action]
    overdue_count: int
    median_days_to_close: float | None
    high_all_closed_share: float | None
    high_count: int
    reassess_due_soon: int
    reassess_overdue: int


def build(
    *, assessments: QuerySet[Assessment], actions: QuerySet[Action], today: dt.date
) -> Dashboard:
    """All dashboard figures for the (already scoped and filtered) querysets."""
    current = assessments.filter(is_latest=True, employee__active=True)

    band_counts = dict.fromkeys(BANDS, 0)
    for row in current.values("band").annotate(n=Count("pk")):
        band_counts[row["band"]] = row["n"]
    total = sum(band_counts.values())
    high = band_counts["high"] + band_counts["very_high"]

    departments: dict[int, dict[str, Any]] = {}
    for row in current.values(
        "employee__department_id",
        "employee__department__name",
        "employee__department__site__name",
        "band",
    ).annotate(n=Count("pk")):
        entry = departments.setdefault(
            row["employee__department_id"],
            {
                "id": row["employee__department_id"],
                "name": row["employee__department__name"],
                "site": row["employee__department__site__name"],
                **dict.fromkeys(BANDS, 0),
            },
        )
        entry[row["band"]] = row["n"]
    for entry in departments.values():
        entry["total"] = sum(entry[b] for b in BANDS)
        entry["high_share"] = (entry["high"] + entry["very_high"]) / entry["total"]

    current_actions = actions.filter(assessment__is_latest=True)
    top_codes = list(
        current_actions.values("code").annotate(n=Count("pk")).order_by("-n", "code")[:8]
    )
    titles = dict(
        Action.objects.filter(code__in=[r["code"] for r in top_codes])
        .values_list("code", "title")
        .distinct()
    )
    for row in top_codes:
        row["title"] = titles.get(row["code"], row["code"])

    limiting = [
        (
            row["limiting_factor"],
            FACTOR_NAMES.get(row["limiting_factor"], row["limiting_factor"]),
            row["n"],
        )
        for row in current.filter(lifting_index__gt=1)
        .exclude(limiting_factor="")
        .values("limiting_factor")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    rosa = current.aggregate(
        chair=Count("pk", filter=Q(rosa_chair__gte=ROSA_ACTION_LEVEL)),
        monitor_phone=Count("pk", filter=Q(rosa_monitor_phone__gte=ROSA_ACTION_LEVEL)),
        mouse_keyboard=Count("pk", filter=Q(rosa_mouse_keyboard__gte=ROSA_ACTION_LEVEL)),
    )
    rosa_sections = sorted(
        [
            ("chair", "Chair", rosa["chair"]),
            ("monitor_phone", "Monitor and telephone", rosa["monitor_phone"]),
            ("mouse_keyboard", "Mouse and keyboard", rosa["mouse_keyboard"]),
        ],
        key=lambda item: -item[2],
    )

    # Trend: band mix and median score per quarter of every completed, current revision.
    trend = assessments.filter(status=Assessment.Status.COMPLETED).exclude(
        superseded_by__status=Assessment.Status.COMPLETED
    )
    mix: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for row in (
        trend.annotate(q=TruncQuarter("assessed_on")).values("q", "band").annotate(n=Count("pk"))
    ):
        mix[_as_date(row["q"])][row["band"]] = row["n"]
    histograms: dict[dt.date, dict[int, int]] = defaultdict(dict)
    for row in (
        trend.annotate(
            q=TruncQuarter("assessed_on"),
            bucket=Cast(Floor("strain_score"), IntegerField()),
        )
        .values("q", "bucket")
        .annotate(n=Count("pk"))
    ):
        histograms[_as_date(row["q"])][row["bucket"]] = row["n"]
    quarters = [
        (f"{q.year} Q{(q.month - 1) // 3 + 1}", mix[q], _score_median(histograms[q]))
        for q in sorted(mix)
    ][-8:]

    change_rows = current.filter(previous__status=Assessment.Status.COMPLETED).annotate(
        delta=Cast(F("strain_score") - F("previous__strain_score"), FloatField())
    )
    change = change_rows.aggregate(
        reassessed=Count("pk"),
        improved=Count("pk", filter=Q(delta__lt=0)),
        worse=Count("pk", filter=Q(delta__gt=0)),
    )
    delta_hist: dict[int, int] = {}
    for row in (
        change_rows.annotate(bucket=Cast(Floor("delta"), IntegerField()))
        .values("bucket")
        .annotate(n=Count("pk"))
    ):
        delta_hist[row["bucket"]] = row["n"]
    change["median_change"] = median_from_histogram(delta_hist)

    action_counts = {status: 0 for status in Action.Status.values}
    for row in actions.values("status").annotate(n=Count("pk")):
        action_counts[row["status"]] = row["n"]
    overdue = actions.filter(status__in=OPEN, due_on__lt=today)
    closed_hist = {
        row["closed_in_days"]: row["n"]
        for row in actions.filter(status=Action.Status.DONE, closed_in_days__isnull=False)
        .values("closed_in_days")
        .annotate(n=Count("pk"))
    }
    open_exists = Action.objects.filter(assessment=OuterRef("pk"), status__in=OPEN)
    high_rows = current.filter(band__in=HIGH_BANDS)
    high_closed = high_rows.filter(~Exists(open_exists)).count() if high else 0

    due_window = today + dt.timedelta(days=30)
    reassess = current.aggregate(
        soon=Count("pk", filter=Q(reassess_due__gte=today, reassess_due__lte=due_window)),
        overdue=Count("pk", filter=Q(reassess_due__lt=today)),
    )
    return Dashboard(
        band_counts=band_counts,
        current_total=total,
        high_share=high / total if total else None,
        by_department=sorted(departments.values(), key=lambda d: (d["site"], d["name"])),
        top_codes=top_codes,
        limiting_factors=limiting,
        rosa_sections=rosa_sections,
        quarters=quarters,
        change=change,
        action_counts=action_counts,
        overdue_actions=list(
            overdue.select_related("owner", "assessment__employee").order_by("due_on")[:10]
        ),
        overdue_count=overdue.count(),
        median_days_to_close=_median_exact(closed_hist),
        high_all_closed_share=high_closed / high if high else None,
        high_count=high,
        reassess_due_soon=reassess["soon"],
        reassess_overdue=reassess["overdue"],
    )


def _score_median(buckets: dict[int, int]) -> float | None:
    median = median_from_histogram(buckets)
    return None if median is None else min(median, 100.0)


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _median_exact(counts: dict[int, int]) -> float | None:
    """Median of whole numbers given as value -> count."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts)

    def nth(k: int) -> int:
        running = 0
        for value in ordered:
            running += counts[value]
            if running >= k:
                return value
        return ordered[-1]  # pragma: no cover

    if total % 2:
        return float(nth(total // 2 + 1))
    return (nth(total // 2) + nth(total // 2 + 1)) / 2
