"""The programme list: what each user sees, the empty state, and a constant number of queries."""

import pytest

from hemma.tests import factories as f

LIST = "/en/"


@pytest.mark.django_db
def test_a_region_coordinator_sees_their_regions_programme_only(
    client_for, coordinator_region, programme_a, programme_b
):
    response = client_for(coordinator_region).get(LIST)

    assert response.status_code == 200
    assert list(response.context["programmes"]) == [programme_a]
    html = response.content.decode()
    assert 'href="/en/programmes/programme-a/"' in html
    assert "programme-b" not in html


@pytest.mark.django_db
def test_another_regions_coordinator_sees_only_their_own(
    client_for, coordinator_b, programme_a, programme_b
):
    response = client_for(coordinator_b).get(LIST)

    assert list(response.context["programmes"]) == [programme_b]
    assert "programme-a" not in response.content.decode()


@pytest.mark.django_db
def test_a_viewer_sees_their_regions_programme(client_for, viewer, programme_a, programme_b):
    response = client_for(viewer).get(LIST)

    assert list(response.context["programmes"]) == [programme_a]


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, programme_a):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url == "/en/accounts/login/?next=/en/"


@pytest.mark.django_db
def test_a_row_shows_status_period_region_and_number_of_actions(
    client_for, coordinator_region, programme_a
):
    f.ActionFactory(goal__theme__programme=programme_a)

    html = client_for(coordinator_region).get(LIST).content.decode()

    row = html[html.index('href="/en/programmes/programme-a/"') :]
    row = row[: row.index("</tr>")]
    assert "Approved" in row
    assert "2023–2025" in row
    assert "Region A" in row
    assert '<td class="number">2</td>' in row


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_whom_to_ask(client_for, programme_a):
    newcomer = f.UserFactory(username="newcomer")

    response = client_for(newcomer).get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<table" not in html
    assert "Ask your region coordinator for access" in html


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_programmes(
    client_for, coordinator_region, region_a, programme_a, django_assert_max_num_queries
):
    client = client_for(coordinator_region)
    with django_assert_max_num_queries(6) as few:
        client.get(LIST)
    for _ in range(5):
        programme = f.ProgrammeFactory(region=region_a)
        f.ActionFactory(goal__theme__programme=programme)
        f.ActionFactory(goal__theme__programme=programme)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)

    assert len(response.context["programmes"]) == 6


@pytest.mark.django_db
def test_a_translator_is_sent_to_the_pages_waiting_for_their_language(client_for, region_a):
    from hemma.accounts.models import Membership

    translator = f.member(
        f.UserFactory(username="translator"),
        Membership.Role.TRANSLATOR,
        region=region_a,
        language="ar",
    )

    response = client_for(translator).get(LIST)

    assert response.status_code == 302
    assert response.url == "/en/information/translations/"
