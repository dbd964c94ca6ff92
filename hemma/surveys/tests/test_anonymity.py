"""Anonymous by construction: an answer sent through the public form leaves nothing of the
request in the database (issue 6: "a test looks in every table for them")."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from hemma.followup.models import Measurement
from hemma.programmes.models import Indicator
from hemma.surveys import counting
from hemma.surveys.models import Answer, Response
from hemma.surveys.results import survey_results
from hemma.surveys.tests.test_answer import GOOD, assert_anonymous, form_url, make_survey

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.195"
FORWARDED = "198.51.100.23"
AGENT = "Mozilla/5.0 (Linux; Android 4.4.2; HemmaDistinctivePhone 7) Build/KOT49H-zzq"
ARABIC = "المترجم لم يأتِ إلى موعد مكتب العمل في يوم الأربعاء"
# A Wednesday afternoon, Helsinki time: only its Monday may be kept.
SENT_AT = datetime.datetime(2025, 3, 12, 14, 37, 21, tzinfo=ZoneInfo("Europe/Helsinki"))
MONDAY = datetime.date(2025, 3, 10)


def every_value():
    """(model, field, value) for every column of every row of every table Django knows."""
    for model in apps.get_models(include_auto_created=True):
        fields = [field for field in model._meta.concrete_fields]
        for row in model._default_manager.values_list(*(field.attname for field in fields)):
            for field, value in zip(fields, row, strict=True):
                yield model, field, value


def as_text(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def found_in_database(needles: list[str]) -> list[tuple[str, str, str]]:
    return [
        (model._meta.label, field.name, needle)
        for model, field, value in every_value()
        if value is not None
        for needle in needles
        if needle.lower() in as_text(value).lower()
    ]


def times_in_database() -> list[tuple[str, str, object]]:
    """Every date or time column holding the day the answer was sent (in Helsinki or UTC)."""
    days = {SENT_AT.date(), SENT_AT.astimezone(datetime.UTC).date()}
    found = []
    for model, field, value in every_value():
        if isinstance(field, models.DateTimeField) and value is not None:
            if value.astimezone(SENT_AT.tzinfo).date() in days or value.date() in days:
                found.append((model._meta.label, field.name, value))
        elif isinstance(field, models.DateField) and value in days:
            found.append((model._meta.label, field.name, value))
    return found


@pytest.fixture
def wednesday(monkeypatch):
    """Call to make it SENT_AT from then on (what was made before was made today)."""
    monkeypatch.setattr(counting, "survey_answered", lambda survey, municipality_id: 0)
    return lambda: monkeypatch.setattr(timezone, "now", lambda: SENT_AT.astimezone(datetime.UTC))


def test_an_arabic_answer_keeps_nothing_of_who_sent_it_or_when(client, programme_a, wednesday):
    survey = make_survey(programme_a)
    assert times_in_database() == []
    wednesday()

    response = client.post(
        form_url(survey, "ar", "101"),
        {**GOOD, "q-interpreter": "never", "q-why-not": ARABIC},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
        HTTP_X_FORWARDED_FOR=FORWARDED,
        HTTP_REFERER="https://mail.example/inbox/4711",
        HTTP_ACCEPT_LANGUAGE="ar-SY,ar;q=0.9",
    )

    assert response.status_code == 303
    assert_anonymous(response)
    answer = Answer.objects.get(question__key="why-not")
    assert answer.text == ARABIC
    stored = Response.objects.get()
    assert (stored.language, stored.week, stored.municipality.code) == ("ar", MONDAY, "101")

    needles = [ADDRESS, FORWARDED, AGENT, "HemmaDistinctivePhone", "mail.example", "ar-SY"]
    needles += [SENT_AT.date().isoformat(), "14:37", "12.3.2025", "12/03/2025"]
    assert found_in_database(needles) == []
    assert times_in_database() == []
    # No session, and so no session key, exists to be linked to it.
    assert not Session.objects.exists()
    thanks = client.get(response["Location"], REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    assert_anonymous(thanks)
    assert not Session.objects.exists()


def test_the_search_finds_what_is_stored(client, programme_a, wednesday):
    """The search itself would see an address or a time kept anywhere."""
    survey = make_survey(programme_a)
    wednesday()
    survey.intro = {"sv": f"Från {ADDRESS} klockan {SENT_AT.date().isoformat()}"}
    survey.save()

    assert set(found_in_database([ADDRESS, SENT_AT.date().isoformat()])) == {
        ("surveys.Survey", "intro", ADDRESS),
        ("surveys.Survey", "intro", SENT_AT.date().isoformat()),
        ("surveys.Survey", "updated_at", SENT_AT.date().isoformat()),
    }
    assert ("surveys.Survey", "updated_at", SENT_AT.astimezone(datetime.UTC)) in [
        (label, name, value) for label, name, value in times_in_database()
    ]


def test_an_answer_counted_into_an_indicator_keeps_no_time_either(
    client, programme_a, monkeypatch, coordinator_region
):
    """Issue 6's "Done when" whole: an answer sent through the public form in Arabic is counted
    in the results and changes the linked indicators' values (the real counting, no
    stand-in), and the time of the answer is kept nowhere, not even as the time a value
    changed."""
    survey = make_survey(programme_a)
    action = programme_a.actions.get()
    for key, question, kinds in (("answers", "", []), ("always", "interpreter", ["always"])):
        Indicator.objects.create(
            action=action,
            key=key,
            name={"sv": key},
            source=Indicator.Source.REGISTRY,
            query=Indicator.Query.SURVEY,
            query_survey=survey.key,
            query_question=question,
            query_kinds=kinds,
        )
    monkeypatch.setattr(timezone, "now", lambda: SENT_AT.astimezone(datetime.UTC))

    response = client.post(form_url(survey, "ar", "101"), GOOD, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 303
    values = dict(
        Measurement.objects.filter(municipality__code="101").values_list("indicator__key", "number")
    )
    assert values == {"answers": 1, "always": 100}
    results = survey_results(user=coordinator_region, survey=survey)
    assert results.answers_total.count == 1
    assert [(code, figure.count) for code, _name, figure in results.languages if figure.count] == [
        ("ar", 1)
    ]
    assert found_in_database([ADDRESS, SENT_AT.date().isoformat()]) == []
    assert times_in_database() == []
