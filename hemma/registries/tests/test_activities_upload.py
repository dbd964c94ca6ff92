"""The activities upload: upload → preview (old → new, problems by row and column) → confirm or
cancel; and who may use it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hemma.accounts.models import Membership
from hemma.audit.models import AuditEvent
from hemma.registries.models import Activity
from hemma.registries.tests.factories import ActivityFactory
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

UPLOAD = "/en/activities/upload/"
HEAD = "Title;Kind;Date;Municipalities;Participants;Code\n"


def _csv(text: str, name: str = "activities.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def cafe(region_a, municipality_a1):
    return ActivityFactory(
        region=region_a,
        title="Language café",
        kind=Activity.Kind.MEETING_PLACE,
        municipalities=[municipality_a1],
        participants=12,
        starts_on=datetime.date(2024, 3, 1),
    )


def test_an_upload_is_previewed_old_to_new_then_saved_when_confirmed(
    client_for, coordinator_region, cafe, municipality_a2
):
    client = client_for(coordinator_region)
    page = client.get(UPLOAD)
    assert page.status_code == 200
    assert "Programme actions" in page.text  # the format, headed in the user's language
    # When a file corrects the café's participants and adds an event in A-by
    upload = _csv(
        HEAD
        + f"Language café;Meeting place;2024-03-01;A-stad;15;{cafe.code}\n"
        + "Welcome evening;Event;5.9.2024;A-by;40;\n"
    )
    preview = client.post(UPLOAD, {"file": upload})
    # Then the preview shows each change, and nothing is saved yet
    assert preview.status_code == 200
    assert "Participants: <del>12</del> → <ins>15</ins>" in preview.text
    assert "Welcome evening" in preview.text and "<ins>A-by</ins>" in preview.text
    assert "New activities: 1. Activities changed: 1." in preview.text
    assert Activity.objects.count() == 1
    assert Activity.objects.get(pk=cafe.pk).participants == 12
    token = preview.context["token"]
    # When they confirm, everything is saved, through the services (audited)
    saved = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert saved.status_code == 302 and saved["Location"] == "/en/activities/"
    assert Activity.objects.get(pk=cafe.pk).participants == 15
    added = Activity.objects.get(title="Welcome evening")
    assert [m.code for m in added.municipalities.all()] == ["102"]
    assert AuditEvent.objects.filter(verb="create", target_id=str(added.pk)).exists()
    assert AuditEvent.objects.filter(verb="update", target_id=str(cafe.pk)).exists()
    # And the token cannot be used twice
    again = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert again.status_code == 400
    assert "This preview has expired" in again.text
    assert Activity.objects.count() == 2


def test_the_exported_list_uploads_back_with_nothing_to_change(
    client_for, coordinator_region, cafe
):
    client = client_for(coordinator_region)
    for format in ("csv", "xlsx"):
        exported = client.get(f"/en/activities/export.{format}")
        upload = SimpleUploadedFile(f"activities.{format}", exported.content)
        preview = client.post(UPLOAD, {"file": upload})
        assert preview.status_code == 200
        assert "nothing would change" in preview.text
        assert preview.context["token"] == ""


def test_a_cancelled_upload_saves_nothing(client_for, coordinator_region, municipality_a1):
    client = client_for(coordinator_region)
    preview = client.post(UPLOAD, {"file": _csv(HEAD + "Course;Course;2024-03-01;101;8;\n")})
    token = preview.context["token"]
    response = client.post(UPLOAD, {"token": token, "region": "region-a", "cancel": "1"})
    assert response.status_code == 302
    confirm = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert confirm.status_code == 400
    assert not Activity.objects.exists()


def test_a_file_with_problems_shows_them_by_row_and_column_and_cannot_be_saved(
    client_for, coordinator_region, municipality_a1
):
    client = client_for(coordinator_region)
    upload = _csv(
        HEAD
        + "Course;Course;2024-03-01;101;8;\n"
        + "Lecture;Lecture;someday;101;8;\n"
        + "Event;Event;2024-03-01;999;-3;\n"
    )
    response = client.post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    assert "The file cannot be imported" in response.text
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert problems == {(3, "C"), (4, "D"), (4, "E")}
    assert "“someday” is not a date" in response.text
    assert "Save the activities" not in response.text
    assert response.context["token"] == ""
    assert not Activity.objects.exists()


def test_a_file_without_the_required_columns_is_told_so(client_for, coordinator_region):
    response = client_for(coordinator_region).post(
        UPLOAD, {"file": _csv("Title;Participants\nCourse;8\n")}
    )
    assert response.status_code == 400
    assert "The heading row lacks the column(s) “Kind”, “Date”." in response.text


def test_a_file_of_another_kind_is_refused(client_for, coordinator_region):
    response = client_for(coordinator_region).post(
        UPLOAD, {"file": SimpleUploadedFile("activities.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 400
    assert "not “.pdf”" in response.text


def test_a_token_of_another_user_is_refused(
    client_for, coordinator_region, region_a, municipality_a1
):
    preview = client_for(coordinator_region).post(
        UPLOAD, {"file": _csv(HEAD + "Course;Course;2024-03-01;101;8;\n")}
    )
    other = f.member(
        f.UserFactory(username="other"), Membership.Role.REGION_COORDINATOR, region=region_a
    )
    response = client_for(other).post(
        UPLOAD, {"token": preview.context["token"], "region": "region-a", "confirm": "1"}
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


# -- who may upload ----------------------------------------------------------------------------


def test_a_municipal_coordinator_uploads_their_own_municipalitys_activities_only(
    client_for, coordinator_a, municipality_a1, municipality_a2
):
    client = client_for(coordinator_a)
    assert client.get(UPLOAD).status_code == 200
    # A neighbour's row is a problem of its row, not a refusal of the page
    mixed = _csv(HEAD + "Own;Event;2024-03-01;101;8;\nTheirs;Event;2024-03-01;102;8;\n")
    response = client.post(UPLOAD, {"file": mixed})
    assert response.status_code == 400
    assert {(p.row, p.column) for p in response.context["problems"]} == {(3, "D")}
    assert not Activity.objects.exists()
    # Their own rows alone are saved
    preview = client.post(UPLOAD, {"file": _csv(HEAD + "Own;Event;2024-03-01;101;8;\n")})
    assert preview.status_code == 200
    saved = client.post(
        UPLOAD, {"token": preview.context["token"], "region": "region-a", "confirm": "1"}
    )
    assert saved.status_code == 302
    assert Activity.objects.get().title == "Own"


def test_a_municipal_coordinator_cannot_change_a_shared_activity_by_its_code(
    client_for, coordinator_a, region_a, municipality_a1, municipality_a2
):
    shared = ActivityFactory(
        region=region_a, title="Shared", municipalities=[municipality_a1, municipality_a2]
    )
    response = client_for(coordinator_a).post(
        UPLOAD, {"file": _csv(HEAD + f"Mine;Event;2024-03-01;101;8;{shared.code}\n")}
    )
    assert response.status_code == 400
    assert "You may not change this activity." in response.text
    assert Activity.objects.get(pk=shared.pk).title == "Shared"


def test_a_viewer_may_not_upload(client_for, viewer, municipality_a1):
    client = client_for(viewer)
    assert client.get(UPLOAD).status_code == 403
    response = client.post(UPLOAD, {"file": _csv(HEAD + "Course;Course;2024-03-01;101;8;\n")})
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_another_regions_coordinator_may_not_upload_into_region_a(
    client_for, coordinator_b, region_a, municipality_a1, municipality_b1
):
    client = client_for(coordinator_b)
    assert client.get(UPLOAD, {"region": "region-a"}).status_code == 404
    response = client.post(
        UPLOAD, {"region": "region-a", "file": _csv(HEAD + "Course;Course;2024-03-01;101;8;\n")}
    )
    assert response.status_code == 404
    # Their own region's upload knows neither A's municipality nor A's activities
    cafe = ActivityFactory(region=region_a, title="A's café", municipalities=[municipality_a1])
    own = client.post(
        UPLOAD, {"file": _csv(HEAD + f"Course;Course;2024-03-01;101;8;{cafe.code}\n")}
    )
    assert own.status_code == 400
    messages = [p.message for p in own.context["problems"]]
    assert "Not a municipality of the region: “101”." in messages
    assert any(m.startswith("No such activity") for m in messages)
    assert Activity.objects.get(pk=cafe.pk).title == "A's café"
    assert Activity.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in(client, municipality_a1):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "login" in response["Location"]
    posted = client.post(UPLOAD, {"file": _csv(HEAD + "Course;Course;2024-03-01;101;8;\n")})
    assert posted.status_code == 302 and "login" in posted["Location"]
    assert not Activity.objects.exists()


def test_the_list_links_to_the_upload_for_those_who_may_add(client_for, coordinator_a, viewer):
    assert UPLOAD in client_for(coordinator_a).get("/en/activities/").text
    assert UPLOAD not in client_for(viewer).get("/en/activities/").text
