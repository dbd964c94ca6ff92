"""A page's language versions on the staff side: writing the source, translating it beside the
source (and what changed in it), publishing, withdrawing and previewing a language, and who
may do which."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hemma.information import services, translations
from hemma.information.models import Block, Page, Upload, Use, Version

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "السكن في مبنى مستأجر"
ARABIC_SUMMARY = "ما تحتاج معرفته."
ARABIC_TEXT = "<p>الهدوء من 22 إلى 7.</p>"


def url(name: str, page: Page, language: str, **query) -> str:
    address = reverse(f"information:{name}", args=[page.site.slug, page.slug, language])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def _state(page: Page, language: str) -> str:
    page.refresh_from_db()
    states = translations.page_states(page, list(page.blocks.all()), list(page.versions.all()))
    return next(s.state for s in states if s.language == language)


def _text_block(page: Page) -> Block:
    return page.blocks.get(kind=Block.Kind.TEXT)


def _arabic_form(page: Page, **values) -> dict:
    source = page.versions.get(language="sv")
    return {
        "title": ARABIC_TITLE,
        "summary": ARABIC_SUMMARY,
        f"{_text_block(page).key}-html": ARABIC_TEXT,
        "source_revision": str(source.revision),
        **values,
    }


def _swedish_form(page: Page, **values) -> dict:
    source = page.versions.get(language="sv")
    return {
        "title": source.title,
        "summary": source.summary,
        f"{_text_block(page).key}-html": source.texts[_text_block(page).key]["html"],
        **values,
    }


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def arabic(page_a1, superuser):
    """page_a1's Arabic translation, current."""
    return services.version_save(
        actor=superuser,
        page=page_a1,
        language="ar",
        title=ARABIC_TITLE,
        summary=ARABIC_SUMMARY,
        texts={_text_block(page_a1).key: {"html": ARABIC_TEXT}},
    )


def _change_swedish(page: Page, actor, html: str = "<p>Tystnad kl. 21–7 varje dag.</p>") -> None:
    source = page.versions.get(language="sv")
    services.version_save(
        actor=actor,
        page=page,
        language="sv",
        title=source.title,
        summary=source.summary,
        texts={_text_block(page).key: {"html": html}},
    )


# -- the done-when: a changed source outdates the translation ---------------------------------


def test_changing_the_swedish_text_outdates_the_arabic_until_the_translator_saves_it(
    client_for, coordinator_a, translator_ar, page_a1, arabic
):
    coordinator = client_for(coordinator_a)
    translator = client_for(translator_ar)
    # When the coordinator changes the Swedish text on its version page,
    response = coordinator.post(
        url("version", page_a1, "sv"),
        _swedish_form(page_a1, **{f"{_text_block(page_a1).key}-html": "<p>Tystnad kl. 21–7.</p>"}),
    )
    assert response.status_code == 302
    # then the Arabic version is outdated, and the translator's list says so,
    assert _state(page_a1, "ar") == translations.OUTDATED
    work = translator.get(reverse("information:translations")).content.decode()
    waiting = work.split('id="current-heading"')[0]
    assert url("version", page_a1, "ar") in waiting
    assert "outdated" in waiting
    # and the Arabic version page shows what changed in the Swedish text, marked.
    page = translator.get(url("version", page_a1, "ar")).content.decode()
    assert re.search(r"<del><span class=\"visually-hidden\">removed: </span>22–7\.</del>", page)
    assert re.search(r"<ins><span class=\"visually-hidden\">added: </span>21–7\.</ins>", page)
    assert "Unchanged since the translation was saved." in page  # the title did not change
    # When the translator saves the Arabic again, it is current.
    response = translator.post(url("version", page_a1, "ar"), _arabic_form(page_a1))
    assert response.status_code == 302
    assert response["Location"] == url("version", page_a1, "ar")
    assert _state(page_a1, "ar") == translations.CURRENT
    work = translator.get(reverse("information:translations")).content.decode()
    assert url("version", page_a1, "ar") in work.split('id="current-heading"')[1]


def test_a_source_changed_while_translating_keeps_the_translation_outdated(
    client_for, translator_ar, superuser, page_a1, arabic
):
    _change_swedish(page_a1, superuser)
    translator = client_for(translator_ar)
    page = translator.get(url("version", page_a1, "ar")).content.decode()
    shown = int(re.search(r'name="source_revision" value="(\d+)"', page).group(1))
    # While the translator writes, the Swedish text changes again.
    _change_swedish(page_a1, superuser, html="<p>Tystnad hela natten.</p>")
    response = translator.post(
        url("version", page_a1, "ar"), _arabic_form(page_a1, source_revision=str(shown))
    )
    assert response.status_code == 302
    arabic.refresh_from_db()
    assert arabic.source_revision == shown
    assert _state(page_a1, "ar") == translations.OUTDATED


def test_the_version_page_says_what_is_missing(client_for, coordinator_a, page_a1):
    page = client_for(coordinator_a).get(url("version", page_a1, "fi")).content.decode()
    assert "These words are still missing:" in page
    missing = page.split('class="missing-words"')[1].split("</ul>")[0]
    assert "<li>Title</li>" in missing
    assert "<li>Summary</li>" in missing
    assert "1. Text: Text" in missing


def test_the_translation_form_sets_the_language_and_direction_of_each_side(
    client_for, coordinator_a, page_a1
):
    page = client_for(coordinator_a).get(url("version", page_a1, "ar")).content.decode()
    assert re.search(r'<input[^>]*name="title"[^>]*lang="ar"[^>]*dir="rtl"', page)
    assert re.search(r'class="source-text"[^>]*lang="sv" dir="ltr"', page)
    assert re.search(r'<textarea[^>]*class="rich-text"', page)


def test_the_source_form_saves_the_words_and_the_editor_enhances_the_text(
    client_for, coordinator_a, page_a1
):
    client = client_for(coordinator_a)
    page = client.get(url("version", page_a1, "sv")).content.decode()
    assert re.search(r'<textarea[^>]*class="rich-text"', page)
    assert 'name="source_revision"' not in page
    assert "hemma/editor.js" in page
    response = client.post(url("version", page_a1, "sv"), _swedish_form(page_a1, title="Nytt namn"))
    assert response.status_code == 302
    assert "The Swedish words of the page were saved." in _messages(response)
    assert page_a1.versions.get(language="sv").title == "Nytt namn"


def test_a_version_without_a_title_is_refused_naming_the_field(client_for, coordinator_a, page_a1):
    response = client_for(coordinator_a).post(
        url("version", page_a1, "sv"), _swedish_form(page_a1, title="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the title." in html
    assert re.search(r'<input[^>]*aria-describedby="id_title_error"', html)


def test_a_translation_before_the_source_is_written_is_refused(
    client_for, coordinator_a, site_a1, owner_a, superuser
):
    page = services.page_create(
        actor=superuser,
        site=site_a1,
        slug="tom",
        kind=Page.Kind.PAGE,
        topic=Page.Topic.OTHER,
        owner=owner_a,
        title="",
    )
    response = client_for(coordinator_a).post(url("version", page, "ar"), {"title": "عنوان"})
    assert response.status_code == 400
    assert "Write the page in its source language before translating it." in (
        response.content.decode()
    )
    assert not page.versions.filter(language="ar").exists()


def test_every_kind_of_block_has_its_words_in_the_form(
    client_for, coordinator_a, superuser, page_a1
):
    image = Upload.objects.create(
        page=page_a1,
        kind=Upload.Kind.IMAGE,
        file=SimpleUploadedFile("sopor.png", b"png"),
        name="sopor.png",
        content_type="image/png",
        size=3,
    )
    picture = services.block_add(
        actor=superuser,
        page=page_a1,
        kind=Block.Kind.PICTURE,
        image=image,
        texts={"caption": "Sortera soporna", "alt": "Fyra kärl"},
    )
    contact = services.block_add(
        actor=superuser,
        page=page_a1,
        kind=Block.Kind.CONTACT,
        phone="+358 6 123",
        texts={"name": "Fastighetsskötaren", "details": "Vardagar 8–16"},
    )
    link = services.block_add(
        actor=superuser,
        page=page_a1,
        kind=Block.Kind.LINK,
        url="https://example.org/",
        texts={"label": "Mer information"},
    )
    client = client_for(coordinator_a)
    source_form = client.get(url("version", page_a1, "sv")).content.decode()
    for name in (f"{picture.key}-caption", f"{picture.key}-alt", f"{contact.key}-name"):
        assert f'name="{name}"' in source_form
    assert 'value="Sortera soporna"' in source_form
    translation = client.get(url("version", page_a1, "ar")).content.decode()
    for name in (
        f"{picture.key}-caption",
        f"{picture.key}-alt",
        f"{contact.key}-name",
        f"{contact.key}-details",
        f"{link.key}-label",
    ):
        assert re.search(rf'name="{name}"[^>]*lang="ar" dir="rtl"', translation), name
    assert "Fyra kärl" in translation and "Mer information" in translation
    assert "2. Picture instruction: Alternative text" in translation  # missing, named


# -- a file block: a PDF per language ----------------------------------------------------------


def _pdf(name: str = "guide-ar.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")


@pytest.fixture
def file_page(page_a1, superuser):
    swedish = services.block_add(actor=superuser, page=page_a1, kind=Block.Kind.FILE)
    document = Upload.objects.create(
        page=page_a1,
        kind=Upload.Kind.DOCUMENT,
        file=SimpleUploadedFile("guide-sv.pdf", b"%PDF-1.4"),
        name="guide-sv.pdf",
        content_type="application/pdf",
        size=8,
    )
    source = page_a1.versions.get(language="sv")
    texts = {**source.texts, swedish.key: {"label": "Guiden (PDF)", "upload": document.key}}
    services.version_save(
        actor=superuser, page=page_a1, language="sv", title=source.title, texts=texts
    )
    return page_a1


def test_a_translation_gets_its_own_pdf(client_for, translator_ar, file_page):
    block = file_page.blocks.get(kind=Block.Kind.FILE)
    response = client_for(translator_ar).post(
        url("version", file_page, "ar"),
        _arabic_form(
            file_page,
            **{f"{block.key}-label": "الدليل", f"{block.key}-upload-file": _pdf()},
        ),
    )
    assert response.status_code == 302
    words = file_page.versions.get(language="ar").texts[block.key]
    upload = Upload.objects.get(key=words["upload"])
    assert upload.name == "guide-ar.pdf" and upload.page == file_page
    assert _state(file_page, "ar") == translations.CURRENT


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_kept(
    client_for, translator_ar, file_page
):
    block = file_page.blocks.get(kind=Block.Kind.FILE)
    before = Upload.objects.count()
    response = client_for(translator_ar).post(
        url("version", file_page, "ar"),
        _arabic_form(
            file_page,
            **{
                f"{block.key}-label": "الدليل",
                f"{block.key}-upload-file": SimpleUploadedFile("guide.pdf", b"not a pdf"),
            },
        ),
    )
    assert response.status_code == 400
    assert "guide.pdf: documents must be PDF files." in response.content.decode()
    assert Upload.objects.count() == before
    assert not file_page.versions.filter(language="ar").exists()


def test_a_translation_may_use_the_source_pdf(client_for, translator_ar, file_page):
    block = file_page.blocks.get(kind=Block.Kind.FILE)
    source_file = file_page.versions.get(language="sv").texts[block.key]["upload"]
    response = client_for(translator_ar).post(
        url("version", file_page, "ar"),
        _arabic_form(
            file_page, **{f"{block.key}-label": "الدليل", f"{block.key}-upload": source_file}
        ),
    )
    assert response.status_code == 302
    assert file_page.versions.get(language="ar").texts[block.key]["upload"] == source_file


# -- publishing --------------------------------------------------------------------------------


def test_publishing_an_outdated_translation_needs_the_explicit_choice(
    client_for, coordinator_a, superuser, page_a1, arabic
):
    _change_swedish(page_a1, superuser)
    client = client_for(coordinator_a)
    page = client.get(url("version", page_a1, "ar")).content.decode()
    assert 'name="outdated_ok"' in page
    response = client.post(url("version_publish", page_a1, "ar"))
    assert response.status_code == 302
    assert response["Location"] == url("version", page_a1, "ar")
    assert any("The translation is outdated" in text for text in _messages(response))
    arabic.refresh_from_db()
    assert arabic.state == Version.State.DRAFT

    response = client.post(url("version_publish", page_a1, "ar"), {"outdated_ok": "1"})
    arabic.refresh_from_db()
    assert arabic.state == Version.State.PUBLISHED
    assert "The page was published in Arabic." in _messages(response)


def test_a_version_with_missing_words_is_not_published(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)
    client.post(url("version", page_a1, "fi"), {"title": "Asuminen", "source_revision": "2"})
    response = client.post(url("version_publish", page_a1, "fi"))
    assert any("Some words of the page are missing" in text for text in _messages(response))
    assert page_a1.versions.get(language="fi").state == Version.State.DRAFT


def test_publishing_goes_back_to_the_page_it_came_from_on_this_site_only(
    client_for, coordinator_a, page_a1
):
    client = client_for(coordinator_a)
    overview = reverse("information:page", args=[page_a1.site.slug, page_a1.slug])
    response = client.post(url("version_publish", page_a1, "sv"), {"next": overview})
    assert response["Location"] == overview
    response = client.post(
        url("version_withdraw", page_a1, "sv"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == url("version", page_a1, "sv")


def test_a_published_language_is_withdrawn(client_for, coordinator_a, superuser, page_a1):
    source = page_a1.versions.get(language="sv")
    services.version_publish(actor=superuser, version=source)
    client = client_for(coordinator_a)
    page = client.get(url("version", page_a1, "sv")).content.decode()
    assert url("version_withdraw", page_a1, "sv") in page
    client.post(url("version_withdraw", page_a1, "sv"))
    source.refresh_from_db()
    assert source.state == Version.State.WITHDRAWN


# -- preview -----------------------------------------------------------------------------------


def test_the_preview_shows_the_words_as_the_public_will_and_counts_nothing(
    client_for, coordinator_a, page_a1, arabic
):
    response = client_for(coordinator_a).get(url("preview", page_a1, "ar"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview" in html
    assert ARABIC_TITLE in html and "الهدوء من 22 إلى 7." in html
    assert re.search(r'<article[^>]*lang="ar" dir="rtl"', html)
    assert not Use.objects.exists()


def test_the_preview_links_the_files_of_a_page_not_yet_public_on_the_staff_side(
    client_for, coordinator_a, file_page
):
    block = file_page.blocks.get(kind=Block.Kind.FILE)
    key = file_page.versions.get(language="sv").texts[block.key]["upload"]
    html = client_for(coordinator_a).get(url("preview", file_page, "sv")).content.decode()
    staff_file = reverse("information:file", args=[file_page.site.slug, file_page.slug, key])
    assert f'href="{staff_file}"' in html
    assert "Guiden (PDF)" in html


def test_there_is_no_preview_of_a_language_not_written(client_for, coordinator_a, page_a1):
    assert client_for(coordinator_a).get(url("preview", page_a1, "fi")).status_code == 404


def test_an_outdated_preview_shows_the_notice(
    client_for, coordinator_a, superuser, page_a1, arabic
):
    _change_swedish(page_a1, superuser)
    html = client_for(coordinator_a).get(url("preview", page_a1, "ar")).content.decode()
    assert "This translation may be out of date" in html


# -- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["coordinator_region", "coordinator_a", "superuser"])
def test_the_site_coordinators_write_every_language(client_for, request, page_a1, arabic, user):
    client = client_for(request.getfixturevalue(user))
    for language in ("sv", "ar"):
        page = client.get(url("version", page_a1, language))
        assert page.status_code == 200
        assert 'enctype="multipart/form-data"' in page.content.decode()
    assert client.post(url("version", page_a1, "ar"), _arabic_form(page_a1)).status_code == 302
    assert client.post(url("version_publish", page_a1, "ar")).status_code == 302
    assert page_a1.versions.get(language="ar").state == Version.State.PUBLISHED
    assert client.post(url("version_withdraw", page_a1, "ar")).status_code == 302
    assert client.get(url("preview", page_a1, "ar")).status_code == 200


@pytest.mark.parametrize("user", ["coordinator_a2", "coordinator_b"])
def test_another_municipality_or_region_finds_no_page(client_for, request, page_a1, arabic, user):
    client = client_for(request.getfixturevalue(user))
    assert client.get(url("version", page_a1, "ar")).status_code == 404
    assert client.get(url("preview", page_a1, "ar")).status_code == 404
    assert client.post(url("version", page_a1, "ar"), _arabic_form(page_a1)).status_code == 404
    assert client.post(url("version_publish", page_a1, "ar")).status_code == 404
    assert client.post(url("version_withdraw", page_a1, "ar")).status_code == 404


@pytest.mark.parametrize("user", ["viewer", "viewer_a1"])
def test_a_viewer_reads_and_changes_nothing(client_for, request, page_a1, arabic, user):
    client = client_for(request.getfixturevalue(user))
    page = client.get(url("version", page_a1, "ar"))
    assert page.status_code == 200
    html = page.content.decode()
    assert ARABIC_TITLE in html
    assert 'enctype="multipart/form-data"' not in html
    assert url("version_publish", page_a1, "ar") not in html
    assert client.get(url("preview", page_a1, "ar")).status_code == 200
    assert client.post(url("version", page_a1, "ar"), _arabic_form(page_a1)).status_code == 403
    assert client.post(url("version_publish", page_a1, "ar")).status_code == 403
    assert client.post(url("version_withdraw", page_a1, "ar")).status_code == 403
    arabic.refresh_from_db()
    assert arabic.state == Version.State.DRAFT and arabic.revision == 1


def test_anonymous_is_sent_to_log_in(client, page_a1, arabic):
    for method, name in (
        ("get", "version"),
        ("post", "version"),
        ("post", "version_publish"),
        ("post", "version_withdraw"),
        ("get", "preview"),
    ):
        response = getattr(client, method)(url(name, page_a1, "ar"))
        assert response.status_code == 302, name
        assert "/accounts/login/" in response["Location"], name
    response = client.get(reverse("information:translations"))
    assert "/accounts/login/" in response["Location"]


def test_a_translator_writes_and_publishes_their_language(client_for, translator_ar, page_a1):
    client = client_for(translator_ar)
    assert client.post(url("version", page_a1, "ar"), _arabic_form(page_a1)).status_code == 302
    assert client.post(url("version_publish", page_a1, "ar")).status_code == 302
    assert page_a1.versions.get(language="ar").state == Version.State.PUBLISHED
    assert client.get(url("preview", page_a1, "ar")).status_code == 200


def test_a_translator_may_not_write_another_language_nor_the_source(
    client_for, translator_ar, page_a1
):
    client = client_for(translator_ar)
    # The source and the other languages are theirs to read, not to change.
    for language in ("sv", "fi"):
        page = client.get(url("version", page_a1, language))
        assert page.status_code == 200
        assert 'enctype="multipart/form-data"' not in page.content.decode()
    assert client.post(url("version", page_a1, "sv"), _swedish_form(page_a1)).status_code == 403
    assert client.post(url("version", page_a1, "fi"), {"title": "Asuminen"}).status_code == 403
    assert client.post(url("version_publish", page_a1, "sv")).status_code == 403
    assert client.post(url("version_withdraw", page_a1, "sv")).status_code == 403
    assert not page_a1.versions.filter(language="fi").exists()
    assert page_a1.versions.get(language="sv").state == Version.State.DRAFT


def test_a_translator_sees_no_page_of_another_region_nor_one_not_in_their_language(
    client_for, translator_ar, site_b1, site_a1, owner_a, superuser
):
    elsewhere = services.page_create(
        actor=superuser,
        site=site_b1,
        slug="boende",
        kind=Page.Kind.PAGE,
        topic=Page.Topic.HOUSING,
        owner=owner_a.__class__.objects.create(
            region=site_b1.region, key="b-org", name={"sv": "B"}
        ),
        title="Boende i B",
    )
    not_arabic = services.page_create(
        actor=superuser,
        site=site_a1,
        slug="bara-finska",
        kind=Page.Kind.PAGE,
        topic=Page.Topic.OTHER,
        owner=owner_a,
        title="Bara på finska",
        languages=["fi"],
    )
    client = client_for(translator_ar)
    for page in (elsewhere, not_arabic):
        assert client.get(url("version", page, "ar")).status_code == 404
        assert client.post(url("version", page, "ar"), {"title": "عنوان"}).status_code == 404
        assert client.post(url("version_publish", page, "ar")).status_code == 404


def test_a_language_the_page_is_not_in_does_not_exist(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)
    assert client.get(url("version", page_a1, "so")).status_code == 404
    assert client.get(url("version", page_a1, "xx")).status_code == 404


def test_the_version_page_of_a_translator_leads_back_to_their_list(
    client_for, translator_ar, page_a1
):
    html = client_for(translator_ar).get(url("version", page_a1, "ar")).content.decode()
    breadcrumbs = html.split('class="breadcrumbs')[1].split("</nav>")[0]
    assert reverse("information:translations") in breadcrumbs
    assert f'href="{reverse("information:sites")}"' not in breadcrumbs
