"""Values by file on the web: download, upload, preview, confirm or cancel; who may."""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from hemma.followup.models import Measurement, Round
from hemma.followup.services import measurement_record
from hemma.lib.problems import Problem, grouped_by_rows
from hemma.programmes.models import Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

HEADING = ["Action key", "Indicator key", "Municipality code", "Period", "Value", "Version"]


def download_url(programme, period="2024", place="all", fmt="xlsx"):
    return reverse(
        "followup:values_download",
        kwargs={"slug": programme.slug, "period": period, "place": place, "fmt": fmt},
    )


def upload_url(programme):
    return reverse("followup:values_upload", args=[programme.slug])


def record(indicator, *, municipality="101", period="2024", version=None, **values):
    return measurement_record(
        actor=None,
        indicator=indicator,
        municipality=municipality,
        period=period,
        values=values,
        version=version,
        source=Measurement.Source.WEB,
    )


def csv_upload(rows, name="values.csv"):
    stream = io.StringIO()
    csv.writer(stream, delimiter=";").writerows(rows)
    return SimpleUploadedFile(name, stream.getvalue().encode("utf-8"))


def upload(client, programme, file):
    return client.post(upload_url(programme), {"file": file})


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the preview offers no confirmation"
    return match[1]


def confirm(client, programme, token):
    return client.post(upload_url(programme), {"token": token, "confirm": "1"})


def rows_of(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


# -- download: access ------------------------------------------------------------------------


def test_a_coordinator_downloads_the_values_filled_in(
    client_for, coordinator_region, programme_a, band_indicator
):
    record(band_indicator, number=3)

    response = client_for(coordinator_region).get(download_url(programme_a))

    assert response.status_code == 200
    assert 'filename="programme-a-2024-all.xlsx"' in response["Content-Disposition"]
    rows = rows_of(response)
    heading = rows[0]
    filled = [r for r in rows[1:] if r[heading.index("Value")] is not None]
    assert [
        (
            r[heading.index("Municipality code")],
            r[heading.index("Value")],
            r[heading.index("Version")],
        )
        for r in filled
    ] == [("101", 3, 1)]
    # the region first, then each municipality
    assert [r[heading.index("Municipality code")] for r in rows[1:]] == ["region", "101", "102"]


def test_a_viewer_may_download_a_sheet(client_for, viewer, programme_a):
    response = client_for(viewer).get(download_url(programme_a, place="102", fmt="csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").splitlines()[1].split(";")[7] == "102"


def test_another_regions_programme_cannot_be_downloaded(client_for, coordinator_b, programme_a):
    assert client_for(coordinator_b).get(download_url(programme_a)).status_code == 404


def test_downloading_needs_a_login(client, programme_a):
    response = client.get(download_url(programme_a))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("period", "place"), [("2030", "all"), ("2024", "999"), ("2024", "201")])
def test_an_unknown_period_or_place_is_not_found(
    client_for, coordinator_region, programme_a, municipality_b1, period, place
):
    assert (
        client_for(coordinator_region).get(download_url(programme_a, period, place)).status_code
        == 404
    )


def _grow(programme, region, n: int) -> None:
    """n more municipalities, actions with indicators, and a value for each."""
    for i in range(n):
        municipality = f.MunicipalityFactory(code=f"{300 + i}", region=region)
        programme.municipalities.add(municipality)
        made = f.IndicatorFactory(
            action__goal__theme__programme=programme, kind=Indicator.Kind.COUNT
        )
        indicator = Indicator.objects.select_related("action__programme").get(pk=made.pk)  # type: ignore[attr-defined]
        record(indicator, municipality=municipality.code, number=i + 1)


@pytest.mark.parametrize("size", [1, 6])
def test_the_download_reads_a_fixed_number_of_queries(
    size, client_for, coordinator_region, programme_a, region_a, django_assert_max_num_queries
):
    _grow(programme_a, region_a, size)
    client = client_for(coordinator_region)

    with django_assert_max_num_queries(7):
        response = client.get(download_url(programme_a))

    assert response.status_code == 200
    assert len(rows_of(response)) > 1 + size


@pytest.mark.parametrize("size", [1, 6])
def test_the_upload_page_reads_a_fixed_number_of_queries(
    size, client_for, coordinator_a, programme_a, region_a, django_assert_max_num_queries
):
    _grow(programme_a, region_a, size)
    client = client_for(coordinator_a)

    with django_assert_max_num_queries(9):
        response = client.get(upload_url(programme_a))

    assert response.status_code == 200


# -- upload: access --------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["coordinator_region", "coordinator_a"])
def test_a_coordinator_sees_the_upload_page(user, request, client_for, programme_a):
    response = client_for(request.getfixturevalue(user)).get(upload_url(programme_a))

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()
    assert download_url(programme_a, "2024", "101", "xlsx") in response.content.decode()


def test_a_viewer_may_not_upload(client_for, viewer, programme_a):
    assert client_for(viewer).get(upload_url(programme_a)).status_code == 403
    assert upload(client_for(viewer), programme_a, csv_upload([HEADING])).status_code == 403


def test_another_regions_programme_has_no_upload_page(client_for, coordinator_b, programme_a):
    assert client_for(coordinator_b).get(upload_url(programme_a)).status_code == 404


def test_uploading_needs_a_login(client, programme_a):
    response = client.get(upload_url(programme_a))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# -- upload: preview, confirm, cancel --------------------------------------------------------


def test_a_download_uploaded_unchanged_changes_nothing(
    client_for, coordinator_region, programme_a, band_indicator
):
    record(band_indicator, number=3)
    client = client_for(coordinator_region)
    sheet = client.get(download_url(programme_a)).content

    response = upload(client, programme_a, SimpleUploadedFile("values.xlsx", sheet))

    assert response.status_code == 200
    text = response.content.decode()
    assert "nothing would change" in text
    assert "Unchanged rows: 1" in text
    assert 'name="token"' not in text


def test_the_preview_lists_each_change_and_saves_nothing_until_confirmed(
    client_for, coordinator_region, programme_a, band_indicator
):
    stored = record(band_indicator, number=2)
    client = client_for(coordinator_region)
    file = csv_upload(
        [
            HEADING,
            ["joint-meetings", band_indicator.key, "101", "2024", "3", str(stored.version)],
            ["joint-meetings", band_indicator.key, "region", "2024", "4", ""],
        ]
    )

    preview = upload(client, programme_a, file)

    text = preview.content.decode()
    assert preview.status_code == 200
    assert "Changes: 2 (new values: 1)" in text
    assert "<del>2</del> → <ins>3</ins>" in text
    assert Measurement.objects.get(municipality__code="101").number == 2
    assert not Measurement.objects.filter(municipality__isnull=True).exists()

    saved = confirm(client, programme_a, token_of(preview))

    assert saved.status_code == 302
    assert Measurement.objects.get(municipality__code="101").number == 3
    region = Measurement.objects.get(municipality__isnull=True)
    assert (region.number, region.source, region.entered_by) == (
        4,
        Measurement.Source.FILE,
        coordinator_region,
    )
    followed = client.get(saved["Location"])
    assert "Saved: 1 new values, 1 changed." in followed.content.decode()


def test_cancel_saves_nothing_and_the_token_is_spent(
    client_for, coordinator_region, programme_a, band_indicator
):
    client = client_for(coordinator_region)
    preview = upload(
        client,
        programme_a,
        csv_upload([HEADING, ["joint-meetings", band_indicator.key, "101", "2024", "3", ""]]),
    )
    token = token_of(preview)

    cancelled = client.post(upload_url(programme_a), {"token": token, "cancel": "1"})

    assert cancelled.status_code == 302
    assert not Measurement.objects.exists()
    again = confirm(client, programme_a, token)
    assert again.status_code == 400
    assert "expired" in again.content.decode()
    assert not Measurement.objects.exists()


def test_a_token_from_another_session_confirms_nothing(
    client_for, coordinator_region, programme_a, band_indicator
):
    preview = upload(
        client_for(coordinator_region),
        programme_a,
        csv_upload([HEADING, ["joint-meetings", band_indicator.key, "101", "2024", "3", ""]]),
    )

    other = client_for(coordinator_region)
    response = confirm(other, programme_a, token_of(preview))

    assert response.status_code == 400
    assert not Measurement.objects.exists()


def test_problems_are_listed_by_row_and_column_and_nothing_is_saved(
    client_for, coordinator_region, programme_a, band_indicator
):
    client = client_for(coordinator_region)
    file = csv_upload(
        [
            HEADING,
            ["joint-meetings", band_indicator.key, "101", "2024", "3", ""],
            ["joint-meetings", band_indicator.key, "102", "2024", "many", ""],
            ["joint-meetings", band_indicator.key, "101", "2019", "3", ""],
        ]
    )

    response = upload(client, programme_a, file)

    assert response.status_code == 400
    text = response.content.decode()
    assert 'name="token"' not in text
    problems = re.findall(r"<td>row (\d+)</td>\s*<td>([A-Z]+)</td>\s*<td>([^<]+)</td>", text)
    assert problems == [("3", "E", "Value"), ("4", "D", "Period")]
    assert "outside the programme" in text
    assert not Measurement.objects.exists()


def test_a_value_of_a_field_its_kind_lacks_is_refused_at_that_column(
    client_for, coordinator_region, programme_a, band_indicator
):
    file = csv_upload(
        [
            [*HEADING, "Participants"],
            ["joint-meetings", band_indicator.key, "101", "2024", "3", "", "12"],
        ]
    )

    response = upload(client_for(coordinator_region), programme_a, file)

    assert response.status_code == 400
    assert re.search(
        r"<td>row 2</td>\s*<td>G</td>\s*<td>Participants</td>", response.content.decode()
    )


def test_a_row_of_a_locked_period_is_refused(
    client_for, coordinator_region, programme_a, band_indicator
):
    Round.objects.create(
        programme=programme_a,
        period="2024",
        deadline=datetime.date(2025, 1, 31),
        state=Round.State.APPROVED,
    )
    file = csv_upload([HEADING, ["joint-meetings", band_indicator.key, "101", "2024", "3", ""]])

    response = upload(client_for(coordinator_region), programme_a, file)

    assert response.status_code == 400
    text = response.content.decode()
    assert re.search(r"<td>row 2</td>\s*<td>D</td>\s*<td>Period</td>", text)
    assert "approved and locked" in text
    assert not Measurement.objects.exists()


def test_the_confirmation_is_all_or_nothing(
    client_for, coordinator_region, programme_a, band_indicator
):
    # Given a preview of two good rows
    client = client_for(coordinator_region)
    preview = upload(
        client,
        programme_a,
        csv_upload(
            [
                HEADING,
                ["joint-meetings", band_indicator.key, "101", "2023", "3", ""],
                ["joint-meetings", band_indicator.key, "101", "2024", "3", ""],
            ]
        ),
    )
    # and 2024 is approved and locked before it is confirmed
    Round.objects.create(
        programme=programme_a,
        period="2024",
        deadline=datetime.date(2025, 1, 31),
        state=Round.State.APPROVED,
    )

    response = confirm(client, programme_a, token_of(preview))

    assert response.status_code == 400
    assert re.search(r"<td>row 3</td>\s*<td>D</td>", response.content.decode())
    assert not Measurement.objects.exists()


def test_a_row_changed_by_someone_else_since_the_download_is_refused(
    client_for, coordinator_region, programme_a, band_indicator
):
    # Given a sheet downloaded with value 2 (version 1)
    record(band_indicator, number=2)
    client = client_for(coordinator_region)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(download_url(programme_a, place="101")).content)
    )
    # and someone changes the value meanwhile
    record(band_indicator, number=4, version=1)
    Measurement.objects.update(entered_by_name="kollega")
    # When the sheet comes back with the value made 3
    sheet = workbook.active
    heading = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=heading.index("Value") + 1, value=3)
    stream = io.BytesIO()
    workbook.save(stream)

    response = upload(client, programme_a, SimpleUploadedFile("values.xlsx", stream.getvalue()))

    # Then the row is refused, saying who changed it to what, and the other's value stays
    assert response.status_code == 400
    text = response.content.decode()
    assert re.search(r"<td>row 2</td>\s*<td>Q</td>\s*<td>Version</td>", text)
    assert "kollega" in text
    assert Measurement.objects.get().number == Decimal(4)


def test_a_municipal_coordinator_records_for_their_own_municipality_only(
    client_for, coordinator_a, programme_a, band_indicator
):
    client = client_for(coordinator_a)
    file = csv_upload(
        [
            HEADING,
            ["joint-meetings", band_indicator.key, "101", "2024", "3", ""],
            ["joint-meetings", band_indicator.key, "102", "2024", "3", ""],
        ]
    )

    response = upload(client, programme_a, file)

    assert response.status_code == 400
    text = response.content.decode()
    assert re.search(r"<td>row 3</td>\s*<td>C</td>\s*<td>Municipality code</td>", text)
    assert "You may not record values for A-by" in text
    assert not Measurement.objects.exists()

    good = upload(
        client,
        programme_a,
        csv_upload([HEADING, ["joint-meetings", band_indicator.key, "101", "2024", "3", ""]]),
    )
    assert confirm(client, programme_a, token_of(good)).status_code == 302
    assert Measurement.objects.get().municipality.code == "101"


def test_a_formula_in_an_uploaded_workbook_is_refused(
    client_for, coordinator_region, programme_a, band_indicator
):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADING)
    workbook.active.append(["joint-meetings", band_indicator.key, "101", "2024", "=2+1", None])
    stream = io.BytesIO()
    workbook.save(stream)

    response = upload(
        client_for(coordinator_region),
        programme_a,
        SimpleUploadedFile("values.xlsx", stream.getvalue()),
    )

    assert response.status_code == 400
    assert "holds a formula" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_file_over_the_size_limit_is_refused(
    settings, client_for, coordinator_region, programme_a
):
    settings.HEMMA_MAX_IMPORT_BYTES = 100

    response = upload(
        client_for(coordinator_region), programme_a, SimpleUploadedFile("values.csv", b"x" * 200)
    )

    assert response.status_code == 400
    assert "larger than" in response.content.decode()


# -- problems said once for many rows ----------------------------------------------------------


def test_a_whole_sheet_of_a_locked_period_is_refused_once_for_all_its_rows(
    client_for, coordinator_region, programme_a, indicator_of
):
    # Given ten indicators filled in for both municipalities: rows 2–21 of a 2024 sheet
    indicators = [indicator_of(Indicator.Kind.COUNT) for _n in range(10)]
    rows = [
        ["joint-meetings", indicator.key, code, "2024", "3", ""]
        for indicator in indicators
        for code in ("101", "102")
    ]
    # and 2024 approved and locked
    Round.objects.create(
        programme=programme_a,
        period="2024",
        deadline=datetime.date(2025, 1, 31),
        state=Round.State.APPROVED,
    )

    response = upload(client_for(coordinator_region), programme_a, csv_upload([HEADING, *rows]))

    # Then the lock is one problem for all twenty rows, in a column headed "Row"
    assert response.status_code == 400
    text = response.content.decode()
    assert "Hemma found 1 problem." in text
    assert text.count("approved and locked") == 1
    assert re.search(r"<td>rows 2–21</td>\s*<td>D</td>\s*<td>Period</td>", text)
    assert '<th scope="col">Row</th>' in text and "Row or path" not in text
    assert not Measurement.objects.exists()


def test_the_same_problem_is_grouped_only_over_consecutive_rows():
    # Given the same problem in rows 2, 3, 4 and 6, and another in row 3
    same = [Problem("Locked", file="v.csv", row=row, column="D") for row in (2, 3, 4, 6)]
    other = Problem("Give a number.", file="v.csv", row=3, column="E")
    # When they are grouped
    grouped = grouped_by_rows([same[0], same[1], other, same[2], same[3]])
    # Then rows 2–4 are one problem, row 6 another, and the other stays as it was
    assert [(p.message, p.row, p.last_row) for p in grouped] == [
        ("Locked", 2, 4),
        ("Give a number.", 3, None),
        ("Locked", 6, None),
    ]
    assert grouped[0].where == "v.csv, rows 2–4, column D"


def test_the_programme_import_still_heads_its_problems_row_or_path():
    html = render_to_string(
        "programmes/_problems.html",
        {"problems": [Problem("Unknown key", file="p.yaml", path="programme.themes[0]")]},
    )
    assert '<th scope="col">Row or path</th>' in html
