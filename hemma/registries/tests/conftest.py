"""Fixtures for the registries: a computed indicator of programme_a, and API clients."""

import json

import pytest
from django.test import Client

from hemma.accounts.services import token_create
from hemma.programmes.models import Indicator
from hemma.tests import factories as f


@pytest.fixture
def computed_of(programme_a):
    """computed_of(kind="count", **fields): a new indicator of programme_a's joint-meetings
    action, counted from the activities (yearly, no target unless given)."""

    def make(kind: str = Indicator.Kind.COUNT, **fields) -> Indicator:
        fields.setdefault("target_type", "")
        fields.setdefault("target_min", None)
        fields.setdefault("target_max", None)
        indicator = f.IndicatorFactory(
            action=programme_a.actions.get(key="joint-meetings"),
            kind=kind,
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.ACTIVITIES,
            **fields,
        )
        return Indicator.objects.select_related("action__programme").get(pk=indicator.pk)  # type: ignore[attr-defined]

    return make


@pytest.fixture
def counted(computed_of):
    """A computed count of programme_a's joint meetings: a 2–4 band per year."""
    return computed_of(Indicator.Kind.COUNT, target_type="band", target_min=2, target_max=4)


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
def send_json():
    """send_json(client, method, url, body): a JSON request."""

    def send(client: Client, method: str, url: str, body):
        return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")

    return send
