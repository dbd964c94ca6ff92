"""Details a second walkthrough found: a translator's refusal pages lead back to their list,
breadcrumbs name a page by its title, a distribution names its languages, and a page's use
is listed in the page's own order of languages."""

import datetime

import pytest

from hemma.information import services
from hemma.information.models import Distribution, Use

pytestmark = pytest.mark.django_db


def test_a_translators_refusal_and_not_found_pages_lead_back_to_the_translations(
    client_for, translator_ar, page_a1
):
    client = client_for(translator_ar)

    refused = client.get(f"/en/information/a-stad/{page_a1.slug}/edit/")
    missing = client.get("/en/information/no-such-site/")

    assert refused.status_code == 403 and missing.status_code == 404
    for response in (refused, missing):
        page = response.content.decode()
        assert 'href="/en/information/translations/"' in page
        assert "Back to the programmes" not in page


def test_breadcrumbs_name_the_page_by_its_title(client_for, coordinator_region, page_a1):
    page = client_for(coordinator_region).get(f"/en/information/a-stad/{page_a1.slug}/edit/")

    assert "Att bo i hyreshus</span></a>" in page.content.decode()


def test_a_distribution_names_its_languages_in_themselves(
    client_for, coordinator_region, page_a1, superuser
):
    services.distribution_record(
        actor=superuser,
        page=page_a1,
        channel=Distribution.Channel.WEB,
        starts_on=datetime.date(2025, 1, 1),
        languages=["sv", "ar"],
    )

    page = client_for(coordinator_region).get(f"/en/information/a-stad/{page_a1.slug}/")

    assert '<span lang="ar">العربية</span>' in page.content.decode()


def test_a_pages_use_is_listed_in_the_pages_order_of_languages(
    client_for, coordinator_region, page_a1
):
    today = datetime.date.today()
    for language in ("ar", "en", "sv", "fi"):
        Use.objects.create(page=page_a1, language=language, day=today, views=1)

    response = client_for(coordinator_region).get(f"/en/information/a-stad/{page_a1.slug}/")

    assert [row.language for row in response.context["overview"].use] == ["sv", "fi", "en", "ar"]
