"""The server-rendered bar chart: every bar named, at a size text stays legible."""

import re

from django.template.loader import render_to_string

from coproduction.charts import BAR_CHART_WIDTH, LABEL_CHARACTERS, bar_chart


def render(chart) -> str:
    return render_to_string("includes/charts/bar.html", {"chart": chart, "chart_id": "c"})


def test_each_bar_is_named_in_the_chart_not_only_in_the_table():
    # given
    chart = bar_chart(
        title="Age",
        rows=[("16 to 24", 10.0, 14.1), ("75 and over", 36.6, 15.3)],
        value_heading="Participants (%)",
        reference_heading="Residents (%)",
        fmt="{:.1f}",
        unit="%",
    )
    # when
    svg = re.search(r"<svg.*?</svg>", render(chart), re.S).group(0)
    # then: the names sit above their bars, in order, beside the values
    labels = re.findall(r'<text class="app-chart__label"[^>]*>([^<]*)</text>', svg)
    values = re.findall(r'<text class="app-chart__value"[^>]*>([^<]*)</text>', svg)
    assert labels == ["16 to 24", "75 and over"]
    assert values == ["10.0%", "36.6%"]
    # the longest bar fills the plot, which leaves room for the value beside it
    assert chart.bars[1].width == chart.plot_width < BAR_CHART_WIDTH


def test_a_long_name_is_shortened_in_the_chart_and_whole_in_the_table():
    # given
    name = "Asian, Asian British or Asian Welsh: Bangladeshi, and more besides"
    chart = bar_chart(title="Ethnic group", rows=[(name, 3)])
    # when
    html = render(chart)
    # then
    short = chart.bars[0].short_label
    assert len(short) == LABEL_CHARACTERS
    assert short.endswith("…")
    assert f'<text class="app-chart__label" x="0" y="14">{short}</text>' in html
    assert f'<th scope="row" class="govuk-table__header">{name}</th>' in html
