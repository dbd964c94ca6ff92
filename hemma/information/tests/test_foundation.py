"""The translation states as the services leave them: the heart of the workflow."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hemma.information import services, translations
from hemma.information.models import Version

pytestmark = pytest.mark.django_db


def _states(page):
    page.refresh_from_db()
    return {
        s.language: s.state
        for s in translations.page_states(page, list(page.blocks.all()), list(page.versions.all()))
    }


def _arabic(page, actor):
    block = page.blocks.get()
    return services.version_save(
        actor=actor,
        page=page,
        language="ar",
        title="السكن",
        summary="ما تحتاج معرفته.",
        texts={block.key: {"html": "<p>الهدوء من 22 إلى 7.</p>"}},
    )


def test_a_changed_source_outdates_the_translation_until_it_is_saved_again(page_a1, superuser):
    _arabic(page_a1, superuser)
    assert _states(page_a1)["ar"] == translations.CURRENT
    assert _states(page_a1)["fi"] == translations.MISSING

    source = page_a1.versions.get(language="sv")
    services.version_save(
        actor=superuser,
        page=page_a1,
        language="sv",
        title="Att bo i hyreshus",
        summary="Nytt.",
        texts=source.texts,
    )
    assert _states(page_a1)["ar"] == translations.OUTDATED

    _arabic(page_a1, superuser)
    assert _states(page_a1)["ar"] == translations.CURRENT


def test_a_save_that_changes_nothing_makes_no_revision(page_a1, superuser):
    source = page_a1.versions.get(language="sv")
    before = source.revision
    services.version_save(
        actor=superuser,
        page=page_a1,
        language="sv",
        title=source.title,
        summary=source.summary,
        texts=source.texts,
    )
    source.refresh_from_db()
    assert source.revision == before


def test_an_outdated_translation_is_published_only_when_asked_to(page_a1, superuser):
    arabic = _arabic(page_a1, superuser)
    source = page_a1.versions.get(language="sv")
    services.version_save(
        actor=superuser, page=page_a1, language="sv", title="Ny titel", texts=source.texts
    )
    with pytest.raises(ValidationError):
        services.version_publish(actor=superuser, version=arabic)
    services.version_publish(actor=superuser, version=arabic, outdated_ok=True)
    arabic.refresh_from_db()
    assert arabic.state == Version.State.PUBLISHED and arabic.first_published_at is not None


def test_a_translator_writes_only_their_language(page_a1, translator_ar):
    _arabic(page_a1, translator_ar)
    with pytest.raises(PermissionDenied):
        services.version_save(actor=translator_ar, page=page_a1, language="sv", title="x")
    with pytest.raises(PermissionDenied):
        services.version_save(actor=translator_ar, page=page_a1, language="fi", title="x")


def test_text_is_made_safe_when_saved(page_a1, superuser):
    block = page_a1.blocks.get()
    services.version_save(
        actor=superuser,
        page=page_a1,
        language="sv",
        title="T",
        texts={
            block.key: {
                "html": '<p onclick="steal()">Hej<script>alert(1)</script> '
                '<a href="javascript:alert(1)">länk</a></p>'
            }
        },
    )
    html = page_a1.versions.get(language="sv").texts[block.key]["html"]
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert "Hej" in html
