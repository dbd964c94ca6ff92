"""Site-wide behaviour: switching language, the error pages, and the printed programme."""

import re

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.views import defaults

from hemma.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

# What a real browser sends; Django's test client sends no Accept-Language at all.
BROWSER_LANGUAGE = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
EDIT_URL = "/{language}/programmes/programme-a/actions/joint-meetings/edit/"


def _heading(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "the page has no <h1>"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def _lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


# -- the language switcher -------------------------------------------------------------------


@pytest.mark.django_db
def test_switching_language_in_a_browser_that_prefers_english_lands_on_the_chosen_language(
    client_for, viewer, programme_a
):
    client = client_for(viewer)

    response = client.post(
        "/i18n/setlang/",
        {"language": "fi", "next": "/sv/programmes/programme-a/?tab=1"},
        **BROWSER_LANGUAGE,
    )

    assert response.status_code == 302
    assert response.url == "/fi/programmes/programme-a/?tab=1"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fi"
    page = client.get(response.url, **BROWSER_LANGUAGE)
    assert _lang(page) == "fi"


@pytest.mark.django_db
def test_switching_language_on_the_sign_in_page_keeps_where_to_go_after_signing_in(client):
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/fi/accounts/login/?next=/fi/me/"},
        **BROWSER_LANGUAGE,
    )

    assert response.url == "/en/accounts/login/?next=/en/me/"
    assert _lang(client.get(response.url)) == "en"


@pytest.mark.django_db
def test_switching_language_from_an_address_without_a_language_goes_to_the_chosen_language(
    client,
):
    response = client.post("/i18n/setlang/", {"language": "fi", "next": "/"}, **BROWSER_LANGUAGE)

    assert response.url == "/fi/"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/sv/", "//evil.example/sv/", ""])
def test_switching_language_never_sends_the_user_to_another_site(client, next_url):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": next_url})

    assert response.status_code == 302
    assert response.url == "/sv/"


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/sv/accounts/login/"})

    assert response.url == "/sv/accounts/login/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_switching_language_takes_a_post_only(client):
    response = client.get("/i18n/setlang/", {"language": "fi", "next": "/sv/"})

    assert response.status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# -- error pages -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Sidan kunde inte hittas"), ("fi", "Sivua ei löydy"), ("en", "Page not found")],
)
@pytest.mark.parametrize("path", ["nope/", "programmes/nope/"])
def test_a_missing_page_is_hemmas_page_in_the_language_of_the_address(
    client_for, viewer, language, heading, path
):
    assert settings.DEBUG is False

    response = client_for(viewer).get(f"/{language}/{path}")

    assert response.status_code == 404
    assert _lang(response) == language
    assert _heading(response) == heading
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert f'href="/{language}/"' in html  # back to the programme list
    assert 'action="/i18n/setlang/"' in html  # and the language can be changed there


@pytest.mark.django_db
def test_a_missing_page_tells_what_to_do(client):
    html = client.get("/en/nope/").content.decode()

    assert "The page you asked for does not exist" in html
    assert "Back to the programmes" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("sv", "Otillåtet"), ("fi", "Kielletty"), ("en", "Forbidden")]
)
def test_a_forbidden_page_is_hemmas_page_in_the_language_of_the_address(
    client_for, coordinator_a, programme_a, language, heading
):
    response = client_for(coordinator_a).get(EDIT_URL.format(language=language))

    assert response.status_code == 403
    assert _lang(response) == language
    assert _heading(response) == heading
    assert f'href="/{language}/"' in response.content.decode()


@pytest.mark.django_db
def test_a_forbidden_page_tells_what_to_do(client_for, coordinator_a, programme_a):
    html = client_for(coordinator_a).get(EDIT_URL.format(language="en")).content.decode()

    assert "You may see this, but not change it" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_expired_form_gets_hemmas_page_in_the_language_of_the_address(client, language):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{language}/accounts/login/", {"login": "x", "password": "y"})

    assert response.status_code == 403
    assert _lang(response) == language
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_says_to_reload_and_try_again(client):
    response = Client(enforce_csrf_checks=True).post("/en/accounts/login/", {"login": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "The form had expired or came from elsewhere." in html
    assert "Go back, reload the page and try again." in html


@pytest.mark.django_db
def test_a_bad_request_is_hemmas_page(client):
    # A host name Hemma does not serve is the commonest bad request.
    response = client.get("/sv/", HTTP_HOST="elsewhere.example")

    assert response.status_code == 400
    assert _lang(response) == "sv"
    assert 'class="site-header"' in response.content.decode()
    assert _heading(response)


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="sv")
def test_the_server_error_page_stands_alone_in_three_languages():
    # Django renders 500.html with no context and no request: nothing may depend on them.
    response = defaults.server_error(RequestFactory().get("/sv/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "hemma/hemma.css" in html
    assert 'lang="sv"' in html and 'lang="fi"' in html and 'lang="en"' in html
    assert "Something went wrong" in html
    assert "Något gick fel" in html
    assert "Jokin meni vikaan" in html


# -- printing --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_programme_prints_on_portrait_a4_as_a_table(
    live_server, client_for, viewer, seed_programme
):
    """Printed portrait A4 is narrower than the narrow-screen layout: it must stay a table."""
    import os

    from playwright.sync_api import sync_playwright

    viewer.memberships.update(region=seed_programme.region)
    session = client_for(viewer).cookies[settings.SESSION_COOKIE_NAME].value
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # A4 portrait at 96 dpi is 794 px wide, less the page margins.
        context = browser.new_context(viewport={"width": 700, "height": 1000})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/sv/programmes/{seed_programme.slug}/")
        page.emulate_media(media="print")

        layout = page.evaluate(
            """() => {
              const table = document.querySelector('.programme-table');
              const style = (el) => getComputedStyle(el);
              const cell = table.querySelector('tbody td');
              const item = table.querySelector('.indicators li');
              return {
                table: style(table).display,
                thead: style(table.querySelector('thead')).display,
                cell: style(cell).display,
                cellFont: parseFloat(style(cell).fontSize),
                indicatorFont: parseFloat(style(item).fontSize),
              };
            }"""
        )
        browser.close()

    assert layout["table"] == "table"
    assert layout["thead"] == "table-header-group"  # repeated on every printed page
    assert layout["cell"] == "table-cell"
    assert layout["indicatorFont"] <= layout["cellFont"]
