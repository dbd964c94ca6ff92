"""`hemma programme import FILE.xlsx|FILE.csv --programme SLUG` and `export --format xlsx|csv`."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from hemma.programmes.interchange import exporting
from hemma.programmes.models import Action

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("programme", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args) -> tuple[str, str]:
    """(the error, what was written to standard error) of a command that fails."""
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("programme", *args, stdout=io.StringIO(), stderr=err)
    return str(raised.value), err.getvalue()


def exported(programme, fmt: str, tmp_path):
    path = tmp_path / f"{programme.slug}.{fmt}"
    run("export", programme.slug, "--format", fmt, "-o", str(path))
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_table_imports_back_into_its_programme_unchanged(seed_programme, tmp_path, fmt):
    path = exported(seed_programme, fmt, tmp_path)

    output = run("import", str(path), "--programme", seed_programme.slug)

    assert output.splitlines() == [
        f"Imported {seed_programme.slug}: 0 added, 0 changed, 0 removed."
    ]


def test_the_exported_xlsx_is_the_action_table(seed_programme, tmp_path):
    path = exported(seed_programme, "xlsx", tmp_path)

    sheet = openpyxl.load_workbook(path).worksheets[0]

    assert sheet["C1"].value == "Åtgärd"
    assert sheet.max_row == 25


def edited_table(programme, tmp_path):
    """The exported XLSX with the first action's follow-up rewritten."""
    path = exported(programme, "xlsx", tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook.worksheets[0]["F2"] = "Årlig genomgång i budgeteringsskedet och i bokslutet"
    workbook.save(path)
    return path, workbook.worksheets[0]["G2"].value


def test_a_dry_run_shows_the_change_and_changes_nothing(seed_programme, tmp_path):
    path, key = edited_table(seed_programme, tmp_path)
    before = exporting.programme_document(seed_programme)

    output = run("import", str(path), "--programme", seed_programme.slug, "--dry-run")

    lines = output.splitlines()
    assert lines[0].split()[:3] == ["update", "action", key]
    assert lines[0].endswith("[followup]")
    assert lines[-1] == f"Would import {seed_programme.slug}: 0 added, 1 changed, 0 removed."
    assert exporting.programme_document(seed_programme) == before


def test_a_real_import_changes_the_action(seed_programme, tmp_path):
    path, key = edited_table(seed_programme, tmp_path)

    run("import", str(path), "--programme", seed_programme.slug)

    followup = Action.objects.get(key=key).followup
    assert followup["sv"] == "Årlig genomgång i budgeteringsskedet och i bokslutet"


def test_a_table_without_programme_is_refused_with_a_hint(seed_programme, tmp_path):
    path = exported(seed_programme, "xlsx", tmp_path)

    error, stderr = run_failing("import", str(path))

    assert "nothing was changed" in error
    assert stderr.startswith(f"{path.name}: ")
    assert "--programme SLUG" in stderr


def test_a_bad_workbook_names_file_row_and_column_and_changes_nothing(seed_programme, tmp_path):
    path = exported(seed_programme, "xlsx", tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook.worksheets[0]["E7"] = "=CONCAT(B2, C2)"
    workbook.save(path)
    before = exporting.programme_document(seed_programme)

    error, stderr = run_failing("import", str(path), "--programme", seed_programme.slug)

    assert "1 problem(s); nothing was changed" in error
    assert stderr.startswith(f"{path.name}, row 7, column E, field “Samarbetspartner”: ")
    assert "Cell E7 holds a formula" in stderr
    assert exporting.programme_document(seed_programme) == before


def test_an_unknown_programme_is_an_error(seed_programme, tmp_path):
    path = exported(seed_programme, "csv", tmp_path)
    with pytest.raises(CommandError, match="No programme"):
        run("import", str(path), "--programme", "nothing-here")
