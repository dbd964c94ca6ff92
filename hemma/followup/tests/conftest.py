"""Fixtures for recording values: programme_a's band indicator and API clients with tokens."""

import json

import pytest
from django.test import Client

from hemma.accounts.services import token_create
from hemma.programmes.models import Indicator
from hemma.tests import factories as f


@pytest.fixture
def band_indicator(programme_a):
    """programme_a's one indicator: joint meetings, a 2–4 band per year."""
    return Indicator.objects.select_related("action__programme").get(
        action__programme=programme_a, action__key="joint-meetings"
    )


@pytest.fixture
def value(band_indicator):
    """value(**fields): the body of a record of programme_a's joint meetings, A1, 2024; a field
    given as `...` is left out."""

    def make(**fields):
        body = {
            "programme": "programme-a",
            "action": "joint-meetings",
            "indicator": band_indicator.key,
            "municipality": "101",
            "period": "2024",
            "number": 3,
        }
        body.update(fields)
        return {k: v for k, v in body.items() if v is not ...}

    return make


@pytest.fixture
def indicator_of(programme_a):
    """indicator_of(kind, **fields): a new indicator of programme_a's joint-meetings action."""

    def make(kind: str, **fields) -> Indicator:
        fields.setdefault("target_type", "")
        fields.setdefault("target_min", None)
        fields.setdefault("target_max", None)
        indicator = f.IndicatorFactory(
            action=programme_a.actions.get(key="joint-meetings"), kind=kind, **fields
        )
        return Indicator.objects.select_related("action__programme").get(pk=indicator.pk)  # type: ignore[attr-defined]

    return make


@pytest.fixture
def api_for():
    """api_for(user): a client that sends that user's new token (in English); None: no token."""

    def make(user=None) -> Client:
        headers = {"Accept-Language": "en"}
        if user is not None:
            _token, secret = token_create(user=user, name="test")
            headers["Authorization"] = f"Bearer {secret}"
        return Client(headers=headers)

    return make


@pytest.fixture
def post_json():
    def post(client: Client, url: str, body):
        return client.post(url, data=json.dumps(body), content_type="application/json")

    return post
