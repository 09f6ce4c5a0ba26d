"""Server-side SVG charts, shared by the web pages and the PDF reports.

Plain SVG strings (no JavaScript), sized by viewBox so they scale on a tablet and print
crisply. Every chart carries a <title> and text labels so it reads without colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import NamedTuple, Protocol

from django.utils.safestring import SafeString, mark_safe

BAND_COLOURS = {
    "low": "#1e7b34",
    "moderate": "#8a6d00",
    "high": "#c2410c",
    "very_high": "#a4161a",
}
#: Completed with nothing assessed (scoring 1.1): shown only where there are some.
NOT_ASSESSABLE = "not_assessable"
NOT_ASSESSABLE_COLOUR = "#6c757d"
BAND_LABELS = {
    "not_assessable": "Not assessable",
    "low": "Low",
    "moderate": "Moderate",
    "high": "High",
    "very_high": "Very high",
}
INK = "#212529"
GRID = "#ced4da"
BAR = "#0d6efd"


def _svg(width: int, height: int, title: str, body: str) -> SafeString:
    # A picture with links in it is a group of links to assistive technology, not an image
    # (role="img" would hide the links).
    role = "group" if "<a " in body else "img"
    # Every value placed in the SVG is a number or passed through escape().
    return mark_safe(  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{role}" aria-label="{escape(title)}" '
        f'font-family="Report Sans, DejaVu Sans, sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 11,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}" font-weight="{weight}">{escape(text)}</text>'
    )


class BarRow(NamedTuple):
    """One bar: a value out of a maximum, and how many decimals they are written with
    (hours to one decimal, so 6.4 h is not shown as 6; counts and minutes whole)."""

    label: str
    value: float
    maximum: float
    colour: str
    decimals: int = 1

    def shown(self) -> str:
        """The value and its maximum as the bar's text says them, e.g. 6.4 / 8.0."""
        return f"{self.value:.{self.decimals}f} / {self.maximum:.{self.decimals}f}"


def horizontal_bars(
    rows: Sequence[BarRow],
    *,
    title: str,
    width: int = 520,
    links: Sequence[str | None] | None = None,
) -> SafeString:
    """Bars of value out of a maximum, one per row.

    `links`, one per row, makes each row's label and value a link (web pages only).
    """
    # Wide enough for the longest label (DejaVu Sans at 11 px: about 6.6 px a character).
    longest = max((len(label) for label, *_ in rows), default=0)
    label_w = max(150, min(width // 2, int(longest * 6.6) + 12))
    right_pad, row_h = 70, 24
    height = row_h * len(rows) + 10
    track = width - label_w - right_pad
    parts = []
    for i, row in enumerate(rows):
        label, value, maximum, colour = row.label, row.value, row.maximum, row.colour
        y = 5 + i * row_h
        fraction = 0.0 if maximum <= 0 else max(0.0, min(1.0, value / maximum))
        parts.append(_text(label_w - 6, y + 15, label, anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{track}" height="14" fill="#f1f3f5" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{track * fraction:.1f}" height="14" '
            f'fill="{colour}"/>'
        )
        parts.append(_text(label_w + track + 6, y + 15, row.shown()))
        href = links[i] if links and i < len(links) else None
        if href:
            parts.insert(-4, f'<a href="{escape(href)}">')
            parts.append("</a>")
    return _svg(width, height, title, "".join(parts))


LEVEL_COLOURS = ["#adb5bd", "#74c0fc", "#f59f00", "#e8590c", "#c92a2a"]


class StrainComponent(Protocol):
    """A component of the strain score, as the snapshot reader gives it."""

    @property
    def component(self) -> str: ...
    @property
    def weight(self) -> int: ...
    @property
    def level(self) -> int: ...
    @property
    def points(self) -> float: ...


class Sitting(Protocol):
    """The sitting results of an assessment, as the snapshot reader gives them (OH's view:
    the activity figures are present)."""

    @property
    def hours_worked_per_day(self) -> float: ...
    @property
    def sitting_hours(self) -> float: ...
    @property
    def standing_light_hours(self) -> float: ...
    @property
    def goal_initial_hours(self) -> float: ...
    @property
    def goal_progressed_hours(self) -> float: ...
    @property
    def moderate_equivalent_minutes(self) -> float | None: ...


def strain_component_rows(components: Sequence[StrainComponent]) -> list[BarRow]:
    """Points of each strain component out of its weight, coloured by its level."""
    rows = []
    for component in components:
        name = component.component.replace("_", " ").capitalize()
        level = component.level
        rows.append(
            BarRow(
                f"{name} (L{level})",
                float(component.points),
                float(component.weight),
                LEVEL_COLOURS[max(0, min(level, 4))],
            )
        )
    return rows


def strain_components(components: Sequence[StrainComponent]) -> SafeString:
    """Points earned by each strain component out of its weight."""
    return horizontal_bars(
        strain_component_rows(components), title="Strain score: points by component"
    )


def sitting_rows(sitting: Sitting) -> list[BarRow]:
    """Sitting and standing hours (one decimal) and activity minutes (whole) against the
    guidelines. Without the activity figure (withheld from managers) there are no rows."""
    if sitting.moderate_equivalent_minutes is None:
        return []
    goal_initial = float(sitting.goal_initial_hours)
    goal_progressed = float(sitting.goal_progressed_hours)
    standing_light = float(sitting.standing_light_hours)
    moderate_equivalent = float(sitting.moderate_equivalent_minutes)
    return [
        BarRow(
            "Sitting at work (h)",
            float(sitting.sitting_hours),
            float(sitting.hours_worked_per_day),
            "#868e96",
        ),
        BarRow(
            f"Standing/light (h), goal {goal_initial:g}–{goal_progressed:g}",
            standing_light,
            max(goal_progressed, standing_light, 0.1),
            "#1e7b34",
        ),
        BarRow(
            "Activity (mod-eq min/wk), goal 150",
            moderate_equivalent,
            max(300.0, moderate_equivalent),
            BAR,
            decimals=0,
        ),
    ]


def sitting_against_goals(sitting: Sitting) -> SafeString:
    """Sitting, standing and activity against the guidelines ("" without the activity)."""
    rows = sitting_rows(sitting)
    if not rows:
        return SafeString("")
    return horizontal_bars(rows, title="Sitting and activity against the guidelines")


def score_trend(
    points: Sequence[tuple[dt.date, float, str]], *, width: int = 520, height: int = 180
) -> SafeString:
    """Strain score over time, with the band thresholds as reference lines."""
    left, right, top, bottom = 36, 12, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = []
    for threshold in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - threshold / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-dasharray="{"" if threshold in (0, 100) else "3,3"}"/>'
        )
        parts.append(_text(left - 4, y + 4, str(threshold), anchor="end", size=10))
    n = len(points)
    coords = []
    for i, (day, score, band) in enumerate(points):
        x = left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))
        y = top + plot_h * (1 - score / 100)
        coords.append((x, y, day, score, band))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, *_ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for x, y, _day, score, band in coords:
        colour = BAND_COLOURS.get(band, INK)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        parts.append(_text(x, y - 7, f"{score:.0f}", anchor="middle", size=10))
    if coords:
        parts.append(
            _text(coords[0][0], height - 8, f"{coords[0][2]:%b %Y}", anchor="start", size=10)
        )
        if len(coords) > 1:
            parts.append(
                _text(coords[-1][0], height - 8, f"{coords[-1][2]:%b %Y}", anchor="end", size=10)
            )
    return _svg(width, height, "Strain score over time", "".join(parts))


def band_distribution(
    counts: dict[str, int], *, width: int = 520, links: dict[str, str] | None = None
) -> SafeString:
    """How many employees are in each band now (each bar linking to `links[band]`)."""
    total = sum(counts.values())
    colours = {
        **({NOT_ASSESSABLE: NOT_ASSESSABLE_COLOUR} if counts.get(NOT_ASSESSABLE) else {}),
        **BAND_COLOURS,
    }
    rows = [
        BarRow(
            BAND_LABELS[band], float(counts.get(band, 0)), float(max(total, 1)), colour, decimals=0
        )
        for band, colour in colours.items()
    ]
    return horizontal_bars(
        rows,
        title="Employees by current band",
        width=width,
        links=[(links or {}).get(band) for band in colours],
    )


#: What the number above each column of the quarterly chart is.
MEDIAN_CAPTION = "Above each column: the median strain score of its assessments"
#: Columns at least this wide (px) have room for "median 100" above them.
MEDIAN_LABEL_MIN_SLOT = 56


def stacked_quarters(
    quarters: Sequence[tuple[str, dict[str, int], float | None]],
    *,
    width: int = 520,
    height: int = 200,
) -> SafeString:
    """Band mix by quarter as stacked columns, each labelled with its median strain score
    ("median 42"; the number alone where columns are too narrow for the word, with a
    caption saying what it is), so the label is not read as a count of assessments."""
    left, right, top, bottom = 30, 10, 30, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(quarters), 1)
    slot = plot_w / n
    bar_w = min(40.0, slot * 0.7)
    peak = max((sum(mix.values()) for _, mix, _ in quarters), default=1) or 1
    worded = slot >= MEDIAN_LABEL_MIN_SLOT
    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
        f'y2="{top + plot_h}" stroke="{GRID}"/>'
    ]
    if any(median is not None for *_, median in quarters):
        parts.append(_text(left, 10, MEDIAN_CAPTION, size=9))
    for i, (label, mix, median) in enumerate(quarters):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for band, colour in BAND_COLOURS.items():
            count = mix.get(band, 0)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(label)} {BAND_LABELS[band]}: '
                f"{count}</title></rect>"
            )
        if median is not None:
            text = f"median {median:.0f}" if worded else f"{median:.0f}"
            parts.append(_text(x + bar_w / 2, y - 4, text, anchor="middle", size=9))
        parts.append(_text(x + bar_w / 2, height - 18, label, anchor="middle", size=9))
    legend_x = left
    for band, colour in BAND_COLOURS.items():
        parts.append(
            f'<rect x="{legend_x}" y="{height - 10}" width="8" height="8" fill="{colour}"/>'
        )
        parts.append(_text(legend_x + 11, height - 2, BAND_LABELS[band], size=9))
        legend_x += 80
    return _svg(width, height, "Band mix and median score by quarter", "".join(parts))
