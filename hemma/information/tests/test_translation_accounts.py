"""A translator's account: made in the admin with their language, and named with it on their
own page."""

import pytest
from django.urls import reverse

from hemma.accounts.admin import MembershipForm
from hemma.accounts.models import Membership
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db


def _form(**data) -> MembershipForm:
    return MembershipForm(
        data={k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v is not None}
    )


def test_the_admin_makes_a_translator_of_a_region_into_one_language(region_a):
    form = _form(role=Membership.Role.TRANSLATOR, region=region_a, language="ar")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["language"] == "ar"


def test_the_admin_asks_a_translator_for_their_language_and_region(region_a, municipality_a1):
    without = _form(role=Membership.Role.TRANSLATOR, region=region_a)
    assert not without.is_valid()
    assert "Choose the language they translate into." in without.errors["language"]
    in_a_municipality = _form(
        role=Membership.Role.TRANSLATOR, municipality=municipality_a1, language="ar"
    )
    assert not in_a_municipality.is_valid()
    assert "A translator translates a region's pages." in in_a_municipality.errors["region"]


def test_the_admin_gives_no_other_role_a_language(region_a):
    form = _form(role=Membership.Role.VIEWER, region=region_a, language="ar")
    assert not form.is_valid()
    assert "Only a translator has a language." in form.errors["language"]


def test_the_admin_offers_only_content_languages(region_a):
    form = _form(role=Membership.Role.TRANSLATOR, region=region_a, language="xx")
    assert not form.is_valid()
    assert "language" in form.errors


def test_the_admin_page_of_a_user_shows_the_membership_language(client, translator_ar):
    admin = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(f"/en/admin/accounts/user/{translator_ar.pk}/change/")
    assert response.status_code == 200
    assert '<option value="ar" selected>' in response.content.decode()


def test_the_account_page_names_the_translators_role_and_language(client_for, translator_ar):
    html = client_for(translator_ar).get(reverse("accounts:me")).content.decode()
    row = html.split("<tbody>")[1].split("</tbody>")[0]
    assert 'Translator – <span lang="ar" dir="rtl">' in row
    assert "(Arabic)" in row
    assert "Translate the region's information pages into Arabic" in row
    assert "Read the programmes." not in row
