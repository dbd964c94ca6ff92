"""The reporting round: opening it (who reports what), its pages and who may use them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hemma.audit.models import AuditEvent
from hemma.followup import rounds
from hemma.followup.models import Assignment, Measurement, ReportingLink, Round
from hemma.organisations.models import Organisation
from hemma.programmes.models import Action, ActionParty, Indicator, Programme
from hemma.programmes.services import municipal_units_set
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2025, 3, 31)


@pytest.fixture
def round_a(programme_a):
    """programme_a's round for 2024: A-stad (101) and A-by (102) report the joint meetings."""
    return rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)


def reporter(round, code: str | None) -> Assignment:
    return (
        round.assignments.get(municipality__code=code)
        if code
        else round.assignments.get(municipality__isnull=True)
    )


def url(name: str, round, *args) -> str:
    return reverse(f"followup:{name}", args=[round.programme.slug, round.period, *args])


# -- who reports what ------------------------------------------------------------------------


def by_name(round) -> dict[tuple[str | None, str], list[str]]:
    return {
        (a.municipality.code if a.municipality else None, a.name): [x.key for x in a.actions.all()]
        for a in round.assignments.prefetch_related("actions").select_related("municipality")
    }


def test_the_seed_round_asks_each_municipality_and_the_regional_parties(seed_programme):
    round = rounds.round_open(
        actor=None, programme=seed_programme, period="2024", deadline=DEADLINE
    )

    reporters = by_name(round)
    # The wellbeing services county alone is responsible for its action, which is followed
    # up in each municipality: it reports it for each of them, as the status matrix counts
    # it; so do the housing companies for the resident guide.
    for code in ("598", "599", "440", "893", "288"):
        assert reporters[(code, "Välfärdsområdet")] == ["social-och-halsovardstjanster"]
        assert reporters[(code, "Bostadsbolagen")] == ["invanarguiden"]
    # "Kommunen" stands for each municipality: Jakobstad reports the meeting places.
    assert "skapa-motesplatser" in reporters[("598", "Kommunen")]
    # Basic education reports, in each municipality, the studies it is responsible for.
    assert "delta-i-befintlig-undervisning" in reporters[("288", "Grundläggande utbildning")]
    # With the municipality and the employment office responsible, the municipality reports.
    assert "ansvarig-tjansteinnehavare" in reporters[("440", "Kommunen")]
    # Each of the 24 actions is asked of one reporter per municipality, but for the two joint
    # actions (the joint meetings, the update of the programme): they are the region's, asked
    # of "Kommunerna" once.
    jakobstad = [key for (code, _), keys in reporters.items() if code == "598" for key in keys]
    assert len(jakobstad) == len(set(jakobstad)) == 24 - 2
    assert reporters[(None, "Kommunerna")] == [
        "regelbundna-traffar",
        "utvardering-och-uppdatering",
    ]
    assert round.assignments.filter(municipality__isnull=True).count() == 1
    assert round.assignments.count() == 1 + 5 * 8


def test_a_unit_a_municipality_names_reports_that_action_there(seed_programme):
    jakobstad = seed_programme.municipalities.get(code="598")
    action = seed_programme.actions.get(key="samordnas-centralt")
    municipal_units_set(
        actor=None,
        action=action,
        municipality=jakobstad,
        organisations=[],
        new_unit="Kanslienheten",
    )

    round = rounds.round_open(
        actor=None, programme=seed_programme, period="2024", deadline=DEADLINE
    )

    reporters = by_name(round)
    assert reporters[("598", "Kanslienheten")] == ["samordnas-centralt"]
    assert "samordnas-centralt" not in reporters[("598", "Kommunen")]
    assert "samordnas-centralt" in reporters[("599", "Kommunen")]


def test_an_action_without_a_responsible_party_falls_to_each_municipality(round_a):
    assert by_name(round_a) == {
        ("101", "A-stad"): ["joint-meetings"],
        ("102", "A-by"): ["joint-meetings"],
    }
    assert reporter(round_a, "101").organisation is None


def test_an_organisation_of_one_municipality_reports_there_only(
    programme_a, action_a, municipality_a1
):
    unit = f.OrganisationFactory(
        region=programme_a.region, municipality=municipality_a1, name={"sv": "Bildning A"}
    )
    ActionParty.objects.create(action=action_a, organisation=unit, role="responsible")

    round = rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)

    assert by_name(round) == {
        ("101", "Bildning A"): ["joint-meetings"],
        ("102", "A-by"): ["joint-meetings"],
    }


def test_a_regional_party_reports_its_action_for_each_municipality(programme_a, action_a):
    county = f.OrganisationFactory(
        region=programme_a.region, kind=Organisation.Kind.WELLBEING_COUNTY, name={"sv": "VO"}
    )
    ActionParty.objects.create(action=action_a, organisation=county, role="responsible")

    round = rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)

    assert by_name(round) == {("101", "VO"): ["joint-meetings"], ("102", "VO"): ["joint-meetings"]}


def test_a_new_round_takes_over_the_reporters_e_mail_addresses(round_a, programme_a):
    rounds.assignment_update(
        actor=None, assignment=reporter(round_a, "101"), name="A-stad", email="a@example.org"
    )

    later = rounds.round_open(actor=None, programme=programme_a, period="2025", deadline=DEADLINE)

    assert reporter(later, "101").email == "a@example.org"
    assert reporter(later, "102").email == ""


@pytest.mark.parametrize(
    "period, message",
    [
        ("2024x", "is not a period"),
        ("2022", "outside the programme's period"),
        ("2025-2026", "outside the programme's period"),
    ],
)
def test_a_round_needs_a_period_within_the_programme(programme_a, period, message):
    with pytest.raises(ValidationError) as error:
        rounds.round_open(actor=None, programme=programme_a, period=period, deadline=DEADLINE)
    assert message in error.value.message_dict["period"][0]
    assert not Round.objects.exists()


def test_one_round_per_period(round_a, programme_a):
    with pytest.raises(ValidationError) as error:
        rounds.round_open(actor=None, programme=programme_a, period="2024", deadline=DEADLINE)
    assert "already a round" in error.value.message_dict["period"][0]


def test_only_the_region_coordinator_opens_a_round(programme_a, coordinator_a, viewer):
    for user in (coordinator_a, viewer):
        with pytest.raises(PermissionDenied):
            rounds.round_open(actor=user, programme=programme_a, period="2024", deadline=DEADLINE)


def test_opening_is_in_the_audit_trail(programme_a, coordinator_region):
    round = rounds.round_open(
        actor=coordinator_region, programme=programme_a, period="2024", deadline=DEADLINE
    )
    event = AuditEvent.objects.get(target_type="followup.round", target_id=str(round.pk))
    assert (event.actor, event.verb) == (coordinator_region, "create")
    assert event.changes["reporters"] == [None, 2]


def test_moving_the_deadline_sends_the_stages_not_yet_due_again(round_a, coordinator_region):
    assignment = reporter(round_a, "101")
    assignment.reminders_sent = [14, 3]
    assignment.save()

    rounds.round_deadline_set(
        actor=coordinator_region,
        round=round_a,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )

    assignment.refresh_from_db()
    assert assignment.reminders_sent == [14]


def test_a_reporter_needs_a_name_and_a_valid_e_mail(round_a, coordinator_region):
    with pytest.raises(ValidationError) as error:
        rounds.assignment_update(
            actor=coordinator_region, assignment=reporter(round_a, "101"), name="", email="x@"
        )
    assert set(error.value.message_dict) == {"name", "email"}


# -- the rounds page: list and open ----------------------------------------------------------


def rounds_url(programme) -> str:
    return reverse("followup:rounds", args=[programme.slug])


def open_form(period="2024"):
    return {"period": period, "deadline": "2025-03-31", "reminder_days": "14, 3"}


def test_region_coordinator_opens_a_round_from_the_rounds_page(
    client_for, coordinator_region, programme_a
):
    client = client_for(coordinator_region)
    assert "Open the round" in client.get(rounds_url(programme_a)).content.decode()

    response = client.post(rounds_url(programme_a), open_form())

    round = Round.objects.get(programme=programme_a)
    assert response.status_code == 302
    assert response["Location"] == url("round", round)
    assert (round.period, round.deadline, round.reminder_days) == ("2024", DEADLINE, [14, 3])
    assert "2024" in client.get(rounds_url(programme_a)).content.decode()


def test_rounds_page_shows_a_bad_period_beside_the_form(
    client_for, coordinator_region, programme_a
):
    response = client_for(coordinator_region).post(rounds_url(programme_a), open_form("2030"))

    assert response.status_code == 200
    assert "outside the programme&#x27;s period" in response.content.decode()
    assert not Round.objects.exists()


def test_rounds_page_of_another_region_is_not_found(client_for, coordinator_b, programme_a):
    client = client_for(coordinator_b)
    assert client.get(rounds_url(programme_a)).status_code == 404
    assert client.post(rounds_url(programme_a), open_form()).status_code == 404


def test_a_viewer_sees_the_rounds_but_may_not_open_one(client_for, viewer, programme_a):
    client = client_for(viewer)
    page = client.get(rounds_url(programme_a))
    assert page.status_code == 200
    assert "Open the round" not in page.content.decode()
    assert client.post(rounds_url(programme_a), open_form()).status_code == 403
    assert not Round.objects.exists()


def test_a_municipal_coordinator_may_not_open_a_round(client_for, coordinator_a, programme_a):
    assert client_for(coordinator_a).post(rounds_url(programme_a), open_form()).status_code == 403


def test_rounds_page_needs_a_login(client, programme_a):
    for response in (client.get(rounds_url(programme_a)), client.post(rounds_url(programme_a))):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# -- the round's overview --------------------------------------------------------------------


def test_the_overview_shows_each_reporter_with_what_is_missing(
    client_for, coordinator_region, round_a, band_indicator, municipality_a1
):
    Measurement.objects.create(
        indicator=band_indicator, municipality=municipality_a1, period="2024", number=3
    )
    rounds.assignment_update(
        actor=None, assignment=reporter(round_a, "102"), name="A-by", email="by@example.org"
    )

    response = client_for(coordinator_region).get(url("round", round_a))

    page = response.content.decode()
    assert response.status_code == 200
    assert "by@example.org" in page
    assert "1 of 1" in page  # A-stad's one value is in
    assert "1 missing" in page  # A-by's is not
    assert 'href="/en/programmes/programme-a/values/2024/102/"' in page  # where to enter it
    assert "Approve and lock" in page


def test_a_municipal_coordinator_sees_the_round_without_its_managing_forms(
    client_for, coordinator_a, round_a
):
    page = client_for(coordinator_a).get(url("round", round_a)).content.decode()

    assert "Approve and lock" not in page
    assert "Change the reporter" not in page
    # Their own municipality's reporter can be marked ready and given a link; A-by's cannot.
    assert page.count("Mark ready") == 1
    assert page.count("Create the link") == 1


def test_a_viewer_sees_the_round_and_no_forms(client_for, viewer, round_a):
    response = client_for(viewer).get(url("round", round_a))
    assert response.status_code == 200
    assert '<form method="post" action="/en/programmes' not in response.content.decode()


def test_the_round_of_another_region_is_not_found(client_for, coordinator_b, round_a):
    assert client_for(coordinator_b).get(url("round", round_a)).status_code == 404


def test_an_unknown_round_is_not_found(client_for, coordinator_region, programme_a):
    response = client_for(coordinator_region).get(
        reverse("followup:round", args=[programme_a.slug, "2023"])
    )
    assert response.status_code == 404


def test_the_round_needs_a_login(client, round_a):
    response = client.get(url("round", round_a))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _programme_of_size(region, municipalities, n_actions: int) -> Programme:
    programme: Programme = f.ProgrammeFactory(region=region)  # type: ignore[assignment]
    programme.municipalities.set(municipalities)
    for index in range(n_actions):
        action: Action = f.ActionFactory(goal__theme__programme=programme, key=f"a{index}")  # type: ignore[assignment]
        unit: Organisation = f.OrganisationFactory(region=region, name={"sv": f"Enhet {index}"})  # type: ignore[assignment]
        ActionParty.objects.create(action=action, organisation=unit, role="responsible")
        for _ in range(2):
            indicator: Indicator = f.IndicatorFactory(action=action)  # type: ignore[assignment]
            for municipality in municipalities:
                Measurement.objects.create(
                    indicator=indicator, municipality=municipality, period="2024", number=2
                )
    return programme


@pytest.mark.parametrize("size", [1, 4])
def test_the_overview_reads_a_fixed_number_of_queries(
    client_for, coordinator_region, region_a, size, django_assert_max_num_queries
):
    municipalities = [f.MunicipalityFactory(region=region_a) for _ in range(size + 1)]
    programme = _programme_of_size(region_a, municipalities, n_actions=size * 2)
    round = rounds.round_open(actor=None, programme=programme, period="2024", deadline=DEADLINE)
    for assignment in round.assignments.all():
        rounds.link_create(
            actor=coordinator_region, assignment=assignment, recipient_name="R", days=5
        )
    assert round.assignments.count() == (size + 1) * size * 2
    client = client_for(coordinator_region)

    with django_assert_max_num_queries(10):
        response = client.get(url("round", round))

    assert response.status_code == 200


# -- the overview's forms ---------------------------------------------------------------------


def test_region_coordinator_changes_a_reporter(client_for, coordinator_region, round_a):
    assignment = reporter(round_a, "101")

    response = client_for(coordinator_region).post(
        url("assignment_edit", round_a, assignment.pk),
        {f"r{assignment.pk}-name": "Kansliet", f"r{assignment.pk}-email": "k@example.org"},
    )

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reporter-{assignment.pk}")
    assert (assignment.name, assignment.email) == ("Kansliet", "k@example.org")


def test_a_bad_e_mail_is_shown_beside_the_reporter(client_for, coordinator_region, round_a):
    assignment = reporter(round_a, "101")

    response = client_for(coordinator_region).post(
        url("assignment_edit", round_a, assignment.pk),
        {f"r{assignment.pk}-name": "Kansliet", f"r{assignment.pk}-email": "nope"},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.email == ""


@pytest.mark.parametrize(
    "user, status", [("coordinator_a", 403), ("viewer", 403), ("coordinator_b", 404)]
)
def test_only_the_region_coordinator_changes_a_reporter(request, client_for, round_a, user, status):
    assignment = reporter(round_a, "101")
    response = client_for(request.getfixturevalue(user)).post(
        url("assignment_edit", round_a, assignment.pk),
        {f"r{assignment.pk}-name": "X", f"r{assignment.pk}-email": ""},
    )
    assert response.status_code == status
    assignment.refresh_from_db()
    assert assignment.name == "A-stad"


def test_changing_a_reporter_needs_a_login(client, round_a):
    response = client.post(url("assignment_edit", round_a, reporter(round_a, "101").pk))
    assert response.status_code == 302


def test_a_municipal_coordinator_marks_their_reporter_ready(client_for, coordinator_a, round_a):
    assignment = reporter(round_a, "101")

    response = client_for(coordinator_a).post(
        url("assignment_ready", round_a, assignment.pk), {"ready": "1"}
    )

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert assignment.ready_at is not None
    assert assignment.ready_by_name == "coordinator_a"

    client_for(coordinator_a).post(url("assignment_ready", round_a, assignment.pk), {"ready": "0"})
    assignment.refresh_from_db()
    assert assignment.ready_at is None


@pytest.mark.parametrize(
    "user, code, status",
    [
        ("coordinator_a", "102", 403),  # another municipality's reporter
        ("viewer", "101", 403),
        ("coordinator_b", "101", 404),
    ],
)
def test_who_may_not_mark_a_reporter_ready(request, client_for, round_a, user, code, status):
    assignment = reporter(round_a, code)
    response = client_for(request.getfixturevalue(user)).post(
        url("assignment_ready", round_a, assignment.pk), {"ready": "1"}
    )
    assert response.status_code == status
    assignment.refresh_from_db()
    assert assignment.ready_at is None


def test_marking_ready_needs_a_login(client, round_a):
    response = client.post(url("assignment_ready", round_a, reporter(round_a, "101").pk))
    assert response.status_code == 302


def test_region_coordinator_moves_the_deadline(client_for, coordinator_region, round_a):
    response = client_for(coordinator_region).post(
        url("round_deadline", round_a), {"deadline": "2025-04-15"}
    )
    round_a.refresh_from_db()
    assert response.status_code == 302
    assert round_a.deadline == datetime.date(2025, 4, 15)


@pytest.mark.parametrize(
    "user, status", [("coordinator_a", 403), ("viewer", 403), ("coordinator_b", 404)]
)
def test_only_the_region_coordinator_moves_the_deadline(request, client_for, round_a, user, status):
    response = client_for(request.getfixturevalue(user)).post(
        url("round_deadline", round_a), {"deadline": "2025-04-15"}
    )
    assert response.status_code == status
    round_a.refresh_from_db()
    assert round_a.deadline == DEADLINE


def test_moving_the_deadline_needs_a_login(client, round_a):
    assert (
        client.post(url("round_deadline", round_a), {"deadline": "2025-04-15"}).status_code == 302
    )


# -- approving -------------------------------------------------------------------------------


def test_approving_asks_to_confirm_with_what_is_outstanding(
    client_for, coordinator_region, round_a, band_indicator, municipality_a1
):
    # Given A-stad's value in and A-stad ready; A-by neither
    Measurement.objects.create(
        indicator=band_indicator, municipality=municipality_a1, period="2024", number=3
    )
    rounds.assignment_ready_set(
        actor_or_link=coordinator_region, assignment=reporter(round_a, "101"), ready=True
    )
    client = client_for(coordinator_region)

    # When the coordinator asks to approve, by a POST or a GET
    for response in (
        client.post(url("round_approve", round_a)),
        client.get(url("round_approve", round_a)),
    ):
        # Then they are told what is outstanding and what approving does, and nothing is locked
        page = response.content.decode()
        assert response.status_code == 200
        assert "1 of 2 reporters are not ready and 1 value is missing." in page
        assert (
            "Approving locks the period: nobody can change its values until a region "
            "coordinator unlocks it." in page
        )
        assert '<input type="hidden" name="confirm" value="1">' in page
        assert "Approve and lock" in page and "Cancel" in page
        # And who it is: A-by's reporter, not ready (A-stad's is ready with nothing missing)
        assert "Reporters not ready or with values missing" in page
        assert "<td>A-by</td>" in page and "<td>A-stad</td>" not in page
        round_a.refresh_from_db()
        assert not round_a.locked


def test_approving_with_nothing_outstanding_still_asks_once(
    client_for, coordinator_region, round_a, band_indicator
):
    for code in ("101", "102"):
        assignment = reporter(round_a, code)
        Measurement.objects.create(
            indicator=band_indicator, municipality=assignment.municipality, period="2024", number=3
        )
        rounds.assignment_ready_set(
            actor_or_link=coordinator_region, assignment=assignment, ready=True
        )
    client = client_for(coordinator_region)

    page = client.get(url("round_approve", round_a)).content.decode()
    assert "All 2 reporters are ready and no values are missing." in page

    response = client.post(url("round_approve", round_a), {"confirm": "1"})

    round_a.refresh_from_db()
    assert response.status_code == 302
    assert round_a.locked


def test_the_overview_leads_to_the_confirmation(client_for, coordinator_region, round_a):
    page = client_for(coordinator_region).get(url("round", round_a)).content.decode()
    assert f'<a class="button" href="{url("round_approve", round_a)}">Approve and lock…</a>' in page


def test_an_approved_rounds_confirmation_goes_back_to_the_round(
    client_for, coordinator_region, round_a
):
    rounds.round_approve(actor=coordinator_region, round=round_a)

    response = client_for(coordinator_region).get(url("round_approve", round_a))

    assert response.status_code == 302
    assert response["Location"] == url("round", round_a)


@pytest.mark.parametrize(
    "user, status", [("coordinator_a", 403), ("viewer", 403), ("coordinator_b", 404)]
)
def test_who_may_not_see_the_confirmation(request, client_for, round_a, user, status):
    response = client_for(request.getfixturevalue(user)).get(url("round_approve", round_a))
    assert response.status_code == status


def test_the_confirmation_needs_a_login(client, round_a):
    response = client.get(url("round_approve", round_a))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("size", [1, 4])
def test_the_confirmation_reads_a_fixed_number_of_queries(
    client_for, coordinator_region, region_a, size, django_assert_max_num_queries
):
    municipalities = [f.MunicipalityFactory(region=region_a) for _ in range(size + 1)]
    programme = _programme_of_size(region_a, municipalities, n_actions=size * 2)
    round = rounds.round_open(actor=None, programme=programme, period="2024", deadline=DEADLINE)
    client = client_for(coordinator_region)

    with django_assert_max_num_queries(12):
        response = client.get(url("round_approve", round))

    assert response.status_code == 200


# -- dates and names in the page's language --------------------------------------------------


def test_round_pages_give_dates_as_the_dashboard_does(client_for, coordinator_region, round_a):
    from django.utils.formats import date_format

    client = client_for(coordinator_region)
    overview = client.get(url("round", round_a)).content.decode()
    listing = client.get(reverse("followup:rounds", args=[round_a.programme.slug])).content.decode()

    assert f"<dd>{date_format(DEADLINE)}" in overview  # "March 31, 2025"
    assert f"<td>{date_format(DEADLINE)}</td>" in listing
    assert "03/31/2025" not in overview + listing


def test_the_overview_names_a_reporter_in_the_pages_language(
    client_for, coordinator_region, round_a
):
    unit = f.OrganisationFactory(
        region=round_a.programme.region,
        name={"sv": "Kommunen", "fi": "Kunta", "en": "The municipality"},
    )
    Assignment.objects.filter(pk=reporter(round_a, "101").pk).update(
        organisation=unit, name="Kommunen"
    )
    Assignment.objects.filter(pk=reporter(round_a, "102").pk).update(
        organisation=unit, name="Bys kansli"
    )

    page = client_for(coordinator_region).get(url("round", round_a)).content.decode()

    assert '<span class="reporter-name">The municipality</span>' in page
    assert '<span class="reporter-name">Bys kansli</span>' in page  # renamed: kept as named
    assert "Kommunen<" not in page


# -- links from the overview ------------------------------------------------------------------


def link_form(assignment, **fields):
    data = {"recipient_name": "Maja Mottagare", "recipient_email": "", "days": "30"}
    data.update(fields)
    return {f"l{assignment.pk}-{key}": value for key, value in data.items()}


def test_a_new_link_is_shown_on_a_page_that_reloads_without_making_another(
    client_for, coordinator_a, round_a
):
    assignment = reporter(round_a, "101")
    client = client_for(coordinator_a)

    # When the form is posted: POST, then redirect to the link's page
    response = client.post(url("link_create", round_a, assignment.pk), link_form(assignment))

    link = ReportingLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("link_created", round_a, link.pk)
    assert (link.assignment, link.recipient_name, link.created_by) == (
        assignment,
        "Maja Mottagare",
        coordinator_a,
    )
    # Then the page shows the address, and reloading it shows it again and makes no new link
    for _reload in range(2):
        shown = client.get(response["Location"])
        page = shown.content.decode()
        assert shown.status_code == 200
        assert shown["Cache-Control"] == "no-store"
        assert shown["Referrer-Policy"] == "same-origin"
        address = page.split('id="link-url" class="secret" type="text" readonly value="')[1]
        address = address.split('"')[0]
        assert address.startswith("http://testserver/sv/report/")
        assert rounds.link_from_token(address.rstrip("/").split("/")[-1]) == link
    assert ReportingLink.objects.count() == 1
    # The overview names the link, never its address.
    overview = client.get(url("round", round_a)).content.decode()
    assert "Maja Mottagare" in overview
    assert "/report/" not in overview


def test_the_links_page_has_a_labelled_field_and_a_copy_button(client_for, coordinator_a, link_a1):
    page = client_for(coordinator_a).get(url("link_created", round_of(link_a1), link_a1.pk))

    html = page.content.decode()
    assert '<label for="link-url">' in html
    assert 'id="link-url" class="secret" type="text" readonly' in html
    assert 'data-copy="link-url"' in html and "Copy the address" in html
    assert 'src="/static/hemma/account.js"' in html
    assert "<script>" not in html


def test_a_revoked_links_address_is_not_shown_again(client_for, coordinator_region, link_a1):
    rounds.link_revoke(actor=coordinator_region, link=link_a1)

    response = client_for(coordinator_region).get(
        url("link_created", round_of(link_a1), link_a1.pk)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "/report/" not in page
    assert "can no longer be used" in page


def test_an_approved_rounds_link_address_is_not_shown_again(
    client_for, coordinator_region, link_a1
):
    rounds.round_approve(actor=coordinator_region, round=round_of(link_a1))

    page = client_for(coordinator_region).get(url("link_created", round_of(link_a1), link_a1.pk))

    assert "/report/" not in page.content.decode()


@pytest.mark.parametrize("user, status", [("viewer", 403), ("coordinator_b", 404)])
def test_who_may_not_see_a_links_address(request, client_for, link_a1, user, status):
    response = client_for(request.getfixturevalue(user)).get(
        url("link_created", round_of(link_a1), link_a1.pk)
    )
    assert response.status_code == status
    assert "/report/" not in response.content.decode()


def test_another_municipalitys_coordinator_may_not_see_a_links_address(
    client_for, coordinator_a, coordinator_region, round_a
):
    link, _path = rounds.link_create(
        actor=coordinator_region, assignment=reporter(round_a, "102"), recipient_name="Ola"
    )
    assert client_for(coordinator_a).get(url("link_created", round_a, link.pk)).status_code == 403


def test_seeing_a_links_address_needs_a_login(client, link_a1):
    response = client.get(url("link_created", round_of(link_a1), link_a1.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("size", [1, 4])
def test_the_links_page_reads_a_fixed_number_of_queries(
    client_for, coordinator_region, round_a, size, django_assert_max_num_queries
):
    for index in range(size):
        link, _path = rounds.link_create(
            actor=coordinator_region,
            assignment=reporter(round_a, "101"),
            recipient_name=f"R{index}",
        )
    client = client_for(coordinator_region)

    with django_assert_max_num_queries(8):
        response = client.get(url("link_created", round_a, link.pk))

    assert response.status_code == 200


def test_a_new_link_can_be_sent_to_its_recipient(
    client_for, coordinator_region, round_a, mailoutbox
):
    assignment = reporter(round_a, "101")
    client = client_for(coordinator_region)

    response = client.post(
        url("link_create", round_a, assignment.pk),
        link_form(assignment, recipient_email="maja@example.org", send="on"),
    )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["maja@example.org"]
    assert "http://testserver/sv/report/" in mailoutbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "The link was sent to maja@example.org." in page


@pytest.mark.parametrize(
    "user, code, status",
    [("coordinator_a", "102", 403), ("viewer", "101", 403), ("coordinator_b", "101", 404)],
)
def test_who_may_not_make_a_link(request, client_for, round_a, user, code, status):
    assignment = reporter(round_a, code)
    response = client_for(request.getfixturevalue(user)).post(
        url("link_create", round_a, assignment.pk), link_form(assignment)
    )
    assert response.status_code == status
    assert not ReportingLink.objects.exists()


def test_making_a_link_needs_a_login(client, round_a):
    assignment = reporter(round_a, "101")
    response = client.post(url("link_create", round_a, assignment.pk), link_form(assignment))
    assert response.status_code == 302
    assert not ReportingLink.objects.exists()


def round_of(link):
    return link.assignment.round


@pytest.fixture
def link_a1(round_a, coordinator_region):
    link, _path = rounds.link_create(
        actor=coordinator_region, assignment=reporter(round_a, "101"), recipient_name="Maja"
    )
    return link


def test_a_municipal_coordinator_revokes_their_reporters_link(client_for, coordinator_a, link_a1):
    round = link_a1.assignment.round
    response = client_for(coordinator_a).post(url("link_revoke", round, link_a1.pk))

    link_a1.refresh_from_db()
    assert response.status_code == 302
    assert link_a1.revoked_at is not None
    assert "revoked" in client_for(coordinator_a).get(url("round", round)).content.decode()


@pytest.mark.parametrize("user, status", [("viewer", 403), ("coordinator_b", 404)])
def test_who_may_not_revoke_a_link(request, client_for, link_a1, user, status):
    round = link_a1.assignment.round
    response = client_for(request.getfixturevalue(user)).post(url("link_revoke", round, link_a1.pk))
    assert response.status_code == status
    link_a1.refresh_from_db()
    assert link_a1.revoked_at is None


def test_another_municipalitys_coordinator_may_not_revoke_a_link(
    client_for, round_a, coordinator_region, municipality_a2
):
    from hemma.accounts.models import Membership

    other = f.member(
        f.UserFactory(username="coordinator_a2"),
        Membership.Role.MUNICIPAL_COORDINATOR,
        municipality=municipality_a2,
    )
    link, _path = rounds.link_create(
        actor=coordinator_region, assignment=reporter(round_a, "101"), recipient_name="Maja"
    )
    assert client_for(other).post(url("link_revoke", round_a, link.pk)).status_code == 403


def test_revoking_a_link_needs_a_login(client, link_a1):
    response = client.post(url("link_revoke", link_a1.assignment.round, link_a1.pk))
    assert response.status_code == 302
