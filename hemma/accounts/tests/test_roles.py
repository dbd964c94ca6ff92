"""What a membership gives (hemma/accounts/roles.py), the organisation reporter's above all,
and how the admin checks a reporter's membership."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from hemma.accounts.admin import MembershipForm
from hemma.accounts.models import Membership, User
from hemma.accounts.roles import is_reporter_only, roles_of
from hemma.accounts.templatetags.user_roles import reporter_only
from hemma.organisations.models import Organisation
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ngo(region_a):
    return f.OrganisationFactory(region=region_a, key="red-cross", kind=Organisation.Kind.NGO)


def _reporter(region, organisation, username="reporter") -> User:
    user: User = f.UserFactory(username=username)  # type: ignore[assignment]
    Membership.objects.create(
        user=user,
        role=Membership.Role.ORGANISATION_REPORTER,
        region=region,
        organisation=organisation,
    )
    return user


def test_a_reporter_reports_for_their_organisation_and_views_no_region(region_a, ngo):
    roles = roles_of(_reporter(region_a, ngo))
    assert roles.reported_organisations == {ngo.pk}
    assert roles.regions == frozenset() and roles.municipalities == frozenset()
    assert roles.reporter_only


def test_reporter_only_is_false_for_every_other_role_and_for_a_mixed_one(
    region_a, ngo, coordinator_region, coordinator_a, viewer
):
    for user in (coordinator_region, coordinator_a, viewer, AnonymousUser()):
        assert not is_reporter_only(user)
    Membership.objects.create(
        user=coordinator_a,
        role=Membership.Role.ORGANISATION_REPORTER,
        region=region_a,
        organisation=ngo,
    )
    coordinator_a = User.objects.get(pk=coordinator_a.pk)
    assert roles_of(coordinator_a).reported_organisations == {ngo.pk}
    assert not is_reporter_only(coordinator_a)
    superuser = _reporter(region_a, ngo, username="root")
    superuser.is_superuser = True
    assert not is_reporter_only(superuser)


def test_the_template_filter_tells_a_reporter(region_a, ngo, viewer):
    assert reporter_only(_reporter(region_a, ngo)) is True
    assert reporter_only(viewer) is False
    assert reporter_only("") is False  # a page rendered without a user (500.html)


# -- the admin -------------------------------------------------------------------------------


def _form(**data) -> MembershipForm:
    return MembershipForm(
        data={k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v is not None}
    )


def test_the_admin_takes_a_reporter_of_an_organisation_of_the_region(region_a, ngo):
    form = _form(role=Membership.Role.ORGANISATION_REPORTER, region=region_a, organisation=ngo)
    assert form.is_valid(), form.errors
    assert f"{region_a} – {ngo}" in str(form["organisation"])


def test_the_admin_refuses_an_organisation_of_another_region(region_a, region_b):
    elsewhere = f.OrganisationFactory(region=region_b, key="scouts")
    form = _form(
        role=Membership.Role.ORGANISATION_REPORTER, region=region_a, organisation=elsewhere
    )
    assert not form.is_valid()
    assert "Choose an organisation of the membership's region." in form.errors["organisation"]


def test_the_admin_asks_a_reporter_for_the_organisation_and_its_region(region_a, ngo):
    without = _form(role=Membership.Role.ORGANISATION_REPORTER, region=region_a)
    assert not without.is_valid()
    assert "Choose the organisation they report for." in without.errors["organisation"]
    no_region = _form(
        role=Membership.Role.ORGANISATION_REPORTER, municipality=None, organisation=ngo
    )
    assert not no_region.is_valid()
    assert "region" in no_region.errors


def test_the_admin_ties_no_other_role_to_an_organisation(region_a, ngo):
    form = _form(role=Membership.Role.VIEWER, region=region_a, organisation=ngo)
    assert not form.is_valid()
    assert "Only a reporter is tied to an organisation." in form.errors["organisation"]


def test_the_admin_page_of_a_user_shows_the_membership_organisation(client, region_a, ngo):
    admin = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    user = _reporter(region_a, ngo)
    response = client.get(f"/en/admin/accounts/user/{user.pk}/change/")
    assert response.status_code == 200
    assert 'name="memberships-0-organisation"' in response.text


# -- the demo --------------------------------------------------------------------------------


def test_the_demo_has_a_reporter_for_an_ngo_of_the_seed(monkeypatch):
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", "demo-password-1")
    out = io.StringIO()
    call_command("demo", stdout=out)
    user = User.objects.get(username="forening")
    membership = user.memberships.get()
    assert membership.role == Membership.Role.ORGANISATION_REPORTER
    assert membership.organisation.key == "foregangarna"
    assert membership.organisation.kind == Organisation.Kind.NGO
    assert membership.organisation.region_id == membership.region_id
    assert is_reporter_only(user)
    assert "forening" in out.getvalue()
    # A second run keeps the one membership.
    call_command("demo", stdout=io.StringIO())
    assert user.memberships.count() == 1
