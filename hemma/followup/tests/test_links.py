"""Reporting links: a reporter without an account enters their actions' values for one period."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from hemma.audit.models import AuditEvent
from hemma.followup import rounds
from hemma.followup.models import Measurement, ReportingLink
from hemma.followup.services import measurement_record
from hemma.programmes.models import Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2025, 3, 31)


@pytest.fixture
def round_a(programme_a):
    return rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)


@pytest.fixture
def assignment_a1(round_a):
    return round_a.assignments.get(municipality__code="101")


@pytest.fixture
def made(assignment_a1, coordinator_region):
    """(link, path): Maja's link to A-stad's joint meetings in 2024."""
    return rounds.link_create(
        actor=coordinator_region,
        assignment=assignment_a1,
        recipient_name="Maja Mottagare",
        recipient_email="maja@example.org",
    )


@pytest.fixture
def link(made) -> ReportingLink:
    return made[0]


@pytest.fixture
def path(made) -> str:
    """The link's address in English (it is made in the programme's language, Swedish)."""
    return made[1].replace("/sv/", "/en/", 1)


def token_of(path: str) -> str:
    return path.rstrip("/").split("/")[-1]


def ready_path(path: str) -> str:
    return reverse("followup:link_ready", args=[token_of(path)])


@pytest.fixture
def other_action_indicator(programme_a):
    """An indicator of another action of programme_a, not the link's."""
    indicator = f.IndicatorFactory(
        action__goal__theme__programme=programme_a,
        action__key="other-action",
        action__title={"sv": "En annan åtgärd"},
    )
    return Indicator.objects.select_related("action__programme").get(pk=indicator.pk)


# -- the token -------------------------------------------------------------------------------


def test_a_new_link_opens_with_its_token(link, made, path):
    assert made[1].startswith("/sv/report/")
    assert rounds.link_from_token(token_of(path)) == link
    assert len(link.nonce) >= 20
    assert token_of(path) not in link.nonce  # only the nonce is stored, not the token


def test_a_tampered_token_opens_nothing(path):
    token = token_of(path)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert rounds.link_from_token(tampered) is None
    assert rounds.link_from_token("nonsense") is None


def test_a_well_signed_token_of_an_unknown_nonce_opens_nothing(link):
    forged = signing.TimestampSigner(salt=rounds.SIGNING_SALT).sign_object({"n": "unknown"})
    assert rounds.link_from_token(forged) is None


def test_a_token_signed_for_something_else_opens_nothing(link):
    other = signing.TimestampSigner(salt="something-else").sign_object({"n": link.nonce})
    assert rounds.link_from_token(other) is None


def test_an_expired_or_revoked_link_opens_nothing(link, path, coordinator_region):
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    assert rounds.link_lookup(token_of(path)).state == "expired"

    link.expires_at = timezone.now() + datetime.timedelta(days=1)
    link.save()
    rounds.link_revoke(actor=coordinator_region, link=link)
    assert rounds.link_lookup(token_of(path)).state == "revoked"
    assert rounds.link_from_token(token_of(path)) is None


def test_a_link_is_valid_for_the_days_given(assignment_a1, coordinator_region):
    link, _path = rounds.link_create(
        actor=coordinator_region, assignment=assignment_a1, recipient_name="Ola", days=3
    )
    left = link.expires_at - timezone.now()
    assert datetime.timedelta(days=2, hours=23) < left <= datetime.timedelta(days=3)


def test_making_and_revoking_links_is_in_the_audit_trail(link, coordinator_region):
    rounds.link_revoke(actor=coordinator_region, link=link)
    events = AuditEvent.objects.filter(target_type="followup.reportinglink").order_by("id")
    assert [(e.verb, e.actor) for e in events] == [
        ("create", coordinator_region),
        ("update", coordinator_region),
    ]
    assert link.nonce not in str([e.changes for e in events])


# -- what a link may record ------------------------------------------------------------------


def record(link, indicator, *, municipality="101", period="2024", number=3):
    return measurement_record(
        actor=None,
        link=link,
        indicator=indicator,
        municipality=municipality,
        period=period,
        values={"number": number},
        version=None,
        source=Measurement.Source.LINK,
    )


def test_a_value_through_a_link_is_attributed_to_its_recipient(link, band_indicator):
    value = record(link, band_indicator)

    assert (value.entered_by, value.entered_by_name, value.source) == (
        None,
        "Maja Mottagare",
        "link",
    )
    event = AuditEvent.objects.get(target_type="followup.measurement")
    assert (event.actor, event.actor_name) == (None, "Maja Mottagare")


def test_a_link_refuses_another_actions_indicator(link, other_action_indicator):
    with pytest.raises(PermissionDenied):
        record(link, other_action_indicator)
    assert not Measurement.objects.exists()


def test_a_link_refuses_another_period(link, band_indicator):
    with pytest.raises(PermissionDenied):
        record(link, band_indicator, period="2023")
    assert not Measurement.objects.exists()


def test_a_link_refuses_another_municipality(link, band_indicator):
    with pytest.raises(PermissionDenied):
        record(link, band_indicator, municipality="102")
    with pytest.raises(PermissionDenied):
        record(link, band_indicator, municipality=None)
    assert not Measurement.objects.exists()


# -- the reporter's page ---------------------------------------------------------------------


def slot(indicator, period="2024") -> str:
    return f"i{indicator.pk}-{period}"


def test_the_page_shows_only_the_links_actions_without_a_login(
    client, path, band_indicator, other_action_indicator
):
    response = client.get(path)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="{slot(band_indicator)}-number"' in page
    assert f'name="{slot(other_action_indicator)}-number"' not in page
    assert "En annan åtgärd" not in page
    assert "A-stad" in page and "Maja Mottagare" in page
    assert "sessionid" not in response.cookies


def test_the_page_is_not_indexed_nor_referred_to_other_sites(client, path):
    response = client.get(path)

    # Not no-referrer: under it a browser sends "Origin: null" with the page's own forms and
    # Django's CSRF check refuses them (hemma/tests/browser/test_link_in_browser.py).
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert '<meta name="referrer" content="same-origin">' in page
    assert "no-referrer" not in page


def test_the_pages_forms_pass_the_csrf_check_from_the_same_site(client, path, band_indicator):
    # Given a browser that checks CSRF as Chromium does: the page's token, its own origin
    csrf_client = type(client)(enforce_csrf_checks=True)
    page = csrf_client.get(path)
    token = page.cookies["csrftoken"].value
    headers = {"Origin": "http://testserver", "Referer": f"http://testserver{path}"}

    # When the reporter saves, says ready and switches language
    saved = csrf_client.post(
        path, {"csrfmiddlewaretoken": token, f"{slot(band_indicator)}-number": "3"}, headers=headers
    )
    ready = csrf_client.post(
        ready_path(path), {"csrfmiddlewaretoken": token, "ready": "1"}, headers=headers
    )
    switched = csrf_client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": token, "language": "fi", "next": path},
        headers=headers,
    )

    # Then each is accepted
    assert [saved.status_code, ready.status_code, switched.status_code] == [302, 302, 302]
    assert switched["Location"].startswith("/fi/report/")
    assert Measurement.objects.get().number == 3


def test_saving_records_the_values_in_the_recipients_name(client, path, band_indicator, link):
    response = client.post(
        path, {f"{slot(band_indicator)}-number": "3", f"{slot(band_indicator)}-comment": "Bra år"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{path}?saved=1"
    value = Measurement.objects.get()
    assert (value.municipality.code, value.period, value.number, value.comment) == (
        "101",
        "2024",
        3,
        "Bra år",
    )
    assert (value.entered_by_name, value.source) == ("Maja Mottagare", "link")
    page = client.get(response["Location"]).content.decode()
    assert "Saved." in page
    assert 'value="3"' in page
    link.refresh_from_db()
    assert link.last_used_at is not None


def test_a_stored_value_is_changed_with_its_version(client, path, band_indicator, link):
    client.post(path, {f"{slot(band_indicator)}-number": "3"})
    client.post(
        path, {f"{slot(band_indicator)}-number": "4", f"{slot(band_indicator)}-version": "1"}
    )

    value = Measurement.objects.get()
    assert (value.number, value.version) == (4, 2)


def test_a_stale_version_is_refused_and_keeps_the_first_save(client, path, band_indicator):
    client.post(path, {f"{slot(band_indicator)}-number": "3"})

    response = client.post(
        path, {f"{slot(band_indicator)}-number": "4", f"{slot(band_indicator)}-version": ""}
    )

    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert Measurement.objects.get().number == 3


def test_a_bad_value_is_shown_at_its_field_and_nothing_is_saved(client, path, band_indicator):
    response = client.post(path, {f"{slot(band_indicator)}-number": "many"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a number, such as 12 or 12,5." in page
    assert f'id="{slot(band_indicator)}-number-error"' in page
    assert 'value="many"' in page  # what was typed is kept
    assert not Measurement.objects.exists()


def test_a_field_for_another_indicator_is_ignored(
    client, path, band_indicator, other_action_indicator
):
    client.post(
        path,
        {
            f"{slot(band_indicator)}-number": "3",
            f"{slot(other_action_indicator)}-number": "9",
            f"{slot(band_indicator, '2023')}-number": "9",
        },
    )
    assert [(m.indicator, m.period) for m in Measurement.objects.all()] == [
        (band_indicator, "2024")
    ]


def test_the_reporter_marks_the_report_ready(client, path, assignment_a1):
    response = client.post(ready_path(path), {"ready": "1"})

    assignment_a1.refresh_from_db()
    assert response.status_code == 302
    assert assignment_a1.ready_at is not None
    assert assignment_a1.ready_by_name == "Maja Mottagare"
    event = AuditEvent.objects.filter(target_type="followup.assignment").get()
    assert event.actor_name == "Maja Mottagare"


def test_a_link_marks_only_its_own_reporter_ready(link, round_a):
    other = round_a.assignments.get(municipality__code="102")
    with pytest.raises(PermissionDenied):
        rounds.assignment_ready_set(actor_or_link=link, assignment=other, ready=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_gone(client, link, path, method):
    link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    link.save()

    response = getattr(client, method)(path)

    assert response.status_code == 410
    assert "The reporting link has expired." in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert not Measurement.objects.exists()


def test_a_revoked_link_is_gone(client, link, path, coordinator_region):
    rounds.link_revoke(actor=coordinator_region, link=link)

    response = client.get(path)
    assert response.status_code == 410
    assert "The reporting link has been revoked." in response.content.decode()
    assert client.post(ready_path(path), {"ready": "1"}).status_code == 410


def test_a_tampered_link_is_not_found(client, path):
    token = token_of(path)
    response = client.get(reverse("followup:link", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert "not a valid reporting link" in response.content.decode()


def test_a_link_can_be_made_only_while_the_round_is_open(assignment_a1, coordinator_region):
    rounds.round_approve(actor=coordinator_region, round=assignment_a1.round)
    from hemma.followup.locks import PeriodLocked

    with pytest.raises(PeriodLocked):
        rounds.link_create(actor=coordinator_region, assignment=assignment_a1, recipient_name="X")


@pytest.mark.parametrize("size", [1, 4])
def test_the_page_reads_a_fixed_number_of_queries(
    client, programme_a, coordinator_region, size, django_assert_max_num_queries
):
    action = programme_a.actions.get()
    for index in range(size * 3):
        indicator = f.IndicatorFactory(action=action, key=f"extra-{index}")
        Measurement.objects.create(
            indicator=indicator,
            municipality=programme_a.municipalities.get(code="101"),
            period="2024",
            number=index,
        )
    for index in range(size):
        f.IndicatorFactory(action=action, key=f"half-{index}", period="half_year")
    round = rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)
    _link, path = rounds.link_create(
        actor=coordinator_region,
        assignment=round.assignments.get(municipality__code="101"),
        recipient_name="Maja",
    )

    with django_assert_max_num_queries(4):
        response = client.get(path.replace("/sv/", "/en/", 1))

    assert response.status_code == 200
    assert response.content.decode().count('-number" inputmode') == 1 + size * 3 + size * 2


def test_every_kind_of_value_is_entered_on_the_page(client, path, indicator_of):
    courses = indicator_of("count_with_participants")
    review = indicator_of("milestone")
    guide = indicator_of("deliverable_languages")

    response = client.post(
        path,
        {
            f"{slot(courses)}-number": "4",
            f"{slot(courses)}-participants": "52",
            f"{slot(review)}-done": "yes",
            f"{slot(review)}-done_on": "2024-10-01",
            f"{slot(guide)}-languages": ["sv", "ar"],
        },
    )

    assert response.status_code == 302
    stored = {m.indicator_id: m for m in Measurement.objects.all()}
    assert (stored[courses.pk].number, stored[courses.pk].participants) == (4, 52)
    assert (stored[review.pk].done, stored[review.pk].done_on) == (True, datetime.date(2024, 10, 1))
    assert stored[guide.pk].languages == ["sv", "ar"]
    page = client.get(path).content.decode()
    assert 'value="52"' in page
    assert 'value="ar" checked' in page
    assert '<option value="yes" selected>' in page


# -- the page's words --------------------------------------------------------------------------


def test_the_page_names_the_fields_as_the_grid_does(client, path, indicator_of):
    review = indicator_of("milestone")

    page = client.get(path).content.decode()

    assert f'<label for="{slot(review)}-done">Done</label>' in page
    assert '<option value="yes">Done</option>' in page
    assert '<option value="no">Not done</option>' in page
    assert f'<label for="{slot(review)}-done_on">Date</label>' in page
    assert ">Yes<" not in page and "Done on" not in page


def test_the_page_says_count_as_the_grid_does(client, path, band_indicator):
    # Meetings are counted: the grid and the link both ask for a count, a whole number.
    page = client.get(path).content.decode()

    assert f'<label for="{slot(band_indicator)}-number">Count' in page
    assert 'inputmode="numeric"' in page
    assert f'<label for="{slot(band_indicator)}-number">Value' not in page


def test_the_page_keeps_a_values_version_out_of_sight(client, path, band_indicator):
    client.post(path, {f"{slot(band_indicator)}-number": "3"})

    page = client.get(path).content.decode()

    assert "version" not in page.lower().replace('-version"', "")
    assert f'<input type="hidden" name="{slot(band_indicator)}-version" value="1">' in page


def test_the_page_gives_dates_as_the_dashboard_does(client, path):
    from django.utils.formats import date_format

    page = client.get(path).content.decode()

    assert f"<dd>{date_format(DEADLINE)}</dd>" in page  # "March 31, 2025", not "03/31/2025"


@pytest.fixture
def unit_reporter(assignment_a1):
    """A-stad's reporter is its municipal unit, named as the unit is in Swedish."""
    unit = f.OrganisationFactory(
        region=assignment_a1.round.programme.region,
        name={"sv": "Kommunen", "fi": "Kunta", "en": "The municipality"},
    )
    assignment_a1.organisation = unit
    assignment_a1.name = "Kommunen"
    assignment_a1.save()
    return assignment_a1


def test_the_reporter_is_named_in_the_pages_language(client, path, unit_reporter):
    page = client.get(path).content.decode()
    assert "<dd>The municipality</dd>" in page

    finnish = client.get(path.replace("/en/", "/fi/", 1)).content.decode()
    assert "<dd>Kunta</dd>" in finnish


def test_a_reporter_a_coordinator_renamed_keeps_the_name(client, path, unit_reporter):
    rounds.assignment_update(
        actor=None, assignment=unit_reporter, name="Kommunens kansli", email=""
    )

    page = client.get(path).content.decode()

    assert "<dd>Kommunens kansli</dd>" in page
    assert "The municipality" not in page


def test_a_reporter_without_the_pages_language_is_named_in_the_programmes(
    client, path, unit_reporter
):
    unit_reporter.organisation.name = {"sv": "Kommunen"}
    unit_reporter.organisation.save()

    page = client.get(path).content.decode()

    assert '<dd><span lang="sv" dir="ltr">Kommunen</span></dd>' in page
