"""The XLSForm pages: upload → preview → save or cancel, the export, and who may use them."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hemma.audit.models import AuditEvent
from hemma.surveys.models import Question, Survey
from hemma.surveys.tests.test_xlsform import kobo_sheets, workbook

pytestmark = pytest.mark.django_db

IMPORT = "/en/programmes/programme-a/surveys/import-xlsform/"
EXPORT = "/en/programmes/programme-a/surveys/invandrarenkat/2025/xlsform.xlsx"


@pytest.fixture(autouse=True)
def pending_files(settings, tmp_path, programme_a):
    """programme_a (2023–2025, region A) in every test; kept uploads in a folder of the
    test's own."""
    settings.DATA_DIR = tmp_path


def _upload(sheets=None, name="form.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook(sheets or kobo_sheets()))


def _preview(client, sheets=None, period="2025"):
    return client.post(IMPORT, {"file": _upload(sheets), "period": period})


def test_upload_preview_then_save_makes_the_survey(client_for, coordinator_region):
    client = client_for(coordinator_region)
    assert client.get(IMPORT).status_code == 200

    preview = _preview(client)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Did you get an interpreter?" not in page  # shown in the source language
    assert "Fick du tolk?" in page and "Arabic" in page and 'dir="rtl"' in page
    assert "deviceid" in page  # listed among the rows left out
    assert not Survey.objects.exists()

    saved = client.post(
        IMPORT, {"token": preview.context["token"], "period": "2025", "confirm": "1"}
    )

    assert saved.status_code == 302
    assert saved["Location"] == "/en/programmes/programme-a/surveys/invandrarenkat/2025/"
    survey = Survey.objects.get()
    assert (survey.key, survey.period, survey.languages) == (
        "invandrarenkat",
        "2025",
        ["sv", "fi", "en", "ar"],
    )
    assert Question.objects.filter(survey=survey).count() == 4
    assert AuditEvent.objects.filter(verb="import", target_type="surveys.survey").count() == 1
    # The kept file is gone: the same token saves nothing twice.
    again = client.post(IMPORT, {"token": preview.context["token"], "period": "2025"})
    assert again.status_code == 400
    assert Survey.objects.count() == 1


def test_a_cancelled_import_saves_nothing(client_for, coordinator_region):
    client = client_for(coordinator_region)
    preview = _preview(client)

    cancelled = client.post(IMPORT, {"token": preview.context["token"], "cancel": "1"})

    assert cancelled.status_code == 302
    assert not Survey.objects.exists()
    assert client.post(IMPORT, {"token": preview.context["token"]}).status_code == 400


def test_a_broken_file_shows_every_problem_by_sheet_row_and_column(client_for, coordinator_region):
    sheets = kobo_sheets()
    sheets["survey"][5][0] = "select_one missing_list"
    sheets["choices"][3][2] = ""  # row 4: "ar" of the languages list, in Swedish

    response = _preview(client_for(coordinator_region), sheets)

    assert response.status_code == 400
    where = [(p.file, p.row, p.column) for p in response.context["problems"]]
    assert where == [("survey", 6, "A (type)"), ("choices", 4, "C (label::Swedish (sv))")]
    page = response.content.decode()
    assert "missing_list" in page and "Nothing was saved" in page
    assert not Survey.objects.exists()


def test_a_file_that_is_not_an_xlsform_is_refused(client_for, coordinator_region):
    client = client_for(coordinator_region)

    not_xlsx = client.post(
        IMPORT, {"file": SimpleUploadedFile("form.csv", b"type,name"), "period": "2025"}
    )
    not_zip = client.post(
        IMPORT, {"file": SimpleUploadedFile("form.xlsx", b"type,name"), "period": "2025"}
    )

    assert not_xlsx.status_code == not_zip.status_code == 400
    assert ".xlsx" in not_xlsx.context["problems"][0].message
    assert "not an Excel workbook" in not_zip.context["problems"][0].message


def test_a_period_outside_the_programme_is_refused(client_for, coordinator_region):
    response = _preview(client_for(coordinator_region), period="2030")

    assert response.status_code == 400
    assert "period" in response.context["form"].errors


def test_another_users_preview_cannot_be_saved(client_for, coordinator_region, region_a):
    from hemma.accounts.models import Membership
    from hemma.tests import factories as f

    other = f.member(
        f.UserFactory(username="other_coordinator"),
        Membership.Role.REGION_COORDINATOR,
        region=region_a,
    )
    preview = _preview(client_for(coordinator_region))

    response = client_for(other).post(IMPORT, {"token": preview.context["token"], "period": "2025"})

    assert response.status_code == 400
    assert not Survey.objects.exists()


@pytest.mark.parametrize("user", ["coordinator_a", "viewer"])
def test_others_who_see_the_programme_are_forbidden(request, client_for, user):
    client = client_for(request.getfixturevalue(user))

    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": _upload(), "period": "2025"}).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert not Survey.objects.exists()


def test_another_region_does_not_see_the_programme(client_for, coordinator_b, programme_a):
    client = client_for(coordinator_b)

    assert client.get(IMPORT).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_anonymous_is_sent_to_log_in(client, programme_a):
    for address in (IMPORT, EXPORT):
        response = client.get(address)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def _import(client, sheets) -> None:
    preview = _preview(client, sheets)
    client.post(IMPORT, {"token": preview.context["token"], "period": "2025"})


def test_export_is_an_xlsform_in_a_fixed_number_of_queries(
    client_for, coordinator_region, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(coordinator_region)
    _import(client, kobo_sheets())

    with django_assert_max_num_queries(8) as small:
        response = client.get(EXPORT)
    queries = len(small)  # now: the next request clears the connection's log
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="invandrarenkat-2025.xlsx"'
    sheets = openpyxl.load_workbook(io.BytesIO(response.content))
    assert sheets.sheetnames == ["survey", "choices", "settings"]
    assert sheets["survey"]["C1"].value == "label::Swedish (sv)"

    Survey.objects.all().delete()
    larger = kobo_sheets()
    for number in range(20):
        larger["survey"].append(
            ["select_one yes_no", f"extra_{number}", "Fråga", "Kysymys", "Question", "سؤال"]
        )
    _import(client, larger)
    assert Question.objects.count() == 24
    with django_assert_num_queries(queries):
        assert client.get(EXPORT).status_code == 200


def test_export_of_a_survey_that_does_not_exist_is_404(client_for, coordinator_region):
    assert client_for(coordinator_region).get(EXPORT).status_code == 404
