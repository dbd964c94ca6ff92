"""Signing in: allauth's pages in Hemma's layout, the lockout, and the TOTP second factor."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.test import override_settings

from hemma.tests import factories as f

PASSWORD = "correct horse battery"  # what UserFactory sets
LOGIN_URL = "/en/accounts/login/"


@pytest.fixture(autouse=True)
def empty_cache():
    # allauth keeps its rate limits and used TOTP codes in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN_URL, {"login": username, "password": password})


def _signed_in_as(client):
    response = client.get("/en/me/")
    return response.context["user"].get_username() if response.status_code == 200 else None


@pytest.mark.django_db
def test_login_page_says_what_hemma_is_and_offers_no_sign_up(client):
    response = client.get(LOGIN_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "integration of immigrants" in html
    assert 'for="id_login"' in html and 'for="id_password"' in html
    assert "/accounts/signup/" not in html
    assert "sign up" not in html.lower()


def test_the_login_page_leads_the_public_to_the_public_site(client):
    html = client.get(LOGIN_URL).content.decode()

    assert 'href="/en/public/"' in html


@pytest.mark.django_db
def test_sign_up_is_closed(client):
    response = client.post(
        "/en/accounts/signup/",
        {
            "username": "newcomer",
            "password1": "a long passphrase 91",
            "password2": "a long passphrase 91",
        },
    )

    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert not f.UserFactory._meta.model.objects.filter(username="newcomer").exists()


@pytest.mark.django_db
def test_the_right_password_signs_in_and_goes_to_the_programmes(client):
    f.UserFactory(username="aino")

    response = _sign_in(client, "aino")

    assert response.status_code == 302
    assert response.url == "/en/"
    assert _signed_in_as(client) == "aino"


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_an_error_in_an_alert(client):
    f.UserFactory(username="aino")

    response = _sign_in(client, "aino", "wrong")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "not correct" in html
    assert "<title>Error:" in html
    assert _signed_in_as(client) is None


@pytest.mark.django_db
def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password(client):
    f.UserFactory(username="aino")
    for _ in range(5):
        _sign_in(client, "aino", "wrong")

    response = _sign_in(client, "aino")

    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert "“aino”" in response.content.decode()
    assert _signed_in_as(client) is None


@pytest.mark.django_db
def test_the_lockout_page_says_when_the_lock_lifts_and_who_can_lift_it_sooner(client):
    f.UserFactory(username="aino")
    for _ in range(5):
        _sign_in(client, "aino", "wrong")

    html = " ".join(_sign_in(client, "aino").content.decode().split())

    assert "lifts by itself after 1 hour" in html
    assert "An administrator can lift it sooner" in html
    # Coordinators can neither lift a lockout nor set a password.
    assert "coordinator" not in html


@pytest.mark.django_db
@override_settings(AXES_COOLOFF_TIME=0.5)
def test_the_lockout_page_gives_the_configured_pause(client):
    f.UserFactory(username="aino")
    for _ in range(5):
        _sign_in(client, "aino", "wrong")

    html = " ".join(_sign_in(client, "aino").content.decode().split())

    assert "lifts by itself after 30 minutes" in html


@pytest.mark.django_db
def test_four_failures_do_not_lock(client):
    f.UserFactory(username="aino")
    for _ in range(4):
        assert _sign_in(client, "aino", "wrong").status_code == 200

    response = _sign_in(client, "aino")

    assert response.status_code == 302
    assert _signed_in_as(client) == "aino"


@pytest.mark.django_db
def test_the_lockout_counts_the_username_however_it_is_typed(client):
    # allauth strips the login and user names are matched as typed; axes must not count
    # " aino" and "AINO" as someone else, or an attacker gets five tries per spelling.
    f.UserFactory(username="aino")
    for login in ("aino", " aino", "AINO", "Aino ", "aino"):
        _sign_in(client, login, "wrong")

    response = _sign_in(client, "aino")

    assert response.status_code == 429


@pytest.mark.django_db
def test_a_locked_username_does_not_lock_another_username_from_the_same_address(client):
    f.UserFactory(username="aino")
    f.UserFactory(username="bertil")
    for _ in range(5):
        _sign_in(client, "aino", "wrong")

    response = _sign_in(client, "bertil")

    assert response.status_code == 302
    assert _signed_in_as(client) == "bertil"


@pytest.mark.django_db
def test_the_lockout_page_is_in_the_language_of_the_address(client):
    f.UserFactory(username="aino")
    for _ in range(5):
        client.post("/fi/accounts/login/", {"login": "aino", "password": "wrong"})

    response = client.post("/fi/accounts/login/", {"login": "aino", "password": PASSWORD})

    assert response.status_code == 429
    assert '<html lang="fi" dir="ltr">' in response.content.decode()


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def totp_user():
    user = f.UserFactory(username="tuuli")
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


def _stored_secret(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


@pytest.mark.django_db
def test_a_user_with_totp_is_asked_for_a_code_after_the_password(client, totp_user):
    response = _sign_in(client, "tuuli")

    assert response.status_code == 302
    assert response.url == "/en/accounts/2fa/authenticate/"
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    assert _signed_in_as(client) is None


@pytest.mark.django_db
def test_a_valid_code_from_the_stored_secret_signs_in(client, totp_user):
    _sign_in(client, "tuuli")

    response = client.post(
        "/en/accounts/2fa/authenticate/", {"code": _current_code(_stored_secret(totp_user))}
    )

    assert response.status_code == 302
    assert response.url == "/en/"
    assert _signed_in_as(client) == "tuuli"


@pytest.mark.django_db
def test_a_wrong_code_does_not_sign_in(client, totp_user):
    _sign_in(client, "tuuli")
    secret = _stored_secret(totp_user)
    counter = int(time.time()) // 30
    valid = {format_hotp_value(hotp_value(secret, counter + i)) for i in (-1, 0, 1)}
    wrong = next(code for code in ("123456", "654321", "111111", "222222") if code not in valid)

    response = client.post("/en/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert _signed_in_as(client) is None


@pytest.mark.django_db
def test_a_user_activates_totp_from_the_web_and_is_then_asked_for_a_code(client):
    f.UserFactory(username="aino")
    _sign_in(client, "aino")
    # Activating asks for the password again first.
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/en/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for those who cannot scan the QR code

    response = client.post("/en/accounts/2fa/totp/activate/", {"code": _current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user__username="aino", type="totp").exists()
    codes = client.get("/en/accounts/2fa/recovery-codes/")
    assert codes.status_code == 200
    assert "<script" not in codes.content.decode().split("</head>", 1)[1]
    client.post("/en/accounts/logout/")
    assert _sign_in(client, "aino").url == "/en/accounts/2fa/authenticate/"


def test_password_reset_by_email_is_closed(client):
    for url in ["/sv/accounts/password/reset/", "/en/accounts/password/reset/done/"]:
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_pages_about_passwords_do_not_send_the_user_to_a_coordinator(client):
    # Coordinators cannot set passwords in Hemma; an administrator can.
    f.UserFactory(username="aino")
    login = client.get(LOGIN_URL).content.decode()
    _sign_in(client, "aino")
    change = client.get("/en/accounts/password/change/").content.decode()

    for html in (login, change):
        assert "ask your region coordinator to set" not in html.lower()
        assert "administrator" in html


@pytest.mark.django_db
def test_confirming_the_password_offers_no_reset_by_email(client):
    f.UserFactory(username="aino")
    _sign_in(client, "aino")

    response = client.get("/en/accounts/reauthenticate/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_password"' in html
    assert "/accounts/password/reset/" not in html
    assert "Forgot your password?" not in html


@pytest.mark.django_db
def test_confirming_the_password_still_works(client):
    f.UserFactory(username="aino")
    _sign_in(client, "aino")

    response = client.post("/en/accounts/reauthenticate/?next=/en/me/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/en/me/"


@pytest.mark.django_db
def test_email_management_is_closed(client):
    # An address would not let anyone reset a password here, as allauth's page claims.
    f.UserFactory(username="aino")
    _sign_in(client, "aino")

    for url in ["/sv/accounts/email/", "/en/accounts/email/", "/en/accounts/confirm-email/"]:
        assert client.get(url).status_code == 404
    assert "/accounts/email/" not in client.get("/en/me/").content.decode()


@pytest.mark.django_db
def test_the_accounts_address_leads_to_the_users_own_page(client):
    # allauth would send a signed-in user from /accounts/ to the (closed) e-mail page.
    f.UserFactory(username="aino")
    _sign_in(client, "aino")

    response = client.get("/en/accounts/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/en/me/"
