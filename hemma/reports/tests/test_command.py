"""`hemma report`: the council report from the command line, the PDF above all."""

import re
import shutil
import subprocess
import zlib

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from hemma.followup.statuses import REGION_COLUMN_NOTE
from hemma.programmes.models import Indicator
from hemma.reports.tests.conftest import sv_titles

pytestmark = pytest.mark.django_db


def poppler(tool: str, *arguments) -> str:
    """What a poppler tool (pdftotext, pdfinfo) writes, found on the PATH."""
    path = shutil.which(tool)
    assert path is not None, f"{tool} comes with poppler-utils: `make test` installs it"
    # The tool is found by name, its arguments are the test's own file.
    return subprocess.run([path, *arguments], capture_output=True, text=True, check=True).stdout  # noqa: S603


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_objects(data: bytes) -> bytes:
    """The PDF's objects, the compressed streams among them unpacked."""
    found = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            found.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"".join(found)


def test_the_pdf_holds_every_action_in_swedish_and_is_tagged(followed_up, tmp_path):
    target = tmp_path / "report.pdf"

    call_command("report", followed_up.slug, "--period", "2024", "--format", "pdf", "-o", target)

    text = words(poppler("pdftotext", target, "-"))
    missing = [title for title in sv_titles(followed_up) if words(title) not in text]
    assert missing == []
    assert "Jakobstadsregionen" in text
    with translation.override("sv"):
        assert words(str(REGION_COLUMN_NOTE)) in text
    info = poppler("pdfinfo", target)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M)
    objects = pdf_objects(target.read_bytes())
    assert b"/Lang (sv)" in objects
    structure = poppler("pdfinfo", "-struct", target)
    charts = Indicator.objects.filter(action__programme=followed_up).count()
    assert structure.count("Figure") == charts
    assert objects.count(b"/Alt") >= charts
    assert "TH" in structure


def test_an_unknown_programme_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No programme “nothing”"):
        call_command(
            "report", "nothing", "--period", "2024", "--language", "en", "-o", tmp_path / "x"
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "twenty"], "is not a period"),
        (["--period", "2022"], "has no period 2022: it runs from 2023 to 2025"),
        (["--period", "2026"], "has no period 2026: it runs from 2023 to 2025"),
        (["--period", "2024", "--municipality", "101"], "does not cover the municipality 101"),
        (["--period", "2024", "--municipality", "999"], "No municipality with the code 999"),
    ],
)
def test_a_bad_period_or_municipality_is_a_clear_error(
    seed_programme, municipality_a1, tmp_path, arguments, message
):
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("report", seed_programme.slug, *arguments, "--language", "en", "-o", target)
    assert not target.exists()


def test_the_workbook_is_written_for_one_municipality(seed_programme, tmp_path, capsys):
    target = tmp_path / "larsmo.xlsx"

    call_command(
        "report",
        seed_programme.slug,
        "--period",
        "2024",
        "--municipality",
        "440",
        "--format",
        "xlsx",
        "--language",
        "en",
        "-o",
        target,
    )

    assert target.read_bytes()[:2] == b"PK"
    assert f"Wrote {target}." in capsys.readouterr().out
