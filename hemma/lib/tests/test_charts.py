"""Charts as SVG: valid, named for screen readers, text kept as text, the same bytes each time."""

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

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


PLACES = [
    "Jakobstad",
    "Nykarleby stad och dess omnejd",
    "Pedersöre kommun",
    "Larsmo kommun (Luodon kunta)",
    "Kronoby",
    "Gamlakarleby / Kokkola",
    "Vörå kommun och Oravais",
    "Närpes stad",
    "Regionen som helhet (Jakobstadsregionen)",
]
YEARS = [str(year) for year in range(2016, 2026)]


def many_places(**overrides) -> str:
    """Eight places and the region, long names, ten years, a long target."""
    series = [
        charts.Series(place, [(i * 7 + year * 3) % 31 for year in range(len(YEARS))])
        for i, place in enumerate(PLACES)
    ]
    band = charts.Band(10, 20, "Målvärde: 10–20 deltagare per år i varje kommun")
    return a_line_chart(
        categories=YEARS, series=series, band=band, value_label="deltagare", **overrides
    )


def places_marked(**overrides) -> str:
    rows = [
        charts.Marks(place, [(i + year) % 3 == 0 if (i + year) % 4 else None for year in range(10)])
        for i, place in enumerate(PLACES)
    ]
    arguments: dict[str, Any] = {
        "title": "Annual review",
        "description": "Done or not, per year.",
        "categories": YEARS,
        "rows": rows,
        "done_label": "Done",
        "not_done_label": "Not done",
    }
    arguments.update(overrides)
    return charts.marks_chart(**arguments)


def quarterly() -> str:
    quarters = [f"{year}Q{q}" for year in range(2016, 2026) for q in range(1, 5)]
    return a_line_chart(
        categories=quarters,
        series=[charts.Series("A-stad", [100 + 37 * i % 900 for i in range(40)])],
        band=charts.Band(None, 800, "At most 800"),
        value_label="visits",
    )


def text_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    """Each text's box (text, left, top, right, bottom) as the chart's own width estimate
    (DejaVu Sans's advances) and the font's ascent and descent make it."""
    boxes = []
    for text in parse(svg).iter(f"{SVG}text"):
        content = text.text or ""
        width = charts._text_width(content)
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        rtl = text.get("direction") == "rtl"
        anchor = text.get("text-anchor", "start")
        start = x - width if rtl else x
        left = {"start": start, "middle": x - width / 2, "end": x if rtl else x - width}[anchor]
        if text.get("transform"):  # turned to read upwards about (x, y)
            boxes.append((content, x - 9.3, y - width / 2, x + 2.4, y + width / 2))
        else:
            boxes.append((content, left, y - 9.3, left + width, y + 2.4))
    return boxes


def size(svg: str) -> tuple[float, float]:
    _x, _y, width, height = (float(v) for v in parse(svg).get("viewBox", "").split())
    return width, height


@pytest.mark.parametrize(
    "svg",
    [
        pytest.param(many_places(), id="many places"),
        pytest.param(many_places(rtl=True), id="many places, right to left"),
        pytest.param(places_marked(), id="marks"),
        pytest.param(places_marked(rtl=True), id="marks, right to left"),
        pytest.param(quarterly(), id="forty quarters"),
    ],
)
def test_no_label_overlaps_another_or_is_cut_off(svg):
    width, height = size(svg)
    boxes = text_boxes(svg)

    for text, left, top, right, bottom in boxes:
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, text
    for i, (one, *a) in enumerate(boxes):
        for other, *b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (one, other)


def test_long_names_share_the_legend_in_columns_and_wrap_rather_than_run_on():
    texts = [t.text for t in parse(many_places()).iter(f"{SVG}text")]

    assert "Jakobstad" in texts and "Närpes stad" in texts
    # Too long for a column of two: wrapped onto a second line, every word kept
    legend = " ".join(texts[texts.index("Jakobstad") - 2 :])
    assert "Regionen som helhet" in legend and "(Jakobstadsregionen)" in legend
    assert "Målvärde: 10–20 deltagare per år i varje kommun" not in texts


def test_crowded_categories_are_thinned_out_keeping_the_latest():
    texts = [t.text for t in parse(quarterly()).iter(f"{SVG}text")]

    quarters = [t for t in texts if t and "Q" in t]
    assert "2025Q4" in quarters
    assert 4 <= len(quarters) < 40


def test_counts_are_ticked_in_whole_numbers_and_fractions_more_finely():
    counts = a_line_chart(
        categories=["Q1", "Q2", "Q3"], series=[charts.Series("A", [4, 13, 9])], band=None
    )
    shares = a_line_chart(
        categories=["Q1", "Q2", "Q3"], series=[charts.Series("A", [0.1, 0.3, 0.2])], band=None
    )

    assert all(t.is_integer() for t in value_ticks(counts))
    assert value_ticks(counts)[-1] >= 13
    assert any(not t.is_integer() for t in value_ticks(shares))


def test_negative_figures_are_written_with_the_minus_sign():
    svg = a_line_chart(
        categories=["Q1", "Q2", "Q3"], series=[charts.Series("Change", [-3, 2, 4])], band=None
    )

    labels = [t.text or "" for t in parse(svg).iter(f"{SVG}text")]
    assert any(label.startswith("\u2212") for label in labels)
    assert not any(label.startswith("-") for label in labels)


def test_a_chart_is_drawn_in_few_elements_without_clip_paths():
    """WeasyPrint takes its time over every element; matplotlib wrote some 200 a chart."""
    one = parse(a_line_chart(categories=YEARS, series=[charts.Series("A-stad", list(range(10)))]))
    many = parse(many_places())

    assert len(list(one.iter())) <= 45
    assert len(list(many.iter())) <= 2 * len(PLACES) + 60
    for root in (one, many):
        for tag in ("clipPath", "use", "image", "style"):
            assert root.find(f".//{SVG}{tag}") is None, tag
    lines = [p for p in many.iter(f"{SVG}path") if p.get("stroke") in charts.COLOURS]
    assert len(lines) == len(PLACES)


def test_a_line_chart_keeps_its_size_and_a_marks_chart_grows_with_its_rows():
    two = charts.marks_chart(
        title="t",
        description="d",
        categories=YEARS,
        rows=[charts.Marks("A", [True]), charts.Marks("B", [False])],
        done_label="Done",
        not_done_label="Not done",
    )
    three = charts.marks_chart(
        title="t",
        description="d",
        categories=YEARS,
        rows=[charts.Marks(name, [None]) for name in "ABC"],
        done_label="Done",
        not_done_label="Not done",
    )

    assert size(a_line_chart()) == (540, 273.6)
    assert parse(a_line_chart()).get("width") == "540pt"
    assert size(three)[1] - size(two)[1] == pytest.approx(32.4)


def test_right_to_left_puts_the_value_axis_and_the_legend_on_the_right():
    ltr, rtl = text_boxes(a_line_chart()), text_boxes(a_line_chart(rtl=True))

    def right_of(boxes, text):
        return next(box[3] for box in boxes if box[0] == text)

    def left_of(boxes, text):
        return next(box[1] for box in boxes if box[0] == text)

    # The value axis's top label, "5", beside the first or the last year
    assert left_of(ltr, "5") < left_of(ltr, "2023")
    assert left_of(rtl, "5") > right_of(rtl, "2023")
    # The legend's first entry, the target, at the start of the line
    assert left_of(ltr, "Target: 2–4 per year") < left_of(ltr, "A-stad")
    assert right_of(rtl, "Target: 2–4 per year") > right_of(rtl, "A-stad")


def test_no_two_of_nine_series_look_the_same():
    """Eight places and the region: past the eighth colour the marker shifts."""
    styles = [charts._style(index) for index in range(9)]

    assert len(set(styles)) == 9
    assert {marker for _, marker, _ in styles} <= set(charts.MARKERS)


def test_marks_are_drawn_only_where_done_or_not_done_the_first_row_on_top():
    svg = charts.marks_chart(
        title="t",
        description="d",
        categories=["2023", "2024", "2025"],
        rows=[
            charts.Marks("A-stad", [True, False, None]),
            charts.Marks("A-by", [None, True, True]),
        ],
        done_label="Done",
        not_done_label="Not done",
    )

    paths = {p.get("fill"): p.get("d") for p in parse(svg).iter(f"{SVG}path")}
    crosses = next(
        p.get("d")
        for p in parse(svg).iter(f"{SVG}path")
        if p.get("stroke") == charts.NOT_DONE_COLOUR
    )
    # Each with the legend's own mark
    assert paths[charts.DONE_COLOUR].count("Z") == 3 + 1
    assert crosses.count("M") == 2 * (1 + 1)
    boxes = text_boxes(svg)
    assert next(b[2] for b in boxes if b[0] == "A-stad") < next(
        b[2] for b in boxes if b[0] == "A-by"
    )


def test_the_width_estimate_is_dejavu_sans_own():
    """Text laid out by its estimated width: it must not be narrower than the font writes it."""
    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    font.set_size(100, 72)
    for text in ("Nykarleby stad och dess omnejd", "Målvärde: 10–20 per år", "\u22124.25"):
        font.set_text(text, flags=LoadFlags.NO_HINTING)
        written = font.get_width_height()[0] / 64 / 10  # 1/64 pixel at 100 pt, as at 10 pt

        assert charts._text_width(text) == pytest.approx(written, rel=0.01)


def test_no_figure_at_all_still_gives_a_chart():
    svg = a_line_chart(categories=[], series=[], band=None)

    assert parse(svg).get("role") == "img"


def test_the_unit_wraps_at_the_plots_height_not_before():
    # "kotoutumissuunnitelmaa" is longer than the least plot (MIN_PLOT) but fits this one.
    unit = "kotoutumissuunnitelmaa"
    assert charts.MIN_PLOT < charts._text_width(unit) < 200

    svg = a_line_chart(value_label=unit)
    turned = [t.text for t in parse(svg).iter(f"{SVG}text") if t.get("transform")]

    assert turned == [unit]
    # A unit longer than the plot is high wraps at a space, and every line fits along it.
    long_unit = "integration plans of the municipalities made and followed up during the year"
    svg = a_line_chart(value_label=long_unit)
    turned = [t.text for t in parse(svg).iter(f"{SVG}text") if t.get("transform")]
    assert " ".join(turned) == long_unit and len(turned) > 1
    _width, height = size(svg)
    assert all(charts._text_width(line) <= height for line in turned)
