"""The public site: approved programmes and periods only, read by anyone, the same for all."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from hemma.followup import statuses
from hemma.followup.models import Assessment, Round, Status
from hemma.followup.tests.test_dashboard import grow, record, table_rows, text_of
from hemma.programmes.models import Indicator, Programme
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


# -- given ------------------------------------------------------------------------------------


def approve(programme, period: str, state=Round.State.APPROVED) -> Round:
    return Round.objects.create(
        programme=programme, period=period, deadline=datetime.date(2025, 3, 1), state=state
    )


def value(indicator, municipality, period: str, number: int, comment: str = ""):
    """A recorded value (hemma.followup.tests.test_dashboard.record) with its comment."""
    found = record(indicator, municipality, period, number=Decimal(number))
    if comment:
        found.comment = comment
        found.save(update_fields=["comment"])
    return found


@pytest.fixture
def meetings(programme_a):
    """programme_a's one indicator: joint meetings, a 2–4 band per year."""
    return Indicator.objects.select_related("action__programme").get(
        action__programme=programme_a, action__key="joint-meetings"
    )


@pytest.fixture
def followed(meetings, municipality_a1, municipality_a2):
    """2024 approved (A-stad 3 meetings, A-by 31); 2025 open (A-stad 37); 2023 without a
    round (A-stad 29). The figures of 2023 and 2025 are not public."""
    programme = meetings.action.programme
    approve(programme, "2024")
    approve(programme, "2025", state=Round.State.OPEN)
    value(meetings, municipality_a1, "2023", 29, "Twenty-nine")
    value(meetings, municipality_a1, "2024", 3, "Three held")
    value(meetings, municipality_a2, "2024", 31)
    value(meetings, municipality_a1, "2025", 37, "Not yet approved")
    return meetings


def urls(programme, period="2024", *, code="101", action="joint-meetings", indicator=None):
    """Every public page of `programme` (the open data page is another's: not here)."""
    slug = programme.slug
    indicator = indicator or (
        Indicator.objects.filter(action__programme=programme, action__key=action)
        .order_by("pk")
        .values_list("key", flat=True)
        .first()
    )
    base = f"/en/public/{slug}"
    return {
        "index": "/en/public/",
        "programme": f"{base}/",
        "period": f"{base}/{period}/",
        "matrix": f"{base}/{period}/matrix/",
        "indicator": f"{base}/indicators/{action}/{indicator}/",
        "chart": f"{base}/indicators/{action}/{indicator}/chart.svg",
        "municipality": f"{base}/municipalities/{code}/",
    }


# -- every page, for anyone -------------------------------------------------------------------


PAGES = ["index", "programme", "period", "matrix", "indicator", "chart", "municipality"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_without_logging_in_sets_no_cookie_and_may_be_cached(followed, page):
    response = Client().get(urls(followed.action.programme)[page])

    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert response["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    assert "Cookie" not in response.get("Vary", "")


def test_the_index_lists_published_programmes_with_their_approved_periods(followed, programme_b):
    draft = f.ProgrammeFactory(slug="a-draft", status=Programme.Status.DRAFT)
    approve(draft, "2024")

    html = Client().get("/en/public/").content.decode()

    assert "Programme programme-a" in html
    assert "Programme programme-b" in html
    assert "a-draft" not in html
    assert 'href="/en/public/programme-a/2024/"' in html
    assert "/programme-a/2025/" not in html
    assert "/programme-a/2023/" not in html
    assert "Region A" in html


def test_the_programme_page_has_its_decisions_review_periods_and_municipalities(
    followed, municipality_a1
):
    programme = followed.action.programme
    Programme.objects.filter(pk=programme.pk).update(next_review=datetime.date(2026, 5, 1))
    programme.council_decisions.create(
        municipality=municipality_a1,
        body={"sv": "Fullmäktige", "en": "Council"},
        date=datetime.date(2023, 2, 1),
        section="§ 12",
    )

    html = Client().get("/en/public/programme-a/").content.decode()

    assert "Council, Feb. 1, 2023, § 12" in html
    assert "Next review" in html and "May 1, 2026" in html
    assert 'href="/en/public/programme-a/2024/"' in html
    assert 'href="/en/public/programme-a/2024/matrix/"' in html
    assert "/2025/" not in html
    assert 'href="/en/public/programme-a/municipalities/101/"' in html
    assert 'href="/en/public/programme-a/data/"' in html


def test_the_period_shows_the_table_with_published_values_targets_and_comments(followed):
    html = Client().get("/en/public/programme-a/2024/?place=101").content.decode()

    rows = table_rows(html, "public-table")
    assert rows[0] == ["Goal", "Action", "Responsible", "Partners", "Follow-up", "Status"]
    goal, action, _responsible, _partners, followup, status = rows[1]
    assert (goal, action) == ("Mål cooperation", "Åtgärd joint-meetings")
    assert "Gemensamma möten 3 ✓ Met" in followup
    assert "Target: 2–4 per year" in followup
    assert "Comment: Three held" in followup
    assert status == "✓ Met 1 of 1 met"
    assert 'href="/en/public/programme-a/2024/matrix/"' in html
    # The place chooser: a labelled select sent by GET.
    assert '<label for="public-place">' in html
    assert '<option value="101" selected>' in html


def test_the_period_shows_each_place_and_a_manual_assessment_without_its_author(
    followed, municipality_a2, coordinator_region
):
    Assessment.objects.create(
        action=followed.action,
        municipality=municipality_a2,
        period="2024",
        status=Status.PARTLY_MET,
        justification="Fewer met than planned",
        assessed_by=coordinator_region,
    )

    html = Client().get("/en/public/programme-a/2024/?place=102").content.decode()

    text = text_of(html)
    assert "Gemensamma möten 31 ▲ Exceeded" in text
    assert "Manual assessment: ◐ Partly met Fewer met than planned" in text
    assert "coordinator_region" not in html


def test_without_a_place_the_period_shows_the_first_municipality(followed):
    """As the staff table does: most actions are followed up per municipality."""
    html = Client().get("/en/public/programme-a/2024/").content.decode()

    assert '<option value="101" selected>' in html
    assert "Gemensamma möten 3 ✓ Met" in text_of(html)


def test_a_place_the_programme_does_not_cover_is_not_found(followed, municipality_b1):
    assert Client().get("/en/public/programme-a/2024/?place=201").status_code == 404
    assert Client().get("/en/public/programme-a/municipalities/201/").status_code == 404


def test_the_matrix_shows_the_roll_ups_only(followed, coordinator_region):
    Assessment.objects.create(
        action=followed.action,
        municipality=None,
        period="2024",
        status=Status.MET,
        justification="Judged by the region",
        assessed_by=coordinator_region,
    )

    html = Client().get("/en/public/programme-a/2024/matrix/").content.decode()

    rows = table_rows(html, "fu-matrix")
    assert rows[0] == ["Theme and goal", "A-stad", "A-by", "Region as a whole"]
    # (An action whose indicator is exceeded is met.)
    assert rows[-1] == [
        "Whole programme",
        "✓ Met 1 of 1 met",
        "✓ Met 1 of 1 met",
        "— not followed up here",
    ]
    for staff_only in ("Reporting round", "manual assessment", "Judged by the region", "/grid/"):
        assert staff_only not in html


def test_the_region_column_is_said_not_to_be_a_total_under_the_matrix_and_for_the_region(
    followed,
):
    with translation.override("en"):
        note = str(statuses.REGION_COLUMN_NOTE)

    matrix = Client().get("/en/public/programme-a/2024/matrix/").content.decode()
    region = Client().get("/en/public/programme-a/2024/?place=region").content.decode()
    a_stad = Client().get("/en/public/programme-a/2024/?place=101").content.decode()

    assert note in text_of(matrix)
    assert note in text_of(region)
    assert note not in text_of(a_stad)


def test_the_indicator_page_has_the_chart_with_alt_text_and_the_data_table(followed):
    page = urls(followed.action.programme)

    html = Client().get(page["indicator"]).content.decode()

    assert f'<img src="{page["chart"]}" alt="Gemensamma möten from 2024 to 2024' in html
    assert table_rows(html, "fu-history") == [
        ["Municipality", "2024"],
        ["A-stad", "3✓ Met"],
        ["A-by", "31▲ Exceeded"],
    ]


def test_the_municipality_page_shows_its_statuses_and_values_per_approved_period(
    followed, municipality_a1
):
    approve(followed.action.programme, "2023")

    html = Client().get("/en/public/programme-a/municipalities/101/").content.decode()

    rows = table_rows(html, "public-municipality-table")
    assert rows[0] == ["Action and indicator", "2023", "2024"]
    assert rows[2] == ["Åtgärd joint-meetings", "✓ Met 1 of 1 met", "✓ Met 1 of 1 met"]
    assert rows[3][1:] == ["29▲ Exceeded Comment: Twenty-nine", "3✓ Met Comment: Three held"]
    assert "A-by" not in rows[3][0]
    assert "31" not in text_of(html)


# -- what is not public -----------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2025", "2023", "2024Q1x"])
@pytest.mark.parametrize("page", ["period", "matrix"])
def test_a_period_not_approved_is_not_found(followed, period, page):
    assert Client().get(urls(followed.action.programme, period)[page]).status_code == 404


def test_values_of_periods_not_approved_appear_nowhere(followed):
    # 2025 has an open round, 2023 none: their figures (37, 29) and comments are not public.
    for name, url in urls(followed.action.programme).items():
        content = Client().get(url).content.decode()
        for secret in ("37", "29", "Not yet approved", "Twenty-nine"):
            assert secret not in text_of(content), (name, secret)
        if name != "chart":
            assert "/2025/" not in content and "/2023/" not in content, name


def test_a_period_whose_round_is_unlocked_again_leaves_the_site(followed):
    Round.objects.filter(period="2024").update(state=Round.State.OPEN)

    for name, url in urls(followed.action.programme).items():
        response = Client().get(url)
        if name in ("period", "matrix"):
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            assert "Three held" not in response.content.decode()


def test_a_draft_programme_is_not_found_on_any_page_even_for_its_staff(
    followed, client_for, coordinator_region
):
    programme = followed.action.programme
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.DRAFT)

    for name, url in urls(programme).items():
        if name == "index":
            continue
        assert Client().get(url).status_code == 404, name
        assert client_for(coordinator_region).get(url).status_code == 404, name
    assert "programme-a" not in Client().get("/en/public/").content.decode()


NOT_PUBLIC = (
    "This page does not exist, or is not public: only approved periods of approved programmes "
    "are published."
)


@pytest.mark.parametrize(
    "url",
    [
        "/sv/public/no-such-programme/",
        "/sv/public/programme-a/2025/matrix/",  # not approved
        "/sv/public/programme-a/2024/matrix/more/",  # no such address at all
        "/data/programme-a/2025/values.csv",  # no language: the site's own, Swedish
    ],
)
def test_a_page_not_found_on_the_public_site_keeps_its_layout_and_sets_no_cookie(followed, url):
    response = Client().get(url)

    html = response.content.decode()
    assert response.status_code == 404
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert 'class="site-header public-header"' in html
    assert 'method="post"' not in html and "csrfmiddlewaretoken" not in html
    # The logo and the way on lead to the public programmes, not to the sign-in.
    assert html.count('href="/sv/public/"') == 2
    assert 'href="/sv/"' not in html
    with translation.override("sv"):
        assert gettext(NOT_PUBLIC) in text_of(html)


def test_a_staff_page_not_found_keeps_the_staff_layout(followed):
    html = Client().get("/sv/no-such-page/").content.decode()

    assert 'class="site-header"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'href="/sv/"' in html
    assert "/sv/public/" not in html
    with translation.override("sv"):
        assert gettext(NOT_PUBLIC) not in text_of(html)


# -- small counts of people -------------------------------------------------------------------


@pytest.fixture
def people(programme_a, municipality_a1, municipality_a2):
    """Integration plans (counting people) in 2024, approved: A-stad 3, A-by 12, region 15."""
    indicator = f.IndicatorFactory(
        action=programme_a.actions.get(key="joint-meetings"),
        key="plans",
        name={"sv": "Integrationsplaner"},
        kind=Indicator.Kind.COUNT,
        target_type="",
        target_min=None,
        target_max=None,
        counts_people=True,
    )
    indicator = Indicator.objects.select_related("action__programme").get(pk=indicator.pk)
    approve(programme_a, "2024")
    record(indicator, municipality_a1, "2024", number=Decimal(3))
    record(indicator, municipality_a2, "2024", number=Decimal(12))
    record(indicator, None, "2024", number=Decimal(15))
    return indicator


def test_a_small_count_of_people_shows_as_under_five_and_its_complement_is_hidden(people):
    programme = people.action.programme
    page = urls(programme, indicator="plans")

    history = Client().get(page["indicator"]).content.decode()
    a_stad = Client().get(page["period"] + "?place=101").content.decode()
    a_by = Client().get(page["period"] + "?place=102").content.decode()
    region = Client().get(page["period"] + "?place=region").content.decode()
    own = Client().get(page["municipality"]).content.decode()

    assert table_rows(history, "fu-history")[1:] == [
        ["A-stad", "< 5✓ Met"],
        ["A-by", "< 5✓ Met"],
        ["Region as a whole", "15✓ Met"],
    ]
    assert "Integrationsplaner &lt; 5" in text_of(a_stad)
    # A-by's 12 would give A-stad's 3 back from the region's 15: it is hidden too.
    assert "Integrationsplaner &lt; 5" in text_of(a_by)
    assert "Integrationsplaner 15" in text_of(region)
    assert "&lt; 5" in own
    for html in (history, a_stad, a_by, own):
        assert ">3<" not in html and ">12<" not in html
        text = text_of(html)
        assert "Integrationsplaner 3" not in text and "Integrationsplaner 12" not in text


def test_the_chart_does_not_draw_hidden_counts(people):
    page = urls(people.action.programme, indicator="plans")
    drawn = Client().get(page["chart"]).content

    # The same chart as if the hidden counts had never been recorded.
    people.measurements.exclude(municipality=None).delete()
    without = Client().get(page["chart"]).content

    assert drawn == without


# -- the same for everyone --------------------------------------------------------------------


def test_staff_signed_in_see_the_same_public_pages(followed, client_for, coordinator_region):
    staff = client_for(coordinator_region)

    for name, url in urls(followed.action.programme).items():
        anonymous = Client().get(url)
        signed_in = staff.get(url)
        assert signed_in.status_code == 200, name
        assert signed_in.content == anonymous.content, name
        assert "Set-Cookie" not in signed_in, name


def test_the_language_links_lead_to_the_same_page_without_a_form(followed):
    html = Client().get("/en/public/programme-a/2024/?place=101").content.decode()

    assert 'href="/fi/public/programme-a/2024/?place=101" lang="fi" hreflang="fi"' in html
    assert 'href="/sv/public/programme-a/2024/?place=101" lang="sv" hreflang="sv"' in html
    assert "<form" in html  # the place chooser, by GET
    assert 'method="post"' not in html
    assert "csrfmiddlewaretoken" not in html
    assert 'lang="en" dir="ltr"' in html


def test_a_right_to_left_language_gets_dir_rtl(followed, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]

    for name, url in urls(followed.action.programme).items():
        if name == "chart":
            continue
        response = Client().get(url.replace("/en/", "/ar/", 1))
        assert response.status_code == 200, name
        assert '<html lang="ar" dir="rtl">' in response.content.decode(), name


# -- queries ----------------------------------------------------------------------------------


# The queries of each page, whatever the number of municipalities, indicators, years and
# approved periods.
QUERIES = {
    "index": 3,
    "programme": 7,
    "period": 17,
    "matrix": 18,
    "indicator": 6,
    "chart": 6,
    "municipality": 13,
}


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_in_a_fixed_number_of_queries(
    programme_a, django_assert_num_queries, size, page
):
    # Given more municipalities, indicators, years, and with them more approved periods
    grow(programme_a, municipalities=size, years=size + 1, indicators=2 * size)
    Round.objects.filter(programme=programme_a).update(state=Round.State.APPROVED)
    for year in ["2023", "2025"][: size - 1]:
        approve(programme_a, year)
    f.ProgrammeFactory.create_batch(size, status=Programme.Status.APPROVED)
    url = urls(programme_a)[page]

    with django_assert_num_queries(QUERIES[page]):
        assert Client().get(url).status_code == 200


def test_the_staff_programme_page_links_to_the_public_page_once_published(
    programme_a, client_for, viewer
):
    link = 'href="/en/public/programme-a/"'
    assert link in client_for(viewer).get("/en/programmes/programme-a/").content.decode()

    Programme.objects.filter(pk=programme_a.pk).update(status=Programme.Status.DRAFT)

    assert link not in client_for(viewer).get("/en/programmes/programme-a/").content.decode()
