"""Deleting a page: only one never published in any language (a published page is counted
as material made, and is withdrawn instead), with its files gone from storage, an audit row,
and the four access tests."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from PIL import Image

from hemma.audit.models import AuditEvent
from hemma.information import services
from hemma.information.models import Block, Distribution, Page, Revision, Upload, Version

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def url(name: str, page: Page) -> str:
    return reverse(f"information:{name}", args=[page.site.slug, page.slug])


def login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 128, 0)).save(out, format="PNG")
    return SimpleUploadedFile("sopor.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def page_with_files(page_a1, superuser):
    """page_a1 with a picture block, a file block and a print run recorded: never published."""
    services.block_add_with_file(
        actor=superuser, page=page_a1, kind=Block.Kind.PICTURE, file=_png(), texts={"alt": "Kärl"}
    )
    services.block_add_with_file(
        actor=superuser,
        page=page_a1,
        kind=Block.Kind.FILE,
        file=SimpleUploadedFile("guide.pdf", PDF, content_type="application/pdf"),
        texts={"label": "Guiden"},
    )
    services.distribution_record(
        actor=superuser, page=page_a1, channel="print", starts_on="2025-03-01", copies=100
    )
    return page_a1


def test_a_page_never_published_is_deleted_with_everything_of_it_and_its_files(
    client_for, coordinator_a, page_with_files, media, django_capture_on_commit_callbacks
):
    page = page_with_files
    files = [media / upload.file.name for upload in page.uploads.all()]
    assert len(files) == 2 and all(path.exists() for path in files)
    client = client_for(coordinator_a)

    confirm = client.get(url("page_delete", page))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "<h1>Delete the page?</h1>" in html
    assert ">Delete the page</button>" in html
    assert Page.objects.filter(pk=page.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("page_delete", page))

    assert response.status_code == 302
    assert response["Location"] == reverse("information:site", args=[page.site.slug])
    assert "The page was deleted." in _messages(response)
    assert not Page.objects.filter(pk=page.pk).exists()
    for model in (Block, Version, Upload, Distribution):
        assert not model.objects.filter(page_id=page.pk).exists(), model
    assert not Revision.objects.filter(version__page_id=page.pk).exists()
    assert not any(path.exists() for path in files)
    event = AuditEvent.objects.get(verb="delete", target_type__endswith="page")
    assert event.actor == coordinator_a
    assert event.changes["slug"] == ["boende", None]


def test_a_page_published_in_any_language_is_not_deleted_and_says_to_withdraw_it(
    client_for, coordinator_a, page_a1, superuser, media
):
    version = page_a1.versions.get(language="sv")
    services.version_publish(actor=superuser, version=version)
    # Withdrawn, it still counts as made: it stays.
    services.version_withdraw(actor=superuser, version=version)
    client = client_for(coordinator_a)

    confirm = client.get(url("page_delete", page_a1)).content.decode()
    assert "Withdraw it from the public site instead" in confirm
    assert ">Delete the page</button>" not in confirm
    assert url("page", page_a1) + "#languages" in confirm

    response = client.post(url("page_delete", page_a1))

    assert response.status_code == 302
    assert response["Location"] == url("page", page_a1) + "#languages"
    assert any("Withdraw it from the public site instead" in m for m in _messages(response))
    assert Page.objects.filter(pk=page_a1.pk).exists()
    with pytest.raises(ValidationError):
        services.page_delete(actor=superuser, page=page_a1)
    assert not AuditEvent.objects.filter(verb="delete", target_type__endswith="page").exists()


def test_the_page_overview_offers_deleting_only_to_who_changes_the_site(
    client_for, coordinator_a, viewer_a1, page_a1
):
    delete = url("page_delete", page_a1)
    assert delete in client_for(coordinator_a).get(url("page", page_a1)).content.decode()
    assert delete not in client_for(viewer_a1).get(url("page", page_a1)).content.decode()


def test_only_who_changes_the_site_deletes_its_pages(
    client, client_for, viewer_a1, translator_ar, coordinator_a2, coordinator_b, page_a1
):
    delete = url("page_delete", page_a1)
    for method in ("get", "post"):
        assert getattr(client_for(viewer_a1), method)(delete).status_code == 403, method
        assert getattr(client_for(translator_ar), method)(delete).status_code == 403, method
        # Another municipality's page, and another region's, do not exist for them.
        assert getattr(client_for(coordinator_a2), method)(delete).status_code == 404, method
        assert getattr(client_for(coordinator_b), method)(delete).status_code == 404, method
        assert login_redirect(getattr(client, method)(delete)), method
    assert Page.objects.filter(pk=page_a1.pk).exists()


def test_the_service_refuses_who_may_not_change_the_site(viewer_a1, coordinator_b, page_a1):
    with pytest.raises(PermissionDenied):
        services.page_delete(actor=viewer_a1, page=page_a1)
    with pytest.raises(Http404):
        services.page_delete(actor=coordinator_b, page=page_a1)
    assert Page.objects.filter(pk=page_a1.pk).exists()
