"""Server-side SVG charts: pure functions from points to markup.

The strict CSP forbids style= attributes, so the look comes from SVG presentation attributes
(a sane default when CSS is missing) and CSS classes (static/css/progress.css). The viewBox is
phone-sized and scales up on a laptop; every chart has a <title> and <desc>, and the page puts
an HTML data table next to it for screen readers and exact numbers.
"""

import datetime as dt
import math

# ElementTree only builds and writes SVG here; it never parses input.
import xml.etree.ElementTree as ET  # nosec B405
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from athletes.rules.progress import Block, Point

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 26
# Room between the axes and the first and last points, so a marker never covers a tick label.
POINT_INSET = 8
FONT_SIZE = "11"
SERIES_COLOURS = ("#0d6efd", "#d63384", "#198754", "#fd7e14")
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]


def _short(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


# Steps a stopwatch reads in (seconds), for axes of times over a minute.
DURATION_STEPS = (5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600)


def _nice_step(span: float, durations: bool = False) -> float:
    raw = span / 4 or 1
    if durations and raw > 2.5:
        return next((step for step in DURATION_STEPS if step >= raw), DURATION_STEPS[-1])
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _y_ticks(low: float, high: float, from_zero: bool, durations: bool = False) -> list[float]:
    if from_zero:
        low = 0.0
    if high == low:
        high, low = high + 1, max(low - 1, 0) if low >= 0 else low - 1
    step = _nice_step(high - low, durations)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def _tick_label(value: float) -> str:
    return f"{value:g}" if abs(value) < 10_000 else f"{value / 1000:g}k"


def _duration_tick_label(seconds: float) -> str:
    """ "20:40" for 1240 s, so a 5K axis reads as race times; plain seconds under a minute."""
    if seconds < 60:
        return _tick_label(seconds)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    tail = f"{secs:02g}" if secs == int(secs) else f"{secs:04.1f}"
    return f"{hours}:{minutes:02d}:{tail}" if hours else f"{minutes}:{tail}"


class _Canvas:
    """Scales dates to x and values to y inside the plot area, and writes the frame."""

    def __init__(
        self,
        title,
        description,
        first,
        last,
        y_ticks,
        chart_id,
        *,
        inset=0,
        tick_label=_tick_label,
    ):
        self.first, self.last, self.inset = first, last, inset
        self.low, self.high = y_ticks[0], y_ticks[-1]
        self.svg = ET.Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "viewBox": f"0 0 {WIDTH} {HEIGHT}",
                "class": "chart",
                "role": "img",
                "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
                "font-size": FONT_SIZE,
            },
        )
        ET.SubElement(self.svg, "title", {"id": f"{chart_id}-title"}).text = title
        ET.SubElement(self.svg, "desc", {"id": f"{chart_id}-desc"}).text = description
        for tick in y_ticks:
            y = self.y(tick)
            ET.SubElement(
                self.svg,
                "line",
                {"class": "chart-grid", "x1": str(LEFT), "x2": str(WIDTH - RIGHT),
                 "y1": f"{y:.1f}", "y2": f"{y:.1f}", "stroke": "#dee2e6"},
            )  # fmt: skip
            ET.SubElement(
                self.svg,
                "text",
                {"class": "chart-label", "x": str(LEFT - 4), "y": f"{y + 4:.1f}",
                 "text-anchor": "end", "fill": "#6c757d"},
            ).text = tick_label(tick)  # fmt: skip
        for day, anchor in ((first, "start"), (last, "end")):
            ET.SubElement(
                self.svg,
                "text",
                {"class": "chart-label", "x": f"{self.x(day):.1f}", "y": str(HEIGHT - 8),
                 "text-anchor": anchor, "fill": "#6c757d"},
            ).text = _short(day)  # fmt: skip

    def x(self, day: dt.date) -> float:
        span = (self.last - self.first).days or 1
        width = WIDTH - LEFT - RIGHT - 2 * self.inset
        return LEFT + self.inset + width * (day - self.first).days / span

    def y(self, value) -> float:
        span = (self.high - self.low) or 1
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (float(value) - self.low) / span)

    def shade(self, bands: Sequence[Block]) -> None:
        for band in bands:
            start, end = max(band.start, self.first), min(band.end, self.last)
            if start > end:
                continue
            # A band running past the first or last date reaches the edge of the plot.
            x0 = LEFT if band.start < self.first else self.x(start)
            x1 = WIDTH - RIGHT if band.end > self.last else self.x(end)
            rect = ET.SubElement(
                self.svg,
                "rect",
                {"class": "chart-block", "x": f"{x0:.1f}", "y": str(TOP),
                 "width": f"{max(x1 - x0, 2):.1f}", "height": str(HEIGHT - TOP - BOTTOM),
                 "fill": "#cfe2ff", "fill-opacity": "0.6"},
            )  # fmt: skip
            ET.SubElement(rect, "title").text = band.label
            ET.SubElement(
                self.svg,
                "text",
                {"class": "chart-block-label", "x": f"{x0 + 3:.1f}", "y": str(TOP + 11),
                 "fill": "#084298"},
            ).text = band.label  # fmt: skip

    def markup(self) -> SafeString:
        return mark_safe(  # nosec B308 B703
            ET.tostring(self.svg, encoding="unicode")
        )  # ElementTree escaped every text


def _date_range(days: Sequence[dt.date], bands: Sequence[Block]) -> tuple[dt.date, dt.date]:
    first, last = min(days), max(days)
    if first == last:  # one test: give it a fortnight of room either side
        first, last = first - dt.timedelta(days=14), last + dt.timedelta(days=14)
    return first, last


def _marker(parent, shape: str, x: float, y: float, css: str, colour: str):
    size = 4.5
    if shape == "circle":
        attrs = {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": str(size)}
        return ET.SubElement(parent, "circle", {"class": css, "fill": colour, **attrs})
    corners = {
        "square": [(-1, -1), (1, -1), (1, 1), (-1, 1)],
        "diamond": [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)],
        "triangle": [(0, -1.3), (1.2, 1), (-1.2, 1)],
    }[shape]
    points = " ".join(f"{x + dx * size:.1f},{y + dy * size:.1f}" for dx, dy in corners)
    return ET.SubElement(parent, "polygon", {"class": css, "fill": colour, "points": points})


def line_chart(
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    bands: Sequence[Block] = (),
    format_value: Callable[[Decimal], str] = str,
    durations: bool = False,
) -> SafeString:
    """One line per series over time, each point a marker with its value as a tooltip.

    With `durations` the values are seconds, and the axis is marked in m:ss at stopwatch steps.
    """
    points = [p for s in series for p in s.points]
    if not points:
        return SafeString("")
    first, last = _date_range([p.date for p in points], bands)
    values = [float(p.value) for p in points]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or abs(high) * 0.05 or 1
    ticks = _y_ticks(low - pad, high + pad, from_zero=False, durations=durations)
    description = f"{len(points)} values from {_short(min(p.date for p in points))} to " + (
        f"{_short(max(p.date for p in points))}."
        + (" The strength block is shaded." if bands else "")
    )
    canvas = _Canvas(
        title,
        description,
        first,
        last,
        ticks,
        chart_id,
        inset=POINT_INSET,
        tick_label=_duration_tick_label if durations else _tick_label,
    )
    canvas.shade(bands)
    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        css = f"chart-series-{index % len(SERIES_COLOURS)}"
        ordered = sorted(one.points, key=lambda p: p.date)
        if len(ordered) > 1:
            ET.SubElement(
                canvas.svg,
                "polyline",
                {
                    "class": f"chart-line {css}",
                    "fill": "none",
                    "stroke": colour,
                    "stroke-width": "2",
                    "points": " ".join(
                        f"{canvas.x(p.date):.1f},{canvas.y(p.value):.1f}" for p in ordered
                    ),
                },
            )
        for p in ordered:
            marker = _marker(
                canvas.svg,
                MARKERS[index % len(MARKERS)],
                canvas.x(p.date),
                canvas.y(p.value),
                f"chart-point {css}",
                colour,
            )
            name = f"{one.name}: " if len(series) > 1 else ""
            tooltip = f"{name}{_short(p.date)}: {format_value(p.value)}"
            ET.SubElement(marker, "title").text = tooltip
    return canvas.markup()


def bar_chart(
    points: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    bands: Sequence[Block] = (),
    format_value: Callable[[Decimal], str] = str,
) -> SafeString:
    """One bar per week (points dated on Mondays), from zero."""
    return stacked_bar_chart(
        [Stack(p.date, (p.value,)) for p in points],
        chart_id=chart_id,
        title=title,
        bands=bands,
        format_value=format_value,
    )


@dataclass(frozen=True)
class Stack:
    week: dt.date  # Monday
    values: Sequence[Decimal]  # one per series, bottom first


@dataclass(frozen=True)
class Mark:
    """A day marked with a line across the plot (a race), named in its tooltip."""

    date: dt.date
    label: str


def _mark(canvas: "_Canvas", mark: Mark) -> None:
    x = f"{canvas.x(mark.date):.1f}"
    line = ET.SubElement(
        canvas.svg,
        "line",
        {"class": "chart-mark", "x1": x, "x2": x, "y1": str(TOP),
         "y2": str(HEIGHT - BOTTOM), "stroke": "#dc3545", "stroke-width": "2",
         "stroke-dasharray": "4 2"},
    )  # fmt: skip
    ET.SubElement(line, "title").text = f"{mark.label}, {_short(mark.date)}"


def stacked_bar_chart(
    stacks: Sequence[Stack],
    *,
    chart_id: str,
    title: str,
    series_names: Sequence[str] = (),
    bands: Sequence[Block] = (),
    marks: Sequence[Mark] = (),
    format_value: Callable[[Decimal], str] = str,
) -> SafeString:
    """One bar per week, its series stacked from zero in SERIES_COLOURS, with days marked."""
    if not stacks:
        return SafeString("")
    days = [s.week for s in stacks]
    first, last = min(days), max(days) + dt.timedelta(days=7)
    ticks = _y_ticks(0, max(float(sum(s.values)) for s in stacks), from_zero=True)
    weeks = f"{len(stacks)} week" + ("" if len(stacks) == 1 else "s")
    description = f"{weeks} from {_short(min(days))} to {_short(max(days))}." + (
        " The strength block is shaded." if bands else ""
    )
    if marks:
        description += " Races are marked with dashed lines."
    canvas = _Canvas(title, description, first, last, ticks, chart_id)
    canvas.shade(bands)
    week_width = canvas.x(first + dt.timedelta(days=7)) - canvas.x(first)
    for stack in stacks:
        x, base = canvas.x(stack.week) + week_width * 0.15, Decimal(0)
        for index, value in enumerate(stack.values):
            if not value and len(stack.values) > 1:
                continue
            bottom, top = canvas.y(base), canvas.y(base + value)
            base += value
            bar = ET.SubElement(
                canvas.svg,
                "rect",
                {"class": "chart-bar" if len(stack.values) == 1
                 else f"chart-bar chart-series-{index % len(SERIES_COLOURS)}",
                 "x": f"{x:.1f}", "y": f"{top:.1f}", "width": f"{week_width * 0.7:.1f}",
                 "height": f"{bottom - top:.1f}",
                 "fill": SERIES_COLOURS[index % len(SERIES_COLOURS)]},
            )  # fmt: skip
            name = f"{series_names[index]} " if series_names else ""
            tooltip = f"Week of {_short(stack.week)}: {name}{format_value(value)}"
            ET.SubElement(bar, "title").text = tooltip
    for mark in marks:
        if first <= mark.date <= last:
            _mark(canvas, mark)
    return canvas.markup()
