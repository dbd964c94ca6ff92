"""The layout every page shares: language and direction, landmarks, the language switcher,
signing out, and the security headers."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation


class _Page(HTMLParser):
    """What a test needs to know about a page's markup."""

    def __init__(self, html: str):
        super().__init__()
        self.html_attrs: dict = {}
        self.forms: list[dict] = []
        self.inline_scripts = 0
        self.style_elements = 0
        self.style_attributes: list[str] = []
        self.handler_attributes: list[str] = []
        self.landmarks: list[str] = []
        self.ids: set[str] = set()
        self.links: list[dict] = []
        self._script_has_src = True
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "html":
            self.html_attrs = attributes
        elif tag == "form":
            self.forms.append({**attributes, "inputs": {}})
        elif tag in ("input", "select") and self.forms and attributes.get("name"):
            self.forms[-1]["inputs"][attributes["name"]] = attributes.get("value", "")
        elif tag == "script":
            self._script_has_src = bool(attributes.get("src"))
        elif tag == "style":
            self.style_elements += 1
        elif tag in ("header", "nav", "main", "footer"):
            self.landmarks.append(tag)
        elif tag == "a":
            self.links.append(attributes)
        if "style" in attributes:
            self.style_attributes.append(tag)
        self.handler_attributes += [name for name in attributes if name.startswith("on")]

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_has_src = True

    def handle_data(self, data):
        if not self._script_has_src and data.strip():
            self.inline_scripts += 1

    def form_posting_to(self, action: str) -> dict:
        return next(form for form in self.forms if form.get("action") == action)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # allauth's rate limits live in the cache, which outlives a test
    yield


# -- language and direction ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "fi", "en"])
def test_a_page_says_its_language_and_direction(client_for, viewer, language):
    signed_in = client_for(viewer).get(f"/{language}/")
    anonymous = Client().get(f"/{language}/accounts/login/")

    for response in (signed_in, anonymous):
        assert response.status_code == 200
        assert f'<html lang="{language}" dir="ltr">' in response.content.decode()


@pytest.mark.parametrize("language", ["ar", "fa", "prs", "ckb"])
def test_base_layout_is_right_to_left_in_a_right_to_left_language(language):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with translation.override(language):
        html = render_to_string("base.html", request=request)

    assert _Page(html).html_attrs == {"lang": language, "dir": "rtl"}


def test_base_layout_is_left_to_right_in_finnish():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with translation.override("fi"):
        html = render_to_string("base.html", request=request)

    assert _Page(html).html_attrs == {"lang": "fi", "dir": "ltr"}


# -- landmarks, the language switcher, signing out -------------------------------------------


@pytest.mark.django_db
def test_a_page_has_a_skip_link_to_main_and_landmarks(client_for, viewer):
    page = _Page(client_for(viewer).get("/en/").content.decode())

    assert page.links[0].get("href") == "#main"
    assert "main" in page.ids
    assert page.landmarks[:3] == ["header", "nav", "main"] and "footer" in page.landmarks


@pytest.mark.django_db
def test_switching_from_swedish_to_finnish_stays_on_the_same_page(client_for, viewer, programme_a):
    client = client_for(viewer)
    page = _Page(client.get("/sv/").content.decode())
    switcher = page.form_posting_to("/i18n/setlang/")
    assert switcher["method"] == "post"

    response = client.post(
        switcher["action"], {**switcher["inputs"], "language": "fi"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/fi/"
    html = response.content.decode()
    assert '<html lang="fi" dir="ltr">' in html
    assert "programme-a" in html  # the same programme list, now in Finnish


@pytest.mark.django_db
def test_signing_out_is_a_post_form_and_a_get_signs_nobody_out(client_for, viewer):
    client = client_for(viewer)
    page = _Page(client.get("/en/").content.decode())
    logout = page.form_posting_to("/en/accounts/logout/")
    assert logout["method"] == "post"

    client.get("/en/accounts/logout/")
    assert client.get("/en/me/").status_code == 200

    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/en/me/").status_code == 302


# -- security headers and no inline script or style ------------------------------------------

SIGNED_IN_PAGES = ["/en/", "/en/me/", "/en/accounts/2fa/", "/en/accounts/password/change/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_a_signed_in_page_has_a_strict_csp_and_no_inline_script_or_style(
    client_for, viewer, programme_a, url
):
    response = client_for(viewer).get(url)

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    page = _Page(response.content.decode())
    assert page.inline_scripts == 0
    assert page.style_elements == 0
    assert page.style_attributes == []
    assert page.handler_attributes == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/en/accounts/login/", "/en/accounts/signup/"])
def test_the_pages_before_signing_in_have_no_inline_script_or_style(client, url):
    response = client.get(url)

    page = _Page(response.content.decode())
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert (page.inline_scripts, page.style_elements, page.style_attributes) == (0, 0, [])
