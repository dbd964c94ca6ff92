"""Import from the web: upload, preview (a dry run), confirm; bad files change nothing."""

import os
import time

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from hemma.accounts.models import Membership
from hemma.audit.models import AuditEvent
from hemma.programmes import services
from hemma.programmes.interchange import exporting
from hemma.programmes.models import Action, Programme
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

IMPORT = "/en/programmes/import/"
IMPORT_INTO = "/en/programmes/programme-a/import/"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Uploads waiting for their confirmation go to a folder of the test's own."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def pending_files(data_dir) -> list[str]:
    folder = data_dir / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def document_of(programme, **changes) -> dict:
    document = exporting.programme_document(programme)
    document["programme"].update(changes)
    return document


def as_file(document, name="programme.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, yaml.safe_dump(document, allow_unicode=True).encode())


def upload(client, url, file):
    return client.post(url, {"file": file})


def token_of(response) -> str:
    html = response.content.decode()
    start = html.index('name="token" value="') + len('name="token" value="')
    return html[start : html.index('"', start)]


def test_a_changed_document_is_previewed_then_imported(
    client_for, coordinator_region, programme_a, action_a, data_dir
):
    # Given the programme's document with the action's title changed
    document = document_of(programme_a)
    action = document["programme"]["themes"][0]["goals"][0]["actions"][0]
    action["title"] = {"sv": "Nya möten"}
    client = client_for(coordinator_region)
    # When the coordinator uploads it
    preview = upload(client, IMPORT_INTO, as_file(document))
    # Then they see what would change, field by field, and nothing has changed yet
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Would be added: 0. Changed: 1. Removed: 0." in html
    assert (
        "Action (Swedish)</span>: <del>Åtgärd joint-meetings</del> → <ins>Nya möten</ins>" in html
    )
    action_a.refresh_from_db()
    assert action_a.title == {"sv": "Åtgärd joint-meetings"}
    assert len(pending_files(data_dir)) == 2  # the file and who it is for
    # When they confirm
    response = client.post(IMPORT_INTO, {"token": token_of(preview)}, follow=True)
    # Then the programme is changed, they are back at it with the counts, and the file is gone
    assert response.redirect_chain == [("/en/programmes/programme-a/", 302)]
    assert "Imported: 0 added, 1 changed, 0 removed." in response.content.decode()
    action_a.refresh_from_db()
    assert action_a.title == {"sv": "Nya möten"}
    assert AuditEvent.objects.filter(verb="import", programme_id=programme_a.pk).exists()
    assert pending_files(data_dir) == []


def test_a_new_programme_is_imported(client_for, coordinator_region, programme_a, action_a):
    document = document_of(programme_a, slug="programme-new")
    client = client_for(coordinator_region)
    preview = upload(client, IMPORT, as_file(document, "new.yaml"))
    assert "Would be added: 5. Changed: 0. Removed: 0." in preview.content.decode()
    assert not Programme.objects.filter(slug="programme-new").exists()
    response = client.post(IMPORT, {"token": token_of(preview)})
    assert response["Location"] == "/en/programmes/programme-new/"
    assert Programme.objects.get(slug="programme-new").actions.count() == 1


def test_a_json_document_is_read_too(client_for, coordinator_region, programme_a, action_a):
    document = document_of(programme_a, slug="programme-json")
    file = SimpleUploadedFile("programme.json", exporting.to_json(document).encode())
    response = upload(client_for(coordinator_region), IMPORT, file)
    assert response.status_code == 200
    assert "Preview of the import" in response.content.decode()


def test_a_confirmation_needs_the_preview_of_this_session(
    client_for, coordinator_region, programme_a, action_a, data_dir
):
    # Given a preview made by the coordinator
    document = document_of(programme_a)
    document["programme"]["themes"][0]["goals"][0]["actions"] = []
    client = client_for(coordinator_region)
    token = token_of(upload(client, IMPORT_INTO, as_file(document)))
    # When another coordinator of the region sends its token, or anyone a made-up one
    other = f.member(
        f.UserFactory(username="other"),
        Membership.Role.REGION_COORDINATOR,
        region=programme_a.region,
    )
    for sender, sent in ((client_for(other), token), (client, "x" * 32)):
        response = sender.post(IMPORT_INTO, {"token": sent})
        # Then nothing is imported
        assert response.status_code == 400
        assert "This preview has expired. Upload the file again." in response.content.decode()
    assert Action.objects.filter(pk=action_a.pk).exists()


def test_an_expired_preview_is_not_imported(
    client_for, coordinator_region, programme_a, action_a, data_dir
):
    document = document_of(programme_a)
    document["programme"]["themes"][0]["goals"][0]["actions"] = []
    client = client_for(coordinator_region)
    token = token_of(upload(client, IMPORT_INTO, as_file(document)))
    an_hour_ago = time.time() - 3601
    for path in (data_dir / "imports").iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert client.post(IMPORT_INTO, {"token": token}).status_code == 400
    assert Action.objects.filter(pk=action_a.pk).exists()
    # And the next upload sweeps the old files away
    services.pending_imports_sweep()
    assert pending_files(data_dir) == []


# -- bad files -------------------------------------------------------------------------------


def unknown_key(document):
    document["programme"]["themes"][0]["colour"] = "red"
    return yaml.safe_dump(document).encode()


def wrong_type(document):
    document["programme"]["period"]["start"] = "soon"
    return yaml.safe_dump(document).encode()


@pytest.mark.parametrize(
    ("name", "content", "where", "message"),
    [
        ("bad.yaml", lambda d: b"programme: [unclosed\n", "row 1", "This is not valid YAML"),
        (
            "unknown.yaml",
            unknown_key,
            "programme.themes[0].colour",
            "unknown field",
        ),
        ("wrong.yaml", wrong_type, "programme.period.start", "must be a whole number"),
        ("notes.txt", lambda d: b"hello", "notes.txt", "not “.txt”"),
        ("bad.json", lambda d: b"{", "row 1", "This is not valid JSON"),
    ],
)
def test_a_bad_file_shows_its_problems_and_changes_nothing(
    client_for, coordinator_region, programme_a, action_a, data_dir, name, content, where, message
):
    # When the coordinator uploads a bad file
    file = SimpleUploadedFile(name, content(exporting.programme_document(programme_a)))
    response = upload(client_for(coordinator_region), IMPORT_INTO, file)
    # Then they get the list of problems, saying where, and nothing changed or waits
    html = response.content.decode()
    assert response.status_code == 400
    assert "The file cannot be imported" in html
    assert where in html and message in html
    assert not AuditEvent.objects.exists()
    assert pending_files(data_dir) == []


def test_an_oversized_file_is_refused(client_for, coordinator_region, programme_a, settings):
    settings.HEMMA_MAX_IMPORT_BYTES = 1000
    file = as_file(exporting.programme_document(programme_a))
    response = upload(client_for(coordinator_region), IMPORT_INTO, file)
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()


def test_a_document_of_another_programme_is_refused_on_this_ones_page(
    client_for, coordinator_region, programme_a
):
    file = as_file(document_of(programme_a, slug="programme-new"))
    response = upload(client_for(coordinator_region), IMPORT_INTO, file)
    assert response.status_code == 400
    assert "This document is the programme “programme-new”" in response.content.decode()
    assert not Programme.objects.filter(slug="programme-new").exists()


def test_a_spreadsheet_belongs_to_a_programmes_page(client_for, coordinator_region, programme_a):
    client = client_for(coordinator_region)
    # The programme's page takes the action table too; the page for new programmes does not.
    assert 'accept=".yaml,.yml,.json,.xlsx,.csv"' in client.get(IMPORT_INTO).content.decode()
    assert 'accept=".yaml,.yml,.json"' in client.get(IMPORT).content.decode()
    response = upload(client, IMPORT, SimpleUploadedFile("table.xlsx", b"PK\x03\x04"))
    assert response.status_code == 400
    assert "import it from the programme&#x27;s own page" in response.content.decode()


def test_another_regions_coordinator_cannot_import_into_region_a(
    client_for, coordinator_b, programme_a
):
    # A document of region A's programme, under a new slug, sent by region B's coordinator
    file = as_file(document_of(programme_a, slug="programme-new"))
    response = upload(client_for(coordinator_b), IMPORT, file)
    assert response.status_code == 400
    assert "You may not import into the region “region-a”." in response.content.decode()
    assert not Programme.objects.filter(slug="programme-new").exists()


# -- who may import ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [IMPORT, IMPORT_INTO])
def test_a_region_coordinator_gets_the_upload_form(
    client_for, coordinator_region, programme_a, url
):
    response = client_for(coordinator_region).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html


@pytest.mark.parametrize("url", [IMPORT, IMPORT_INTO])
def test_the_empty_upload_form_shows_no_error(client_for, coordinator_region, programme_a, url):
    # When the coordinator opens the import page
    response = client_for(coordinator_region).get(url)
    # Then the form waits for a file without saying anything is wrong yet
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="file"' in html
    assert "This field is required." not in html
    assert 'aria-invalid="true"' not in html


def test_sending_no_file_says_one_is_needed(client_for, coordinator_region, programme_a):
    response = client_for(coordinator_region).post(IMPORT_INTO, {})
    assert "This field is required." in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_another_regions_coordinator_does_not_find_this_programmes_import(
    client_for, coordinator_b, programme_a
):
    assert client_for(coordinator_b).get(IMPORT_INTO).status_code == 404
    file = as_file(document_of(programme_a))
    assert upload(client_for(coordinator_b), IMPORT_INTO, file).status_code == 404


@pytest.mark.parametrize("url", [IMPORT, IMPORT_INTO])
@pytest.mark.parametrize("user", ["viewer", "coordinator_a"])
def test_readers_may_not_import(client_for, request, programme_a, action_a, url, user):
    client = client_for(request.getfixturevalue(user))
    assert client.get(url).status_code == 403
    document = document_of(programme_a)
    document["programme"]["themes"][0]["goals"][0]["actions"] = []
    assert upload(client, url, as_file(document)).status_code == 403
    assert Action.objects.filter(pk=action_a.pk).exists()


@pytest.mark.parametrize("url", [IMPORT, IMPORT_INTO])
def test_anonymous_is_sent_to_log_in(client, programme_a, url):
    assert "/accounts/login/" in client.get(url)["Location"]
    assert "/accounts/login/" in client.post(url)["Location"]
