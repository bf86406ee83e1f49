"""Server-rendered SVG charts, each drawn beside the table that holds its figures.

No JavaScript and no inline styles (the content security policy forbids both): the
geometry is computed here and the colours come from the stylesheet's `app-chart` classes.
A chart is never the only way to read the figures: the include renders the table too.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

# A bar chart is drawn about as wide as a phone's screen (and no wider, see .app-chart__svg),
# so that its 15-unit text shows at 12 to 15 pixels rather than shrinking with the drawing.
# Each bar has its group's name above it: on a phone the table is above the chart, not
# beside it, and unnamed bars could not be told apart.
BAR_CHART_WIDTH = 360
BAR_LABEL_SPACE = 20
BAR_HEIGHT = 18
BAR_GAP = 12
BAR_PITCH = BAR_LABEL_SPACE + BAR_HEIGHT + BAR_GAP
VALUE_SPACE = 90
# About as many characters as fit across the chart at its text size; the table beside it
# has the whole name.
LABEL_CHARACTERS = 40
CHART_WIDTH = 600


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    # A reference to compare with (e.g. the census share), drawn as a marker.
    reference: float | None = None
    reference_display: str = ""
    y: float = 0
    width: float = 0
    reference_x: float | None = None
    css: str = ""

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARACTERS:
            return self.label
        return self.label[: LABEL_CHARACTERS - 1].rstrip() + "…"


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    unit: str = ""
    value_heading: str = "Value"
    reference_heading: str = ""
    height: int = 0
    width: int = BAR_CHART_WIDTH
    plot_width: int = BAR_CHART_WIDTH - VALUE_SPACE
    summary: str = ""
    label_heading: str = ""
    # Within each bar's row: its name above, then the bar.
    bar_top: int = BAR_LABEL_SPACE
    bar_height: int = BAR_HEIGHT


def bar_chart(
    *,
    title: str,
    rows: Sequence[tuple],
    value_heading: str = "Value",
    reference_heading: str = "",
    label_heading: str = "",
    unit: str = "",
    fmt: str = "{:,.0f}",
    maximum: float | None = None,
    summary: str = "",
    css_for=None,
) -> BarChart:
    """rows: (label, value) or (label, value, reference); values in the same unit."""
    values = [float(row[1] or 0) for row in rows]
    references = [float(row[2]) for row in rows if len(row) > 2 and row[2] is not None]
    top = maximum or max(values + references + [0]) or 1
    plot_width = BAR_CHART_WIDTH - VALUE_SPACE
    bars = []
    for index, row in enumerate(rows):
        label, value = row[0], float(row[1] or 0)
        reference = float(row[2]) if len(row) > 2 and row[2] is not None else None
        bars.append(
            Bar(
                label=str(label),
                value=value,
                display=fmt.format(value) + unit,
                reference=reference,
                reference_display=(fmt.format(reference) + unit) if reference is not None else "",
                y=index * BAR_PITCH,
                width=max(0.0, plot_width * value / top),
                reference_x=plot_width * reference / top if reference is not None else None,
                css=css_for(row) if css_for else "",
            )
        )
    height = max(1, len(bars)) * BAR_PITCH
    return BarChart(
        title=title,
        bars=tuple(bars),
        unit=unit,
        value_heading=value_heading,
        reference_heading=reference_heading,
        label_heading=label_heading,
        height=height,
        plot_width=plot_width,
        summary=summary,
    )


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    display: str
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    title: str
    points: tuple[Point, ...]
    path: str
    width: int
    height: int
    value_heading: str
    label_heading: str
    # Horizontal guide lines, e.g. the baseline and the target.
    guides: tuple[dict, ...] = field(default_factory=tuple)
    summary: str = ""


def line_chart(
    *,
    title: str,
    points: Sequence[tuple[str, float]],
    value_heading: str = "Value",
    label_heading: str = "Date",
    fmt: str = "{:,.0f}",
    guides: Sequence[tuple[str, float]] = (),
    summary: str = "",
    width: int = CHART_WIDTH,
    height: int = 240,
) -> LineChart:
    """points: (label, value) in order; guides: (name, value) horizontal lines."""
    pad_x, pad_y = 40, 20
    values = [float(v) for _, v in points] + [float(v) for _, v in guides]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high == low:
        high = low + 1
    low = min(low, 0.0)
    span_x = max(1, len(points) - 1)

    def y_of(value: float) -> float:
        return pad_y + (height - 2 * pad_y) * (1 - (value - low) / (high - low))

    plotted = tuple(
        Point(
            label=str(label),
            value=float(value),
            display=fmt.format(float(value)),
            x=pad_x + (width - 2 * pad_x) * index / span_x,
            y=y_of(float(value)),
        )
        for index, (label, value) in enumerate(points)
    )
    path = " ".join(
        f"{'M' if index == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for index, p in enumerate(plotted)
    )
    return LineChart(
        title=title,
        points=plotted,
        path=path,
        width=width,
        height=height,
        value_heading=value_heading,
        label_heading=label_heading,
        guides=tuple(
            {"name": name, "y": y_of(float(value)), "display": fmt.format(float(value))}
            for name, value in guides
        ),
        summary=summary,
    )
