"""Fixtures for the friend persons: people of each kind, records in A1, A2 and B1, API clients.

Beside hemma/conftest.py's users: `reporter` (an organisation reporter of region A),
`viewer_a1` (a viewer of municipality A1) and `superuser`.
"""

import datetime
import json

import pytest
from django.test import Client

from hemma.accounts.models import Membership
from hemma.accounts.services import token_create
from hemma.tests import factories as f
from hemma.volunteers import services
from hemma.volunteers.models import Volunteer

D = datetime.date


@pytest.fixture
def reporter(region_a):
    organisation = f.OrganisationFactory(region=region_a, key="ngo")
    user = f.UserFactory(username="reporter")
    Membership.objects.create(
        user=user,
        role=Membership.Role.ORGANISATION_REPORTER,
        region=region_a,
        organisation=organisation,
    )
    return user


@pytest.fixture
def viewer_a1(municipality_a1):
    return f.member(
        f.UserFactory(username="viewer_a1"), Membership.Role.VIEWER, municipality=municipality_a1
    )


@pytest.fixture
def superuser():
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def make_volunteer():
    """make_volunteer(municipality, **fields): a friend person recorded by the system, active
    from 2024-01-01 unless `active_from` says otherwise."""

    def make(municipality, **fields) -> Volunteer:
        values = {
            "municipality": municipality,
            "name": "Ada Testperson",
            "email": "ada@example.org",
            "phone": "+358 40 000 1234",
            "languages": ["sv", "ar"],
            "consent_on": D(2024, 1, 1),
            "recruited_on": D(2024, 1, 1),
            "active_from": D(2024, 1, 1),
        }
        values.update(fields)
        return services.volunteer_create(actor=None, fields=values)

    return make


@pytest.fixture
def volunteer_a1(make_volunteer, municipality_a1):
    return make_volunteer(municipality_a1, name="Alma Aksberg", email="alma@example.org")


@pytest.fixture
def volunteer_a2(make_volunteer, municipality_a2):
    return make_volunteer(municipality_a2, name="Bertil Bystrom", email="bertil@example.org")


@pytest.fixture
def volunteer_b1(make_volunteer, municipality_b1):
    return make_volunteer(municipality_b1, name="Cecilia Carlsund", email="cecilia@example.org")


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
