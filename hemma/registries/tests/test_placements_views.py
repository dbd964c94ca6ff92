"""Placements' pages: the list with its filters, export, the record form (add and edit),
removal, and the upload with its preview; every page's access."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hemma.accounts.models import Membership
from hemma.audit.models import AuditEvent
from hemma.followup.models import Round
from hemma.registries.models import Placement
from hemma.registries.services import placement_record
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

Kind = Placement.Kind
LIST = "/en/placements/"
ADD = "/en/placements/add/"
UPLOAD = "/en/placements/upload/"
EXPORT = "/en/placements/export."
HEAD = "Municipality code;Municipality;Unit;Kind of place;Period;Number of people;Note\n"


def edit_url(placement) -> str:
    return f"/en/placements/{placement.code}/edit/"


def delete_url(placement) -> str:
    return f"/en/placements/{placement.code}/delete/"


@pytest.fixture
def school(region_a):
    return f.OrganisationFactory(region=region_a, key="skolan", name={"sv": "Skolan"})


@pytest.fixture
def a1_unit(region_a, municipality_a1):
    return f.OrganisationFactory(
        region=region_a,
        key="a1-teknik",
        name={"sv": "Tekniska A-stad"},
        municipality=municipality_a1,
    )


@pytest.fixture
def a2_unit(region_a, municipality_a2):
    return f.OrganisationFactory(
        region=region_a,
        key="a2-bildning",
        name={"sv": "Bildning A-by"},
        municipality=municipality_a2,
    )


@pytest.fixture
def record(region_a, school):
    """record(municipality, people, period="2024", kind=work try-out, unit=school)."""

    def make(municipality, people, period="2024", kind=Kind.WORK_TRYOUT, unit=None, region=None):
        return placement_record(
            actor=None,
            region=region or region_a,
            municipality=municipality,
            unit=unit or school,
            kind=kind,
            period=period,
            people=people,
        )

    return make


@pytest.fixture
def placed(record, municipality_a1, municipality_a2):
    """A1: 14 work try-outs at the school in 2024, 6 jobs in 2023H1; A2: 3 try-outs in 2024."""
    record(municipality_a2, 3)
    record(municipality_a1, 6, period="2023H1", kind=Kind.JOB)
    return record(municipality_a1, 14)


def form_data(**fields):
    data = {
        "region": "region-a",
        "municipality": "101",
        "unit": "skolan",
        "kind": Kind.WORK_TRYOUT,
        "period": "2025",
        "people": "4",
        "note": "",
    }
    data.update(fields)
    return data


def csv_file(text: str, name: str = "placements.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# -- the list ----------------------------------------------------------------------------------


def test_the_list_shows_every_placement_of_the_region_with_the_total(
    client_for, coordinator_region, placed
):
    response = client_for(coordinator_region).get(LIST)
    assert response.status_code == 200
    assert "3 placements, 23 people in all" in response.text
    assert "Skolan" in response.text and "A-by" in response.text
    assert ">14<" in response.text and "2023H1" in response.text
    assert "Record a placement" in response.text and "Upload a file" in response.text
    assert edit_url(placed) in response.text


def test_a_small_number_is_shown_in_full_and_marked_as_never_published(
    client_for, coordinator_region, placed
):
    response = client_for(coordinator_region).get(LIST)
    assert ">3<abbr" in response.text
    assert ">14<abbr" not in response.text
    assert "Below 5: shown here in full, never published" in response.text


def test_the_filters_narrow_the_list(
    client_for, coordinator_region, record, municipality_a1, a1_unit, placed
):
    record(municipality_a1, 2, kind=Kind.APPRENTICESHIP, unit=a1_unit)
    client = client_for(coordinator_region)
    assert "1 placement, 3 people" in client.get(LIST, {"municipality": "102"}).text
    # A year takes its half-years too
    assert (
        "1 placement, 6 people" in client.get(LIST, {"period": "2023", "municipality": "101"}).text
    )
    assert "1 placement, 6 people" in client.get(LIST, {"period": "2023"}).text
    assert "3 placements, 19 people" in client.get(LIST, {"period": "2024"}).text
    assert "1 placement, 6 people" in client.get(LIST, {"kind": Kind.JOB}).text
    assert "1 placement, 2 people" in client.get(LIST, {"unit": "a1-teknik"}).text
    # A filter that is no choice finds nothing, and says so
    bad = client.get(LIST, {"period": "1999"})
    assert "0 placements" in bad.text and "Please correct the filters" in bad.text


def test_a_municipal_coordinator_sees_only_their_own_municipality(
    client_for, coordinator_a, placed
):
    response = client_for(coordinator_a).get(LIST)
    assert "2 placements, 20 people" in response.text
    assert "A-by" not in response.text


def test_another_regions_coordinator_sees_nothing(client_for, coordinator_b, placed):
    response = client_for(coordinator_b).get(LIST)
    assert response.status_code == 200
    assert "0 placements" in response.text
    assert "Skolan" not in response.text
    assert "Record a placement" not in response.text


def test_a_viewer_reads_the_list_but_is_offered_no_change(client_for, viewer, placed):
    response = client_for(viewer).get(LIST)
    assert ">14<" in response.text
    assert "Record a placement" not in response.text
    assert "Upload a file" not in response.text
    assert edit_url(placed) not in response.text


def test_an_organisation_reporter_sees_no_placement_and_records_none(
    client_for, region_a, school, placed
):
    reporter = f.UserFactory(username="reporter")
    Membership.objects.create(
        user=reporter,
        role=Membership.Role.ORGANISATION_REPORTER,
        region=region_a,
        organisation=school,
    )
    client = client_for(reporter)
    # The placements' pages are closed to them, and a placement does not exist for them
    for url in (LIST, ADD, UPLOAD, EXPORT + "csv"):
        assert client.get(url).status_code == 403, url
    assert client.post(ADD, form_data()).status_code == 403
    assert client.get(edit_url(placed)).status_code == 404
    assert client.post(delete_url(placed)).status_code == 404
    assert Placement.objects.count() == 3


def test_anonymous_is_sent_to_log_in_from_every_page(client, placed):
    pages = [LIST, ADD, UPLOAD, EXPORT + "csv", EXPORT + "xlsx", edit_url(placed)]
    pages.append(delete_url(placed))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
    for url in (ADD, UPLOAD, edit_url(placed), delete_url(placed)):
        response = client.post(url, form_data())
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
    assert Placement.objects.count() == 3


@pytest.mark.parametrize("size", [1, 12])
def test_the_list_reads_a_fixed_number_of_queries(
    client_for, coordinator_region, region_a, record, django_assert_num_queries, size
):
    # Given `size` municipalities, each with placements of two units, every kind, two periods
    for n in range(size):
        municipality = f.MunicipalityFactory(code=f"{300 + n}", region=region_a)
        units = [
            f.OrganisationFactory(region=region_a, key=f"unit-{n}-{u}", municipality=municipality)
            for u in range(2)
        ]
        for unit in units:
            for kind in Kind.values:
                for period in ("2024", "2024H1"):
                    record(municipality, 3 + n, period=period, kind=kind, unit=unit)
    client = client_for(coordinator_region)
    # Then the list, filtered or not, takes the same number of queries at every size
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert f"{size * 16} placements" in response.text
    with django_assert_num_queries(11):
        client.get(LIST, {"period": "2024", "kind": Kind.JOB, "page": "2"})


# -- export ------------------------------------------------------------------------------------


def test_the_export_holds_the_filtered_placements_in_the_upload_format(
    client_for, coordinator_region, placed
):
    client = client_for(coordinator_region)
    response = client.get(EXPORT + "csv", {"period": "2024"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Municipality code;Municipality;Unit;Unit name;Kind of place;Period;Number of people;Note"
    )
    assert "101;A-stad;skolan;Skolan;Work try-out;2024;14;" in lines
    assert "102;A-by;skolan;Skolan;Work try-out;2024;3;" in lines  # small: in full
    assert len(lines) == 3  # not the 2023H1 jobs
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(EXPORT + "xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Municipality code" and len(rows) == 4
    assert ("101", "A-stad", "skolan", "Skolan", "Work try-out", "2024", 14, None) in rows


def test_the_export_of_another_region_holds_nothing_of_region_a(client_for, coordinator_b, placed):
    text = client_for(coordinator_b).get(EXPORT + "csv").content.decode("utf-8-sig")
    assert "101" not in text and "Skolan" not in text


def test_an_unknown_export_format_is_not_found(client_for, coordinator_region):
    assert client_for(coordinator_region).get(EXPORT + "pdf").status_code == 404


# -- the record form -------------------------------------------------------------------------


def test_a_coordinator_records_a_placement(client_for, coordinator_region, municipality_a1, school):
    client = client_for(coordinator_region)
    page = client.get(ADD)
    assert page.status_code == 200
    assert 'name="people"' in page.text and "Number of people" in page.text
    response = client.post(ADD, form_data(period="2025H1", note="Via JobCenter"))
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.municipality.code, placement.unit.key, placement.period) == (
        "101",
        "skolan",
        "2025H1",
    )
    assert (placement.people, placement.note, placement.entered_by) == (
        4,
        "Via JobCenter",
        coordinator_region,
    )
    assert response["Location"] == f"{LIST}?municipality=101&period=2025"
    assert AuditEvent.objects.filter(verb="create", target_id=str(placement.pk)).exists()


def test_save_and_record_another_keeps_the_municipality_and_period(
    client_for, coordinator_region, municipality_a1, municipality_a2, school
):
    client = client_for(coordinator_region)
    response = client.post(ADD, {**form_data(municipality="102", period="2024Q3"), "another": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{ADD}?region=region-a&municipality=102&period=2024Q3"
    page = client.get(response["Location"])
    assert page.context["form"]["period"].value() == "2024Q3"
    assert page.context["form"]["municipality"].value() == "102"


def test_the_units_of_the_chosen_municipality_come_first(
    client_for, coordinator_region, coordinator_a, school, a1_unit, a2_unit
):
    # A region coordinator choosing A-by: its units, then the region's, then A-stad's
    page = client_for(coordinator_region).get(ADD, {"municipality": "102"})
    text = page.text
    assert text.index("Bildning A-by") < text.index("Skolan") < text.index("Tekniska A-stad")
    assert 'label="Units of A-by"' in text
    # A municipal coordinator of A-stad: theirs first; a neighbour's units are not offered
    own = client_for(coordinator_a).get(ADD).text
    assert own.index("Tekniska A-stad") < own.index("Skolan")
    assert "Bildning A-by" not in own


def test_a_placement_already_recorded_is_not_replaced_from_the_add_form(
    client_for, coordinator_region, placed
):
    response = client_for(coordinator_region).post(ADD, form_data(period="2024", people="99"))
    assert response.status_code == 400
    assert "already recorded for A-stad (14 people). Edit that one instead." in response.text
    assert Placement.objects.get(pk=placed.pk).people == 14


def test_bad_input_is_refused_at_its_field(
    client_for, coordinator_region, school, a2_unit, programme_a
):
    client = client_for(coordinator_region)
    multi = client.post(ADD, form_data(period="2023-2025"))
    assert multi.status_code == 400
    assert multi.context["form"].errors["period"]
    negative = client.post(ADD, form_data(people="-2"))
    assert negative.context["form"].errors["people"]
    wrong_unit = client.post(ADD, form_data(unit="a2-bildning"))
    assert "a unit of another municipality" in wrong_unit.context["form"].errors["unit"][0]
    Round.objects.create(
        programme=programme_a,
        period="2024",
        deadline=datetime.date(2025, 2, 1),
        state=Round.State.APPROVED,
    )
    locked = client.post(ADD, form_data(period="2024H2"))
    assert locked.status_code == 400
    assert "is approved and locked" in locked.context["form"].errors["period"][0]
    assert not Placement.objects.exists()


def test_a_municipal_coordinator_records_for_their_own_municipality_only(
    client_for, coordinator_a, municipality_a2, school
):
    client = client_for(coordinator_a)
    assert client.post(ADD, form_data()).status_code == 302
    # A neighbour's placements are not theirs to see: not found
    assert client.post(ADD, form_data(municipality="102")).status_code == 404
    assert client.get(ADD, {"municipality": "102"}).status_code == 404
    assert list(Placement.objects.values_list("municipality__code", flat=True)) == ["101"]


def test_a_viewer_may_not_record(client_for, viewer, school):
    client = client_for(viewer)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data()).status_code == 403
    assert not Placement.objects.exists()


def test_another_regions_coordinator_may_not_record_in_region_a(
    client_for, coordinator_b, municipality_a1, municipality_b1, school
):
    client = client_for(coordinator_b)
    assert client.get(ADD, {"region": "region-a"}).status_code == 404
    assert client.post(ADD, form_data()).status_code == 404
    # Their own region's form does not know A's municipality either
    assert client.post(ADD, {**form_data(), "region": ""}).status_code == 404
    assert not Placement.objects.exists()


# -- editing -----------------------------------------------------------------------------------


def test_a_coordinator_corrects_a_placement(client_for, coordinator_region, placed):
    client = client_for(coordinator_region)
    page = client.get(edit_url(placed))
    assert page.status_code == 200
    assert 'value="14"' in page.text and "Remove" in page.text
    version = page.context["form"]["version"].value()
    response = client.post(
        edit_url(placed), form_data(period="2024H2", people="15", version=version)
    )
    assert response.status_code == 302
    placed.refresh_from_db()
    assert (placed.period, placed.people) == ("2024H2", 15)
    event = AuditEvent.objects.get(verb="update", target_id=str(placed.pk))
    assert event.changes == {"period": ["2024", "2024H2"], "people": [14, 15]}


def test_a_placement_changed_meanwhile_is_not_overwritten(
    client_for, coordinator_region, record, municipality_a1, placed
):
    client = client_for(coordinator_region)
    version = client.get(edit_url(placed)).context["form"]["version"].value()
    record(municipality_a1, 16)  # someone else, meanwhile
    response = client.post(edit_url(placed), form_data(period="2024", people="15", version=version))
    assert response.status_code == 400
    assert "Someone else saved this placement meanwhile" in response.text
    assert Placement.objects.get(pk=placed.pk).people == 16


def test_edit_access(
    client_for, coordinator_a, viewer, coordinator_b, record, municipality_a2, placed
):
    theirs = Placement.objects.get(municipality=municipality_a2)
    assert client_for(coordinator_a).get(edit_url(placed)).status_code == 200
    # A neighbour's placement is not found for a municipal coordinator
    assert client_for(coordinator_a).get(edit_url(theirs)).status_code == 404
    assert client_for(coordinator_a).post(edit_url(theirs), form_data()).status_code == 404
    # A viewer may not; another region does not find it
    assert client_for(viewer).get(edit_url(placed)).status_code == 403
    assert client_for(viewer).post(edit_url(placed), form_data()).status_code == 403
    assert client_for(coordinator_b).get(edit_url(placed)).status_code == 404
    assert client_for(coordinator_b).post(edit_url(placed), form_data()).status_code == 404
    # Nor may a municipal coordinator move their own placement to the neighbour
    moved = client_for(coordinator_a).post(edit_url(placed), form_data(municipality="102"))
    assert moved.status_code == 404
    assert Placement.objects.get(pk=placed.pk).municipality.code == "101"
    assert Placement.objects.get(pk=theirs.pk).people == 3


# -- removal -----------------------------------------------------------------------------------


def test_a_coordinator_removes_a_placement_after_confirming(client_for, coordinator_region, placed):
    client = client_for(coordinator_region)
    page = client.get(delete_url(placed))
    assert page.status_code == 200
    assert "Remove the placement?" in page.text and "14 people" in page.text
    response = client.post(delete_url(placed))
    assert response.status_code == 302
    assert not Placement.objects.filter(pk=placed.pk).exists()
    assert AuditEvent.objects.filter(verb="delete", target_id=str(placed.pk)).exists()


def test_a_placement_of_an_approved_period_is_kept(
    client_for, coordinator_region, programme_a, placed
):
    Round.objects.create(
        programme=programme_a,
        period="2024",
        deadline=datetime.date(2025, 2, 1),
        state=Round.State.APPROVED,
    )
    response = client_for(coordinator_region).post(delete_url(placed))
    assert response.status_code == 400
    assert "is approved and locked" in response.text
    assert Placement.objects.filter(pk=placed.pk).exists()


def test_delete_access(client_for, coordinator_a, viewer, coordinator_b, municipality_a2, placed):
    theirs = Placement.objects.get(municipality=municipality_a2)
    assert client_for(viewer).get(delete_url(placed)).status_code == 403
    assert client_for(viewer).post(delete_url(placed)).status_code == 403
    assert client_for(coordinator_b).get(delete_url(placed)).status_code == 404
    assert client_for(coordinator_b).post(delete_url(placed)).status_code == 404
    assert client_for(coordinator_a).post(delete_url(theirs)).status_code == 404
    assert Placement.objects.count() == 3
    assert client_for(coordinator_a).post(delete_url(placed)).status_code == 302
    assert Placement.objects.count() == 2


# -- the upload --------------------------------------------------------------------------------


def test_an_upload_is_previewed_old_to_new_then_saved_when_confirmed(
    client_for, coordinator_region, placed
):
    client = client_for(coordinator_region)
    page = client.get(UPLOAD)
    assert page.status_code == 200
    # The format is on the page, in the user's language
    assert "Number of people" in page.text and "Work try-out" in page.text
    # When a file corrects A-stad's try-outs and gives A-by a job
    upload = csv_file(
        HEAD + "101;A-stad;skolan;Work try-out;2024;16;\n102;A-by;Skolan;Job;2024;2;\n"
    )
    preview = client.post(UPLOAD, {"file": upload})
    # Then the preview shows each change, and nothing is saved yet
    assert preview.status_code == 200
    assert "<del>14</del> → <ins>16</ins>" in preview.text
    assert "<ins>2</ins>" in preview.text
    assert "Save the placements" in preview.text
    assert Placement.objects.count() == 3
    token = preview.context["token"]
    # When they confirm, everything is saved
    saved = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert saved.status_code == 302
    assert Placement.objects.get(pk=placed.pk).people == 16
    assert Placement.objects.get(municipality__code="102", kind=Kind.JOB).people == 2
    # And the token cannot be used twice
    again = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert again.status_code == 400
    assert "This preview has expired" in again.text


def test_a_cancelled_upload_saves_nothing(client_for, coordinator_region, school, municipality_a1):
    client = client_for(coordinator_region)
    preview = client.post(UPLOAD, {"file": csv_file(HEAD + "101;;skolan;Job;2024;3;\n")})
    token = preview.context["token"]
    response = client.post(UPLOAD, {"token": token, "region": "region-a", "cancel": "1"})
    assert response.status_code == 302
    confirm = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert confirm.status_code == 400
    assert not Placement.objects.exists()


def test_a_file_with_problems_shows_them_by_row_and_column_and_cannot_be_saved(
    client_for, coordinator_region, school, municipality_a1
):
    upload = csv_file(
        HEAD
        + "101;;skolan;Job;2024;3;\n"
        + "101;;skolan;Internship;2024;3;\n"
        + "999;;skolan;Job;2023-2025;x;\n"
    )
    response = client_for(coordinator_region).post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    assert "The file cannot be imported" in response.text
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert problems == {(3, "D"), (4, "A"), (4, "E"), (4, "F")}
    assert "Save the placements" not in response.text
    assert response.context["token"] == ""
    assert not Placement.objects.exists()


def test_an_approved_period_in_a_file_is_a_problem_of_its_row(
    client_for, coordinator_region, school, municipality_a1, programme_a
):
    Round.objects.create(
        programme=programme_a,
        period="2024",
        deadline=datetime.date(2025, 2, 1),
        state=Round.State.APPROVED,
    )
    upload = csv_file(HEAD + "101;;skolan;Job;2025;3;\n101;;skolan;Job;2024Q2;3;\n")
    response = client_for(coordinator_region).post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert (problem.row, problem.column) == (3, "E")
    assert "is approved and locked" in problem.message
    assert not Placement.objects.exists()


def test_a_token_of_another_user_is_refused(
    client_for, coordinator_region, region_a, school, municipality_a1
):
    preview = client_for(coordinator_region).post(
        UPLOAD, {"file": csv_file(HEAD + "101;;skolan;Job;2024;3;\n")}
    )
    other = f.member(
        f.UserFactory(username="other"), Membership.Role.REGION_COORDINATOR, region=region_a
    )
    response = client_for(other).post(
        UPLOAD, {"token": preview.context["token"], "region": "region-a", "confirm": "1"}
    )
    assert response.status_code == 400
    assert not Placement.objects.exists()


def test_upload_access(
    client_for, coordinator_a, viewer, coordinator_b, school, municipality_a1, municipality_a2
):
    neighbour = csv_file(HEAD + "102;;skolan;Job;2024;3;\n")
    response = client_for(coordinator_a).post(UPLOAD, {"file": neighbour})
    assert response.status_code == 400
    assert "You may not record placements for A-by" in response.text
    assert client_for(viewer).get(UPLOAD).status_code == 403
    assert client_for(viewer).post(UPLOAD, {"file": neighbour}).status_code == 403
    assert client_for(coordinator_b).get(UPLOAD, {"region": "region-a"}).status_code == 404
    response = client_for(coordinator_b).post(
        UPLOAD, {"region": "region-a", "file": csv_file(HEAD + "101;;skolan;Job;2024;3;\n")}
    )
    assert response.status_code == 404
    assert not Placement.objects.exists()
