"""The friend persons' pages: the list, its export, the record form, a friend person's page
with its small forms, the export of everything and erasure; who may open each."""

import datetime
import io
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from hemma.audit.models import AuditEvent
from hemma.volunteers import services
from hemma.volunteers.models import ActivePeriod, Match, Volunteer, VolunteerRead

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = "/en/volunteers/"
NEW = "/en/volunteers/new/"


def url(volunteer, what=""):
    return f"/en/volunteers/{volunteer.code}/{what}"


@pytest.fixture
def period(volunteer_a1):
    return volunteer_a1.periods.get()


@pytest.fixture
def match(volunteer_a1):
    return services.match_add(
        actor=None,
        volunteer=volunteer_a1,
        fields={
            "household_reference": "H-2024-010",
            "household_size": 3,
            "starts_on": "2024-02-01",
        },
    )


def writes(volunteer, period, match) -> list[tuple[str, dict]]:
    """Every page that changes a friend person, with a valid POST body."""
    p, m = f"period-{period.pk}", f"match-{match.pk}"
    return [
        (url(volunteer, "edit/"), post_data()),
        (url(volunteer, "erase/"), {}),
        (
            url(volunteer, "periods/"),
            {"period-starts_on": "2020-01-01", "period-ends_on": "2020-02-01"},
        ),
        (
            url(volunteer, f"periods/{period.pk}/"),
            {f"{p}-starts_on": "2024-01-01", f"{p}-ends_on": "2024-06-30"},
        ),
        (url(volunteer, f"periods/{period.pk}/remove/"), {}),
        (
            url(volunteer, "matches/"),
            {"match-household_size": "2", "match-starts_on": "2024-05-01"},
        ),
        (
            url(volunteer, f"matches/{match.pk}/"),
            {f"{m}-household_size": "4", f"{m}-starts_on": "2024-02-01"},
        ),
        (url(volunteer, f"matches/{match.pk}/remove/"), {}),
    ]


def reads(volunteer, period, match) -> list[str]:
    """Every page that shows a friend person's record."""
    return [
        url(volunteer),
        url(volunteer, "edit/"),
        url(volunteer, "erase/"),
        url(volunteer, "everything.json"),
        url(volunteer, "everything.xlsx"),
        url(volunteer, f"periods/{period.pk}/remove/"),
        url(volunteer, f"matches/{match.pk}/remove/"),
    ]


def post_data(**changes):
    data = {
        "name": "Doris Dahlgren",
        "municipality": "101",
        "email": "doris@example.org",
        "phone": "+358 40 000 5555",
        "languages": ["sv", "so"],
        "consent": "on",
        "consent_on": "2024-04-01",
        "recruited_on": "2024-04-01",
        "active_from": "2024-04-15",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def unchanged(volunteer) -> bool:
    fresh = Volunteer.objects.get(pk=volunteer.pk)
    return (
        fresh.name == volunteer.name
        and not fresh.is_anonymous
        and ActivePeriod.objects.filter(volunteer=fresh).count() == 1
        and Match.objects.filter(volunteer=fresh).count() == 1
    )


# -- who may open what ---------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_everywhere(client, volunteer_a1, period, match):
    for page in [LIST, NEW, f"{LIST}export.csv", *reads(volunteer_a1, period, match)]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert "/accounts/login/" in response["Location"]
    for page, data in writes(volunteer_a1, period, match):
        assert client.post(page, data).status_code == 302
    assert unchanged(volunteer_a1)


@pytest.mark.parametrize("who", ["viewer", "reporter", "viewer_a1"])
def test_who_reads_no_personal_data_is_forbidden_every_page(
    request, client_for, who, volunteer_a1, period, match
):
    client = client_for(request.getfixturevalue(who))
    for page in [LIST, NEW, f"{LIST}export.xlsx", *reads(volunteer_a1, period, match)]:
        assert client.get(page).status_code == 403, page
    assert client.post(NEW, post_data()).status_code == 403
    for page, data in writes(volunteer_a1, period, match):
        assert client.post(page, data).status_code == 403, page
    assert unchanged(volunteer_a1)
    assert Volunteer.objects.count() == 1
    assert not VolunteerRead.objects.exists()


@pytest.mark.parametrize("who", ["coordinator_b", "coordinator_a"])
def test_a_friend_person_out_of_sight_does_not_exist(
    request, client_for, who, make_volunteer, municipality_a2
):
    theirs = make_volunteer(municipality_a2)
    period = theirs.periods.get()
    match = services.match_add(
        actor=None, volunteer=theirs, fields={"household_size": 2, "starts_on": "2024-02-01"}
    )
    client = client_for(request.getfixturevalue(who))
    for page in reads(theirs, period, match):
        assert client.get(page).status_code == 404, page
    for page, data in writes(theirs, period, match):
        assert client.post(page, data).status_code == 404, page
    assert client.get(f"/en/volunteers/{uuid.uuid4()}/").status_code == 404
    assert unchanged(theirs)
    assert not VolunteerRead.objects.exists()


def test_another_regions_coordinator_cannot_record_in_this_region(
    client_for, coordinator_b, municipality_a1, municipality_b1
):
    response = client_for(coordinator_b).post(NEW, post_data(municipality="101"))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not Volunteer.objects.exists()


def test_the_municipal_coordinator_works_with_their_own(
    client_for, coordinator_a, volunteer_a1, period, match
):
    client = client_for(coordinator_a)
    for page in reads(volunteer_a1, period, match):
        assert client.get(page).status_code == 200, page
    # Changes work; erasure last (nothing is changed after it).
    for page, data in (
        writes(volunteer_a1, period, match)[2:] + writes(volunteer_a1, period, match)[:2]
    ):
        response = client.post(page, data)
        assert response.status_code == 302, (
            page,
            response.context and response.context.get("form"),
        )
    assert Volunteer.objects.get(pk=volunteer_a1.pk).is_anonymous


# -- the list --------------------------------------------------------------------------------


def test_the_list_shows_the_regions_friend_persons_and_logs_each_read(
    client_for, coordinator_region, volunteer_a1, volunteer_a2, volunteer_b1
):
    response = client_for(coordinator_region).get(LIST)
    assert response.status_code == 200
    assert "Alma Aksberg" in response.text and "Bertil Bystrom" in response.text
    assert "Cecilia Carlsund" not in response.text
    assert "2 friend persons" in response.text
    assert set(VolunteerRead.objects.values_list("volunteer_id", "way")) == {
        (volunteer_a1.pk, "list"),
        (volunteer_a2.pk, "list"),
    }
    assert "<script>" not in response.text and "style=" not in response.text


def test_a_municipal_coordinator_lists_their_own_municipalitys(
    client_for, coordinator_a, volunteer_a1, volunteer_a2
):
    response = client_for(coordinator_a).get(LIST)
    assert "Alma Aksberg" in response.text and "Bertil Bystrom" not in response.text


def test_the_filters_narrow_the_list(
    client_for, coordinator_region, make_volunteer, municipality_a1, municipality_a2
):
    make_volunteer(
        municipality_a1,
        name="Old Timer",
        languages=["fi"],
        active_from=D(2020, 1, 1),
        training_completed_on=D(2020, 2, 1),
    )
    services.period_change(
        actor=None,
        period=ActivePeriod.objects.get(volunteer__name="Old Timer"),
        fields={"ends_on": D(2021, 12, 31)},
    )
    make_volunteer(municipality_a2, name="New Comer", languages=["ar"], active_from=D(2025, 3, 1))
    gone = make_volunteer(municipality_a2, name="Gone Person")
    services.volunteer_erase(actor=None, volunteer=gone)
    client = client_for(coordinator_region)

    def names(**filters) -> set[str]:
        response = client.get(LIST, filters)
        assert response.status_code == 200
        return {v.name or "anonymous" for v, _facts in response.context["volunteers"]}

    assert names() == {"Old Timer", "New Comer"}
    assert names(municipality="101") == {"Old Timer"}
    assert names(period="2021") == {"Old Timer"}
    assert names(period="2025H1") == {"New Comer"}
    assert names(period="2024") == set()
    assert names(language="ar") == {"New Comer"}
    assert names(trained="yes") == {"Old Timer"}
    assert names(trained="no") == {"New Comer"}
    assert names(records="anonymised") == {"anonymous"}
    assert names(records="all") == {"Old Timer", "New Comer", "anonymous"}


def test_the_list_is_paginated_and_logs_only_the_page_shown(
    client_for, coordinator_region, make_volunteer, municipality_a1
):
    for n in range(52):
        make_volunteer(municipality_a1, name=f"Person {n:02}", active_from=None)
    response = client_for(coordinator_region).get(LIST)
    assert "52 friend persons" in response.text
    assert "Person 00" in response.text and "Person 51" not in response.text
    assert VolunteerRead.objects.count() == 50
    second = client_for(coordinator_region).get(LIST, {"page": 2})
    assert "Person 51" in second.text
    assert VolunteerRead.objects.count() == 52


def test_the_list_reads_in_the_same_number_of_queries_at_two_sizes(
    client_for, coordinator_region, make_volunteer, municipality_a1, municipality_a2
):
    client = client_for(coordinator_region)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(captured.captured_queries)

    def add(n: int) -> None:
        for i in range(n):
            volunteer = make_volunteer(municipality_a1 if i % 2 else municipality_a2)
            services.match_add(
                actor=None,
                volunteer=volunteer,
                fields={"household_size": 2, "starts_on": "2024-02-01"},
            )

    add(2)
    small = queries()
    add(18)
    assert queries() == small


# -- the list's export -----------------------------------------------------------------------


def test_the_list_exports_as_xlsx_and_csv_with_every_read_logged(
    client_for, coordinator_region, volunteer_a1, volunteer_a2, match
):
    client = client_for(coordinator_region)
    response = client.get(f"{LIST}export.xlsx", {"municipality": "101"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Name", "E-mail", "Phone")
    assert [r[0] for r in rows[1:]] == ["Alma Aksberg"]
    assert rows[1][9:11] == (1, 3)  # one match, three people
    csv = client.get(f"{LIST}export.csv").content.decode("utf-8-sig")
    assert "Alma Aksberg;alma@example.org" in csv and "Bertil Bystrom" in csv
    assert VolunteerRead.objects.filter(way="list").count() == 3
    assert client.get(f"{LIST}export.pdf").status_code == 404


# -- the record form -------------------------------------------------------------------------


def test_a_coordinator_records_a_friend_person_in_one_form(
    client_for, coordinator_a, municipality_a1
):
    form = client_for(coordinator_a).get(NEW)
    assert form.status_code == 200
    assert form.context["form"].initial["municipality"] == municipality_a1
    assert [m.code for m in form.context["form"].fields["municipality"].queryset] == ["101"]

    response = client_for(coordinator_a).post(NEW, post_data())

    volunteer = Volunteer.objects.get(name="Doris Dahlgren")
    assert response.status_code == 302
    assert response["Location"] == url(volunteer)
    assert volunteer.languages == ["sv", "so"]
    assert volunteer.created_by == coordinator_a
    assert [(p.starts_on, p.ends_on) for p in volunteer.periods.all()] == [(D(2024, 4, 15), None)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent": None}, "consent", "Record the friend person's consent to save."),
        ({"consent_on": ""}, "consent_on", "This field is required."),
        ({"consent_on": "2999-01-01"}, "consent_on", "The consent cannot be given on a day"),
        ({"name": ""}, "name", "This field is required."),
        ({"email": "doris"}, "email", "Enter a valid email address."),
        ({"phone": "call me"}, "phone", "Give the phone number in digits"),
        ({"municipality": "102"}, "municipality", "Select a valid choice."),
    ],
)
def test_the_form_says_what_to_fix(client_for, coordinator_a, changes, field, message):
    response = client_for(coordinator_a).post(NEW, post_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Volunteer.objects.exists()


def test_editing_saves_and_the_history_shows_it(client_for, coordinator_region, volunteer_a1):
    client = client_for(coordinator_region)
    response = client.post(url(volunteer_a1, "edit/"), post_data(name="Alma Aksberg-Holm"))
    assert response.status_code == 302
    volunteer_a1.refresh_from_db()
    assert volunteer_a1.name == "Alma Aksberg-Holm"
    page = client.get(url(volunteer_a1))
    assert "Alma Aksberg-Holm" in page.text
    assert "Alma Aksberg" in page.text  # the old name, in the history
    assert "coordinator_region" in page.text


# -- a friend person's page ------------------------------------------------------------------


def test_the_page_shows_the_record_and_logs_the_read(
    client_for, coordinator_region, volunteer_a1, match
):
    response = client_for(coordinator_region).get(url(volunteer_a1))
    assert response.status_code == 200
    text = response.text
    assert "Alma Aksberg" in text and "alma@example.org" in text and "H-2024-010" in text
    assert "Arabic" in text  # the languages by name
    assert "Who read the record" in text
    assert VolunteerRead.objects.filter(volunteer=volunteer_a1, way="detail").count() == 1
    assert "<script>" not in text and "style=" not in text


def test_the_read_log_is_shown_to_the_region_coordinator_only(
    client_for, coordinator_a, volunteer_a1
):
    response = client_for(coordinator_a).get(url(volunteer_a1))
    assert response.status_code == 200
    assert "Who read the record" not in response.text
    assert "Erase the data" in response.text


def test_the_small_forms_add_end_and_remove_periods_and_matches(
    client_for, coordinator_region, volunteer_a1, period
):
    client = client_for(coordinator_region)
    ended = client.post(
        url(volunteer_a1, f"periods/{period.pk}/"),
        {
            f"period-{period.pk}-starts_on": "2024-01-01",
            f"period-{period.pk}-ends_on": "2024-06-30",
        },
    )
    assert ended.status_code == 302 and ended["Location"].endswith("#periods")
    added = client.post(url(volunteer_a1, "periods/"), {"period-starts_on": "2025-01-01"})
    assert added.status_code == 302
    assert [(p.starts_on, p.ends_on) for p in volunteer_a1.periods.all()] == [
        (D(2024, 1, 1), D(2024, 6, 30)),
        (D(2025, 1, 1), None),
    ]
    matched = client.post(
        url(volunteer_a1, "matches/"),
        {
            "match-household_reference": "H-2025-014",
            "match-household_size": "5",
            "match-starts_on": "2025-02-01",
        },
    )
    assert matched.status_code == 302 and matched["Location"].endswith("#matches")
    match = volunteer_a1.matches.get()
    assert (match.household_reference, match.household_size) == ("H-2025-014", 5)
    confirm = client.get(url(volunteer_a1, f"matches/{match.pk}/remove/"))
    assert "Remove the match?" in confirm.text and "H-2025-014" in confirm.text
    assert client.post(url(volunteer_a1, f"matches/{match.pk}/remove/")).status_code == 302
    assert client.post(url(volunteer_a1, f"periods/{period.pk}/remove/")).status_code == 302
    assert not volunteer_a1.matches.exists()
    assert volunteer_a1.periods.count() == 1


def test_a_small_form_shows_its_problem_on_the_page(
    client_for, coordinator_region, volunteer_a1, period
):
    response = client_for(coordinator_region).post(
        url(volunteer_a1, "periods/"), {"period-starts_on": "2025-01-01"}
    )
    assert response.status_code == 200
    assert "overlaps another active period" in response.text
    assert volunteer_a1.periods.count() == 1
    wrong = client_for(coordinator_region).post(
        url(volunteer_a1, "matches/"),
        {
            "match-household_reference": "010190-123A",
            "match-household_size": "2",
            "match-starts_on": "2025-02-01",
        },
    )
    assert "never a personal identity code" in wrong.text
    assert not volunteer_a1.matches.exists()


def test_a_period_of_another_friend_person_is_not_found_here(
    client_for, coordinator_region, volunteer_a1, volunteer_a2
):
    theirs = volunteer_a2.periods.get()
    response = client_for(coordinator_region).post(
        url(volunteer_a1, f"periods/{theirs.pk}/remove/")
    )
    assert response.status_code == 404
    assert volunteer_a2.periods.exists()


# -- export and erasure ----------------------------------------------------------------------


def test_everything_about_them_downloads_as_json_and_xlsx(
    client_for, coordinator_region, volunteer_a1, match
):
    client = client_for(coordinator_region)
    as_json = client.get(url(volunteer_a1, "everything.json"))
    assert as_json.status_code == 200
    assert "attachment" in as_json["Content-Disposition"]
    export = json.loads(as_json.content)
    assert export["friend_person"]["email"] == "alma@example.org"
    assert export["matches"][0]["household_reference"] == "H-2024-010"
    as_xlsx = client.get(url(volunteer_a1, "everything.xlsx"))
    workbook = load_workbook(io.BytesIO(as_xlsx.content))
    assert workbook.sheetnames == ["Friend person", "Active periods", "Matches", "Changes", "Reads"]
    facts = {row[0]: row[1] for row in workbook["Friend person"].iter_rows(values_only=True)}
    assert facts["Name"] == "Alma Aksberg" and facts["E-mail"] == "alma@example.org"
    assert workbook["Matches"]["A2"].value == "H-2024-010"
    assert workbook["Reads"].max_row == 3  # the heading and both exports
    assert VolunteerRead.objects.filter(way="export").count() == 2
    assert client.get(url(volunteer_a1, "everything.pdf")).status_code == 404


def test_erasure_asks_first_then_erases(client_for, coordinator_region, volunteer_a1):
    client = client_for(coordinator_region)
    confirm = client.get(url(volunteer_a1, "erase/"))
    assert "Erase the friend person's data?" in confirm.text
    assert not Volunteer.objects.get(pk=volunteer_a1.pk).is_anonymous

    response = client.post(url(volunteer_a1, "erase/"))

    assert response.status_code == 302 and response["Location"] == url(volunteer_a1)
    page = client.get(url(volunteer_a1))
    assert "Made anonymous" in page.text
    assert "Alma" not in page.text
    assert "Erase the data" not in page.text and "Edit" not in page.text
    assert client.get(url(volunteer_a1, "edit/")).status_code == 403
    assert client.post(url(volunteer_a1, "erase/")).status_code == 403
    assert AuditEvent.objects.filter(verb="erase").count() == 1


@pytest.mark.parametrize("size", [1, 12])
def test_the_page_reads_in_a_fixed_number_of_queries(
    size, client_for, coordinator_region, volunteer_a1, django_assert_max_num_queries
):
    for n in range(size):
        services.match_add(
            actor=None,
            volunteer=volunteer_a1,
            fields={"household_size": 1 + n % 5, "starts_on": f"2024-{1 + n % 12:02}-01"},
        )
        services.volunteer_reads_record(
            reader=coordinator_region, volunteers=[volunteer_a1], way="detail"
        )
    client = client_for(coordinator_region)
    with django_assert_max_num_queries(12):
        response = client.get(url(volunteer_a1))
    assert response.status_code == 200
