"""Personal access tokens: made by `hemma token create`, sent as `Authorization: Bearer …`."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from hemma.accounts.models import ApiToken
from hemma.accounts.services import token_create, token_revoke

pytestmark = pytest.mark.django_db

URL = "/api/v1/programmes"


def get(secret: str | None, client: Client | None = None):
    headers = {"Accept-Language": "en"}
    if secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    return (client or Client()).get(URL, headers=headers)


def test_the_token_the_command_prints_authenticates_its_user(coordinator_region, programme_a):
    out = io.StringIO()

    call_command("token", "create", "coordinator_region", stdout=out)

    secret = out.getvalue().strip()
    assert secret.startswith("hemma_")
    response = get(secret)
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["items"]] == ["programme-a"]


def test_the_command_stores_only_a_hash_under_the_given_name(coordinator_region):
    out = io.StringIO()

    call_command("token", "create", "coordinator_region", "--name", "reporting", stdout=out)

    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=coordinator_region)
    assert token.name == "reporting"
    assert secret not in (token.digest, token.lookup)
    assert token.digest == ApiToken.hash(secret)


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "create", "nobody", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_a_request_without_a_token_is_401_with_a_json_error_naming_the_scheme(db):
    response = get(None)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "detail": "Send a valid personal access token as “Authorization: Bearer …”."
    }


def test_a_revoked_token_no_longer_works(coordinator_region, programme_a):
    token, secret = token_create(user=coordinator_region, name="laptop")
    assert get(secret).status_code == 200

    token_revoke(token=token, actor=coordinator_region)

    assert get(secret).status_code == 401


def test_a_token_with_a_known_lookup_but_a_wrong_secret_is_refused(coordinator_region):
    _token, secret = token_create(user=coordinator_region, name="laptop")
    forged = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")

    assert get(forged).status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(coordinator_region):
    _token, secret = token_create(user=coordinator_region, name="laptop")
    coordinator_region.is_active = False
    coordinator_region.save()

    assert get(secret).status_code == 401


def test_a_browser_session_alone_does_not_open_the_api(client_for, coordinator_region):
    # Bearer only: a cookie the browser sends by itself must not authorise API calls.
    response = get(None, client=client_for(coordinator_region))

    assert response.status_code == 401


def test_the_token_decides_who_the_user_is_whatever_session_comes_along(
    client_for, coordinator_b, coordinator_region, programme_a, programme_b
):
    _token, secret = token_create(user=coordinator_region, name="laptop")

    response = get(secret, client=client_for(coordinator_b))

    assert [p["slug"] for p in response.json()["items"]] == ["programme-a"]


def test_using_a_token_records_when_it_was_last_used(coordinator_region):
    token, secret = token_create(user=coordinator_region, name="laptop")
    assert token.last_used_at is None

    get(secret)

    token.refresh_from_db()
    assert token.last_used_at is not None
