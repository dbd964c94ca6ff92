"""The PDF report's charts: lean SVGs that name themselves and draw every place."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from hemma.lib import periods
from hemma.programmes.policies import EVERYTHING
from hemma.reports import charts
from hemma.reports.data import report_read

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def test_every_chart_of_the_pdf_is_a_lean_svg_naming_itself_and_its_places(followed_up):
    with translation.override("sv"):
        report = report_read(
            reader=EVERYTHING,
            programme=followed_up,
            period=periods.parse("2024"),
            municipality=None,
            language="sv",
        )
        parts = [(action, part) for action, part in report.indicators() if part.history]
        drawn = [
            (part, charts.svg(part, chart_id=f"c-{action.key}-{part.key}"))
            for action, part in parts
        ]

    assert {bool(part.figures) for part, _ in drawn} == {True, False}  # lines and marks
    for part, svg in drawn:
        root = ET.fromstring(svg.encode())  # noqa: S314 - our own output
        title_id, desc_id = root.get("aria-labelledby", "").split()
        assert root.find(f"{SVG}title[@id='{title_id}']").text == part.chart_title
        assert root.find(f"{SVG}desc[@id='{desc_id}']").text == part.chart_description
        texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
        for line in part.history:
            assert line.place.label in texts
        assert root.find(f".//{SVG}clipPath") is None
        assert len(list(root.iter())) < 100
