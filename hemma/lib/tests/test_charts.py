"""Charts as SVG: valid, named for screen readers, text kept as text, the same bytes each time."""

import re
import xml.etree.ElementTree as ET
from typing import Any

from hemma.lib import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode())  # noqa: S314 - our own output, not untrusted input


def a_line_chart(**overrides) -> str:
    arguments: dict[str, Any] = {
        "title": "Joint meetings <per year>",
        "description": "Meetings per year in A-stad and A-by.",
        "categories": ["2023", "2024", "2025"],
        "series": [
            charts.Series("A-stad", [1, 3, None]),
            charts.Series("A-by", [2, None, 5]),
        ],
        "band": charts.Band(2, 4, "Target: 2–4 per year"),
    }
    arguments.update(overrides)
    return charts.line_chart(**arguments)


def tick_x(svg: str, label: str) -> float:
    found = re.search(rf'x="([0-9.]+)"[^>]*>{re.escape(label)}</text>', svg)
    assert found, label
    return float(found[1])


def test_a_line_chart_is_valid_svg_named_by_its_own_title_and_description():
    svg = a_line_chart()

    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.find(f"{SVG}title").text == "Joint meetings <per year>"
    assert root.find(f"{SVG}title").get("id") == "chart-title"
    assert root.find(f"{SVG}desc").text == "Meetings per year in A-stad and A-by."


def test_the_target_band_is_drawn_and_named_in_the_legend():
    root = parse(a_line_chart())

    band = root.find(f".//{SVG}g[@id='band']")
    assert band is not None and band.find(f"{SVG}path") is not None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Target: 2–4 per year" in texts


def test_a_lower_limit_alone_is_a_line_and_no_band_means_none():
    with_limit = parse(a_line_chart(band=charts.Band(2, None, "At least 2")))
    without = parse(a_line_chart(band=None))

    assert with_limit.find(f".//{SVG}g[@id='band']") is not None
    assert "At least 2" in [t.text for t in with_limit.iter(f"{SVG}text")]
    assert without.find(f".//{SVG}g[@id='band']") is None


def test_text_stays_text_and_no_font_is_embedded():
    svg = a_line_chart()

    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    for label in ("2023", "2024", "2025", "A-stad", "A-by"):
        assert label in texts
    assert "@font-face" not in svg and "glyph" not in svg


def test_the_same_data_gives_the_same_bytes_without_a_date():
    assert a_line_chart() == a_line_chart()
    assert "dc:date" not in a_line_chart()


def test_right_to_left_runs_time_from_the_right():
    ltr, rtl = a_line_chart(), a_line_chart(rtl=True)

    assert tick_x(ltr, "2023") < tick_x(ltr, "2025")
    assert tick_x(rtl, "2023") > tick_x(rtl, "2025")


def test_milestone_marks_show_done_and_not_done_in_the_legend():
    svg = charts.marks_chart(
        title="Annual review",
        description="Done or not, per year.",
        categories=["2023", "2024"],
        rows=[charts.Marks("A-stad", [True, False]), charts.Marks("A-by", [None, True])],
        done_label="Done",
        not_done_label="Not done",
        chart_id="review",
    )

    root = parse(svg)
    assert root.get("aria-labelledby") == "review-title review-desc"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for label in ("Done", "Not done", "A-stad", "A-by", "2023", "2024"):
        assert label in texts


def value_ticks(svg: str) -> list[float]:
    """The value axis's labels (the categories below are not numbers)."""
    found = []
    for text in parse(svg).iter(f"{SVG}text"):
        try:
            found.append(float((text.text or "").replace("\u2212", "-")))
        except ValueError:
            continue
    return found


def test_the_value_axis_of_figures_not_below_zero_starts_at_zero():
    """Five meetings at the bottom of the chart would make a rise from 5 to 9 look steep."""
    counts = [charts.Series("A-stad", [5, 7, 9])]

    without_band = value_ticks(
        a_line_chart(categories=["Q1", "Q2", "Q3"], series=counts, band=None)
    )
    with_band = value_ticks(
        a_line_chart(categories=["Q1", "Q2", "Q3"], series=counts, band=charts.Band(6, 8, "6–8"))
    )

    assert min(without_band) == 0 and max(without_band) >= 9
    assert min(with_band) == 0


def test_a_figure_below_zero_keeps_the_value_axis_automatic():
    change = [charts.Series("Change", [-3, 2, 4])]

    ticks = value_ticks(a_line_chart(categories=["Q1", "Q2", "Q3"], series=change, band=None))

    assert min(ticks) < 0
