"""A site's pages: making and changing one, its overview (languages, blocks, distribution,
use), and who may do what."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hemma.information import services
from hemma.information.models import Block, Page, Use
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


def url(name: str, page: Page, *args) -> str:
    return reverse(f"information:{name}", args=[page.site.slug, page.slug, *args])


def new_page_form(owner, **values) -> dict:
    return {
        "title": "Sopsortering",
        "summary": "Så sorterar du.",
        "slug": "sopor",
        "kind": "leaflet",
        "topic": "housing",
        "owner": str(owner.pk),
        "languages": ["fi", "ar"],
        **values,
    }


def login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- a new page --------------------------------------------------------------------------------


def test_a_coordinator_makes_a_page_with_its_source_title_and_actions(
    client_for, coordinator_a, site_a1, owner_a, action_a
):
    client = client_for(coordinator_a)
    create = reverse("information:page_create", args=[site_a1.slug])
    form = client.get(create).content.decode()
    # The actions of the region's programmes, grouped by programme; the site's languages.
    assert "Åtgärd joint-meetings" in form and "Programme programme-a" in form
    assert 'value="ar"' in form and 'id="id_languages_0"' in form
    response = client.post(create, new_page_form(owner_a, actions=[str(action_a.pk)]))
    page = Page.objects.get(site=site_a1, slug="sopor")
    assert response.status_code == 302 and response["Location"] == url("page", page)
    assert page.kind == "leaflet" and page.owner == owner_a
    assert list(page.actions.all()) == [action_a]
    assert page.languages == ["sv", "fi", "ar"]
    source = page.versions.get(language="sv")
    assert (source.title, source.summary) == ("Sopsortering", "Så sorterar du.")


@pytest.mark.parametrize(
    "slug, error",
    [
        ("boende", "The site already has a page at this address."),
        ("files", "This address is used by the site itself"),
    ],
)
def test_a_taken_or_reserved_address_is_refused_at_the_field(
    client_for, coordinator_a, page_a1, owner_a, slug, error
):
    response = client_for(coordinator_a).post(
        reverse("information:page_create", args=[page_a1.site.slug]),
        new_page_form(owner_a, slug=slug, title="Annan"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert 'id="id_slug_error"' in html
    assert not Page.objects.filter(versions__title="Annan").exists()


def test_an_owner_of_another_region_cannot_be_chosen(client_for, coordinator_a, site_a1, region_b):
    stranger = f.OrganisationFactory(region=region_b)
    response = client_for(coordinator_a).post(
        reverse("information:page_create", args=[site_a1.slug]), new_page_form(stranger)
    )
    assert response.status_code == 200
    assert not Page.objects.exists()


def test_only_who_changes_the_site_makes_its_pages(
    client_for, client, viewer_a1, coordinator_a2, coordinator_b, translator_ar, site_a1, owner_a
):
    create = reverse("information:page_create", args=[site_a1.slug])
    assert client_for(viewer_a1).post(create, new_page_form(owner_a)).status_code == 403
    assert client_for(translator_ar).post(create, new_page_form(owner_a)).status_code == 403
    assert client_for(coordinator_a2).get(create).status_code == 404
    assert client_for(coordinator_b).get(create).status_code == 404
    assert login_redirect(client.get(create))
    assert not Page.objects.exists()


# -- the page's overview -----------------------------------------------------------------------


def test_the_overview_shows_the_languages_blocks_distribution_and_use(
    client_for, coordinator_a, page_a1, superuser
):
    services.version_save(
        actor=superuser,
        page=page_a1,
        language="ar",
        title="السكن",
        texts={page_a1.blocks.get().key: {"html": "<p>هدوء</p>"}},
    )
    source = page_a1.versions.get(language="sv")
    services.version_save(
        actor=superuser, page=page_a1, language="sv", title="Ny titel", texts=source.texts
    )
    services.distribution_record(
        actor=superuser,
        page=page_a1,
        channel="print",
        starts_on=datetime.date(2025, 3, 1),
        copies=300,
        place="Biblioteket",
    )
    html = client_for(coordinator_a).get(url("page", page_a1)).content.decode()
    # Each language links to its own page; the outdated Arabic may be published with a notice.
    assert url("version", page_a1, "ar") in html and url("version", page_a1, "fi") in html
    assert url("version_publish", page_a1, "ar") in html
    assert 'name="outdated_ok"' in html
    assert "info-state-outdated" in html and "info-state-missing" in html
    # A missing language has nothing to publish.
    assert url("version_publish", page_a1, "fi") not in html
    assert "<p>Tystnad kl. 22–7.</p>" in html
    for kind in Block.Kind.values:
        assert url("block_add", page_a1, kind) in html
    assert "Biblioteket" in html and "300" in html
    assert url("distribution_add", page_a1) in html


def test_the_overview_counts_views_and_downloads_per_language_and_period(
    client_for, viewer_a1, page_a1
):
    today = timezone.localdate()
    for day, views, downloads in [
        (today, 5, 1),
        (today - datetime.timedelta(days=40), 7, 0),
        (datetime.date(today.year - 1, 6, 1), 11, 2),
        (datetime.date(today.year - 2, 6, 1), 100, 100),
    ]:
        Use.objects.create(page=page_a1, language="ar", day=day, views=views, downloads=downloads)
    Use.objects.create(page=page_a1, language="sv", day=today, views=3)

    html = client_for(viewer_a1).get(url("page", page_a1)).content.decode()
    rows = html.split('id="use-heading"')[1]
    arabic = rows.split("العربية")[1].split("</tr>")[0]
    numbers = [cell.split(">")[1] for cell in arabic.split('<td class="number"')[1:]]
    this_year = 5 + (7 if (today - datetime.timedelta(days=40)).year == today.year else 0)
    last_year = 11 + (7 if (today - datetime.timedelta(days=40)).year != today.year else 0)
    assert [n.split("<")[0] for n in numbers] == [
        str(this_year),
        "1",
        str(last_year),
        "2",
        "5",
        "1",
    ]


def test_the_overview_reads_use_in_one_query_whatever_the_days(client_for, coordinator_a, page_a1):
    client = client_for(coordinator_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("page", page_a1)).status_code == 200
        return len(queries)

    Use.objects.create(page=page_a1, language="sv", day=timezone.localdate(), views=1)
    few = count()
    for n in range(1, 30):
        for language in ("sv", "ar", "fi"):
            Use.objects.create(
                page=page_a1,
                language=language,
                day=timezone.localdate() - datetime.timedelta(days=n),
                views=n,
            )
    assert count() == few


def test_a_viewer_reads_the_overview_without_any_button(client_for, viewer_a1, page_a1):
    response = client_for(viewer_a1).get(url("page", page_a1))
    html = response.content.decode()
    assert response.status_code == 200
    assert url("page_edit", page_a1) not in html
    assert url("block_add", page_a1, "text") not in html
    assert url("version_publish", page_a1, "sv") not in html
    assert url("distribution_add", page_a1) not in html


def test_a_translator_reads_the_overview_of_a_page_in_their_language_only(
    client_for, translator_ar, page_a1, superuser
):
    client = client_for(translator_ar)
    services.version_save(
        actor=superuser,
        page=page_a1,
        language="ar",
        title="السكن",
        summary="ما تحتاج معرفته.",
        texts={page_a1.blocks.get().key: {"html": "<p>هدوء</p>"}},
    )
    html = client.get(url("page", page_a1)).content.decode()
    assert url("page_edit", page_a1) not in html
    assert url("block_add", page_a1, "text") not in html
    # They publish their own language, not the source.
    assert url("version_publish", page_a1, "ar") in html
    assert url("version_publish", page_a1, "sv") not in html

    services.page_update(
        actor=superuser,
        page=page_a1,
        slug="boende",
        kind=page_a1.kind,
        topic=page_a1.topic,
        owner=page_a1.owner,
        actions=[],
        languages=["fi"],
    )
    assert client.get(url("page", page_a1)).status_code == 404


def test_the_overview_is_not_found_by_another_municipality_or_region(
    client, client_for, coordinator_a2, coordinator_b, page_a1
):
    assert client_for(coordinator_a2).get(url("page", page_a1)).status_code == 404
    assert client_for(coordinator_b).get(url("page", page_a1)).status_code == 404
    assert login_redirect(client.get(url("page", page_a1)))


# -- changing a page ---------------------------------------------------------------------------


def test_a_coordinator_changes_what_the_page_is(client_for, coordinator_region, page_a1, action_a):
    client = client_for(coordinator_region)
    form = client.get(url("page_edit", page_a1)).content.decode()
    assert 'name="title"' not in form  # the words are the versions'
    response = client.post(
        url("page_edit", page_a1),
        {
            "slug": "att-bo",
            "kind": "printable",
            "topic": "family",
            "owner": str(page_a1.owner_id),
            "actions": [str(action_a.pk)],
            "languages": ["en"],
        },
    )
    page_a1.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == url("page", page_a1)
    assert (page_a1.slug, page_a1.kind, page_a1.topic) == ("att-bo", "printable", "family")
    assert page_a1.languages == ["sv", "en"]
    assert list(page_a1.actions.all()) == [action_a]


def test_only_who_changes_the_site_changes_the_page(
    client, client_for, viewer_a1, translator_ar, coordinator_b, page_a1
):
    data = {"slug": "x", "kind": "page", "topic": "work", "owner": str(page_a1.owner_id)}
    assert client_for(viewer_a1).post(url("page_edit", page_a1), data).status_code == 403
    assert client_for(translator_ar).post(url("page_edit", page_a1), data).status_code == 403
    assert client_for(coordinator_b).get(url("page_edit", page_a1)).status_code == 404
    assert login_redirect(client.get(url("page_edit", page_a1)))
    page_a1.refresh_from_db()
    assert page_a1.slug == "boende"
