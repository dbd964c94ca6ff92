"""Counting views and downloads without tracking anyone (hemma/information/uses.py)."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from hemma.information import services, uses
from hemma.information.models import Use
from hemma.information.tests.public_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


def _request(method="GET", agent=BROWSER, **headers):
    factory = RequestFactory()
    request = factory.generic(method, "/info/a-stad/sv/boende/", HTTP_USER_AGENT=agent, **headers)
    return request


def _uses(page, language="sv"):
    return {
        (use.day, use.views, use.downloads)
        for use in Use.objects.filter(page=page, language=language)
    }


def test_a_view_is_counted_for_the_page_language_and_day(published_page):
    counted = uses.use_record(
        page=published_page, language="sv", kind=uses.VIEW, request=_request()
    )

    assert counted
    assert _uses(published_page) == {(timezone.localdate(), 1, 0)}
    assert _uses(published_page, "ar") == set()


def test_views_and_downloads_add_up_in_one_row_per_day(published_page):
    for kind in (uses.VIEW, uses.VIEW, uses.DOWNLOAD):
        uses.use_record(page=published_page, language="sv", kind=kind, request=_request())

    assert _uses(published_page) == {(timezone.localdate(), 2, 1)}


def test_a_new_day_gets_a_row_of_its_own(published_page, monkeypatch):
    uses.use_record(page=published_page, language="sv", kind=uses.VIEW, request=_request())
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(uses.timezone, "localdate", lambda: tomorrow)

    uses.use_record(page=published_page, language="sv", kind=uses.VIEW, request=_request())

    assert _uses(published_page) == {
        (tomorrow - datetime.timedelta(days=1), 1, 0),
        (tomorrow, 1, 0),
    }


@pytest.mark.parametrize(
    "agent",
    ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "curl/8.5", ""],
)
def test_a_robot_is_not_counted(published_page, agent):
    counted = uses.use_record(
        page=published_page, language="sv", kind=uses.VIEW, request=_request(agent=agent)
    )

    assert not counted
    assert not Use.objects.exists()


def test_a_head_request_is_not_counted(published_page):
    counted = uses.use_record(
        page=published_page, language="sv", kind=uses.VIEW, request=_request("HEAD")
    )

    assert not counted
    assert not Use.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_X_PURPOSE": "preview"},
    ],
)
def test_a_prefetch_is_not_counted(published_page, headers):
    counted = uses.use_record(
        page=published_page, language="sv", kind=uses.VIEW, request=_request(**headers)
    )

    assert not counted
    assert not Use.objects.exists()


def test_a_signed_in_user_reading_the_public_page_is_not_counted(
    published_page, client_for, coordinator_a
):
    client = client_for(coordinator_a)

    response = client.get("/info/a-stad/sv/boende/", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 200
    assert not Use.objects.exists()


def test_two_increments_of_a_missing_row_give_two(published_page):
    for _ in range(2):
        uses.use_record(page=published_page, language="sv", kind=uses.VIEW, request=_request())

    assert Use.objects.get(page=published_page, language="sv").views == 2


def test_a_row_made_by_another_reader_in_between_is_incremented_not_duplicated(
    published_page, monkeypatch
):
    """The race: this request finds no row, another request creates it, this request's insert
    hits the unique constraint, and it increments the other's row instead."""
    real_add = uses._add
    calls = []

    def add_after_another_reader(page, language, day, field):
        calls.append(field)
        if len(calls) == 1:
            # Another reader's request creates the day's row between our update and insert.
            Use.objects.create(page=page, language=language, day=day, views=1)
            return 0
        return real_add(page, language, day, field)

    monkeypatch.setattr(uses, "_add", add_after_another_reader)

    counted = uses.use_record(
        page=published_page, language="sv", kind=uses.VIEW, request=_request()
    )

    assert counted
    assert Use.objects.get(page=published_page, language="sv").views == 2
    assert len(calls) == 2


def test_the_indicators_are_told_once_the_count_is_committed(
    published_page, monkeypatch, django_capture_on_commit_callbacks
):
    told = []
    monkeypatch.setattr(
        uses.counting, "uses_changed", lambda *, site, day: told.append((site.pk, day))
    )

    with django_capture_on_commit_callbacks(execute=True):
        uses.use_record(page=published_page, language="sv", kind=uses.VIEW, request=_request())

    assert told == [(published_page.site_id, timezone.localdate())]


def test_nothing_of_the_request_is_stored(published_page):
    uses.use_record(
        page=published_page,
        language="sv",
        kind=uses.VIEW,
        request=_request(REMOTE_ADDR="192.0.2.7", HTTP_REFERER="https://example.org/x"),
    )

    use = Use.objects.get()
    stored = {field.name for field in Use._meta.get_fields()}
    assert stored == {"id", "page", "language", "day", "views", "downloads"}
    assert isinstance(use.day, datetime.date) and not isinstance(use.day, datetime.datetime)


def test_a_withdrawn_page_is_not_found_and_not_counted(client, published_page, superuser):
    services.version_withdraw(actor=superuser, version=published_page.versions.get(language="sv"))

    response = client.get("/info/a-stad/sv/boende/", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 404
    assert not Use.objects.exists()


def test_a_draft_is_not_found_and_not_counted(client, page_a1):
    response = client.get("/info/a-stad/sv/boende/", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 404
    assert not Use.objects.exists()


def test_each_get_of_a_page_is_counted_once(client, published_page):
    for _ in range(3):
        assert client.get("/info/a-stad/ar/boende/", HTTP_USER_AGENT=BROWSER).status_code == 200

    assert Use.objects.get(page=published_page, language="ar").views == 3
    assert not Use.objects.filter(language="sv").exists()


def test_a_revalidated_page_is_counted_though_its_body_is_not_sent_again(client, published_page):
    first = client.get("/info/a-stad/sv/boende/", HTTP_USER_AGENT=BROWSER)

    again = client.get(
        "/info/a-stad/sv/boende/", HTTP_USER_AGENT=BROWSER, HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert again.status_code == 304
    assert Use.objects.get(page=published_page, language="sv").views == 2


def test_a_head_of_a_page_is_answered_and_not_counted(client, published_page):
    response = client.head("/info/a-stad/sv/boende/", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 200
    assert not Use.objects.exists()


def test_a_download_is_counted_and_a_view_is_not(client, full_page):
    upload = full_page.files["sv"]

    response = client.get(
        f"/info/a-stad/sv/sortering/files/{upload.key}/{upload.name}", HTTP_USER_AGENT=BROWSER
    )

    assert response.status_code == 200
    use = Use.objects.get(page=full_page, language="sv")
    assert (use.views, use.downloads) == (0, 1)


def test_a_robots_download_is_not_counted(client, full_page):
    upload = full_page.files["sv"]

    response = client.get(
        f"/info/a-stad/sv/sortering/files/{upload.key}/{upload.name}", HTTP_USER_AGENT="Wget/1.21"
    )

    assert response.status_code == 200
    assert not Use.objects.exists()


def test_an_arabic_view_counts_for_arabic(client, full_page):
    client.get("/info/a-stad/ar/sortering/", HTTP_USER_AGENT=BROWSER)

    assert {(use.language, use.views) for use in Use.objects.all()} == {("ar", 1)}
