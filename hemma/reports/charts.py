"""An indicator's chart in the report: SVG for the PDF, PNG for the Word document.

The SVG is the web's own (hemma.lib.charts): text kept as text, which WeasyPrint draws with
the system's fonts. Word has no use for an SVG without a raster fallback and LibreOffice
draws them poorly, so the Word document gets a PNG, drawn by matplotlib with the same
colours, markers, dashes and target band, at print resolution.

The text alternative of both is the part's `chart_description`; a data table stands
beside each chart in every format.
"""

from django.utils.translation import gettext as _

from hemma.lib import charts
from hemma.reports.data import IndicatorPart

# Print resolution for the Word document's pictures.
DPI = 200


def _series(part: IndicatorPart) -> list[charts.Series]:
    return [
        charts.Series(line.place.label, [value.number for value in line.values])
        for line in part.history
    ]


def _marks(part: IndicatorPart) -> list[charts.Marks]:
    return [charts.Marks(line.place.label, [v.done for v in line.values]) for line in part.history]


def _band(part: IndicatorPart) -> charts.Band | None:
    if part.band is None:
        return None
    return charts.Band(
        low=part.band[0], high=part.band[1], label=_("Target: %(target)s") % {"target": part.target}
    )


def svg(part: IndicatorPart, *, chart_id: str) -> str:
    categories = [str(p) for p in part.periods]
    if part.figures:
        return charts.line_chart(
            title=part.chart_title,
            description=part.chart_description,
            categories=categories,
            series=_series(part),
            band=_band(part),
            value_label=part.unit,
            chart_id=chart_id,
        )
    return charts.marks_chart(
        title=part.chart_title,
        description=part.chart_description,
        categories=categories,
        rows=_marks(part),
        done_label=_("Done"),
        not_done_label=_("Not done"),
        chart_id=chart_id,
    )


def png(part: IndicatorPart) -> bytes:
    """The chart as a PNG at print resolution, drawn as the SVG is."""
    categories = [str(p) for p in part.periods]
    if part.figures:
        return charts.line_chart_png(
            categories=categories,
            series=_series(part),
            band=_band(part),
            value_label=part.unit,
            dpi=DPI,
        )
    return charts.marks_chart_png(
        categories=categories,
        rows=_marks(part),
        done_label=_("Done"),
        not_done_label=_("Not done"),
        dpi=DPI,
    )
