"""The dashboard's three count tables (by department, by site, by quarter) as rows of
ready cells: each count with the link to the list behind it.

The tables hold a count and a link per band for every department, site and quarter; built
here once, each cell writes itself, instead of the template resolving and formatting half a
dozen variables per cell (docs/performance.md, "Dashboard and lists").
Each cell is written with `format_html`, so its link is escaped like any other value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessments.insights.figures import Quarter


@dataclass(frozen=True, slots=True)
class Cell:
    """A count that links to the list behind it; it writes itself as the dashboard's
    figure link."""

    count: str
    href: str

    def __str__(self) -> SafeString:
        return format_html(
            '<a class="figure" data-count="{0}" href="{1}">{0}</a>', self.count, self.href
        )

    __html__ = __str__


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """A department or a site: its counts by band, and its high-or-very-high share."""

    id: int
    name: str
    site: str
    cells: list[Cell]
    high: Cell
    total: Cell
    high_total: int
    total_count: int


@dataclass(frozen=True, slots=True)
class QuarterRow:
    label: str
    cells: list[Cell]
    total: Cell
    median: float | None


def _cell(count: int, href: str) -> Cell:
    return Cell(str(count), href)


def place_rows(
    places: Iterable[Mapping[str, Any]],
    bands: list[str],
    *,
    list_url: str,
    key: str,
    high_query: str,
    also: str = "",
) -> list[PlaceRow]:
    """`key` is the list's filter for the place (``department`` or ``site``); `also` is
    appended to every link (the department chosen while the site table is shown)."""
    rows = []
    for place in places:
        base = f"{list_url}?latest=true"
        where = f"&{key}={place['id']}{also}"
        rows.append(
            PlaceRow(
                id=place["id"],
                name=place["name"],
                site=place.get("site", ""),
                cells=[_cell(place[band], f"{base}&band={band}{where}") for band in bands],
                high=_cell(place["high_total"], f"{base}&{high_query}{where}"),
                total=_cell(place["total"], f"{base}{where}"),
                high_total=place["high_total"],
                total_count=place["total"],
            )
        )
    return rows


def quarter_rows(
    quarters: Iterable[Quarter], bands: list[str], *, list_url: str, scope: str
) -> list[QuarterRow]:
    """`scope` is the encoded site and department chosen (empty for all)."""
    tail = f"&{scope}" if scope else ""
    rows = []
    for q in quarters:
        base = (
            f"{list_url}?status=completed&revision=current"
            f"&assessed_after={q.start.isoformat()}&assessed_before={q.end.isoformat()}"
        )
        rows.append(
            QuarterRow(
                label=q.label,
                cells=[_cell(q.bands[band], f"{base}&band={band}{tail}") for band in bands],
                total=_cell(q.total, f"{base}{tail}"),
                median=q.median,
            )
        )
    return rows
