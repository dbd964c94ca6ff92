"""The user's own page: roles, security links and personal access tokens."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from hemma.accounts import services
from hemma.accounts.models import ApiToken
from hemma.accounts.selectors import token_user
from hemma.audit.models import AuditEvent

ME = "/en/me/"
CREATE = "/en/me/tokens/"


def _words(html: str) -> str:
    """The page's text as a reader gets it, without tags."""
    inline = re.sub(r"</?(span|code|a|strong)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def _revoke_url(token) -> str:
    with translation.override("en"):
        return reverse("accounts:token_revoke", args=[token.lookup])


# -- the page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_from_the_page(client):
    response = client.get(ME)

    assert response.status_code == 302
    assert response.url.startswith("/en/accounts/login/?next=/en/me/")


@pytest.mark.django_db
def test_the_page_names_the_user_and_their_roles_in_words(
    client_for, coordinator_region, coordinator_a
):
    response = client_for(coordinator_region).get(ME)
    text = _words(response.content.decode())
    assert response.status_code == 200
    assert "coordinator_region" in text
    assert "Region coordinator Region A (the whole region)" in text

    text = _words(client_for(coordinator_a).get(ME).content.decode())
    assert "Municipal coordinator A-stad (a municipality of Region A)" in text


@pytest.mark.django_db
def test_the_page_links_to_two_factor_authentication_and_password_change(client_for, viewer):
    html = client_for(viewer).get(ME).content.decode()

    assert 'href="/en/accounts/2fa/"' in html
    assert 'href="/en/accounts/password/change/"' in html


@pytest.mark.django_db
def test_the_two_factor_pages_open_in_hemmas_layout(client, viewer):
    cache.clear()  # allauth's rate limits live in the cache
    client.post("/en/accounts/login/", {"login": "viewer", "password": "correct horse battery"})

    index = client.get("/en/accounts/2fa/")
    assert index.status_code == 200
    assert 'class="site-header"' in index.content.decode()
    assert 'href="/en/accounts/2fa/totp/activate/"' in index.content.decode()

    # Activating asks for the password again first, on a page of the same layout.
    ask = client.get("/en/accounts/2fa/totp/activate/")
    assert ask.status_code == 302
    reauthenticate = client.get(ask.url)
    assert 'for="id_password"' in reauthenticate.content.decode()
    client.post(ask.url, {"password": "correct horse battery"})

    activate = client.get("/en/accounts/2fa/totp/activate/")
    assert activate.status_code == 200
    html = activate.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert 'for="authenticator_secret"' in html
    assert 'for="id_code"' in html


# -- making a token --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_token_is_shown_once_and_works(client_for, coordinator_region):
    client = client_for(coordinator_region)

    response = client.post(CREATE, {"name": "Report script"})

    # Post/redirect/get: reloading the page that shows the secret must not make another token.
    assert response.status_code == 302
    assert response.url == ME
    shown = client.get(ME)
    token = ApiToken.objects.get(user=coordinator_region)
    secret = shown.context["new_secret"]
    html = shown.content.decode()
    assert secret in html
    assert "Copy it now" in html
    assert "no-store" in shown["Cache-Control"]
    assert token_user(secret) == coordinator_region
    # Reloaded, the list shows it by name and visible prefix, never the secret again.
    page = client.get(ME).content.decode()
    assert "Report script" in page
    assert f"hemma_{token.lookup}…" in page
    assert secret not in page
    assert ApiToken.objects.filter(user=coordinator_region).count() == 1


@pytest.mark.django_db
def test_the_secret_is_not_kept_in_the_session_once_shown(client_for, coordinator_region):
    client = client_for(coordinator_region)
    client.post(CREATE, {"name": "Report script"})
    secret = client.get(ME).context["new_secret"]

    assert secret not in str(dict(client.session))


@pytest.mark.django_db
def test_the_new_secret_is_in_a_read_only_field_with_a_copy_button(client_for, coordinator_region):
    client = client_for(coordinator_region)
    client.post(CREATE, {"name": "Report script"})

    html = client.get(ME).content.decode()

    field = re.search(r'<input id="new-secret"[^>]*>', html).group(0)
    assert "readonly" in field
    copy = re.search(r'<button[^>]*data-copy="new-secret"[^>]*>', html)
    assert copy, "no copy button for the secret"
    assert 'type="button"' in copy.group(0)
    # The button's script is a file (the CSP forbids inline script), loaded without blocking.
    assert re.search(r'<script src="/static/hemma/account\.js" defer>', html)


@pytest.mark.django_db
def test_the_page_without_a_new_secret_has_no_copy_button(client_for, coordinator_region):
    html = client_for(coordinator_region).get(ME).content.decode()

    assert "data-copy=" not in html
    assert "account.js" not in html


@pytest.mark.django_db
def test_a_token_needs_a_name(client_for, coordinator_region):
    response = client_for(coordinator_region).post(CREATE, {"name": "   "})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_read_only_user_may_make_their_own_token(client_for, viewer):
    # Tokens act as their user, so a viewer's token can only read: no 403 here.
    response = client_for(viewer).post(CREATE, {"name": "Dashboard"})

    assert response.status_code == 302
    assert ApiToken.objects.filter(user=viewer, name="Dashboard").exists()


@pytest.mark.django_db
def test_anonymous_cannot_make_a_token(client):
    response = client.post(CREATE, {"name": "x"})

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_making_a_token_is_audited_without_its_secret(coordinator_region):
    token, secret = services.token_create(user=coordinator_region, name="Sync")

    event = AuditEvent.objects.get(target_type="accounts.apitoken", target_id=str(token.pk))
    assert event.verb == "create"
    assert event.actor == coordinator_region
    assert secret not in event.target_repr and secret not in str(event.changes)


# -- revoking a token ------------------------------------------------------------------------


@pytest.mark.django_db
def test_revoking_asks_first_then_removes_the_token(client_for, coordinator_region):
    token, secret = services.token_create(user=coordinator_region, name="Old script")
    client = client_for(coordinator_region)

    confirm = client.get(_revoke_url(token))
    assert confirm.status_code == 200
    assert "Old script" in confirm.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()

    response = client.post(_revoke_url(token), follow=True)

    assert response.redirect_chain[-1][0] == "/en/me/"
    assert "was revoked" in response.content.decode()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert token_user(secret) is None
    assert AuditEvent.objects.filter(
        verb="delete", target_type="accounts.apitoken", target_id=str(token.pk)
    ).exists()


@pytest.mark.django_db
def test_another_users_token_does_not_exist_for_you(client_for, coordinator_region, coordinator_b):
    token, _secret = services.token_create(user=coordinator_region, name="Mine")
    client = client_for(coordinator_b)

    assert client.get(_revoke_url(token)).status_code == 404
    assert client.post(_revoke_url(token)).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert "Mine" not in client.get(ME).content.decode()


@pytest.mark.django_db
def test_a_token_is_not_found_by_its_numeric_id(client_for, coordinator_region):
    token, _secret = services.token_create(user=coordinator_region, name="Mine")

    response = client_for(coordinator_region).post(f"/en/me/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.django_db
def test_anonymous_cannot_revoke_a_token(client, coordinator_region):
    token, _secret = services.token_create(user=coordinator_region, name="Mine")

    response = client.post(_revoke_url(token))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert ApiToken.objects.filter(pk=token.pk).exists()
