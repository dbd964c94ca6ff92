"""Charts as SVG for the web and the PDF report, and as PNG for the Word document.

Two ways of drawing, chosen by speed:

- `line_chart` and `marks_chart` write their SVG directly: a few lean elements (one path per
  line, one for its markers, no clip paths, no groups but the target band's). The yearly report
  draws about fifty of them. Drawn by matplotlib they took 45–60 ms each (figure set-up,
  tight layout, saving with a tight bounding box), and WeasyPrint spent 1.5 s on their 200-odd
  elements each; written directly they take 0.15 ms each and WeasyPrint 0.25 s, and the PDF
  went from 7.9 s to 4 s (the bench region's report, 51 charts: `hemma bench`).
- `bar_chart` (the survey's results, on the web) and the PNGs (`line_chart_png`,
  `marks_chart_png`, for the Word document, which takes no SVG alone) are drawn by matplotlib
  with the same colours, markers, dashes and target band.

Framework-free: callers pass texts already translated. The output is deterministic (the same
data gives the same bytes, with no date in it), keeps text as text (searchable, selectable,
written in the reader's fonts: DejaVu Sans or another sans-serif, no font file embedded or
fetched) and names itself for assistive technology: `role="img"` and `aria-labelledby`
pointing at its own `<title>` and `<desc>`.

The layout estimates a text's width from DejaVu Sans's advance widths: legend entries take up to
three columns as their width allows, and a label too long for its line wraps, so no label
overlaps another or is cut off. Category labels that would crowd each other are thinned out
(the latest always kept).

Right to left: with `rtl=True` time runs from right to left, the value axis stands on the
right and the legend is aligned right, as a reader of Arabic or Persian expects; the texts
themselves are written by the browser, which shapes and orders them.

Every chart is meant to stand beside a data table with the same figures (WCAG 1.1.1): the
chart is for seeing a trend, the table for reading and copying the numbers.
"""

import functools
import io
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

# Colours that keep 3:1 contrast against white (WCAG 1.4.11) and differ in lightness too;
# each line also has its own marker and dash, so that no line is told apart by colour alone.
# Green is left to the target band.
COLOURS = ("#0b5394", "#a1262b", "#8a4b00", "#5b2a86", "#00677a", "#4a5562", "#9c1f6e", "#1b1f24")
DONE_COLOUR, NOT_DONE_COLOUR = "#1e6b2f", "#a1262b"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES = ("-", "--", "-.", ":")
BAND_COLOUR = "#1e6b2f"

# Any: matplotlib types its keys as literals.
_RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "hemma",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# matplotlib's rcParams are global: one chart at a time sets them.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Series:
    """A line: one figure per category (None where there is none)."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Band:
    """The target: a shaded band between `low` and `high`, or a line at the one limit given."""

    low: float | None
    high: float | None
    label: str


@dataclass(frozen=True)
class Marks:
    """A row of done / not done marks (a milestone's or an ongoing activity's history)."""

    label: str
    done: Sequence[bool | None]


def line_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    band: Band | None = None,
    value_label: str = "",
    rtl: bool = False,
    chart_id: str = "chart",
) -> str:
    """A line per series over the categories (periods), with the target band drawn (SVG)."""
    body, height = _line_drawing(categories, series, band, value_label, rtl)
    return _document(body, height, title=title, description=description, chart_id=chart_id)


def line_chart_png(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    band: Band | None = None,
    value_label: str = "",
    dpi: int = 200,
) -> bytes:
    """The same line chart as a PNG (for a Word document, which takes no SVG alone); its text
    alternative is the caller's to give."""
    with _LOCK, matplotlib.rc_context(_RC):
        return _png(_line_figure(categories, series, band, value_label, False), dpi=dpi)


def marks_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    rows: Sequence[Marks],
    done_label: str,
    not_done_label: str,
    rtl: bool = False,
    chart_id: str = "chart",
) -> str:
    """Done (filled circle) and not done (cross) per row and category; nothing where none."""
    body, height = _marks_drawing(categories, rows, done_label, not_done_label, rtl)
    return _document(body, height, title=title, description=description, chart_id=chart_id)


def marks_chart_png(
    *,
    categories: Sequence[str],
    rows: Sequence[Marks],
    done_label: str,
    not_done_label: str,
    dpi: int = 200,
) -> bytes:
    """The same marks chart as a PNG."""
    with _LOCK, matplotlib.rc_context(_RC):
        return _png(_marks_figure(categories, rows, done_label, not_done_label, False), dpi=dpi)


def bar_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    value_label: str,
    percent: bool,
    rtl: bool = False,
    chart_id: str = "chart",
) -> str:
    """Horizontal bars, the first label on top, each with its figure written beside it (a
    survey question's shares, or a mean per municipality); None draws no bar."""
    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=(7.5, 1.0 + 0.42 * max(len(labels), 1)))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        drawn = [0.0 if v is None else float(v) for v in values]
        bars = axes.barh(positions, drawn, color=COLOURS[0], height=0.6)
        for bar, value in zip(bars, values, strict=True):
            if value is not None:
                axes.annotate(
                    f"{value:.0f} %" if percent else f"{value:.1f}",
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(-4 if rtl else 4, 0),
                    textcoords="offset points",
                    va="center",
                    ha="right" if rtl else "left",
                )
        axes.set_yticks(positions, list(labels))
        axes.set_ylim(len(labels) - 0.5, -0.5)
        top = max([v for v in drawn if v] or [1.0])
        axes.set_xlim(0, 100 if percent else top * 1.15)
        axes.set_xlabel(value_label)
        axes.grid(axis="x", color="#c9d1da", linewidth=0.6)
        axes.set_axisbelow(True)
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
            axes.spines["right"].set_visible(True)
            axes.spines["left"].set_visible(False)
        figure.tight_layout()
        return _svg(figure, title=title, description=description, chart_id=chart_id)


def _line_figure(
    categories: Sequence[str],
    series: Sequence[Series],
    band: Band | None,
    value_label: str,
    rtl: bool,
) -> Figure:
    figure = Figure(figsize=(7.5, 3.8))
    axes = figure.add_subplot()
    positions = list(range(len(categories)))
    handles = []
    if band is not None and (band.low is not None or band.high is not None):
        handles.append(_draw_band(axes, band))
    for index, each in enumerate(series):
        xs = [x for x, v in zip(positions, each.values, strict=True) if v is not None]
        ys = [v for v in each.values if v is not None]
        (line,) = axes.plot(
            xs,
            ys,
            label=each.label,
            color=COLOURS[index % len(COLOURS)],
            marker=MARKERS[index % len(MARKERS)],
            linestyle=DASHES[index % len(DASHES)],
            linewidth=1.8,
            markersize=5,
        )
        handles.append(line)
    axes.set_xticks(positions, list(categories))
    axes.set_xlim(-0.5, max(len(categories) - 0.5, 0.5))
    if value_label:
        axes.set_ylabel(value_label)
    figures = [v for each in series for v in each.values if v is not None]
    if all(float(v).is_integer() for v in figures):
        # Counts: no tick at 2.5 meetings.
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    limits = [v for v in (band.low, band.high) if v is not None] if band is not None else []
    if all(v >= 0 for v in [*figures, *limits]):
        # Counts and shares read from zero: an axis from the lowest value (5 meetings at the
        # bottom) makes a small change look large. The top stays matplotlib's.
        axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#c9d1da", linewidth=0.6)
    axes.set_axisbelow(True)
    _finish(axes, handles, rtl)
    return figure


def _marks_figure(
    categories: Sequence[str],
    rows: Sequence[Marks],
    done_label: str,
    not_done_label: str,
    rtl: bool,
) -> Figure:
    figure = Figure(figsize=(7.5, 1.2 + 0.45 * max(len(rows), 1)))
    axes = figure.add_subplot()
    for y, row in enumerate(rows):
        done = [x for x, d in enumerate(row.done) if d is True]
        not_done = [x for x, d in enumerate(row.done) if d is False]
        axes.scatter(done, [y] * len(done), marker="o", s=70, color=DONE_COLOUR, zorder=3)
        axes.scatter(
            not_done, [y] * len(not_done), marker="x", s=70, color=NOT_DONE_COLOUR, zorder=3
        )
    axes.set_xticks(list(range(len(categories))), list(categories))
    axes.set_yticks(list(range(len(rows))), [row.label for row in rows])
    axes.set_xlim(-0.5, max(len(categories) - 0.5, 0.5))
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the first row on top, as in the table
    axes.grid(axis="x", color="#c9d1da", linewidth=0.6)
    axes.set_axisbelow(True)
    handles = [
        Line2D([], [], marker="o", color=DONE_COLOUR, linestyle="none", label=done_label),
        Line2D([], [], marker="x", color=NOT_DONE_COLOUR, linestyle="none", label=not_done_label),
    ]
    _finish(axes, handles, rtl)
    return figure


def _draw_band(axes, band: Band):
    if band.low is not None and band.high is not None:
        axes.axhspan(band.low, band.high, color=BAND_COLOUR, alpha=0.15, linewidth=0, gid="band")
        for each in (band.low, band.high):
            axes.axhline(each, color=BAND_COLOUR, linewidth=0.8, linestyle="--")
        return Patch(facecolor=BAND_COLOUR, alpha=0.15, edgecolor=BAND_COLOUR, label=band.label)
    limit = band.low if band.low is not None else band.high
    assert limit is not None  # the caller draws a band only with a limit
    axes.axhline(limit, color=BAND_COLOUR, linewidth=1.4, linestyle="--", gid="band")
    return Line2D([], [], color=BAND_COLOUR, linewidth=1.4, linestyle="--", label=band.label)


def _finish(axes, handles, rtl: bool) -> None:
    if rtl:
        # Time runs right to left and the value axis stands at the start of the line: right.
        axes.invert_xaxis()
        axes.yaxis.tick_right()
        axes.yaxis.set_label_position("right")
        axes.spines["right"].set_visible(True)
        axes.spines["left"].set_visible(False)
    if handles:
        # Below the plot, so that no line is hidden behind it, wrapped into a few columns.
        axes.legend(
            handles=handles,
            loc="upper right" if rtl else "upper left",
            bbox_to_anchor=(1.0, -0.12) if rtl else (0.0, -0.12),
            ncol=min(len(handles), 3),
            frameon=False,
            alignment="right" if rtl else "left",
        )
    axes.figure.tight_layout()


def _png(figure: Figure, *, dpi: int) -> bytes:
    stream = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(stream, format="png", dpi=dpi, bbox_inches="tight")
    return stream.getvalue()


_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def _svg(figure: Figure, *, title: str, description: str, chart_id: str) -> str:
    stream = io.BytesIO()
    FigureCanvasSVG(figure)
    figure.savefig(stream, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = stream.getvalue().decode("utf-8")
    match = _SVG_OPEN.search(svg)
    if match is None:  # pragma: no cover - matplotlib always writes one
        raise ValueError("no <svg> element")
    named, heading = _named(title, description, chart_id)
    return svg[: match.start()] + f"<svg{match.group(1)} {named}>{heading}" + svg[match.end() :]


def _named(title: str, description: str, chart_id: str) -> tuple[str, str]:
    """The attributes that name a chart by its own title and description, and those two."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return (
        f'role="img" aria-labelledby={quoteattr(f"{title_id} {desc_id}")}',
        f"<title id={quoteattr(title_id)}>{escape(title)}</title>"
        f"<desc id={quoteattr(desc_id)}>{escape(description)}</desc>",
    )


# Drawn directly ------------------------------------------------------------------------------
# Lengths are in points (the viewBox is in points): the charts keep the size matplotlib gave
# them, 7.5 in wide and a line chart 3.8 in high, which the pages and the PDF scale to fit.

WIDTH = 540.0
LINE_CHART_HEIGHT = 273.6
FONT = "'DejaVu Sans', sans-serif"
FONT_SIZE = 10.0
LINE = 12.0  # a line of text, baseline to baseline
BASELINE = 3.6  # from a line's middle down to its baseline: half a digit's height
PAD = 6.0  # around the chart
TOP = 10.0  # above the plot: room for half the top value label and a marker on the top line
TICK, TICK_GAP = 3.5, 3.5  # a tick's length; from its end to its label
LABEL_GAP = 8.0  # between two category labels, at least
AXIS_LABELS = TICK + TICK_GAP + LINE  # the category labels below the plot
LEGEND_GAP, ROW_GAP, COLUMN_GAP = 8.0, 4.0, 20.0  # above the legend, between rows, columns
HANDLE, HANDLE_GAP = 26.0, 6.0  # a legend entry's line (long enough to show its dash), gap
LEGEND_COLUMNS = 3
MIN_PLOT = 120.0  # a legend that would leave the plot less makes the chart taller instead
MAX_INTERVALS = 6  # on the value axis
LINE_WIDTH, MARKER_SIZE = 1.8, 3.2  # a series's line; a circle marker's radius
GRID = "#c9d1da"
MARKS_ROW = 32.4  # a marks chart's row (0.45 in)
ROW_LABEL_WIDTH = 190.0  # a marks chart's place name wider than this wraps
DONE_RADIUS, NOT_DONE_SIZE = 4.2, 3.8  # a done mark's radius; half a cross's width

# DejaVu Sans's advance widths of the printable ASCII characters (space to tilde) in thousandths
# of an em, read from the font file; the layout estimates a text's width from them.
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_OTHER_WIDTHS = {"\u00a0": 318, "–": 500, "—": 1000, "\u2212": 838, "…": 1000}
# A character of another script counts as a wide letter: its text rather wraps too early.
_UNKNOWN_WIDTH = 700

# matplotlib's dash patterns, in line widths, so that a line looks as it does in the PNG.
_DASH_PATTERNS = {"-": (), "--": (3.7, 1.6), "-.": (6.4, 1.6, 1.0, 1.6), ":": (1.0, 1.65)}

Point = tuple[float, float]


def _turned(points: Sequence[Point], degrees: float) -> tuple[Point, ...]:
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    return tuple((x * cos - y * sin, x * sin + y * cos) for x, y in points)


_PLUS = (
    (-0.38, -1.15), (0.38, -1.15), (0.38, -0.38), (1.15, -0.38), (1.15, 0.38), (0.38, 0.38),
    (0.38, 1.15), (-0.38, 1.15), (-0.38, 0.38), (-1.15, 0.38), (-1.15, -0.38), (-0.38, -0.38),
)  # fmt: skip
_STAR = tuple(
    _turned([(0.0, -1.4 if corner % 2 == 0 else -0.58)], 36 * corner)[0] for corner in range(10)
)
# The markers but the circle as polygons around (0, 0), about as large to the eye as a circle
# of radius 1 (y grows downwards).
_SHAPES: dict[str, tuple[Point, ...]] = {
    "s": ((-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)),
    "^": ((0.0, -1.35), (1.2, 0.75), (-1.2, 0.75)),
    "D": ((0.0, -1.3), (0.95, 0.0), (0.0, 1.3), (-0.95, 0.0)),
    "v": ((0.0, 1.35), (1.2, -0.75), (-1.2, -0.75)),
    "P": _PLUS,
    "X": _turned(_PLUS, 45),
    "*": _STAR,
}


@dataclass(frozen=True)
class _Plot:
    """The plot's edges in the chart, and which way time runs."""

    left: float
    right: float
    top: float
    bottom: float
    rtl: bool

    @property
    def axis_x(self) -> float:
        """Where the value axis (the marks chart's row labels) stands: at the start of a line."""
        return self.right if self.rtl else self.left


@dataclass(frozen=True)
class _Legend:
    """The legend's entries in columns, filled row by row in the order given."""

    lines: list[list[str]]  # each entry's label, in lines
    widths: list[float]  # each column's, handle and label

    @property
    def rows(self) -> list[range]:
        columns = len(self.widths)
        return [
            range(i, min(i + columns, len(self.lines))) for i in range(0, len(self.lines), columns)
        ]

    @property
    def height(self) -> float:
        heights = [max(len(self.lines[i]) for i in row) * LINE for row in self.rows]
        return sum(heights) + ROW_GAP * max(len(heights) - 1, 0)


def _line_drawing(
    categories: Sequence[str],
    series: Sequence[Series],
    band: Band | None,
    value_label: str,
    rtl: bool,
) -> tuple[list[str], float]:
    """The line chart's elements, and its height."""
    figures = [float(v) for each in series for v in each.values if v is not None]
    limits = _limits(band)
    ticks, tick_labels = _value_ticks(figures, limits)
    entries = ([band.label] if band is not None and limits else []) + [s.label for s in series]

    def laid_out(unit_count: int) -> tuple[_Plot, _Legend, float]:
        """The plot, the legend and the chart's height, with room for the unit's lines."""
        unit_room = unit_count * LINE + TICK_GAP if unit_count else 0.0
        axis_room = PAD + unit_room + max(map(_text_width, tick_labels)) + TICK_GAP + TICK
        left, right = _plot_span(axis_room, categories, rtl)
        legend = _legend_layout(entries, _legend_room(left, right, rtl))
        below = AXIS_LABELS + (LEGEND_GAP + legend.height if entries else 0.0) + PAD
        height = max(LINE_CHART_HEIGHT, TOP + MIN_PLOT + below)
        return _Plot(left, right, TOP, height - below, rtl), legend, height

    # The unit reads along the value axis: it wraps at the plot's height, which depends on the
    # room its lines take; a second round settles it (more lines only narrow the plot).
    unit_lines: list[str] = []
    plot, legend, height = laid_out(1 if value_label else 0)
    for _round in range(2):
        if not value_label:
            break
        unit_lines = _wrap(value_label, plot.bottom - plot.top)
        if len(unit_lines) == 1:
            break
        plot, legend, height = laid_out(len(unit_lines))

    def y(value: float) -> float:
        share = (value - ticks[0]) / (ticks[-1] - ticks[0])
        return plot.bottom - share * (plot.bottom - plot.top)

    xs = _category_xs(len(categories), plot)
    texts, handles = _legend_drawn(legend, plot, top=plot.bottom + AXIS_LABELS + LEGEND_GAP)
    drawn = [_grid("".join(f"M{_n(plot.left)},{_n(y(t))}H{_n(plot.right)}" for t in ticks[1:]))]
    if limits:
        drawn.append(_band_group(limits, plot, y, handles.pop(0)))
    drawn.append(_axes(plot, xs, [y(t) for t in ticks]))
    for index, (each, handle) in enumerate(zip(series, handles, strict=True)):
        points = [(x, y(float(v))) for x, v in zip(xs, each.values, strict=True) if v is not None]
        drawn += _series_paths(index, points, handle)
    drawn += _beside_axis([[label] for label in tick_labels], [y(t) for t in ticks], plot, False)
    drawn += _category_labels(categories, xs, plot)
    drawn += _unit_label(unit_lines, plot)
    return drawn + texts, height


def _marks_drawing(
    categories: Sequence[str],
    rows: Sequence[Marks],
    done_label: str,
    not_done_label: str,
    rtl: bool,
) -> tuple[list[str], float]:
    """The marks chart's elements, and its height: a row per place, the first on top."""
    names = [_wrap(row.label, ROW_LABEL_WIDTH) for row in rows]
    pitch = max(MARKS_ROW, max(map(len, names), default=1) * LINE + 2 * TICK_GAP)
    widest = max((_text_width(line) for lines in names for line in lines), default=0.0)
    left, right = _plot_span(PAD + widest + TICK_GAP + TICK, categories, rtl)
    legend = _legend_layout([done_label, not_done_label], _legend_room(left, right, rtl))
    plot = _Plot(left, right, TOP, TOP + pitch * max(len(rows), 1), rtl)
    height = plot.bottom + AXIS_LABELS + LEGEND_GAP + legend.height + PAD
    xs = _category_xs(len(categories), plot)
    ys = [plot.top + (k + 0.5) * pitch for k in range(len(rows))]
    texts, (done_handle, not_done_handle) = _legend_drawn(
        legend, plot, top=plot.bottom + AXIS_LABELS + LEGEND_GAP
    )
    done, not_done = _marks_at(rows, xs, ys, True), _marks_at(rows, xs, ys, False)
    done.append((done_handle[0] + HANDLE / 2, done_handle[1]))
    not_done.append((not_done_handle[0] + HANDLE / 2, not_done_handle[1]))
    drawn = [
        _grid("".join(f"M{_n(x)},{_n(plot.top)}V{_n(plot.bottom)}" for x in xs)),
        _axes(plot, xs, ys),
        _fill("".join(_circle(x, y, DONE_RADIUS) for x, y in done), DONE_COLOUR),
        _stroke("".join(_cross(x, y) for x, y in not_done), NOT_DONE_COLOUR, 1.6),
        *_beside_axis(names, ys, plot, rtl),
        *_category_labels(categories, xs, plot),
    ]
    return drawn + texts, height


def _marks_at(rows: Sequence[Marks], xs: list[float], ys: list[float], done: bool) -> list[Point]:
    return [
        (xs[i], y)
        for row, y in zip(rows, ys, strict=True)
        for i, d in enumerate(row.done)
        if d is done
    ]


def _document(
    body: list[str], height: float, *, title: str, description: str, chart_id: str
) -> str:
    """The chart's SVG: sized in points, the font set once for every text, named by its own
    title and description, on white as matplotlib drew it."""
    named, heading = _named(title, description, chart_id)
    width, tall = _n(WIDTH), _n(height)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{tall}pt" '
            f'viewBox="0 0 {width} {tall}" font-family={quoteattr(FONT)} '
            f'font-size="{_n(FONT_SIZE)}" {named}>{heading}',
            f'<rect width="{width}" height="{tall}" fill="#ffffff"/>',
            *body,
            "</svg>",
        ]
    )


def _limits(band: Band | None) -> list[float]:
    """The target's limits given, low first (none: no band to draw)."""
    if band is None:
        return []
    return sorted(float(v) for v in (band.low, band.high) if v is not None)


def _value_ticks(figures: list[float], limits: list[float]) -> tuple[list[float], list[str]]:
    """The value axis's ticks and their labels: a round step (1, 2, 2.5 or 5 times a power of
    ten) over at most MAX_INTERVALS intervals, covering the figures and the target.

    Counts and shares read from zero (5 meetings at the bottom would make a rise to 9 look
    steep); a figure or limit below zero leaves the axis to the data. Whole figures get whole
    steps: no tick at 2.5 meetings."""
    low = min([*figures, *limits, 0.0])
    high = max([*figures, *limits], default=1.0)
    if high <= low:
        high = low + 1
    whole = all(v.is_integer() for v in figures)
    magnitude = 10.0 ** math.floor(math.log10((high - low) / MAX_INTERVALS))
    if whole:
        magnitude = max(magnitude, 1.0)
    for scale in (1, 10, 100):
        for multiple in (1, 2, 2.5, 5):
            step = round(multiple * scale * magnitude, 12)
            first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
            if (whole and not step.is_integer()) or last - first > MAX_INTERVALS:
                continue
            decimals = next(d for d in range(13) if round(step, d) == step)
            ticks = [round(i * step, 12) for i in range(first, last + 1)]
            return ticks, [_number(t, decimals) for t in ticks]
    raise AssertionError("a step of 100 times the magnitude always fits")  # pragma: no cover


def _number(value: float, decimals: int) -> str:
    """A value axis's label, negative with the minus sign (U+2212) as typeset."""
    return f"{value:.{decimals}f}".replace("-", "\u2212")


def _plot_span(axis_room: float, categories: Sequence[str], rtl: bool) -> tuple[float, float]:
    """The plot's left and right edges: `axis_room` for the value axis (or the row labels) at
    the start of a line, and room at both ends for the outermost category labels, which
    stand centred on their slots and may be wider than one."""
    widest = max(map(_text_width, categories), default=0.0)
    start, end = axis_room, PAD
    for _ in range(3):  # the slots narrow as the room grows, less each round: three settle it
        overhang = max(0.0, widest / 2 - (WIDTH - start - end) / max(len(categories), 1) / 2)
        start, end = max(axis_room, PAD + overhang), PAD + overhang
    return (end, WIDTH - start) if rtl else (start, WIDTH - end)


def _category_xs(count: int, plot: _Plot) -> list[float]:
    """Each category's middle: a slot each, from the left (from the right when rtl)."""
    slot = (plot.right - plot.left) / max(count, 1)
    if plot.rtl:
        return [plot.right - (i + 0.5) * slot for i in range(count)]
    return [plot.left + (i + 0.5) * slot for i in range(count)]


def _category_labels(categories: Sequence[str], xs: list[float], plot: _Plot) -> list[str]:
    """The categories below the plot. Where they would crowd each other only every few is
    written, counted back from the latest, which is always written."""
    slot = (plot.right - plot.left) / max(len(categories), 1)
    widest = max(map(_text_width, categories), default=0.0)
    every = max(1, math.ceil((widest + LABEL_GAP) / slot))
    baseline = plot.bottom + TICK + TICK_GAP + LINE / 2 + BASELINE
    last = len(categories) - 1
    return [
        _text(x, baseline, category, side="middle")
        for i, (x, category) in enumerate(zip(xs, categories, strict=True))
        if (last - i) % every == 0
    ]


def _axes(plot: _Plot, xs: list[float], ys: list[float]) -> str:
    """The spines along the value axis and the bottom, a tick at each category and value."""
    outward = TICK if plot.rtl else -TICK
    far = plot.left if plot.rtl else plot.right
    d = f"M{_n(plot.axis_x)},{_n(plot.top)}V{_n(plot.bottom)}H{_n(far)}"
    d += "".join(f"M{_n(plot.axis_x)},{_n(y)}h{_n(outward)}" for y in ys)
    d += "".join(f"M{_n(x)},{_n(plot.bottom)}v{_n(TICK)}" for x in xs)
    return _stroke(d, "#000000", 0.8)


def _beside_axis(labels: list[list[str]], ys: list[float], plot: _Plot, rtl: bool) -> list[str]:
    """Labels (in lines) outside the value axis, each centred on its y; `rtl`: written right
    to left (a place name; a number stays left to right)."""
    side = "left" if plot.rtl else "right"
    x = plot.axis_x + (TICK + TICK_GAP) * (1 if plot.rtl else -1)
    texts = []
    for lines, y in zip(labels, ys, strict=True):
        first = y - (len(lines) - 1) * LINE / 2 + BASELINE
        texts += [
            _text(x, first + k * LINE, line, side=side, rtl=rtl) for k, line in enumerate(lines)
        ]
    return texts


def _unit_label(lines: list[str], plot: _Plot) -> list[str]:
    """The value's label (its unit) along the value axis, at the chart's edge, read upwards."""
    middle = (plot.top + plot.bottom) / 2
    edge = WIDTH - PAD - len(lines) * LINE if plot.rtl else PAD
    return [
        _text(
            edge + k * LINE + LINE / 2 + BASELINE,
            middle,
            line,
            side="middle",
            rtl=plot.rtl,
            turned=True,
        )
        for k, line in enumerate(lines)
    ]


def _legend_room(left: float, right: float, rtl: bool) -> float:
    """The legend's width: from the start of the plot (left, or right when rtl) to the chart's
    far edge."""
    return right - PAD if rtl else WIDTH - PAD - left


def _legend_layout(labels: list[str], width: float) -> _Legend:
    """The lowest legend of one to three columns sharing `width`, each label wrapped to its
    column's width; of legends as low, the one with the most columns."""
    lowest = _Legend([], [width])
    for columns in range(min(LEGEND_COLUMNS, len(labels)), 0, -1):
        room = (width - (columns - 1) * COLUMN_GAP) / columns - HANDLE - HANDLE_GAP
        lines = [_wrap(label, room) for label in labels]
        widths = [
            HANDLE
            + HANDLE_GAP
            + max(_text_width(line) for each in lines[c::columns] for line in each)
            for c in range(columns)
        ]
        legend = _Legend(lines, widths)
        if not lowest.lines or legend.height < lowest.height:
            lowest = legend
    return lowest


def _legend_drawn(legend: _Legend, plot: _Plot, *, top: float) -> tuple[list[str], list[Point]]:
    """The legend's texts below the plot, aligned with its start (left, or right when rtl), and
    where each entry's handle goes: its left end and its middle."""
    texts, handles = [], []
    for row in legend.rows:
        offset = 0.0
        for column, entry in enumerate(row):
            x = plot.right - offset - HANDLE if plot.rtl else plot.left + offset
            middle = top + LINE / 2
            handles.append((x, middle))
            text_x = x - HANDLE_GAP if plot.rtl else x + HANDLE + HANDLE_GAP
            side = "right" if plot.rtl else "left"
            for k, line in enumerate(legend.lines[entry]):
                texts.append(
                    _text(text_x, middle + k * LINE + BASELINE, line, side=side, rtl=plot.rtl)
                )
            offset += legend.widths[column] + COLUMN_GAP
        top += max(len(legend.lines[entry]) for entry in row) * LINE + ROW_GAP
    return texts, handles


def _band_group(
    limits: list[float], plot: _Plot, y: Callable[[float], float], handle: Point
) -> str:
    """The target, and its legend handle drawn alike: a shaded band between dashed limit lines,
    or one dashed line at the single limit."""
    hx, hy = handle
    if len(limits) == 1:
        d = f"M{_n(plot.left)},{_n(y(limits[0]))}H{_n(plot.right)}M{_n(hx)},{_n(hy)}h{_n(HANDLE)}"
        return f'<g id="band">{_stroke(d, BAND_COLOUR, 1.4, "--")}</g>'
    top, bottom = y(limits[1]), y(limits[0])
    half = 4.0  # the handle's half height
    shade = _rectangle(plot.left, top, plot.right, bottom)
    shade += _rectangle(hx, hy - half, hx + HANDLE, hy + half)
    edges = (
        f"M{_n(plot.left)},{_n(top)}H{_n(plot.right)}M{_n(plot.left)},{_n(bottom)}H{_n(plot.right)}"
    )
    edges += f"M{_n(hx)},{_n(hy - half)}h{_n(HANDLE)}M{_n(hx)},{_n(hy + half)}h{_n(HANDLE)}"
    lines = _stroke(edges, BAND_COLOUR, 0.8, "--")
    return f'<g id="band">{_fill(shade, BAND_COLOUR, opacity=0.15)}{lines}</g>'


def _series_paths(index: int, points: list[Point], handle: Point) -> list[str]:
    """A series's line and its markers: a path each, each also drawing the legend's handle."""
    colour, shape, dash = _style(index)
    hx, hy = handle
    line = "".join(f"{'L' if k else 'M'}{_n(x)},{_n(y)}" for k, (x, y) in enumerate(points))
    line += f"M{_n(hx)},{_n(hy)}h{_n(HANDLE)}"
    marks = "".join(_marker(shape, x, y) for x, y in [*points, (hx + HANDLE / 2, hy)])
    return [_stroke(line, colour, LINE_WIDTH, dash), _fill(marks, colour)]


def _style(index: int) -> tuple[str, str, str]:
    """A series's colour, marker and dash. Past the eighth series the markers shift by one, so
    that the ninth (eight places and the region) does not look the same as the first."""
    marker = MARKERS[(index + index // len(COLOURS)) % len(MARKERS)]
    return COLOURS[index % len(COLOURS)], marker, DASHES[index % len(DASHES)]


def _marker(shape: str, x: float, y: float) -> str:
    """One marker's path data, centred on (x, y)."""
    if shape == "o":
        return _circle(x, y, MARKER_SIZE)
    corners = (
        f"{_n(x + dx * MARKER_SIZE)},{_n(y + dy * MARKER_SIZE)}" for dx, dy in _SHAPES[shape]
    )
    return "M" + "L".join(corners) + "Z"


def _circle(x: float, y: float, radius: float) -> str:
    """Path data of a circle: two half-circle arcs."""
    r, across = _n(radius), _n(2 * radius)
    return f"M{_n(x - radius)},{_n(y)}a{r},{r} 0 1 0 {across},0a{r},{r} 0 1 0 -{across},0Z"


def _cross(x: float, y: float) -> str:
    size, across = _n(NOT_DONE_SIZE * 2), _n(-NOT_DONE_SIZE * 2)
    return (
        f"M{_n(x - NOT_DONE_SIZE)},{_n(y - NOT_DONE_SIZE)}l{size},{size}"
        f"M{_n(x - NOT_DONE_SIZE)},{_n(y + NOT_DONE_SIZE)}l{size},{across}"
    )


def _rectangle(left: float, top: float, right: float, bottom: float) -> str:
    return f"M{_n(left)},{_n(top)}H{_n(right)}V{_n(bottom)}H{_n(left)}Z"


def _grid(d: str) -> str:
    """Light grid lines, behind everything else."""
    return _stroke(d, GRID, 0.6)


def _stroke(d: str, colour: str, width: float, dash: str = "-") -> str:
    pattern = " ".join(_n(length * width) for length in _DASH_PATTERNS[dash])
    dashed = f' stroke-dasharray="{pattern}"' if pattern else ""
    return (
        f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{_n(width)}" '
        f'stroke-linejoin="round"{dashed}/>'
    )


def _fill(d: str, colour: str, *, opacity: float = 1.0) -> str:
    translucent = f' fill-opacity="{_n(opacity)}"' if opacity < 1 else ""
    return f'<path d="{d}" fill="{colour}"{translucent}/>'


def _text(
    x: float, y: float, content: str, *, side: str, rtl: bool = False, turned: bool = False
) -> str:
    """A text whose `side` ("left", "middle" or "right") stands at x, its baseline at y;
    `rtl`: written right to left, `turned`: read upwards."""
    anchors = {
        "left": "end" if rtl else "start",
        "middle": "middle",
        "right": "start" if rtl else "end",
    }
    attributes = f'x="{_n(x)}" y="{_n(y)}"'
    if anchors[side] != "start":
        attributes += f' text-anchor="{anchors[side]}"'
    if rtl:
        attributes += ' direction="rtl"'
    if turned:
        attributes += f' transform="rotate(-90 {_n(x)} {_n(y)})"'
    return f"<text {attributes}>{escape(content)}</text>"


def _wrap(text: str, width: float) -> list[str]:
    """The text in lines no wider than `width`, broken at spaces (a no-break space holds); a
    word wider than a line alone is broken between its characters."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        joined = f"{line} {word}" if line else word
        if _text_width(joined) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        *whole, line = _broken(word, width)
        lines += whole
    return [*lines, line]


def _broken(word: str, width: float) -> list[str]:
    """The word in pieces no wider than `width` (at least a character each)."""
    pieces = [""]
    for char in word:
        if pieces[-1] and _text_width(pieces[-1] + char) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _text_width(text: str) -> float:
    """The text's width in points, as DejaVu Sans writes it (without kerning)."""
    return FONT_SIZE * sum(_char_width(char) for char in text) / 1000


@functools.cache
def _char_width(char: str) -> int:
    if " " <= char <= "~":
        return _ASCII_WIDTHS[ord(char) - 32]
    if char in _OTHER_WIDTHS:
        return _OTHER_WIDTHS[char]
    if unicodedata.combining(char):
        return 0
    base = unicodedata.normalize("NFD", char)[0]
    if base != char:
        return _char_width(base)  # å as a, é as e
    return 1000 if unicodedata.east_asian_width(char) in ("W", "F") else _UNKNOWN_WIDTH


def _n(value: float) -> str:
    """A length as written: two decimals at most, so that the same data gives the same bytes."""
    written = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if written == "-0" else written
