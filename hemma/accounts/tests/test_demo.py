"""`hemma demo`: the demo region, programme and users, kept on a second run."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from hemma.accounts.models import User
from hemma.organisations.models import Municipality
from hemma.programmes.models import Action, Programme

pytestmark = pytest.mark.django_db


def demo(monkeypatch, password="demo-password-1") -> str:  # noqa: S107
    monkeypatch.setenv("HEMMA_DEMO_PASSWORD", password)
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_loads_five_municipalities_sharing_the_seed_programme(monkeypatch):
    output = demo(monkeypatch)
    programme = Programme.objects.get()
    assert programme.municipalities.count() == 5
    assert Municipality.objects.count() == 5
    assert Action.objects.count() == 24
    assert "koordinator" in output and "demo-password-1" in output


def test_demo_users_log_in_with_the_given_password(monkeypatch, rf):
    demo(monkeypatch, "s3cret-for-demo")
    for username in ["koordinator", "jakobstad", "larsmo", "lasare", "admin"]:
        request = rf.post("/sv/accounts/login/")
        assert authenticate(request, username=username, password="s3cret-for-demo"), username


def test_a_second_run_keeps_the_data(monkeypatch, coordinator_region):
    demo(monkeypatch)
    action = Action.objects.first()
    action.title = {"sv": "Ändrad av en koordinator"}
    action.save()

    output = demo(monkeypatch)

    assert "already there" in output
    action.refresh_from_db()
    assert action.title == {"sv": "Ändrad av en koordinator"}
    assert User.objects.filter(username="koordinator").count() == 1


def test_without_a_password_one_is_made_and_kept(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("HEMMA_DEMO_PASSWORD", raising=False)
    first = io.StringIO()
    call_command("demo", stdout=first)
    second = io.StringIO()
    call_command("demo", stdout=second)
    password = first.getvalue().rsplit(": ", 1)[1].strip()
    assert len(password) >= 12
    assert password in second.getvalue()
