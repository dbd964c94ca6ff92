"""The report as a PDF: HTML rendered by WeasyPrint as tagged PDF/UA-1.

Tagged, so that a screen reader finds the headings, the tables with their header cells and
the charts' text alternatives; the document's language is the `<html lang>`. A4 with page
numbers, every table's header repeated on each page it runs onto. Nothing is fetched: the
style is inline, the fonts are the system's (DejaVu, Liberation), the charts are data: URIs,
and any other address is refused.
"""

import base64
from collections.abc import Mapping

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from hemma.followup.statuses import REGION_COLUMN_NOTE, ROLLUP_RULE
from hemma.reports.data import Report


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def pdf_write(report: Report, *, images: Mapping[tuple[str, str], str]) -> bytes:
    """The PDF of `report`; `images` are the charts' data: URIs by (action key, indicator
    key). Call it with the report's language active."""
    sections = [
        {
            "title": theme.title,
            "items": [
                {"action": action, "part": part, "image": images.get((action.key, part.key), "")}
                for goal in theme.goals
                for action in goal.actions
                for part in action.indicators
            ],
        }
        for theme in report.themes
    ]
    html = render_to_string(
        "reports/report.html",
        {
            "report": report,
            "sections": sections,
            "several_places": len(report.places) > 1,
            "rollup_rule": ROLLUP_RULE,
            "region_column_note": REGION_COLUMN_NOTE,
        },
    )
    # Only data: URIs (the charts); never the network or the file system.
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1")
