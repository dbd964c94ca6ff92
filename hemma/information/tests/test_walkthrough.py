"""What a walkthrough of the demo found, fixed: each language's text blocks in the editor and
a text block's "Edit" going to its words, addresses in small letters and none that the staff
pages use, a print run's copies required, organisations in alphabetical order, and the
instruction to update an outdated translation only for who may write it.

(The editor's behaviour in a browser: hemma/tests/browser/test_editor_in_browser.py.)
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hemma.information import services
from hemma.information.models import Block, Distribution, Page, Site
from hemma.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ADDRESS_MESSAGE = "Use small letters a–z, digits and hyphens."
OUTDATED_INSTRUCTION = "update the translation and save it"


def url(name: str, page: Page, *args) -> str:
    return reverse(f"information:{name}", args=[page.site.slug, page.slug, *args])


def _text_key(page: Page) -> str:
    return page.blocks.get(kind=Block.Kind.TEXT).key


def _new_page(owner, **values) -> dict:
    return {
        "title": "Sopsortering",
        "slug": "sopor",
        "kind": "page",
        "topic": "housing",
        "owner": str(owner.pk),
        **values,
    }


def _field_error(html: str, field: str) -> str:
    """The error list Django renders for `field` (empty if none)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


# -- 1. the version page's text blocks in the editor -------------------------------------------


@pytest.mark.parametrize("language, direction", [("sv", "ltr"), ("ar", "rtl")])
def test_each_languages_text_block_is_an_editor_field_in_its_language_and_direction(
    client_for, coordinator_a, page_a1, language, direction
):
    html = client_for(coordinator_a).get(url("version", page_a1, language)).content.decode()

    key = _text_key(page_a1)
    textarea = re.search(rf'<textarea[^>]*name="{key}-html"[^>]*>', html)
    assert textarea is not None
    assert "data-editor" in textarea.group(0)
    assert f'lang="{language}"' in textarea.group(0)
    assert f'dir="{direction}"' in textarea.group(0)
    # editor.js needs the toolbar's template in the page, and the block its anchor.
    assert '<template id="editor-toolbar">' in html
    assert "hemma/editor.js" in html
    assert f'<fieldset class="version-group" id="block-{key}">' in html


def test_a_translator_writes_their_language_in_the_editor_but_reads_the_source(
    client_for, translator_ar, page_a1
):
    client = client_for(translator_ar)
    arabic = client.get(url("version", page_a1, "ar")).content.decode()
    assert re.search(r"<textarea[^>]*data-editor", arabic)
    assert '<template id="editor-toolbar">' in arabic

    swedish = client.get(url("version", page_a1, "sv")).content.decode()
    assert "<textarea" not in swedish
    assert '<template id="editor-toolbar">' not in swedish and "hemma/editor.js" not in swedish


def test_edit_of_a_text_block_goes_to_its_words_in_the_source_language(
    client_for, coordinator_a, page_a1
):
    client = client_for(coordinator_a)
    words = url("version", page_a1, "sv") + f"#block-{_text_key(page_a1)}"

    overview = client.get(url("page", page_a1)).content.decode()
    assert f'href="{words}"' in overview
    assert f'href="{url("block_edit", page_a1, _text_key(page_a1))}"' not in overview

    response = client.get(url("block_edit", page_a1, _text_key(page_a1)))
    assert response.status_code == 302 and response["Location"] == words


def test_a_link_blocks_edit_page_links_to_its_words_at_the_block(
    client_for, coordinator_a, page_a1, superuser
):
    link = services.block_add(
        actor=superuser,
        page=page_a1,
        kind=Block.Kind.LINK,
        url="https://a.example",
        texts={"label": "A"},
    )
    html = client_for(coordinator_a).get(url("block_edit", page_a1, link.key)).content.decode()
    assert f'href="{url("version", page_a1, "sv")}#block-{link.key}"' in html


def test_a_text_blocks_edit_is_still_refused_to_who_may_not_change_the_page(
    client, client_for, viewer_a1, translator_ar, coordinator_a2, page_a1
):
    address = url("block_edit", page_a1, _text_key(page_a1))
    assert client_for(viewer_a1).get(address).status_code == 403
    assert client_for(translator_ar).get(address).status_code == 403
    assert client_for(coordinator_a2).get(address).status_code == 404
    response = client.get(address)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- 3. addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["new", "settings"])
def test_a_page_at_an_address_of_the_staff_pages_is_refused(
    client_for, coordinator_a, site_a1, owner_a, slug
):
    response = client_for(coordinator_a).post(
        reverse("information:page_create", args=[site_a1.slug]), _new_page(owner_a, slug=slug)
    )
    assert response.status_code == 200
    assert "This address is used by the site itself" in _field_error(
        response.content.decode(), "slug"
    )
    assert not Page.objects.filter(slug=slug).exists()


@pytest.mark.parametrize("slug", ["INVANARGUIDEN", "Boende", "åäö-test", "två_ord", "a b"])
def test_a_page_address_not_in_small_letters_digits_and_hyphens_is_refused_with_one_message(
    client_for, coordinator_a, site_a1, owner_a, superuser, slug
):
    response = client_for(coordinator_a).post(
        reverse("information:page_create", args=[site_a1.slug]), _new_page(owner_a, slug=slug)
    )

    assert response.status_code == 200
    error = _field_error(response.content.decode(), "slug")
    assert ADDRESS_MESSAGE in error
    assert "Unicode" not in error and error.count("<li>") == 1
    assert not Page.objects.filter(site=site_a1).exclude(slug="boende").exists()
    with pytest.raises(ValidationError) as refused:
        services.page_create(
            actor=superuser,
            site=site_a1,
            slug=slug,
            kind="page",
            topic="housing",
            owner=owner_a,
            title="T",
        )
    assert refused.value.message_dict == {"slug": [ADDRESS_MESSAGE]}


def test_a_page_address_is_changed_only_to_small_letters(
    client_for, coordinator_a, page_a1, owner_a
):
    form = {"slug": "Boende", "kind": "page", "topic": "housing", "owner": str(owner_a.pk)}
    response = client_for(coordinator_a).post(url("page_edit", page_a1), form)
    assert ADDRESS_MESSAGE in _field_error(response.content.decode(), "slug")
    page_a1.refresh_from_db()
    assert page_a1.slug == "boende"


@pytest.mark.parametrize("slug", ["A-BY", "vörå"])
def test_a_site_address_not_in_small_letters_is_refused(
    client_for, coordinator_region, municipality_a2, region_a, superuser, slug
):
    response = client_for(coordinator_region).post(
        reverse("information:site_create"),
        {"place": f"m{municipality_a2.pk}", "slug": slug, "source_language": "sv"},
    )
    assert ADDRESS_MESSAGE in _field_error(response.content.decode(), "slug")
    assert not Site.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.site_create(
            actor=superuser, region=region_a, municipality=municipality_a2, slug=slug, languages=[]
        )
    assert refused.value.message_dict == {"slug": [ADDRESS_MESSAGE]}


def test_an_address_of_small_letters_digits_and_hyphens_is_taken(
    client_for, coordinator_a, site_a1, owner_a
):
    response = client_for(coordinator_a).post(
        reverse("information:page_create", args=[site_a1.slug]),
        _new_page(owner_a, slug="guide-2025"),
    )
    assert response.status_code == 302
    assert Page.objects.filter(site=site_a1, slug="guide-2025").exists()


# -- 6. a print run's copies -------------------------------------------------------------------


def test_a_print_run_without_its_number_of_copies_is_refused_at_the_field(
    client_for, coordinator_a, page_a1, superuser
):
    response = client_for(coordinator_a).post(
        url("distribution_add", page_a1), {"channel": "print", "starts_on": "2025-03-01"}
    )

    assert response.status_code == 200
    assert "Write the number of copies printed." in _field_error(
        response.content.decode(), "copies"
    )
    assert not Distribution.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.distribution_record(
            actor=superuser, page=page_a1, channel="print", starts_on="2025-03-01", place="Kiosk"
        )
    assert refused.value.message_dict == {"copies": ["Write the number of copies printed."]}
    assert not Distribution.objects.exists()


def test_a_web_distribution_needs_no_copies(client_for, coordinator_a, page_a1):
    response = client_for(coordinator_a).post(
        url("distribution_add", page_a1), {"channel": "web", "starts_on": "2025-03-01"}
    )
    assert response.status_code == 302
    assert Distribution.objects.get().copies is None


# -- 7. organisations by name ------------------------------------------------------------------


@pytest.fixture
def organisations(region_a, owner_a):
    """Keys in another order than the names (the seed's "Kommunens integrationsansvariga"
    came between G and J when sorted by key)."""
    for key, name in (
        ("a-integration", {"sv": "Kommunens integrationsansvariga", "fi": "Kunnan vastaavat"}),
        ("b-gymnasiet", {"sv": "Gymnasiet"}),
        ("c-jobbcenter", {"sv": "JobCenter", "fi": "Työpiste"}),
        ("d-alfa", {"sv": "arbetarinstitutet"}),
    ):
        Organisation.objects.create(region=region_a, key=key, name=name)


def _option_labels(html: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))]


@pytest.mark.parametrize(
    "address, field",
    [
        (lambda page: reverse("information:page_create", args=[page.site.slug]), "owner"),
        (lambda page: url("page_edit", page), "owner"),
        (lambda page: url("distribution_add", page), "partner"),
    ],
)
def test_organisations_are_offered_by_their_name_in_alphabetical_order(
    client_for, coordinator_a, page_a1, organisations, address, field
):
    html = client_for(coordinator_a).get(address(page_a1)).content.decode()

    labels = [label for label in _option_labels(html, field) if label != "---------"]
    assert labels == [
        "arbetarinstitutet",
        "Bostadsbolaget",
        "Gymnasiet",
        "JobCenter",
        "Kommunens integrationsansvariga",
    ]


def test_organisations_are_sorted_by_their_name_in_the_pages_language(
    client_for, coordinator_a, page_a1, organisations
):
    client = client_for(coordinator_a)
    address = reverse("information:page_create", args=[page_a1.site.slug]).replace("/en/", "/fi/")
    html = client.get(address, HTTP_ACCEPT_LANGUAGE="fi").content.decode()

    labels = [label for label in _option_labels(html, "owner") if label != "---------"]
    assert labels == [
        "arbetarinstitutet",
        "Bostadsbolaget",
        "Gymnasiet",
        "Kunnan vastaavat",
        "Työpiste",
    ]


# -- 8. the outdated translation's instruction -------------------------------------------------


@pytest.fixture
def outdated_arabic(page_a1, superuser):
    services.version_save(
        actor=superuser,
        page=page_a1,
        language="ar",
        title="السكن",
        summary="ما تحتاج معرفته.",
        texts={_text_key(page_a1): {"html": "<p>هدوء</p>"}},
    )
    source = page_a1.versions.get(language="sv")
    services.version_save(
        actor=superuser, page=page_a1, language="sv", title="Ny titel", texts=source.texts
    )


@pytest.mark.parametrize("user", ["coordinator_a", "translator_ar"])
def test_who_may_write_an_outdated_translation_is_told_to_update_and_save_it(
    client_for, request, page_a1, outdated_arabic, user
):
    html = client_for(request.getfixturevalue(user)).get(url("version", page_a1, "ar"))
    text = html.content.decode()
    assert "The Swedish text changed after this translation was saved." in text
    assert OUTDATED_INSTRUCTION in text


@pytest.mark.parametrize("user", ["viewer", "viewer_a1"])
def test_a_reader_of_an_outdated_translation_sees_its_state_without_being_told_to_save(
    client_for, request, page_a1, outdated_arabic, user
):
    text = client_for(request.getfixturevalue(user)).get(url("version", page_a1, "ar"))
    html = text.content.decode()
    assert "The Swedish text changed after this translation was saved." in html
    assert OUTDATED_INSTRUCTION not in html
