"""`hemma programme list|import|export` as a coordinator runs them."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from hemma.conftest import SEED_FILE
from hemma.programmes.models import Action, Programme

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("programme", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_list_prints_one_programme_a_line_slug_first(seed_programme, programme_b):
    lines = run("list").splitlines()
    assert [line.split("\t")[0] for line in lines] == [
        "integrationsprogram-2023-2025",
        "programme-b",
    ]


def test_import_dry_run_changes_nothing():
    output = run("import", str(SEED_FILE), "--dry-run")
    assert "Would import integrationsprogram-2023-2025" in output
    assert Programme.objects.count() == 0


def test_import_then_reimport(tmp_path):
    first = run("import", str(SEED_FILE))
    assert Action.objects.count() == 24
    assert "0 removed" in first
    assert run("import", str(SEED_FILE)).splitlines() == [
        "Imported integrationsprogram-2023-2025: 0 added, 0 changed, 0 removed."
    ]


def test_export_json_has_all_actions_and_the_bands(seed_programme, tmp_path):
    target = tmp_path / "seed.json"
    run("export", seed_programme.slug, "--format", "json", "-o", str(target))
    document = json.loads(target.read_text())
    actions = [a for t in document["programme"]["themes"] for g in t["goals"] for a in g["actions"]]
    assert len(actions) == 24
    bands = [
        i["target"]
        for a in actions
        for i in a.get("indicators", [])
        if i["kind"] == "frequency_band"
    ]
    assert bands == [{"type": "band", "min": 2, "max": 4}, {"type": "band", "min": 1, "max": 3}]


def test_export_to_standard_output(seed_programme, capsysbinary):
    call_command("programme", "export", seed_programme.slug, "--format", "yaml")
    assert capsysbinary.readouterr().out.startswith(b"format: hemma-programme/1\n")


def test_a_bad_file_fails_with_its_problems_and_changes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: hemma-programme/1\nprogramme: {slug: x, colour: red}\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("programme", "import", str(bad), stdout=io.StringIO(), stderr=err)
    assert "bad.yaml, programme.colour: unknown field" in err.getvalue().splitlines()
    assert "bad.yaml, programme.kind: required field is missing" in err.getvalue().splitlines()
    assert Programme.objects.count() == 0


def test_unknown_programme_and_missing_file_are_errors(tmp_path):
    with pytest.raises(CommandError, match="No programme"):
        run("export", "nothing-here")
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.yaml"))
