"""`hemma volunteers-anonymise [--dry-run]`, the daily anonymiser."""

import pytest
from django.core.management import call_command

from hemma.volunteers import services
from hemma.volunteers.models import Volunteer
from hemma.volunteers.tests.test_erasure import EMAIL, NAME, TRACES, found_anywhere

pytestmark = pytest.mark.django_db


def test_the_command_anonymises_and_its_dry_run_does_not(make_volunteer, municipality_a1, capsys):
    old = make_volunteer(
        municipality_a1,
        name=NAME,
        email=EMAIL,
        recruited_on="2019-05-01",
        consent_on="2019-05-01",
        active_from="2019-06-01",
    )
    services.period_change(actor=None, period=old.periods.get(), fields={"ends_on": "2020-06-30"})
    make_volunteer(municipality_a1, name="Still Active")

    call_command("volunteers-anonymise", "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("1 friend person(s) inactive for more than 24 months would be")
    assert str(old.code) in out
    assert found_anywhere(NAME).keys() == {NAME}

    call_command("volunteers-anonymise")
    assert "1 friend person(s)" in capsys.readouterr().out
    assert found_anywhere(*TRACES) == {}
    assert Volunteer.objects.filter(anonymised_at__isnull=True).get().name == "Still Active"

    call_command("volunteers-anonymise")
    assert capsys.readouterr().out.startswith("0 friend person(s)")
