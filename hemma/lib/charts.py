"""Charts as SVG, drawn on the server with matplotlib: one pipeline for the web and for PDFs.

Framework-free: callers pass texts already translated. The output is deterministic (the same
data gives the same bytes: `svg.hashsalt` fixed, no date in the metadata), keeps text as text
(`svg.fonttype = "none"`: searchable, selectable, translated by the page's fonts, no font file
embedded or fetched) and names itself for assistive technology: `role="img"` and
`aria-labelledby` pointing at its own `<title>` and `<desc>`.

Right to left: with `rtl=True` time runs from right to left, the value axis stands on the
right and the legend on the left, as a reader of Arabic or Persian expects; the texts
themselves are written by the browser, which shapes and orders them.

Every chart is meant to stand beside a data table with the same figures (WCAG 1.1.1): the
chart is for seeing a trend, the table for reading and copying the numbers.
"""

import io
import re
import threading
from collections.abc import Sequence
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
    with _LOCK, matplotlib.rc_context(_RC):
        figure = _line_figure(categories, series, band, value_label, rtl)
        return _svg(figure, title=title, description=description, chart_id=chart_id)


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
    with _LOCK, matplotlib.rc_context(_RC):
        figure = _marks_figure(categories, rows, done_label, not_done_label, rtl)
        return _svg(figure, title=title, description=description, chart_id=chart_id)


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
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    match = _SVG_OPEN.search(svg)
    if match is None:  # pragma: no cover - matplotlib always writes one
        raise ValueError("no <svg> element")
    opening = (
        f'<svg{match.group(1)} role="img" aria-labelledby={quoteattr(f"{title_id} {desc_id}")}>'
        f"<title id={quoteattr(title_id)}>{escape(title)}</title>"
        f"<desc id={quoteattr(desc_id)}>{escape(description)}</desc>"
    )
    return svg[: match.start()] + opening + svg[match.end() :]
