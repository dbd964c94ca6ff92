"""Recording friend persons (hemma/volunteers/services.py): checks, access, the audit trail,
the computed values, the export, erasure and the anonymiser."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import override_settings
from django.utils import timezone

from hemma.audit.models import AuditEvent
from hemma.followup.models import Measurement
from hemma.programmes.models import Indicator
from hemma.tests import factories as f
from hemma.volunteers import services
from hemma.volunteers.models import ActivePeriod, Match, Volunteer, VolunteerRead

pytestmark = pytest.mark.django_db

D = datetime.date


def events(volunteer) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_type="volunteers.volunteer", target_id=str(volunteer.pk)
        ).order_by("id")
    )


@pytest.fixture
def counting(programme_a):
    """A yearly count with participants of programme_a's friend persons, per municipality."""
    indicator = f.IndicatorFactory(
        action=programme_a.actions.get(key="joint-meetings"),
        kind=Indicator.Kind.COUNT_WITH_PARTICIPANTS,
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.VOLUNTEERS,
        target_type="",
        target_min=None,
        target_max=None,
    )
    return indicator


def figure(indicator, municipality, period="2024"):
    found = Measurement.objects.filter(
        indicator=indicator, municipality=municipality, period=period
    ).first()
    return None if found is None else (found.number, found.participants)


def fields(municipality, **changes):
    values = {
        "municipality": municipality,
        "name": "Greta Gustafsson",
        "email": "greta@example.org",
        "consent_on": D(2024, 2, 1),
        "recruited_on": D(2024, 2, 1),
    }
    values.update(changes)
    return values


# -- recording ---------------------------------------------------------------------------------


def test_recording_a_friend_person_audits_it_by_code_and_counts_them(
    coordinator_region, municipality_a1, counting
):
    volunteer = services.volunteer_create(
        actor=coordinator_region,
        fields=fields(municipality_a1.code, active_from=D(2024, 3, 1), languages=["ar", "sv"]),
    )

    assert volunteer.region_id == municipality_a1.region_id
    assert volunteer.languages == ["sv", "ar"]  # in the project's order
    assert [(p.starts_on, p.ends_on) for p in volunteer.periods.all()] == [(D(2024, 3, 1), None)]
    [created] = events(volunteer)
    assert created.verb == "create"
    assert created.target_repr == str(volunteer.code)
    assert "Greta" not in created.target_repr
    assert created.changes["name"] == [None, "Greta Gustafsson"]
    assert created.changes["active_period"] == [None, ["2024-03-01", None]]
    assert figure(counting, municipality_a1) == (1, 0)


def test_a_new_friend_person_needs_a_name_and_a_consent_not_to_come(
    coordinator_region, municipality_a1
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.volunteer_create(
            actor=coordinator_region,
            fields=fields(municipality_a1, name=" ", consent_on=tomorrow, email="nope"),
        )
    assert set(refused.value.message_dict) == {"name", "consent_on", "email"}
    with pytest.raises(ValidationError) as missing:
        services.volunteer_create(
            actor=coordinator_region, fields=fields(municipality_a1, consent_on=None)
        )
    assert missing.value.message_dict["consent_on"] == ["This field is required."]
    assert not Volunteer.objects.exists()


def test_a_municipal_coordinator_records_in_their_own_municipality_only(
    coordinator_a, municipality_a1, municipality_a2, municipality_b1
):
    services.volunteer_create(actor=coordinator_a, fields=fields(municipality_a1))
    for other in (municipality_a2, municipality_b1):
        with pytest.raises(ValidationError) as refused:
            services.volunteer_create(actor=coordinator_a, fields=fields(other))
        assert "municipality" in refused.value.message_dict
    assert Volunteer.objects.count() == 1


@pytest.mark.parametrize("who", ["viewer", "reporter", "viewer_a1"])
def test_those_who_read_no_personal_data_record_none(request, who, municipality_a1):
    with pytest.raises(PermissionDenied):
        services.volunteer_create(
            actor=request.getfixturevalue(who), fields=fields(municipality_a1)
        )


def test_unknown_fields_and_languages_are_refused(coordinator_region, municipality_a1):
    with pytest.raises(ValidationError) as refused:
        services.volunteer_create(
            actor=coordinator_region,
            fields=fields(municipality_a1, languages=["xx"], shoe_size=42),
        )
    assert set(refused.value.message_dict) == {"languages", "shoe_size"}


def test_changing_audits_old_and_new_and_moving_counts_again(
    coordinator_region, volunteer_a1, municipality_a1, municipality_a2, counting
):
    services.volunteer_update(
        actor=coordinator_region,
        volunteer=volunteer_a1,
        fields={"phone": "+358 40 000 9999", "municipality": "102"},
    )

    volunteer_a1.refresh_from_db()
    assert volunteer_a1.municipality == municipality_a2
    changed = events(volunteer_a1)[-1]
    assert changed.verb == "update"
    assert changed.changes == {
        "municipality": ["101", "102"],
        "phone": ["+358 40 000 1234", "+358 40 000 9999"],
    }
    assert figure(counting, municipality_a1) == (0, 0)
    assert figure(counting, municipality_a2) == (1, 0)


def test_a_municipal_coordinator_may_not_move_a_friend_person_to_a_neighbour(
    coordinator_a, volunteer_a1
):
    with pytest.raises(ValidationError):
        services.volunteer_update(
            actor=coordinator_a, volunteer=volunteer_a1, fields={"municipality": "102"}
        )


def test_others_may_not_change_a_friend_person(coordinator_a, coordinator_b, viewer, volunteer_a2):
    from django.http import Http404

    with pytest.raises(Http404):
        services.volunteer_update(actor=coordinator_a, volunteer=volunteer_a2, fields={})
    with pytest.raises(Http404):
        services.volunteer_update(actor=coordinator_b, volunteer=volunteer_a2, fields={})
    with pytest.raises(PermissionDenied):
        services.volunteer_update(actor=viewer, volunteer=volunteer_a2, fields={"name": "X"})


# -- periods and matches -----------------------------------------------------------------------


def test_periods_are_added_ended_and_removed_audited_on_the_friend_person(
    coordinator_region, make_volunteer, municipality_a1, counting
):
    volunteer = make_volunteer(municipality_a1, active_from=None)

    period = services.period_add(
        actor=coordinator_region, volunteer=volunteer, fields={"starts_on": "2024-02-01"}
    )
    assert figure(counting, municipality_a1) == (1, 0)
    services.period_change(
        actor=coordinator_region, period=period, fields={"ends_on": D(2024, 12, 31)}
    )
    assert figure(counting, municipality_a1, "2025") == (0, 0)
    services.period_remove(actor=coordinator_region, period=period)
    assert figure(counting, municipality_a1) == (0, 0)

    trail = [e.changes.get("active_period") for e in events(volunteer)[1:]]
    assert trail == [
        [None, ["2024-02-01", None]],
        [["2024-02-01", None], ["2024-02-01", "2024-12-31"]],
        [["2024-02-01", "2024-12-31"], None],
    ]
    assert not ActivePeriod.objects.exists()


def test_periods_of_one_friend_person_do_not_overlap(coordinator_region, volunteer_a1):
    # volunteer_a1 is active from 2024-01-01, still.
    with pytest.raises(ValidationError) as refused:
        services.period_add(
            actor=coordinator_region, volunteer=volunteer_a1, fields={"starts_on": "2025-01-01"}
        )
    assert "overlaps" in refused.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as backwards:
        services.period_add(
            actor=coordinator_region,
            volunteer=volunteer_a1,
            fields={"starts_on": "2023-05-01", "ends_on": "2023-04-01"},
        )
    assert backwards.value.message_dict == {"ends_on": ["The last date is before the first."]}


def test_a_match_counts_its_household_and_its_size_can_change(
    coordinator_region, volunteer_a1, municipality_a1, counting
):
    match = services.match_add(
        actor=coordinator_region,
        volunteer=volunteer_a1,
        fields={
            "household_reference": "H-2024-001",
            "household_size": 3,
            "starts_on": "2024-02-01",
        },
    )
    assert figure(counting, municipality_a1) == (1, 3)

    services.match_change(actor=coordinator_region, match=match, fields={"household_size": 5})
    assert figure(counting, municipality_a1) == (1, 5)
    assert events(volunteer_a1)[-1].changes == {
        "match": [["H-2024-001", 3, "2024-02-01", None], ["H-2024-001", 5, "2024-02-01", None]]
    }
    services.match_remove(actor=coordinator_region, match=match)
    assert figure(counting, municipality_a1) == (1, 0)
    assert not Match.objects.exists()


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"household_size": 0}, "household_size"),
        ({"household_size": 31}, "household_size"),
        ({"household_size": None}, "household_size"),
        ({"household_reference": "010190-123A"}, "household_reference"),
        ({"starts_on": "2024-05-01", "ends_on": "2024-04-01"}, "ends_on"),
    ],
)
def test_a_match_is_a_size_and_a_reference_never_an_identity_code(
    coordinator_region, volunteer_a1, given, field
):
    values = {"household_size": 2, "starts_on": "2024-02-01"}
    values.update(given)
    with pytest.raises(ValidationError) as refused:
        services.match_add(actor=coordinator_region, volunteer=volunteer_a1, fields=values)
    assert field in refused.value.message_dict
    assert not Match.objects.exists()


# -- the read log ------------------------------------------------------------------------------


def test_reads_are_logged_in_one_insert(
    coordinator_region, volunteer_a1, volunteer_a2, django_assert_num_queries
):
    with django_assert_num_queries(1):
        count = services.volunteer_reads_record(
            reader=coordinator_region,
            volunteers=[volunteer_a1, volunteer_a2],
            way=VolunteerRead.Way.LIST,
        )
    assert count == 2
    assert set(VolunteerRead.objects.values_list("volunteer_id", "reader_name", "way")) == {
        (volunteer_a1.pk, "coordinator_region", "list"),
        (volunteer_a2.pk, "coordinator_region", "list"),
    }
    assert services.volunteer_reads_record(reader=None, volunteers=[volunteer_a1], way="list") == 0


# -- export and erasure ------------------------------------------------------------------------


def test_the_export_holds_the_record_periods_matches_changes_and_reads(
    coordinator_region, volunteer_a1
):
    services.match_add(
        actor=coordinator_region,
        volunteer=volunteer_a1,
        fields={
            "household_reference": "H-2024-002",
            "household_size": 2,
            "starts_on": "2024-03-01",
        },
    )
    services.volunteer_reads_record(
        reader=coordinator_region, volunteers=[volunteer_a1], way=VolunteerRead.Way.DETAIL
    )

    export = services.volunteer_export(actor=coordinator_region, volunteer=volunteer_a1)

    person = export["friend_person"]
    assert (person["name"], person["email"], person["phone"]) == (
        "Alma Aksberg",
        "alma@example.org",
        "+358 40 000 1234",
    )
    assert person["languages"] == ["sv", "ar"]
    assert export["active_periods"] == [{"starts_on": "2024-01-01", "ends_on": None}]
    assert export["matches"] == [
        {
            "household_reference": "H-2024-002",
            "household_size": 2,
            "starts_on": "2024-03-01",
            "ends_on": None,
        }
    ]
    assert [c["verb"] for c in export["changes"]] == ["create", "update"]
    assert export["changes"][0]["changes"]["email"] == [None, "alma@example.org"]
    assert [(r["by"], r["way"]) for r in export["reads"]] == [
        ("coordinator_region", "detail"),
        ("coordinator_region", "export"),
    ]


def test_erasing_keeps_what_is_counted_and_nothing_that_names(
    coordinator_region, volunteer_a1, municipality_a1, counting
):
    services.volunteer_update(
        actor=coordinator_region,
        volunteer=volunteer_a1,
        fields={"note": "Likes chess", "training_completed_on": "2024-02-10"},
    )
    services.match_add(
        actor=coordinator_region,
        volunteer=volunteer_a1,
        fields={
            "household_reference": "H-2024-003",
            "household_size": 4,
            "starts_on": "2024-03-01",
        },
    )
    services.volunteer_reads_record(
        reader=coordinator_region, volunteers=[volunteer_a1], way=VolunteerRead.Way.DETAIL
    )
    before = figure(counting, municipality_a1)

    services.volunteer_erase(actor=coordinator_region, volunteer=volunteer_a1)

    volunteer = Volunteer.objects.get(pk=volunteer_a1.pk)
    assert volunteer.is_anonymous
    assert (volunteer.name, volunteer.email, volunteer.phone, volunteer.note) == ("", "", "", "")
    assert volunteer.languages == []
    assert volunteer.training_completed_on is None
    assert volunteer.recruited_on == D(2024, 1, 1) and volunteer.consent_on == D(2024, 1, 1)
    assert volunteer.municipality == municipality_a1
    # Erased, they are active no more: the open period and match end today, so the follow-up
    # counts them until today and never after.
    today = timezone.localdate()
    assert [(p.starts_on, p.ends_on) for p in volunteer.periods.all()] == [(D(2024, 1, 1), today)]
    assert [
        (m.household_reference, m.household_size, m.ends_on) for m in volunteer.matches.all()
    ] == [("", 4, today)]
    [erased] = events(volunteer)
    assert (erased.verb, erased.actor_name, erased.target_repr) == (
        "erase",
        "coordinator_region",
        str(volunteer.code),
    )
    assert list(erased.changes) == ["anonymised_at"]
    # The read log stays (who read, never what); the follow-up counts as before.
    assert volunteer.reads.count() == 1
    assert figure(counting, municipality_a1) == before == (1, 4)


def test_erased_is_never_changed_again(coordinator_region, volunteer_a1):
    services.volunteer_erase(actor=coordinator_region, volunteer=volunteer_a1)
    for change in (
        lambda v: services.volunteer_update(
            actor=coordinator_region, volunteer=v, fields={"name": "Back"}
        ),
        lambda v: services.period_add(
            actor=coordinator_region, volunteer=v, fields={"starts_on": "2020-01-01"}
        ),
        lambda v: services.volunteer_erase(actor=coordinator_region, volunteer=v),
        lambda v: services.volunteer_update(actor=None, volunteer=v, fields={"name": "Back"}),
    ):
        with pytest.raises(PermissionDenied):
            change(Volunteer.objects.get(pk=volunteer_a1.pk))
    assert Volunteer.objects.get(pk=volunteer_a1.pk).name == ""


def test_only_who_may_change_erases(coordinator_a, viewer, volunteer_a1, volunteer_a2):
    from django.http import Http404

    with pytest.raises(PermissionDenied):
        services.volunteer_erase(actor=viewer, volunteer=volunteer_a1)
    with pytest.raises(Http404):
        services.volunteer_erase(actor=coordinator_a, volunteer=volunteer_a2)
    assert Volunteer.objects.filter(anonymised_at__isnull=False).count() == 0


# -- the anonymiser ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        (D(2026, 6, 15), D(2024, 6, 15)),
        (D(2026, 3, 31), D(2024, 3, 31)),
        (D(2026, 2, 28), D(2024, 2, 28)),
        (D(2028, 2, 29), D(2026, 2, 28)),
        (D(2026, 1, 10), D(2024, 1, 10)),
    ],
)
def test_the_retention_cutoff_is_the_months_before_today(today, cutoff):
    assert services.retention_cutoff(today) == cutoff


@pytest.fixture
def at():
    """at(year, month, day): that day's noon as `now`."""

    def make(year, month, day):
        return timezone.make_aware(datetime.datetime(year, month, day, 12))

    return make


def test_the_inactive_are_made_anonymous_the_active_kept(make_volunteer, municipality_a1, at):
    # Given, on 2026-06-15 with 24 months: one whose last activity ended 2024-06-14 ...
    due = make_volunteer(
        municipality_a1, name="Due Person", recruited_on=D(2022, 1, 1), consent_on=D(2022, 1, 1)
    )
    services.period_change(actor=None, period=due.periods.get(), fields={"ends_on": D(2024, 6, 14)})
    # ... one whose period ended a day later, one still active, one matched until recently
    later = make_volunteer(municipality_a1, name="Later Person")
    services.period_change(
        actor=None, period=later.periods.get(), fields={"ends_on": D(2024, 6, 15)}
    )
    make_volunteer(municipality_a1, name="Active Person", active_from=D(2019, 1, 1))
    matched = make_volunteer(
        municipality_a1,
        name="Matched Person",
        recruited_on=D(2020, 1, 1),
        consent_on=D(2020, 1, 1),
        active_from=D(2020, 1, 1),
    )
    services.period_change(
        actor=None, period=matched.periods.get(), fields={"ends_on": D(2022, 1, 1)}
    )
    services.match_add(
        actor=None,
        volunteer=matched,
        fields={"household_size": 2, "starts_on": "2023-01-01", "ends_on": "2025-01-01"},
    )
    # and one recruited recently with no period yet
    make_volunteer(
        municipality_a1,
        name="New Person",
        active_from=None,
        recruited_on=D(2026, 1, 1),
        consent_on=D(2026, 1, 1),
    )

    planned = services.volunteers_anonymise(now=at(2026, 6, 15), dry_run=True)
    assert [v.name for v in planned] == ["Due Person"]
    assert not Volunteer.objects.filter(anonymised_at__isnull=False).exists()

    done = services.volunteers_anonymise(now=at(2026, 6, 15))

    assert [v.pk for v in done] == [due.pk]
    anonymous = Volunteer.objects.get(pk=due.pk)
    assert anonymous.is_anonymous and anonymous.name == "" and anonymous.email == ""
    [event] = events(anonymous)
    assert (event.verb, event.actor_id, event.actor_name) == (
        "anonymise",
        None,
        "hemma volunteers-anonymise",
    )
    assert set(
        Volunteer.objects.filter(anonymised_at__isnull=True).values_list("name", flat=True)
    ) == {
        "Later Person",
        "Active Person",
        "Matched Person",
        "New Person",
    }
    # A second run has nothing to do.
    assert services.volunteers_anonymise(now=at(2026, 6, 15)) == []


@override_settings(HEMMA_VOLUNTEER_RETENTION_MONTHS=6)
def test_the_retention_time_is_a_setting(make_volunteer, municipality_a1, at):
    volunteer = make_volunteer(municipality_a1)
    services.period_change(
        actor=None, period=volunteer.periods.get(), fields={"ends_on": D(2025, 12, 31)}
    )
    assert services.volunteers_anonymise(now=at(2026, 6, 30), dry_run=True) == []
    assert [v.pk for v in services.volunteers_anonymise(now=at(2026, 7, 1), dry_run=True)] == [
        volunteer.pk
    ]
