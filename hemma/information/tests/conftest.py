"""The information sites, pages and people the information hub's tests share (beside
hemma/conftest.py's).

- site_a1: municipality A1's site (source Swedish; Swedish, Finnish, English, Arabic)
- site_region_a: region A's own site; site_b1: municipality B1's (another region)
- page_a1: a housing page of site_a1 with a text block, its Swedish version saved, not published
- translator_ar: translates region A's pages into Arabic, nothing else
- coordinator_a2: municipal coordinator of A2 (another municipality of the same region)
- viewer_a1: viewer of municipality A1
"""

import pytest

from hemma.accounts.models import Membership
from hemma.information import services
from hemma.information.models import Block, Page, Site
from hemma.organisations.models import Organisation
from hemma.tests import factories as f

LANGUAGES = ["sv", "fi", "en", "ar"]


@pytest.fixture
def superuser():
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def owner_a(region_a):
    return Organisation.objects.get_or_create(
        region=region_a, key="bostadsbolaget", defaults={"name": {"sv": "Bostadsbolaget"}}
    )[0]


@pytest.fixture
def site_a1(region_a, municipality_a1):
    return Site.objects.create(
        region=region_a, municipality=municipality_a1, slug="a-stad", languages=LANGUAGES
    )


@pytest.fixture
def site_region_a(region_a):
    return Site.objects.create(region=region_a, slug="region-a", languages=LANGUAGES)


@pytest.fixture
def site_b1(region_b, municipality_b1):
    return Site.objects.create(
        region=region_b, municipality=municipality_b1, slug="b-stad", languages=["sv", "fi"]
    )


@pytest.fixture
def page_a1(site_a1, owner_a, superuser):
    page = services.page_create(
        actor=superuser,
        site=site_a1,
        slug="boende",
        kind=Page.Kind.PAGE,
        topic=Page.Topic.HOUSING,
        owner=owner_a,
        title="Att bo i hyreshus",
        summary="Det här behöver du veta.",
    )
    services.block_add(
        actor=superuser,
        page=page,
        kind=Block.Kind.TEXT,
        texts={"html": "<p>Tystnad kl. 22–7.</p>"},
    )
    return page


@pytest.fixture
def translator_ar(region_a):
    return f.member(
        f.UserFactory(username="translator_ar"),
        Membership.Role.TRANSLATOR,
        region=region_a,
        language="ar",
    )


@pytest.fixture
def coordinator_a2(municipality_a2):
    return f.member(
        f.UserFactory(username="coordinator_a2"),
        Membership.Role.MUNICIPAL_COORDINATOR,
        municipality=municipality_a2,
    )


@pytest.fixture
def viewer_a1(municipality_a1):
    return f.member(
        f.UserFactory(username="viewer_a1"), Membership.Role.VIEWER, municipality=municipality_a1
    )
