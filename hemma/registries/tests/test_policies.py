"""Who sees, adds and changes activities (hemma/registries/policies.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from hemma.accounts.models import Membership
from hemma.registries import policies
from hemma.registries.tests.factories import ActivityFactory
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(region_a, region_b, municipality_a1, municipality_a2, municipality_b1):
    return {
        "a1": ActivityFactory(region=region_a, municipalities=[municipality_a1]),
        "a2": ActivityFactory(region=region_a, municipalities=[municipality_a2]),
        "shared": ActivityFactory(
            region=region_a, municipalities=[municipality_a1, municipality_a2]
        ),
        "region": ActivityFactory(region=region_a),
        "b1": ActivityFactory(region=region_b, municipalities=[municipality_b1]),
    }


def visible(user, activities):
    seen = set(policies.activities_visible(user))
    return {name for name, activity in activities.items() if activity in seen}


def changeable(user, activities):
    return {name for name, a in activities.items() if policies.can_change_activity(user, a)}


def test_the_region_coordinator_sees_and_changes_the_whole_region(coordinator_region, activities):
    assert visible(coordinator_region, activities) == {"a1", "a2", "shared", "region"}
    assert changeable(coordinator_region, activities) == {"a1", "a2", "shared", "region"}


def test_a_municipal_coordinator_sees_and_changes_their_own_municipalitys_only(
    coordinator_a, activities, region_a, region_b
):
    assert visible(coordinator_a, activities) == {"a1", "shared"}
    assert changeable(coordinator_a, activities) == {"a1"}
    assert policies.can_add_activity(coordinator_a, region_a)
    assert not policies.can_add_activity(coordinator_a, region_b)


def test_a_municipal_viewer_sees_their_municipalitys_and_changes_nothing(
    municipality_a2, activities, region_a
):
    user = f.member(f.UserFactory(), Membership.Role.VIEWER, municipality=municipality_a2)
    assert visible(user, activities) == {"a2", "shared"}
    assert changeable(user, activities) == set()
    assert not policies.can_add_activity(user, region_a)


def test_a_viewer_reads_only(viewer, activities, region_a):
    assert visible(viewer, activities) == {"a1", "a2", "shared", "region"}
    assert changeable(viewer, activities) == set()
    assert not policies.can_add_activity(viewer, region_a)


def test_another_regions_coordinator_sees_none_of_it(coordinator_b, activities, region_a):
    assert visible(coordinator_b, activities) == {"b1"}
    assert not policies.can_add_activity(coordinator_b, region_a)


def test_anonymous_sees_nothing(activities, region_a):
    assert visible(AnonymousUser(), activities) == set()
    assert not policies.can_add_activity(AnonymousUser(), region_a)


def test_the_forms_offer_a_municipal_coordinator_their_own_municipality(
    coordinator_a, coordinator_region, region_a, municipality_a2
):
    assert [m.code for m in policies.municipalities_user_records_for(coordinator_a, region_a)] == [
        "101"
    ]
    assert [
        m.code for m in policies.municipalities_user_records_for(coordinator_region, region_a)
    ] == ["101", "102"]
