"""The demo's information sites: the resident guide in four languages with its pictures, the
outdated Arabic page, the missing Finnish one, distribution, a history of use, counted."""

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Sum
from PIL import Image

from hemma.accounts.demo import demo_load
from hemma.accounts.models import Membership, User
from hemma.followup.models import Measurement
from hemma.information import demo_pictures, policies, translations
from hemma.information.demo import GUIDE, PAGES, demo_information_load
from hemma.information.models import (
    Block,
    Distribution,
    Page,
    Revision,
    Site,
    Upload,
    Use,
    Version,
)
from hemma.information.translation_selectors import translation_list
from hemma.lib.languages import is_rtl

pytestmark = pytest.mark.django_db

FOUR = {"sv", "fi", "en", "ar"}
TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def loaded(monkeypatch):
    """The demo's programme and users, then its information sites (as `hemma demo` makes
    them, without the rest of the demo)."""
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", "demo-password-1")
    programme, _loaded, _users, _password = demo_load()
    coordinator = User.objects.get(username="koordinator")
    pages = demo_information_load(programme=programme, actor=coordinator, today=TODAY)
    return programme, pages


def states(page: Page) -> dict[str, translations.LanguageState]:
    return {
        each.language: each
        for each in translations.page_states(
            page, list(page.blocks.all()), list(page.versions.all())
        )
    }


def test_demo_loads_twice_without_duplicating_the_sites_pages_files_or_use(monkeypatch):
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", "demo-password-1")
    first = io.StringIO()
    call_command("demo", stdout=first)
    counts = [
        model.objects.count()
        for model in (Site, Page, Block, Version, Revision, Upload, Distribution, Use)
    ]
    views = Use.objects.aggregate(views=Sum("views"))["views"]

    second = io.StringIO()
    call_command("demo", stdout=second)

    assert "Demo information sites: 6 pages" in first.getvalue()
    assert "Demo information sites: already there" in second.getvalue()
    assert [
        model.objects.count()
        for model in (Site, Page, Block, Version, Revision, Upload, Distribution, Use)
    ] == counts
    assert Use.objects.aggregate(views=Sum("views"))["views"] == views
    # The region's site and one per municipality, addressed by its Swedish name.
    assert set(Site.objects.values_list("slug", flat=True)) == {
        "jakobstadsregionen",
        "jakobstad",
        "pedersore",
        "larsmo",
        "nykarleby",
        "kronoby",
    }


def test_the_resident_guide_is_published_in_four_languages_with_pictures_contact_and_link(
    loaded,
):
    guide = Page.objects.get(slug="invanarguiden")
    blocks = list(guide.blocks.all())
    versions = {v.language: v for v in guide.versions.all()}
    pictures = [b for b in blocks if b.kind == Block.Kind.PICTURE]
    contacts = [b for b in blocks if b.kind == Block.Kind.CONTACT]

    assert guide.site.municipality is None  # the region's own site
    assert guide.topic == Page.Topic.HOUSING
    assert guide.owner.key == "bostadsbolagen"
    assert list(guide.actions.values_list("key", flat=True)) == ["invanarguiden"]
    assert set(versions) == FOUR
    assert all(v.state == Version.State.PUBLISHED for v in versions.values())
    assert {s.state for s in states(guide).values()} == {translations.CURRENT}
    assert len(pictures) >= 3
    for block in pictures:
        for version in versions.values():
            words = version.texts[block.key]
            assert words["caption"].strip() and words["alt"].strip(), (version.language, block)
        # One language's words are not another's copied.
        assert len({v.texts[block.key]["alt"] for v in versions.values()}) == 4
    assert contacts and contacts[0].phone
    assert any(b.kind == Block.Kind.LINK and b.url.startswith("https://") for b in blocks)
    # The sections the guide is about, in each language's own words.
    sections = {
        "sv": ("Sortera", "Bastu", "Tyst tid", "Värme", "går sönder"),
        "fi": ("Lajittele", "Sauna", "Hiljaisuus", "Lämmitys", "rikki"),
        "en": ("Sort", "Sauna", "Quiet hours", "Heating", "breaks"),
        "ar": ("فرز", "الساونا", "الهدوء", "التدفئة", "يتعطل"),
    }
    for language, words in sections.items():
        for word in words:
            assert word in versions[language].plain, (language, word)
    # The Arabic was written by the demo's translator.
    assert versions["ar"].updated_by.username == "oversattare"


def test_the_pictures_are_stored_without_the_exif_the_drawings_carried(loaded):
    # The drawings carry EXIF tags, as a drawing program leaves them...
    with Image.open(io.BytesIO(demo_pictures.waste_bins())) as drawn:
        assert dict(drawn.getexif())
    images = Upload.objects.filter(kind=Upload.Kind.IMAGE)

    assert images.count() >= 4
    for upload in images:
        with upload.file.open("rb") as stored, Image.open(stored) as image:
            image.load()
            # ...and the stored images have none, nor any other metadata chunk.
            assert not dict(image.getexif()), upload.name
            assert "exif" not in image.info and "xmp" not in image.info, upload.name
            assert image.width <= 1600 and image.height <= 1600


def test_the_changed_swedish_leaves_the_published_arabic_outdated_for_the_translator(loaded):
    page = Page.objects.get(site__slug="jakobstad", slug="rosta-och-paverka")
    by_language = states(page)
    translator = User.objects.get(username="oversattare")

    assert page.actions.get().key == "medborgaraktivitet-och-valdeltagande"
    assert by_language["ar"].state == translations.OUTDATED
    assert by_language["ar"].shows_notice  # published with the notice that it is outdated
    assert by_language["fi"].state == by_language["en"].state == translations.CURRENT
    assert by_language["so"].state == translations.MISSING  # a language of the page not begun
    # The Swedish's newest revision is later than the one the Arabic translates.
    assert by_language["ar"].version.source_revision < by_language["sv"].version.revision
    # The demo's translator has it waiting, and may write it.
    waiting = {
        (entry.page.slug, entry.language, entry.state)
        for entry in translation_list(user=translator).waiting
    }
    assert ("rosta-och-paverka", "ar", translations.OUTDATED) in waiting
    assert {entry[1] for entry in waiting} == {"ar"}
    assert policies.can_translate(translator, page, "ar")
    assert not policies.can_translate(translator, page, "sv")


def test_a_finnish_translation_is_missing_and_the_leaflet_has_a_pdf_per_language(loaded):
    health = Page.objects.get(site__slug="larsmo", slug="halsa-och-vard")
    leaflet = Page.objects.get(site__slug="nykarleby", slug="radgivningen")
    documents = Upload.objects.filter(page=leaflet, kind=Upload.Kind.DOCUMENT)

    assert states(health)["fi"].state == translations.MISSING
    assert not health.versions.filter(language="fi").exists()
    assert {s.state for lang, s in states(health).items() if lang != "fi"} == {"current"}
    assert leaflet.kind == Page.Kind.LEAFLET
    assert documents.count() == 3
    for upload in documents:
        with upload.file.open("rb") as stored:
            data = stored.read()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    file_block = leaflet.blocks.get(kind=Block.Kind.FILE)
    uploads_used = {v.texts[file_block.key]["upload"] for v in leaflet.versions.all()}
    assert uploads_used == set(documents.values_list("key", flat=True))


def test_publication_dates_spread_over_the_programme_years_and_this_year(loaded):
    versions = Version.objects.filter(state=Version.State.PUBLISHED)

    years = {v.first_published_at.year for v in versions}
    assert years == {2023, 2024, 2025, 2026}
    assert all(v.published_at >= v.first_published_at for v in versions)
    guide_sv = versions.get(page__slug=GUIDE.slug, language="sv")
    assert guide_sv.first_published_at.date() == GUIDE.published["sv"]


def test_distribution_records_web_print_social_media_and_a_partners_channel(loaded):
    channels = set(Distribution.objects.values_list("channel", flat=True))
    leaflet_print = Distribution.objects.get(
        page__slug="radgivningen", channel=Distribution.Channel.PRINT
    )

    assert channels == {"web", "print", "social", "partner"}
    assert leaflet_print.copies == 500
    assert "biblioteket" in leaflet_print.place and "hälsostationen" in leaflet_print.place
    partner = Distribution.objects.get(channel=Distribution.Channel.PARTNER)
    assert partner.partner.kind == "ngo"


def test_use_is_plausible_and_never_before_publication_or_from_today(loaded):
    guide = Page.objects.get(slug="invanarguiden")
    first = {v.language: v.first_published_at.date() for v in guide.versions.all()}
    uses = Use.objects.filter(page=guide)

    for language, day in first.items():
        assert not uses.filter(language=language, day__lt=day).exists()
    assert not Use.objects.filter(day__gte=TODAY).exists()

    def weekly(language: str, year: int) -> float:
        views = uses.filter(language=language, day__year=year).aggregate(n=Sum("views"))["n"]
        return views / 52

    # Tens a week in Swedish, fewer in Arabic but some, and more each year.
    assert 20 <= weekly("sv", 2024) <= 100
    assert 3 <= weekly("ar", 2025) < weekly("sv", 2025)
    assert weekly("sv", 2025) > weekly("sv", 2024)
    # Downloads only of the page with a file.
    with_downloads = set(Use.objects.filter(downloads__gt=0).values_list("page__slug", flat=True))
    assert with_downloads == {"radgivningen"}


def test_the_same_use_is_made_every_time(loaded):
    from hemma.information.demo import _uses

    for spec in PAGES:
        page = Page.objects.get(slug=spec.slug)
        made = [(u.language, u.day, u.views, u.downloads) for u in _uses(spec, page, TODAY)]
        stored = list(
            Use.objects.filter(page=page)
            .order_by("language", "day")
            .values_list("language", "day", "views", "downloads")
        )
        assert sorted(made) == stored


def test_the_material_used_is_counted_from_the_demo_use(loaded):
    programme, _pages = loaded
    used = Measurement.objects.get(
        indicator__action__programme=programme,
        indicator__key="anvant-material",
        municipality__code="598",
        period="2025",
    )
    read = Use.objects.filter(page__site__slug="jakobstad", day__year=2025).aggregate(
        views=Sum("views"), downloads=Sum("downloads")
    )

    assert read["views"] > 0
    assert used.number == read["views"] + read["downloads"]


def test_the_demo_translator_logs_in_and_translates_the_regions_pages_into_arabic(loaded, rf):
    user = authenticate(
        rf.post("/sv/accounts/login/"), username="oversattare", password="demo-password-1"
    )
    membership = Membership.objects.get(user__username="oversattare")

    assert user is not None
    assert membership.role == Membership.Role.TRANSLATOR
    assert membership.language == "ar"
    assert membership.region.key == "jakobstadsregionen"


def test_a_page_is_published_in_persian_right_to_left(loaded):
    persian = Version.objects.get(page__slug="halsa-och-vard", language="fa")

    assert persian.state == Version.State.PUBLISHED
    assert is_rtl(persian.language)
