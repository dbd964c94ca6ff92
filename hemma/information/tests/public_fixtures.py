"""Published pages for the tests of the public information sites (test_public_*.py,
test_uses.py and the browser tests), beside tests/conftest.py's.

- published_page: page_a1 published in Swedish, and in Arabic (a current translation)
- full_page: a page of site_a1 with a block of every kind (text, picture, contact, link,
  file), published in Swedish and Arabic, each language with its own PDF
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hemma.information import services, uploads
from hemma.information.models import Block, Page, Version

# The fixtures, for a test module's `from … import *` (the helpers are imported by name).
__all__ = ["full_page", "media", "published_page"]

ARABIC_TITLE = "السكن في عمارة"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name: str = "sopor.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def translate_arabic(page: Page, actor) -> Version:
    """Page_a1's Arabic version, current against its Swedish source."""
    source = page.versions.get(language="sv")
    texts = {
        key: {"html": "<p>الهدوء من الساعة 22 إلى 7.</p>"}
        for key, words in source.texts.items()
        if "html" in words
    }
    return services.version_save(
        actor=actor,
        page=page,
        language="ar",
        title=ARABIC_TITLE,
        summary="ما تحتاج معرفته.",
        texts=texts,
    )


def publish(page: Page, language: str, actor, outdated_ok: bool = False) -> Version:
    version = page.versions.get(language=language)
    return services.version_publish(actor=actor, version=version, outdated_ok=outdated_ok)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def published_page(page_a1, superuser):
    publish(page_a1, "sv", superuser)
    translate_arabic(page_a1, superuser)
    publish(page_a1, "ar", superuser)
    return page_a1


@pytest.fixture
def full_page(site_a1, owner_a, superuser, media):
    page = services.page_create(
        actor=superuser,
        site=site_a1,
        slug="sortering",
        kind=Page.Kind.PAGE,
        topic=Page.Topic.HOUSING,
        owner=owner_a,
        title="Sortera avfallet",
        summary="Så sorterar du soporna i huset.",
    )
    image = uploads.image_store(actor=superuser, page=page, file=png())
    sv_pdf = uploads.document_store(actor=superuser, page=page, file=pdf("sortering-sv.pdf"))
    ar_pdf = uploads.document_store(actor=superuser, page=page, file=pdf("sortering-ar.pdf"))
    text = services.block_add(
        actor=superuser,
        page=page,
        kind=Block.Kind.TEXT,
        texts={"html": "<p>Bioavfall i <strong>bruna</strong> kärlet.</p>"},
    )
    picture = services.block_add(
        actor=superuser,
        page=page,
        kind=Block.Kind.PICTURE,
        image=image,
        texts={"caption": "Kärlen på gården", "alt": "Tre sopkärl i rad"},
    )
    contact = services.block_add(
        actor=superuser,
        page=page,
        kind=Block.Kind.CONTACT,
        phone="+358 6 123 4567",
        email="service@example.org",
        texts={"name": "Fastighetsservice", "details": "Vardagar 8–16"},
    )
    link = services.block_add(
        actor=superuser,
        page=page,
        kind=Block.Kind.LINK,
        url="https://example.org/sortering",
        texts={"label": "Sorteringsguiden"},
    )
    file = services.block_add(
        actor=superuser,
        page=page,
        kind=Block.Kind.FILE,
        texts={"label": "Sorteringsanvisning", "upload": sv_pdf.key},
    )
    services.version_save(
        actor=superuser,
        page=page,
        language="ar",
        title="فرز النفايات",
        summary="كيف تفرز النفايات في المبنى.",
        texts={
            text.key: {"html": "<p>النفايات العضوية في الحاوية البنية.</p>"},
            picture.key: {"caption": "الحاويات في الفناء", "alt": "ثلاث حاويات نفايات"},
            contact.key: {"name": "خدمة العقار", "details": "أيام العمل 8–16"},
            link.key: {"label": "دليل الفرز"},
            file.key: {"label": "تعليمات الفرز", "upload": ar_pdf.key},
        },
    )
    publish(page, "sv", superuser)
    publish(page, "ar", superuser)
    page.files = {"sv": sv_pdf, "ar": ar_pdf}  # type: ignore[attr-defined]
    page.image = image  # type: ignore[attr-defined]
    return page
