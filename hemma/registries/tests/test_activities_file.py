"""The activities file: read, planned, imported all or nothing through the services, with
problems by row and column; and the export, which reads back unchanged."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from hemma.audit.models import AuditEvent
from hemma.followup.models import Measurement
from hemma.lib.problems import ProblemsFound
from hemma.registries import services
from hemma.registries.activities_file import (
    activities_csv,
    activities_import,
    activities_plan,
    activities_xlsx,
)
from hemma.registries.models import Activity
from hemma.registries.tests.factories import ActivityFactory
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

EN = "Title;Kind;Date;Last date;Recurrence;Municipalities;Organiser;Programme actions;Participants"


def csv_file(*rows: str, heading: str = EN) -> bytes:
    return "\n".join([heading, *rows]).encode("utf-8")


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def problems_of(region, user, data, name="activities.csv"):
    with pytest.raises(ProblemsFound) as found:
        activities_import(actor=user, region=region, name=name, data=data, dry_run=False)
    return [(p.row, p.column, p.message) for p in found.value.problems]


def imported(region, user, data, name="activities.csv"):
    plan, _table = activities_import(actor=user, region=region, name=name, data=data, dry_run=False)
    return plan


@pytest.fixture
def partner(region_a):
    return f.OrganisationFactory(
        region=region_a,
        key="red-cross",
        name={"sv": "Röda korset", "fi": "Punainen Risti", "en": "Red Cross"},
    )


@pytest.fixture
def stored(region_a, municipality_a1, municipality_a2, action_a, partner):
    """A language café of A-stad and A-by with everything filled in, as the form saves it."""
    return services.activity_create(
        actor=None,
        region=region_a,
        fields={
            "title": "=Language café",  # looks like a formula: still text both ways
            "kind": Activity.Kind.MEETING_PLACE,
            "starts_on": datetime.date(2024, 1, 10),
            "ends_on": datetime.date(2024, 12, 18),
            "recurrence": Activity.Recurrence.WEEKLY,
            "sessions": 44,
            "municipalities": ["101", "102"],
            "organiser": "kommunen",
            "partners": ["red-cross"],
            "actions": [action_a],
            "languages": ["sv", "ar", "fi"],
            "participants": 30,
            "participants_by_age": {"0-17": 4, "30-64": 20},
            "participants_by_gender": {"women": 18, "men": 11},
            "note": "Held in the library.\r\nCoffee by the parish.",
        },
    )


# -- the round trip ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "fi", "en"])
def test_an_exported_file_reads_back_unchanged(coordinator_region, region_a, stored, language):
    ActivityFactory(region=region_a, title="Region-wide network meeting", kind="network_meeting")
    activities = Activity.objects.prefetch_related(
        "municipalities", "partners", "actions__programme"
    )
    for name, data in (
        ("a.xlsx", activities_xlsx(activities, language=language)),
        ("a.csv", activities_csv(activities, language=language)),
    ):
        plan = activities_plan(data, name=name, region=region_a, user=coordinator_region)
        assert (plan.changes, plan.problems, plan.unchanged) == ([], [], 2), name


def test_names_that_would_not_read_back_are_exported_as_keys(
    coordinator_region, region_a, municipality_a1
):
    # Given two organisations of the same name, and one whose name holds a comma
    twin_1 = f.OrganisationFactory(region=region_a, key="youth-1", name={"sv": "Ungdom"})
    twin_2 = f.OrganisationFactory(region=region_a, key="youth-2", name={"sv": "Ungdom"})
    comma = f.OrganisationFactory(region=region_a, key="arts", name={"sv": "Kultur, konst"})
    services.activity_create(
        actor=None,
        region=region_a,
        fields={
            "title": "Concert",
            "kind": "event",
            "starts_on": "2024-05-01",
            "organiser": twin_1.key,
            "partners": [twin_2.key, comma.key],
        },
    )
    data = activities_csv(Activity.objects.all(), language="sv")
    text = data.decode("utf-8-sig")
    # Then the twins are written by key, the comma's name whole, and it all reads back
    assert ";youth-1;" in text
    assert ";Kultur, konst, youth-2;" in text or ";youth-2, Kultur, konst;" in text
    plan = activities_plan(data, name="a.csv", region=region_a, user=coordinator_region)
    assert (plan.changes, plan.problems, plan.unchanged) == ([], [], 1)


def test_the_export_writes_actions_as_programme_and_key_and_languages_as_codes(stored):
    text = activities_csv(Activity.objects.all(), language="en").decode("utf-8-sig")
    assert ";programme-a/joint-meetings;sv, fi, ar;" in text
    assert "'=Language café" in text  # escaped for spreadsheets, read back unescaped


# -- new and changed activities ----------------------------------------------------------------


def test_finnish_headings_dates_and_names_are_read(
    coordinator_region, region_a, municipality_a1, municipality_a2, action_a, partner
):
    data = xlsx_file(
        [
            [
                "Otsikko",
                "Tyyppi",
                "Päivämäärä",
                "Viimeinen päivämäärä",
                "Toistuvuus",
                "Kunnat",
                "Järjestäjä",
                "Yhteistyökumppanit",
                "Ohjelman toimenpiteet",
                "Käytetyt kielet",
                "Osallistujat",
                "Ikä 0–17",
                "Naiset",
                "Huomautus",
            ],
            [
                "Kielikahvila",
                "Kohtaamispaikka",
                "10.1.2024",
                "18.12.2024",
                "Viikoittain",
                "A-kaupunki, 102",
                "Punainen Risti",
                "kommunen",
                "programme-a/joint-meetings",
                "fi, sv",
                25,
                5,
                14,
                "Kirjastossa",
            ],
        ]
    )
    plan = imported(region_a, coordinator_region, data, name="toiminnat.xlsx")
    assert plan.added == 1
    activity = Activity.objects.get()
    assert (activity.title, activity.kind, activity.recurrence) == (
        "Kielikahvila",
        Activity.Kind.MEETING_PLACE,
        Activity.Recurrence.WEEKLY,
    )
    assert (activity.starts_on, activity.ends_on) == (
        datetime.date(2024, 1, 10),
        datetime.date(2024, 12, 18),
    )
    assert sorted(m.code for m in activity.municipalities.all()) == ["101", "102"]
    assert activity.organiser == partner
    assert [o.key for o in activity.partners.all()] == ["kommunen"]
    assert list(activity.actions.all()) == [action_a]
    assert activity.languages == ["sv", "fi"]
    assert (activity.participants, activity.participants_by_age) == (25, {"0-17": 5})
    assert activity.participants_by_gender == {"women": 14}
    assert activity.note == "Kirjastossa"
    # Through the service: audited
    assert AuditEvent.objects.filter(verb="create", target_id=str(activity.pk)).exists()


def test_a_row_with_a_code_changes_that_activity_old_to_new(
    coordinator_region, region_a, stored, municipality_a1
):
    data = csv_file(
        f"=Language café;Meeting place;2024-01-10;2024-06-30;Weekly;A-stad;kommunen;32;"
        f"{stored.code}",
        heading=EN.replace("Programme actions;", "") + ";Code",
    )
    plan = activities_plan(data, name="a.csv", region=region_a, user=coordinator_region)
    [change] = plan.changes
    shown = {(c.column, c.old, c.new) for c in change.fields}
    assert shown == {
        ("ends_on", "12/18/2024", "06/30/2024"),
        ("municipalities", "A-stad, A-by", "A-stad"),
        ("participants", "30", "32"),
    }
    assert (change.activity, plan.changed, plan.added) == (stored, 1, 0)

    activities_import(
        actor=coordinator_region, region=region_a, name="a.csv", data=data, dry_run=False
    )
    stored.refresh_from_db()
    assert (stored.ends_on, stored.participants) == (datetime.date(2024, 6, 30), 32)
    assert [m.code for m in stored.municipalities.all()] == ["101"]
    # The columns the file lacks are kept: partners, actions, languages, the breakdown
    assert stored.languages == ["sv", "fi", "ar"] and stored.actions.count() == 1
    assert stored.participants_by_age == {"0-17": 4, "30-64": 20}
    event = AuditEvent.objects.get(verb="update", target_id=str(stored.pk))
    assert event.changes["participants"] == [30, 32]


def test_a_computed_value_follows_an_imported_activity(
    coordinator_region, region_a, municipality_a1, counted
):
    data = csv_file(
        "Joint meeting;Joint meeting between municipalities;3.4.2024;;;101;;"
        "programme-a/joint-meetings;12",
        "Second meeting;Joint meeting between municipalities;3.9.2024;;;101;;"
        "programme-a/joint-meetings;8",
    )
    # The preview counts nothing; the import counts the whole file once, at its end.
    activities_import(
        actor=coordinator_region, region=region_a, name="a.csv", data=data, dry_run=True
    )
    assert not Measurement.objects.filter(indicator=counted).exists()
    imported(region_a, coordinator_region, data)
    value = Measurement.objects.get(indicator=counted, municipality=municipality_a1, period="2024")
    assert value.number == 2


# -- problems ----------------------------------------------------------------------------------


def test_each_bad_cell_is_told_with_its_row_and_column_and_nothing_is_saved(
    coordinator_region, region_a, municipality_a1, action_a
):
    data = csv_file(
        "Good one;Event;2024-03-01;;;101;;programme-a/joint-meetings;10",  # row 2: good
        "No kind;;2024-03-01;;;101;;;",  # row 3: B
        "Bad date;Event;31.2.2024;;;101;;;",  # row 4: C
        "Ends first;Event;2024-03-05;2024-03-01;;101;;;",  # row 5: D
        "Bad recurrence;Event;2024-03-01;;Daily;101;;;",  # row 6: E
        "Nowhere;Event;2024-03-01;;;999, Atlantis;;;",  # row 7: F
        "No organiser;Event;2024-03-01;;;101;Nobody;;",  # row 8: G
        "No action;Event;2024-03-01;;;101;;other/action;",  # row 9: H
        "Half a person;Event;2024-03-01;;;101;;;2,5",  # row 10: I
    )
    problems = problems_of(region_a, coordinator_region, data)
    assert [(row, column) for row, column, _m in problems] == [
        (3, "B"),
        (4, "C"),
        (5, "D"),
        (6, "E"),
        (7, "F"),
        (8, "G"),
        (9, "H"),
        (10, "I"),
    ]
    messages = [m for _r, _c, m in problems]
    assert "“31.2.2024” is not a date" in messages[1]
    assert messages[2] == "The last date is before the first."
    assert "“999”, “Atlantis”" in messages[4]
    assert messages[7] == "Give the participants as a whole number."
    assert not Activity.objects.exists()


def test_one_row_refused_by_the_service_saves_nothing_of_the_others(
    coordinator_region, region_a, municipality_a1, monkeypatch
):
    # Given a service that refuses the third row, after two were recorded
    create = services.activity_create

    def refusing(*, actor, region, fields):
        if fields["title"] == "Third":
            raise ValidationError({"participants": "Refused by the service."})
        return create(actor=actor, region=region, fields=fields)

    monkeypatch.setattr(services, "activity_create", refusing)
    data = csv_file(
        "First;Event;2024-03-01;;;101;;;1",
        "Second;Event;2024-03-02;;;101;;;2",
        "Third;Event;2024-03-03;;;101;;;3",
    )
    # Then the refusal is told at its row and column, and nothing is kept
    assert problems_of(region_a, coordinator_region, data) == [(4, "I", "Refused by the service.")]
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(verb="create").exists()


def test_a_dry_run_keeps_nothing(coordinator_region, region_a, municipality_a1):
    plan, _table = activities_import(
        actor=coordinator_region,
        region=region_a,
        name="a.csv",
        data=csv_file("First;Event;2024-03-01;;;101;;;1"),
        dry_run=True,
    )
    assert plan.added == 1
    assert not Activity.objects.exists()


def test_a_formula_is_refused(coordinator_region, region_a, municipality_a1):
    data = xlsx_file(
        [
            ["Title", "Kind", "Date", "Participants"],
            ["Course", "Course", "2024-03-01", "=2+3"],
        ]
    )
    problems = problems_of(region_a, coordinator_region, data, name="a.xlsx")
    assert [(row, column) for row, column, _m in problems] == [(2, "D")]
    assert "formula" in problems[0][2]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n;;\r\n", "The file is empty."),
        (EN.encode(), "The file has a heading row but no activity under it"),
        (b"Title;Participants\nCourse;3\n", "The heading row lacks the column(s) “Kind”, “Date”."),
        (b"a;b;c\n1;2;3\n", "No heading row with the columns"),
    ],
)
def test_a_file_without_activities_is_told_so(
    coordinator_region, region_a, municipality_a1, data, message
):
    problems = problems_of(region_a, coordinator_region, data)
    assert len(problems) == 1 and message in problems[0][2]


def test_an_empty_workbook_is_told_so(coordinator_region, region_a):
    problems = problems_of(region_a, coordinator_region, xlsx_file([]), name="a.xlsx")
    assert problems == [(None, "", "The file is empty.")]


def test_the_same_activity_twice_is_a_problem_of_the_second_row(
    coordinator_region, region_a, stored
):
    row = f"Café;Meeting place;2024-01-10;;;101;;;;{stored.code}"
    heading = EN + ";Code"
    problems = problems_of(region_a, coordinator_region, csv_file(row, row, heading=heading))
    assert problems == [(3, "J", "Row 2 gives the same activity.")]


def test_an_activity_of_another_region_cannot_be_changed_by_its_code(
    coordinator_region, region_a, region_b, municipality_a1
):
    theirs = ActivityFactory(region=region_b, title="Theirs")
    data = csv_file(f"Mine now;Event;2024-03-01;;;101;;;;{theirs.code}", heading=EN + ";Code")
    [(row, column, message)] = problems_of(region_a, coordinator_region, data)
    assert (row, column) == (2, "J") and message.startswith("No such activity")
    assert Activity.objects.get(pk=theirs.pk).title == "Theirs"


def test_a_municipal_coordinators_rows_are_limited_by_the_policy(
    coordinator_a, region_a, municipality_a1, municipality_a2
):
    shared = ActivityFactory(
        region=region_a, title="Shared", municipalities=[municipality_a1, municipality_a2]
    )
    data = csv_file(
        "Own;Event;2024-03-01;;;101;;;",  # row 2: their own municipality
        "Neighbour's;Event;2024-03-01;;;102;;;",  # row 3: A-by is not theirs
        "Whole region;Event;2024-03-01;;;;;;",  # row 4: the region as a whole is not theirs
        f"Shared;Event;2024-03-01;;;101, 102;;;;{shared.code}",  # row 5: shared: not theirs
        heading=EN + ";Code",
    )
    with pytest.raises(ProblemsFound) as found:
        activities_import(
            actor=coordinator_a, region=region_a, name="a.csv", data=data, dry_run=False
        )
    problems = [(p.row, p.last_row, p.column, p.message) for p in found.value.problems]
    own = "You record the activities of your own municipality: name it, and no other."
    assert problems == [
        (3, 4, "F", own),  # told once for rows 3–4
        (5, None, "J", "You may not change this activity."),
    ]
    assert list(Activity.objects.values_list("title", flat=True)) == ["Shared"]
    # And their own rows alone are recorded
    imported(region_a, coordinator_a, csv_file("Own;Event;2024-03-01;;;A-stad;;;"))
    assert Activity.objects.filter(title="Own", municipalities=municipality_a1).exists()


# -- queries -----------------------------------------------------------------------------------


def _rows(count: int, *, codes: list[str] | None = None) -> bytes:
    heading = (
        "Title;Kind;Date;Last date;Municipalities;Organiser;Partners;Programme actions;"
        "Languages used;Participants;Aged 0–17;Women;Code"
    )
    rows = [
        f"Activity {n};Event;2024-03-{n % 28 + 1:02d};;A-stad, A-by;kommunen;red-cross;"
        f"programme-a/joint-meetings;sv, fi;{n + 20};{n % 5};{n % 7};{codes[n] if codes else ''}"
        for n in range(count)
    ]
    return csv_file(*rows, heading=heading)


def _queries(region, user, data) -> int:
    with CaptureQueriesContext(connection) as captured:
        activities_import(actor=user, region=region, name="a.csv", data=data, dry_run=False)
    return len(captured)


def test_the_queries_per_row_do_not_grow_with_the_file(
    coordinator_region, region_a, municipality_a1, municipality_a2, partner, counted
):
    # Given a computed indicator the activities count in (so that every row recounts it), and
    # its values made by a first activity
    _queries(region_a, coordinator_region, _rows(1))
    # When files of 5, 10 and 20 new activities are imported
    small, medium, large = (_queries(region_a, coordinator_region, _rows(n)) for n in (5, 10, 20))
    # Then each row costs the same number of queries (the services' own, per activity)
    per_row = (medium - small) // 5
    assert medium - small == 5 * per_row
    assert large - medium == 10 * per_row
    assert Activity.objects.count() == 36

    # And the same holds for changes: files of 5 and 10 other activities changed by code
    codes = [str(c) for c in Activity.objects.order_by("pk").values_list("code", flat=True)]

    def changed(chosen: list[str]) -> bytes:
        """The export of the chosen activities, each made a course."""
        activities = Activity.objects.filter(code__in=chosen).prefetch_related(
            "municipalities", "partners", "actions__programme"
        )
        return activities_csv(activities, language="en").replace(b";Event;", b";Course;")

    fewer = _queries(region_a, coordinator_region, changed(codes[:5]))
    more = _queries(region_a, coordinator_region, changed(codes[5:15]))
    per_change = (more - fewer) // 5
    assert more - fewer == 5 * per_change
    assert Activity.objects.filter(kind="course").count() == 15
    # And a file with nothing to change costs a fixed number of queries, whatever its size
    assert _queries(region_a, coordinator_region, changed(codes[:5])) == _queries(
        region_a, coordinator_region, changed(codes[:15])
    )
