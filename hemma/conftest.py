"""The named people and places every test can use.

Region A has municipalities A1 and A2 and a programme with one action; region B has B1 and a
programme of its own. The users:

- coordinator_region: region coordinator of A (changes A's programme)
- coordinator_a: municipal coordinator of A1 (reads A's programme, names A1's units)
- viewer: viewer of region A (reads only)
- coordinator_b: region coordinator of B (another region: A's programme does not exist for them)
- anonymous: not logged in
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from hemma.accounts.models import Membership
from hemma.programmes.interchange.files import document_from_file
from hemma.programmes.interchange.importing import programme_import
from hemma.tests import factories as f

SEED_FILE = Path(settings.BASE_DIR) / "examples" / "integrationsprogram-2023-2025.yaml"


@pytest.fixture
def region_a():
    return f.RegionFactory(key="region-a", name={"sv": "Region A", "fi": "Seutu A"})


@pytest.fixture
def region_b():
    return f.RegionFactory(key="region-b", name={"sv": "Region B", "fi": "Seutu B"})


@pytest.fixture
def municipality_a1(region_a):
    return f.MunicipalityFactory(
        code="101", region=region_a, name={"sv": "A-stad", "fi": "A-kaupunki"}
    )


@pytest.fixture
def municipality_a2(region_a):
    return f.MunicipalityFactory(code="102", region=region_a, name={"sv": "A-by", "fi": "A-kylä"})


@pytest.fixture
def municipality_b1(region_b):
    return f.MunicipalityFactory(
        code="201", region=region_b, name={"sv": "B-stad", "fi": "B-kaupunki"}
    )


@pytest.fixture
def programme_a(region_a, municipality_a1, municipality_a2):
    programme = f.ProgrammeFactory(slug="programme-a", region=region_a)
    programme.municipalities.set([municipality_a1, municipality_a2])
    indicator = f.IndicatorFactory(
        action__key="joint-meetings",
        action__goal__theme__programme=programme,
        action__goal__theme__key="foundation",
        action__goal__key="cooperation",
    )
    f.OrganisationFactory(region=region_a, key="kommunen", name={"sv": "Kommunen"})
    return indicator.action.programme


@pytest.fixture
def action_a(programme_a):
    return programme_a.actions.get(key="joint-meetings")


@pytest.fixture
def programme_b(region_b, municipality_b1):
    programme = f.ProgrammeFactory(slug="programme-b", region=region_b)
    programme.municipalities.set([municipality_b1])
    f.ActionFactory(key="b-action", goal__theme__programme=programme)
    return programme


@pytest.fixture
def coordinator_region(region_a):
    return f.member(
        f.UserFactory(username="coordinator_region"),
        Membership.Role.REGION_COORDINATOR,
        region=region_a,
    )


@pytest.fixture
def coordinator_a(municipality_a1):
    return f.member(
        f.UserFactory(username="coordinator_a"),
        Membership.Role.MUNICIPAL_COORDINATOR,
        municipality=municipality_a1,
    )


@pytest.fixture
def viewer(region_a):
    return f.member(f.UserFactory(username="viewer"), Membership.Role.VIEWER, region=region_a)


@pytest.fixture
def coordinator_b(region_b):
    return f.member(
        f.UserFactory(username="coordinator_b"), Membership.Role.REGION_COORDINATOR, region=region_b
    )


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def client_for():
    """client_for(user): a test client logged in as that user."""
    return _client_for


@pytest.fixture
def seed_document():
    with SEED_FILE.open("rb") as stream:
        return document_from_file(stream, name=SEED_FILE.name)


@pytest.fixture
def seed_programme(seed_document):
    return programme_import(actor=None, document=seed_document, file=SEED_FILE.name).programme


@pytest.fixture(autouse=True)
def english():
    """Code outside a request speaks English in tests unless a test says otherwise.

    (Requests choose their language from the URL: /sv/, /fi/, /en/.)
    """
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many users: a fast hasher (never in production) keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def media_in_a_temporary_folder(tmp_path_factory):
    """Files the tests store (the demo's pictures, uploads) go to a temporary folder, never
    to the data folder's media (a test may still set MEDIA_ROOT for itself)."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield
