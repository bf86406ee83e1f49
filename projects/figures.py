"""Figures the pages and exports show: leverage, and each indicator's progress and chart."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from coproduction.charts import LineChart, line_chart

from .models import Indicator

PENCE = Decimal("0.01")


def leverage_ratio(*, devolved: Decimal, levered: Decimal) -> Decimal | None:
    """Money levered (partner contributions and external match funding) for each £1 from
    the council's devolved budgets (Durham's AAPs: £1.72 per £1).

    None when no devolved money is committed: leverage is then not defined, not infinite.
    """
    if not devolved:
        return None
    return (Decimal(levered) / Decimal(devolved)).quantize(PENCE, rounding=ROUND_HALF_UP)


def leverage_display(ratio: Decimal | None) -> str:
    return "\u2013" if ratio is None else f"£{ratio:,.2f} per £1"


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    latest_value: Decimal | None
    latest_on: object
    change: Decimal | None
    # Change as a share of the baseline, in per cent (None with a zero baseline).
    change_percent: Decimal | None
    improved: bool | None
    target_met: bool | None
    chart: LineChart
    summary: str


def _fmt(indicator: Indicator, value) -> str:
    return indicator.format_value(value)


def indicator_progress(indicator: Indicator) -> IndicatorProgress:
    """Where an indicator stands against its baseline and target, from its prefetched
    measurements, with a line chart (baseline and target as guides) and its table."""
    measurements = list(indicator.measurements.all())
    latest = measurements[-1] if measurements else None
    change = change_percent = improved = target_met = None
    if latest is not None:
        change = latest.value - indicator.baseline_value
        if indicator.baseline_value:
            change_percent = (change / indicator.baseline_value * 100).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        down = indicator.direction == Indicator.Direction.DOWN
        improved = change < 0 if down else change > 0
        if indicator.target_value is not None:
            target_met = (
                latest.value <= indicator.target_value
                if down
                else latest.value >= indicator.target_value
            )
    points = [(f"{indicator.baseline_on:%d %b %Y} (baseline)", indicator.baseline_value)]
    points += [(f"{m.measured_on:%d %b %Y}", m.value) for m in measurements]
    guides = [("Baseline", indicator.baseline_value)]
    if indicator.target_value is not None:
        guides.append(("Target", indicator.target_value))
    if latest is None:
        summary = f"Baseline {_fmt(indicator, indicator.baseline_value)}; not yet measured."
    else:
        direction = "down" if change < 0 else "up" if change > 0 else "no change"
        by = f" {abs(change_percent)}%" if change_percent is not None and change else ""
        summary = (
            f"From {_fmt(indicator, indicator.baseline_value)} at the baseline to "
            f"{_fmt(indicator, latest.value)} on {latest.measured_on:%d %B %Y}: "
            f"{direction}{by}."
        )
        if target_met is not None:
            summary += (
                f" Target {_fmt(indicator, indicator.target_value)}: "
                f"{'met' if target_met else 'not yet met'}."
            )
    fmt = "{:,.0f}%" if indicator.unit == Indicator.Unit.PERCENT else "{:,.0f}"
    if indicator.unit == Indicator.Unit.POUNDS:
        fmt = "£{:,.0f}"
    chart = line_chart(
        title=indicator.name,
        points=[(label, float(value)) for label, value in points],
        value_heading=indicator.measure or indicator.get_unit_display(),
        label_heading="Date",
        fmt=fmt,
        guides=[(name, float(value)) for name, value in guides],
        summary=summary,
    )
    return IndicatorProgress(
        indicator=indicator,
        latest_value=latest.value if latest else None,
        latest_on=latest.measured_on if latest else None,
        change=change,
        change_percent=change_percent,
        improved=improved,
        target_met=target_met,
        chart=chart,
        summary=summary,
    )
