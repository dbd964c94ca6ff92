"""Uploads: an image is what it claims to be, is made smaller and keeps none of its hidden
data; a document is a PDF; anything too large is refused; a refused file names itself and
leaves nothing behind."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hemma.information import uploads
from hemma.information.models import Upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MAKE, MODEL, DATETIME = 0x010F, 0x0110, 0x0132


def photo(name: str = "photo.jpg", size=(3000, 2000), fmt: str = "JPEG") -> SimpleUploadedFile:
    """A real photo with a camera, a time and a place in its EXIF data."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[MAKE] = "Camera Maker"
    exif[MODEL] = "Model 7"
    exif[DATETIME] = "2025:06:01 12:00:00"
    exif[GPS_IFD] = {1: "N", 2: (63.0, 5.0, 0.0), 3: "E", 4: (21.0, 36.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_the_test_photo_has_the_exif_and_gps_data_that_must_go():
    with Image.open(io.BytesIO(photo().read())) as image:
        exif = image.getexif()
        assert exif[MAKE] == "Camera Maker"
        assert exif.get_ifd(GPS_IFD)


@pytest.mark.parametrize("name, fmt", [("photo.jpg", "JPEG"), ("photo.png", "PNG")])
def test_a_photo_is_stored_smaller_and_without_its_exif_and_place(
    page_a1, coordinator_a, settings, name, fmt
):
    settings.HEMMA_INFO_IMAGE_PIXELS = 800
    upload = uploads.image_store(actor=coordinator_a, page=page_a1, file=photo(name, fmt=fmt))
    assert (upload.width, upload.height) == (800, 533)
    with upload.file.open("rb") as stream, Image.open(stream) as stored:
        assert stored.format == fmt
        assert stored.size == (800, 533)
        assert not stored.getexif()
        assert "exif" not in stored.info
    with upload.file.open("rb") as stream:
        data = stream.read()
    assert b"Camera Maker" not in data and b"Model 7" not in data and b"2025:06:01" not in data
    assert upload.size == len(data)


def test_a_text_file_named_as_an_image_is_refused_naming_it_and_nothing_is_kept(
    page_a1, coordinator_a, media
):
    fake = SimpleUploadedFile("photo.png", b"just some words, not a picture", "image/png")
    with pytest.raises(ValidationError) as raised:
        uploads.image_store(actor=coordinator_a, page=page_a1, file=fake)
    assert "photo.png" in raised.value.messages[0]
    assert not Upload.objects.exists()
    assert stored_files(media) == []


def test_an_image_named_as_another_kind_of_image_is_refused(page_a1, coordinator_a):
    with pytest.raises(ValidationError) as raised:
        uploads.image_store(actor=coordinator_a, page=page_a1, file=photo("photo.png"))
    assert "photo.png" in raised.value.messages[0]
    assert "JPEG" in raised.value.messages[0]


def test_a_pdf_that_is_not_a_pdf_is_refused(page_a1, coordinator_a, media):
    fake = SimpleUploadedFile("guide.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ValidationError) as raised:
        uploads.document_store(actor=coordinator_a, page=page_a1, file=fake)
    assert "guide.pdf" in raised.value.messages[0]
    assert not Upload.objects.exists()
    assert stored_files(media) == []


def test_a_pdf_is_kept_under_a_clean_name(page_a1, coordinator_a):
    pdf = SimpleUploadedFile("../Guide för boende.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    upload = uploads.document_store(actor=coordinator_a, page=page_a1, file=pdf)
    assert upload.name == "Guide-for-boende.pdf"
    assert upload.content_type == "application/pdf"


def test_too_large_files_are_refused(page_a1, coordinator_a, settings, media):
    settings.HEMMA_INFO_MAX_IMAGE_BYTES = 1024
    settings.HEMMA_INFO_MAX_DOCUMENT_BYTES = 1024
    with pytest.raises(ValidationError) as raised:
        uploads.image_store(actor=coordinator_a, page=page_a1, file=photo("big.jpg"))
    assert "big.jpg" in raised.value.messages[0]
    pdf = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2048, "application/pdf")
    with pytest.raises(ValidationError) as raised:
        uploads.document_store(actor=coordinator_a, page=page_a1, file=pdf)
    assert "big.pdf" in raised.value.messages[0]
    assert not Upload.objects.exists()
    assert stored_files(media) == []
