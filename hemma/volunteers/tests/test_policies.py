"""Who sees and changes friend persons (hemma/volunteers/policies.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from hemma.volunteers import policies, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(volunteer_a1, volunteer_a2, volunteer_b1):
    return {"a1": volunteer_a1, "a2": volunteer_a2, "b1": volunteer_b1}


def visible(user, everyone) -> set[str]:
    seen = set(policies.volunteers_visible(user))
    return {name for name, v in everyone.items() if v in seen}


def outcome(user, volunteer) -> str:
    """What `check_view` says: "ok", "403" or "404"."""
    try:
        policies.check_view(user, volunteer)
    except PermissionDenied:
        return "403"
    except Http404:
        return "404"
    return "ok"


def test_the_region_coordinator_sees_every_friend_person_of_the_region(
    coordinator_region, everyone
):
    assert visible(coordinator_region, everyone) == {"a1", "a2"}
    assert policies.may_list_volunteers(coordinator_region)
    assert {n for n, v in everyone.items() if outcome(coordinator_region, v) == "ok"} == {
        "a1",
        "a2",
    }
    assert outcome(coordinator_region, everyone["b1"]) == "404"


def test_a_municipal_coordinator_sees_their_own_municipalitys_only(coordinator_a, everyone):
    assert visible(coordinator_a, everyone) == {"a1"}
    assert outcome(coordinator_a, everyone["a1"]) == "ok"
    # A neighbour's friend person does not exist for them, as a neighbour's activity.
    assert outcome(coordinator_a, everyone["a2"]) == "404"
    assert outcome(coordinator_a, everyone["b1"]) == "404"


@pytest.mark.parametrize("who", ["viewer", "reporter"])
def test_viewers_and_reporters_read_no_personal_data(request, who, everyone):
    user = request.getfixturevalue(who)
    assert visible(user, everyone) == set()
    assert not policies.may_list_volunteers(user)
    assert outcome(user, everyone["a1"]) == "403"
    assert outcome(user, everyone["a2"]) == "403"
    assert outcome(user, everyone["b1"]) == "404"


def test_a_municipal_viewer_is_forbidden_their_own_and_blind_to_the_neighbours(viewer_a1, everyone):
    assert outcome(viewer_a1, everyone["a1"]) == "403"
    assert outcome(viewer_a1, everyone["a2"]) == "404"


def test_another_regions_coordinator_sees_only_their_own(coordinator_b, everyone):
    assert visible(coordinator_b, everyone) == {"b1"}
    assert outcome(coordinator_b, everyone["a1"]) == "404"


def test_the_superuser_sees_all(superuser, everyone):
    assert visible(superuser, everyone) == {"a1", "a2", "b1"}


def test_anonymous_sees_nothing(everyone):
    assert visible(AnonymousUser(), everyone) == set()
    assert outcome(AnonymousUser(), everyone["a1"]) == "404"


def test_an_anonymous_record_is_seen_but_never_changed(coordinator_region, volunteer_a1):
    services.volunteer_erase(actor=coordinator_region, volunteer=volunteer_a1)
    volunteer_a1.refresh_from_db()
    assert policies.can_view_volunteer(coordinator_region, volunteer_a1)
    assert not policies.can_change_volunteer(coordinator_region, volunteer_a1)


def test_the_read_log_is_for_the_regions_coordinators(
    coordinator_region, coordinator_a, superuser, volunteer_a1
):
    assert policies.can_see_read_log(coordinator_region, volunteer_a1)
    assert policies.can_see_read_log(superuser, volunteer_a1)
    assert not policies.can_see_read_log(coordinator_a, volunteer_a1)


def test_who_records_where(
    coordinator_region, coordinator_a, viewer, municipality_a1, municipality_a2, municipality_b1
):
    assert {m.code for m in policies.municipalities_user_records_for(coordinator_region)} == {
        "101",
        "102",
    }
    assert {m.code for m in policies.municipalities_user_records_for(coordinator_a)} == {"101"}
    assert not policies.municipalities_user_records_for(viewer).exists()
    assert policies.may_record_in(coordinator_a, municipality_a1)
    assert not policies.may_record_in(coordinator_a, municipality_a2)
    assert not policies.may_record_in(coordinator_region, municipality_b1)
