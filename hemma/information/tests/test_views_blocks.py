"""A page's blocks (text, picture, contact, link, file), its files and its distribution list,
and who may change them."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hemma.information import services, translations
from hemma.information.models import Block, Distribution, Page, Upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def url(name: str, page: Page, *args) -> str:
    return reverse(f"information:{name}", args=[page.site.slug, page.slug, *args])


def png(name: str = "sopor.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 128, 0)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def source_words(page: Page, block: Block) -> dict:
    return page.versions.get(language="sv").texts[block.key]


def states(page: Page) -> dict[str, str]:
    page.refresh_from_db()
    return {
        s.language: s.state
        for s in translations.page_states(page, list(page.blocks.all()), list(page.versions.all()))
    }


def login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- adding blocks -----------------------------------------------------------------------------


def test_the_text_form_has_the_editor_and_its_toolbar(client_for, coordinator_a, page_a1):
    html = client_for(coordinator_a).get(url("block_add", page_a1, "text")).content.decode()
    assert "<h1>Add a block: Text</h1>" in html
    assert "hemma/editor.js" in html
    assert 'id="editor-toolbar"' in html and 'role="toolbar"' in html
    assert "<textarea" in html and "data-editor" in html
    for label in ("Bold", "Italic", "Heading", "Subheading", "Bulleted list", "Numbered list"):
        assert f">{label}</button>" in html
    assert 'aria-pressed="false"' in html


def test_a_text_blocks_html_is_cleaned_and_outdates_the_translations(
    client_for, coordinator_a, page_a1, superuser
):
    services.version_save(
        actor=superuser,
        page=page_a1,
        language="ar",
        title="السكن",
        summary="ما تحتاج معرفته.",
        texts={page_a1.blocks.get().key: {"html": "<p>هدوء</p>"}},
    )
    assert states(page_a1)["ar"] == translations.CURRENT
    response = client_for(coordinator_a).post(
        url("block_add", page_a1, "text"),
        {
            "html": '<h2 onclick="x()">Sopor</h2><script>alert(1)</script>'
            '<a href="javascript:x">l</a>'
        },
    )
    block = page_a1.blocks.get(kind="text", position=1)
    assert response.status_code == 302
    assert response["Location"] == url("page", page_a1) + f"#block-{block.key}"
    # The link whose address was removed is no link: its words stay, as text.
    assert source_words(page_a1, block) == {"html": "<h2>Sopor</h2>l"}
    assert states(page_a1)["ar"] != translations.CURRENT


def test_a_picture_is_added_with_its_image_caption_and_alt_text(client_for, coordinator_a, page_a1):
    response = client_for(coordinator_a).post(
        url("block_add", page_a1, "picture"),
        {"file": png(), "caption": "Bioavfall i brun kärl", "alt": "Ett brunt kärl med lock"},
    )
    assert response.status_code == 302
    block = page_a1.blocks.get(kind="picture")
    assert block.image.kind == Upload.Kind.IMAGE and block.image.content_type == "image/png"
    assert source_words(page_a1, block) == {
        "caption": "Bioavfall i brun kärl",
        "alt": "Ett brunt kärl med lock",
    }


def test_a_picture_without_alt_text_is_refused_and_nothing_is_kept(
    client_for, coordinator_a, page_a1
):
    response = client_for(coordinator_a).post(
        url("block_add", page_a1, "picture"), {"file": png(), "caption": "Bild"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_alt_error"' in html
    assert "What the picture shows" in html  # the help says what good alt text is
    assert not Upload.objects.exists()


def test_a_text_file_named_as_an_image_is_refused_naming_the_file(
    client_for, coordinator_a, page_a1, media
):
    fake = SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")
    response = client_for(coordinator_a).post(
        url("block_add", page_a1, "picture"), {"file": fake, "alt": "Något"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "photo.png" in html and 'id="id_file_error"' in html
    assert not Upload.objects.exists()
    assert not page_a1.blocks.filter(kind="picture").exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_file_block_keeps_its_pdf_as_the_source_languages_file(
    client_for, coordinator_a, page_a1
):
    response = client_for(coordinator_a).post(
        url("block_add", page_a1, "file"), {"file": pdf(), "label": "Guiden som PDF"}
    )
    assert response.status_code == 302
    block = page_a1.blocks.get(kind="file")
    upload = Upload.objects.get(kind=Upload.Kind.DOCUMENT)
    assert source_words(page_a1, block) == {"label": "Guiden som PDF", "upload": upload.key}


def test_a_file_that_is_not_a_pdf_is_refused(client_for, coordinator_a, page_a1):
    fake = SimpleUploadedFile("guide.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client_for(coordinator_a).post(
        url("block_add", page_a1, "file"), {"file": fake, "label": "Guiden"}
    )
    assert response.status_code == 200
    assert "guide.pdf" in response.content.decode()
    assert not Upload.objects.exists()


def test_contact_and_link_blocks_are_added(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)
    client.post(
        url("block_add", page_a1, "contact"),
        {
            "name": "Fastighetsskötseln",
            "details": "Vardagar 8–16",
            "phone": "+358 6 123 4567",
            "email": "fel@bostad.example",
        },
    )
    client.post(
        url("block_add", page_a1, "link"), {"url": "kommun.example/sopor", "label": "Sopor"}
    )
    contact = page_a1.blocks.get(kind="contact")
    link = page_a1.blocks.get(kind="link")
    assert (contact.phone, contact.email) == ("+358 6 123 4567", "fel@bostad.example")
    assert source_words(page_a1, contact) == {
        "name": "Fastighetsskötseln",
        "details": "Vardagar 8–16",
    }
    assert link.url == "https://kommun.example/sopor"
    assert source_words(page_a1, link) == {"label": "Sopor"}
    html = client.get(url("page", page_a1)).content.decode()
    assert "Fastighetsskötseln" in html and "https://kommun.example/sopor" in html


def test_an_unknown_kind_of_block_is_not_found(client_for, coordinator_a, page_a1):
    assert client_for(coordinator_a).get(url("block_add", page_a1, "video")).status_code == 404


# -- editing, moving and removing --------------------------------------------------------------


def test_a_new_image_replaces_the_old_and_keeps_the_words(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)
    client.post(url("block_add", page_a1, "picture"), {"file": png(), "alt": "Kärlet"})
    block = page_a1.blocks.get(kind="picture")
    old = block.image_id
    form = client.get(url("block_edit", page_a1, block.key)).content.decode()
    assert 'name="alt"' not in form  # the words are edited on the language's page
    response = client.post(url("block_edit", page_a1, block.key), {"file": png("ny.png")})
    block.refresh_from_db()
    assert response.status_code == 302
    assert block.image_id != old
    assert source_words(page_a1, block) == {"alt": "Kärlet"}


def test_a_links_address_is_changed(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)
    client.post(url("block_add", page_a1, "link"), {"url": "https://a.example", "label": "A"})
    block = page_a1.blocks.get(kind="link")
    client.post(url("block_edit", page_a1, block.key), {"url": "https://b.example/ny"})
    block.refresh_from_db()
    assert block.url == "https://b.example/ny"


def test_a_new_pdf_replaces_the_source_file_and_keeps_the_label(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)
    client.post(url("block_add", page_a1, "file"), {"file": pdf(), "label": "Guiden"})
    block = page_a1.blocks.get(kind="file")
    before = source_words(page_a1, block)["upload"]
    response = client.post(url("block_edit", page_a1, block.key), {"file": pdf("ny.pdf")})
    words = source_words(page_a1, block)
    assert response.status_code == 302
    assert words["label"] == "Guiden" and words["upload"] != before
    assert Upload.objects.get(key=words["upload"]).name == "ny.pdf"


def test_blocks_move_up_and_down(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)
    client.post(url("block_add", page_a1, "link"), {"url": "https://a.example", "label": "A"})
    _text, link = page_a1.blocks.order_by("position")
    response = client.post(url("block_move", page_a1, link.key), {"direction": "up"})
    assert response.status_code == 302
    assert [b.kind for b in page_a1.blocks.order_by("position")] == ["link", "text"]
    client.post(url("block_move", page_a1, link.key), {"direction": "down"})
    assert [b.kind for b in page_a1.blocks.order_by("position")] == ["text", "link"]
    assert client.get(url("block_move", page_a1, link.key)).status_code == 405


def test_a_block_is_removed_after_confirming(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)
    block = page_a1.blocks.get()
    page = client.get(url("block_delete", page_a1, block.key))
    assert page.status_code == 200 and page_a1.blocks.exists()
    response = client.post(url("block_delete", page_a1, block.key))
    assert response.status_code == 302
    assert not page_a1.blocks.exists()
    assert block.key not in page_a1.versions.get(language="sv").texts


def test_only_who_changes_the_site_changes_its_blocks(
    client, client_for, viewer_a1, translator_ar, coordinator_a2, coordinator_b, page_a1
):
    key = page_a1.blocks.get().key
    writes = [
        (url("block_add", page_a1, "link"), {"url": "https://a.example", "label": "A"}),
        (url("block_edit", page_a1, key), {}),
        (url("block_move", page_a1, key), {"direction": "down"}),
        (url("block_delete", page_a1, key), {}),
    ]
    for address, data in writes:
        assert client_for(viewer_a1).post(address, data).status_code == 403, address
        assert client_for(translator_ar).post(address, data).status_code == 403, address
        assert client_for(coordinator_a2).post(address, data).status_code == 404, address
        assert client_for(coordinator_b).post(address, data).status_code == 404, address
        assert login_redirect(client.post(address, data)), address
    assert list(page_a1.blocks.values_list("kind", flat=True)) == ["text"]


def test_a_refused_image_is_not_read_for_who_may_not_change_the_page(
    client_for, viewer_a1, page_a1
):
    response = client_for(viewer_a1).post(
        url("block_add", page_a1, "picture"), {"file": png(), "alt": "x"}
    )
    assert response.status_code == 403
    assert not Upload.objects.exists()


# -- files -------------------------------------------------------------------------------------


def test_an_image_is_served_inline_and_a_document_as_a_download_safely(
    client_for, coordinator_a, viewer_a1, page_a1
):
    client_for(coordinator_a).post(
        url("block_add", page_a1, "picture"), {"file": png(), "alt": "x"}
    )
    client_for(coordinator_a).post(
        url("block_add", page_a1, "file"), {"file": pdf("Guide.pdf"), "label": "G"}
    )
    image = Upload.objects.get(kind="image")
    document = Upload.objects.get(kind="document")
    reader = client_for(viewer_a1)

    response = reader.get(url("file", page_a1, image.key))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    response = reader.get(url("file", page_a1, document.key))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Guide.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_file_is_not_found_by_another_municipality_or_region(
    client, client_for, coordinator_a, coordinator_a2, coordinator_b, page_a1, site_b1, superuser
):
    client_for(coordinator_a).post(url("block_add", page_a1, "file"), {"file": pdf(), "label": "G"})
    key = Upload.objects.get().key
    assert client_for(coordinator_a2).get(url("file", page_a1, key)).status_code == 404
    assert client_for(coordinator_b).get(url("file", page_a1, key)).status_code == 404
    assert login_redirect(client.get(url("file", page_a1, key)))
    # A page's address does not reach another page's files.
    other = services.page_create(
        actor=superuser,
        site=page_a1.site,
        slug="annan",
        kind="page",
        topic="work",
        owner=page_a1.owner,
        title="Annan",
    )
    assert client_for(coordinator_a).get(url("file", other, key)).status_code == 404


# -- distribution ------------------------------------------------------------------------------


def test_a_print_run_is_recorded_and_removed(client_for, coordinator_a, page_a1, owner_a):
    client = client_for(coordinator_a)
    response = client.post(
        url("distribution_add", page_a1),
        {
            "channel": "print",
            "languages": ["sv", "ar"],
            "starts_on": "2025-03-01",
            "ends_on": "2025-12-31",
            "place": "Biblioteket och hälsocentralen",
            "copies": "300",
            "partner": str(owner_a.pk),
            "note": "Andra upplagan",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("page", page_a1) + "#distribution"
    distribution = Distribution.objects.get()
    assert distribution.copies == 300 and distribution.languages == ["sv", "ar"]
    assert distribution.starts_on == datetime.date(2025, 3, 1) and distribution.partner == owner_a

    confirm = client.get(url("distribution_delete", page_a1, distribution.pk))
    assert confirm.status_code == 200 and Distribution.objects.exists()
    client.post(url("distribution_delete", page_a1, distribution.pk))
    assert not Distribution.objects.exists()


def test_copies_of_anything_but_print_are_refused_at_the_field(client_for, coordinator_a, page_a1):
    response = client_for(coordinator_a).post(
        url("distribution_add", page_a1),
        {"channel": "social", "starts_on": "2025-03-01", "copies": "5"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only a print run has a number of copies." in html and 'id="id_copies_error"' in html
    assert not Distribution.objects.exists()


def test_only_who_changes_the_site_records_distribution(
    client, client_for, viewer_a1, translator_ar, coordinator_b, page_a1, superuser
):
    data = {"channel": "web", "starts_on": "2025-03-01"}
    kept = services.distribution_record(
        actor=superuser, page=page_a1, channel="web", starts_on=datetime.date(2025, 1, 1)
    )
    for address in (url("distribution_add", page_a1), url("distribution_delete", page_a1, kept.pk)):
        assert client_for(viewer_a1).post(address, data).status_code == 403
        assert client_for(translator_ar).post(address, data).status_code == 403
        assert client_for(coordinator_b).post(address, data).status_code == 404
        assert login_redirect(client.post(address, data))
    assert list(Distribution.objects.all()) == [kept]
