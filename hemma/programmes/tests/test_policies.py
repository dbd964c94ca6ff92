"""One policy answers both "which programmes may this user see" and "may they change this"."""

import pytest
from django.contrib.auth.models import AnonymousUser

from hemma.programmes import policies
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


def visible(user) -> set[str]:
    return set(policies.programmes_visible(user).values_list("slug", flat=True))


def test_each_role_sees_its_own_programmes(
    programme_a, programme_b, coordinator_region, coordinator_a, viewer, coordinator_b
):
    assert visible(coordinator_region) == {"programme-a"}
    assert visible(coordinator_a) == {"programme-a"}
    assert visible(viewer) == {"programme-a"}
    assert visible(coordinator_b) == {"programme-b"}
    assert visible(AnonymousUser()) == set()


def test_a_municipal_member_sees_only_programmes_covering_their_municipality(
    region_a, municipality_a1, municipality_a2, coordinator_a
):
    covering = f.ProgrammeFactory(slug="covers-a1", region=region_a)
    covering.municipalities.set([municipality_a1])
    other = f.ProgrammeFactory(slug="covers-a2-only", region=region_a)
    other.municipalities.set([municipality_a2])

    assert visible(coordinator_a) == {"covers-a1"}


def test_a_programme_covering_several_municipalities_is_listed_once(
    programme_a, municipality_a1, municipality_a2
):
    user = f.member(f.UserFactory(), "municipal_coordinator", municipality=municipality_a1)
    f.member(user, "viewer", municipality=municipality_a2)
    assert list(policies.programmes_visible(user).values_list("slug", flat=True)) == ["programme-a"]


def test_only_the_region_coordinator_changes_the_programme(
    programme_a, coordinator_region, coordinator_a, viewer, coordinator_b
):
    assert policies.can_edit_programme(coordinator_region, programme_a)
    assert not policies.can_edit_programme(coordinator_a, programme_a)
    assert not policies.can_edit_programme(viewer, programme_a)
    assert not policies.can_edit_programme(coordinator_b, programme_a)
    assert not policies.can_edit_programme(AnonymousUser(), programme_a)


def test_who_names_which_municipality_s_units(
    programme_a, coordinator_region, coordinator_a, viewer, municipality_a1
):
    def codes(user):
        return set(
            policies.municipalities_user_names_units_for(user, programme_a).values_list(
                "code", flat=True
            )
        )

    assert codes(coordinator_region) == {"101", "102"}
    assert codes(coordinator_a) == {"101"}
    assert codes(viewer) == set()


def test_imports_go_only_into_the_coordinator_s_regions(
    region_a, region_b, coordinator_region, coordinator_a, viewer
):
    assert list(policies.regions_user_imports_into(coordinator_region)) == [region_a]
    assert list(policies.regions_user_imports_into(coordinator_a)) == []
    assert list(policies.regions_user_imports_into(viewer)) == []


def test_a_superuser_sees_and_changes_everything(programme_a, programme_b):
    admin = f.UserFactory(is_superuser=True)
    assert visible(admin) == {"programme-a", "programme-b"}
    assert policies.can_edit_programme(admin, programme_b)
