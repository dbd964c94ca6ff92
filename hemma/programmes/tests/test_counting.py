"""What an indicator may count, checked in one place (services.counting_problems) for the
indicator form, the services and the programme format; friend persons and placements as
sources, in the form, the format and the grid's "where it comes from"."""

import copy
import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hemma.followup.grid import Place, counted_url
from hemma.lib import periods
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.programmes.interchange import exporting
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.interchange.validation import SCHEMA_PATH, document_problems
from hemma.programmes.models import Indicator
from hemma.programmes.services import counting_problems, indicator_create, indicator_update
from hemma.registries.models import Activity, Placement, ServiceStatistic
from hemma.registries.services import placement_record
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

Query = Indicator.Query
Kind = Indicator.Kind


def fields_of(**given) -> list[str]:
    given.setdefault("scope", Indicator.Scope.MUNICIPALITY)
    given.setdefault("query_kinds", [])
    return [field for field, _message in counting_problems(**given)]


# -- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kind", "kinds", "fields"),
    [
        # Friend persons: counted, with their matched households as participants; no kinds.
        (Query.VOLUNTEERS, Kind.COUNT, [], []),
        (Query.VOLUNTEERS, Kind.COUNT_WITH_PARTICIPANTS, [], []),
        (Query.VOLUNTEERS, Kind.FREQUENCY_BAND, [], []),
        (Query.VOLUNTEERS, Kind.COUNT, ["meeting_place"], ["query_kinds"]),
        (Query.VOLUNTEERS, Kind.COUNT, ["job"], ["query_kinds"]),
        (Query.VOLUNTEERS, Kind.MILESTONE, [], ["kind"]),
        (Query.VOLUNTEERS, Kind.STATISTICS, [], ["kind"]),
        # Placements: the kinds of place only (none: every kind); the number is already
        # people, so there are no participants to count.
        (Query.PLACEMENTS, Kind.COUNT, [], []),
        (Query.PLACEMENTS, Kind.COUNT, ["work_tryout", "job"], []),
        (Query.PLACEMENTS, Kind.FREQUENCY_BAND, ["apprenticeship"], []),
        (Query.PLACEMENTS, Kind.COUNT_WITH_PARTICIPANTS, ["wage_subsidy"], ["kind"]),
        (Query.PLACEMENTS, Kind.COUNT, ["meeting_place"], ["query_kinds"]),
        (Query.PLACEMENTS, Kind.COUNT, ["job", "integration_plans"], ["query_kinds"]),
        (Query.PLACEMENTS, Kind.SURVEY, ["job"], ["kind"]),
        # Activities: the kinds of activity only.
        (Query.ACTIVITIES, Kind.COUNT, ["work_tryout"], ["query_kinds"]),
        (Query.ACTIVITIES, Kind.COUNT, ["integration_plans"], ["query_kinds"]),
        (Query.ACTIVITIES, Kind.ONGOING, [], ["kind"]),
        # A statistic: one measure, a median of the municipalities only.
        (Query.STATISTIC, Kind.STATISTICS, ["median_days_to_assessment"], []),
        (Query.STATISTIC, Kind.COUNT_WITH_PARTICIPANTS, ["integration_plans"], ["kind"]),
        (Query.STATISTIC, Kind.COUNT, ["job"], ["query_kinds"]),
        # Not of the list.
        ("households", Kind.COUNT, [], ["query"]),
    ],
)
def test_what_each_query_may_count(query, kind, kinds, fields):
    assert fields_of(kind=kind, query=query, query_kinds=kinds) == fields


def test_friend_persons_and_placements_may_be_counted_for_the_region_as_a_whole():
    for query in (Query.VOLUNTEERS, Query.PLACEMENTS):
        assert fields_of(kind=Kind.COUNT, query=query, scope=Indicator.Scope.REGION) == []


def test_the_rules_say_what_is_allowed_by_label_on_the_form_and_by_code_in_a_document():
    (form,) = counting_problems(
        kind=Kind.MILESTONE, scope="municipality", query=Query.PLACEMENTS, query_kinds=[]
    )
    (document,) = counting_problems(
        kind=Kind.MILESTONE,
        scope="municipality",
        query=Query.PLACEMENTS,
        query_kinds=[],
        document=True,
    )

    assert "“Recurring milestone”" in form[1] and "Frequency band" in form[1]
    assert "“milestone”" in document[1] and "frequency_band" in document[1]
    (wrong_kind,) = counting_problems(
        kind=Kind.COUNT,
        scope="municipality",
        query=Query.PLACEMENTS,
        query_kinds=["event"],
        document=True,
    )
    assert wrong_kind[1] == (
        "“event” are not kinds of place; use those of: work_tryout, apprenticeship, "
        "wage_subsidy, job"
    )


# -- the services ------------------------------------------------------------------------------


def create(action, **fields):
    fields.setdefault("kind", Kind.COUNT)
    return indicator_create(
        actor=None,
        action=action,
        name={"sv": "Vänpersoner"},
        source=Indicator.Source.REGISTRY,
        **fields,
    )


def test_the_services_make_indicators_counted_from_friend_persons_and_placements(action_a):
    friends = create(action_a, query=Query.VOLUNTEERS)
    employed = create(action_a, query=Query.PLACEMENTS, query_kinds=["job", "work_tryout"])

    friends.refresh_from_db()
    employed.refresh_from_db()
    assert (friends.source, friends.query, friends.query_kinds) == ("registry", "volunteers", [])
    assert (employed.query, employed.query_kinds) == ("placements", ["job", "work_tryout"])


def test_the_services_refuse_what_cannot_be_counted(action_a):
    with pytest.raises(ValidationError) as refused:
        create(action_a, query=Query.VOLUNTEERS, query_kinds=["meeting_place"])
    assert (
        "Friend persons are counted without kinds" in refused.value.message_dict["query_kinds"][0]
    )

    with pytest.raises(ValidationError) as refused:
        create(action_a, query=Query.PLACEMENTS, query_kinds=["course"])
    assert list(refused.value.message_dict) == ["query_kinds"]

    with pytest.raises(ValidationError) as refused:
        create(action_a, kind=Kind.MILESTONE, query=Query.PLACEMENTS)
    assert list(refused.value.message_dict) == ["kind"]
    assert not Indicator.objects.filter(query__in=["volunteers", "placements"]).exists()


def test_a_counted_indicator_cannot_be_changed_into_a_kind_that_is_not_counted(action_a):
    friends = create(action_a, query=Query.VOLUNTEERS)

    with pytest.raises(ValidationError) as refused:
        indicator_update(
            actor=None,
            indicator=friends,
            name=friends.name,
            kind=Kind.SURVEY,
            unit=friends.unit,
            period=friends.period,
            target_type="",
            target_min=None,
            target_max=None,
            target_direction="",
            target_years=None,
        )

    assert list(refused.value.message_dict) == ["kind"]
    friends.refresh_from_db()
    assert friends.kind == Kind.COUNT


# -- the programme format ----------------------------------------------------------------------


def indicator_in(document, key):
    for t, theme in enumerate(document["programme"]["themes"]):
        for g, goal in enumerate(theme["goals"]):
            for a, action in enumerate(goal["actions"]):
                for i, indicator in enumerate(action.get("indicators", [])):
                    if indicator["key"] == key:
                        path = f"programme.themes[{t}].goals[{g}].actions[{a}].indicators[{i}]"
                        return path, indicator
    raise KeyError(key)


def test_the_schema_offers_every_query_and_every_kind_of_the_models():
    schema = json.loads(SCHEMA_PATH.read_text())
    counted_from = schema["$defs"]["indicator"]["properties"]["counted_from"]
    # A survey's kinds are its question's choices: the registries' kinds (and the information
    # pages' languages) bind the others.
    registries = counted_from["else"]["properties"]

    assert counted_from["properties"]["query"]["enum"] == [value for value in Query.values if value]
    assert set(registries["kinds"]["items"]["enum"]) == set(Activity.Kind.values) | set(
        ServiceStatistic.Measure.values
    ) | set(Placement.Kind.values) | set(CONTENT_LANGUAGES)


def test_the_seed_counts_friend_persons_and_the_people_employed_in_the_units(seed_document):
    _path, friends = indicator_in(seed_document, "antal-vanpersoner")
    _path, employed = indicator_in(seed_document, "sysselsatta-inom-enheterna")

    assert (friends["source"], friends["counted_from"]) == ("registry", {"query": "volunteers"})
    assert (employed["source"], employed["counted_from"]) == ("registry", {"query": "placements"})
    assert document_problems(seed_document) == []


@pytest.mark.parametrize(
    ("key", "counted_from", "kind", "field", "message"),
    [
        (
            "antal-vanpersoner",
            {"query": "volunteers", "kinds": ["event"]},
            "count",
            "counted_from",
            "friend persons are counted without kinds: leave out “kinds”",
        ),
        (
            "sysselsatta-inom-enheterna",
            {"query": "placements", "kinds": ["job", "meeting_place"]},
            "count",
            "counted_from",
            "“meeting_place” are not kinds of place",
        ),
        (
            "sysselsatta-inom-enheterna",
            {"query": "placements", "kinds": ["job"]},
            "ongoing",
            "counted_from",
            "an indicator of kind “ongoing” cannot be counted; use one of: count, frequency_band",
        ),
        (
            "motesplatser",
            {"query": "activities", "kinds": ["apprenticeship"]},
            "count",
            "counted_from",
            "“apprenticeship” are not kinds of activity",
        ),
    ],
)
def test_a_document_counting_wrongly_is_told_at_its_path(
    seed_document, key, counted_from, kind, field, message
):
    document = copy.deepcopy(seed_document)
    path, indicator = indicator_in(document, key)
    indicator["counted_from"] = counted_from
    indicator["kind"] = kind

    problems = document_problems(document)

    assert [(p.path, p.field) for p in problems] == [(f"{path}.{field}", field)]
    assert message in problems[0].message


def test_a_kind_of_place_unknown_to_the_format_is_told_at_its_place(seed_document):
    document = copy.deepcopy(seed_document)
    path, indicator = indicator_in(document, "sysselsatta-inom-enheterna")
    indicator["counted_from"] = {"query": "placements", "kinds": ["job", "internship"]}

    problems = document_problems(document)

    assert [p.path for p in problems] == [f"{path}.counted_from.kinds[1]"]
    assert "“internship” is not allowed" in problems[0].message


def test_the_seed_reads_back_unchanged_from_its_export(seed_programme):
    document = exporting.programme_document(seed_programme)

    result = programme_import(actor=None, document=document)

    assert (result.added, result.changed, result.removed) == (0, 0, 0)
    assert exporting.programme_document(seed_programme) == document


def test_kinds_of_place_and_friend_persons_make_the_round_trip(seed_programme, seed_document):
    document = copy.deepcopy(seed_document)
    _path, employed = indicator_in(document, "sysselsatta-inom-enheterna")
    employed["counted_from"] = {"query": "placements", "kinds": ["work_tryout", "job"]}
    employed["scope"] = "region"
    _path, material = indicator_in(document, "skapat-material")
    material["source"] = "registry"
    material["counted_from"] = {"query": "volunteers"}
    programme_import(actor=None, document=document)

    exported = exporting.programme_document(seed_programme)
    _path, employed_out = indicator_in(exported, "sysselsatta-inom-enheterna")
    _path, material_out = indicator_in(exported, "skapat-material")
    again = programme_import(actor=None, document=exported)

    assert employed_out["counted_from"] == {"query": "placements", "kinds": ["work_tryout", "job"]}
    assert employed_out["scope"] == "region"
    assert material_out["counted_from"] == {"query": "volunteers"}
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    row = Indicator.objects.get(key="sysselsatta-inom-enheterna")
    assert (row.query, row.query_kinds, row.scope) == (
        "placements",
        ["work_tryout", "job"],
        "region",
    )


# -- the indicator form ------------------------------------------------------------------------


def edit_url(indicator) -> str:
    return reverse(
        "programmes:indicator_edit", args=["programme-a", "joint-meetings", indicator.key]
    )


def posted(**fields) -> dict:
    return {
        "name_sv": "Vänpersoner",
        "kind": "count",
        "period": "year",
        "scope": "municipality",
        "source": "registry",
        **fields,
    }


def test_the_form_offers_the_four_sources_and_what_each_takes(
    client_for, coordinator_region, programme_a
):
    indicator = Indicator.objects.get(action__programme=programme_a)

    page = client_for(coordinator_region).get(edit_url(indicator)).text

    for label in Query.labels[1:]:
        assert str(label) in page
    assert "Kinds of activity counted" in page
    assert "Service statistic taken" in page and "Integration plans made" in page
    assert "Kinds of place counted" in page and "Wage-subsidy place" in page


def test_the_form_makes_an_indicator_counted_from_friend_persons_without_kinds(
    client_for, coordinator_region, programme_a
):
    indicator = Indicator.objects.get(action__programme=programme_a)

    # The activities' kinds left ticked from before are not the friend persons'.
    response = client_for(coordinator_region).post(
        edit_url(indicator),
        posted(query="volunteers", query_kinds=["event"], query_placement_kinds=["job"]),
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.source, indicator.query, indicator.query_kinds) == (
        "registry",
        "volunteers",
        [],
    )


def test_the_form_makes_an_indicator_counted_from_placements_of_some_kinds(
    client_for, coordinator_region, programme_a
):
    indicator = Indicator.objects.get(action__programme=programme_a)
    client = client_for(coordinator_region)

    response = client.post(
        edit_url(indicator),
        posted(
            query="placements", query_kinds=["event"], query_placement_kinds=["job", "wage_subsidy"]
        ),
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.query, indicator.query_kinds) == ("placements", ["job", "wage_subsidy"])
    # And the form shows them chosen when it is opened again.
    form = client.get(edit_url(indicator)).context["form"]
    assert form.initial["query_placement_kinds"] == ["job", "wage_subsidy"]
    assert "query_kinds" not in form.initial


def test_the_form_takes_a_service_statistics_measure(client_for, coordinator_region, programme_a):
    indicator = Indicator.objects.get(action__programme=programme_a)
    client = client_for(coordinator_region)

    response = client.post(
        edit_url(indicator), posted(query="statistic", query_measure="integration_plans")
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.query, indicator.query_kinds) == ("statistic", ["integration_plans"])
    assert client.get(edit_url(indicator)).context["form"].initial["query_measure"] == (
        "integration_plans"
    )


def test_the_form_tells_what_cannot_be_counted_at_its_field(
    client_for, coordinator_region, programme_a
):
    indicator = Indicator.objects.get(action__programme=programme_a)
    client = client_for(coordinator_region)

    milestone = client.post(edit_url(indicator), posted(kind="milestone", query="volunteers"))
    no_measure = client.post(edit_url(indicator), posted(query="statistic"))
    median = client.post(
        edit_url(indicator),
        posted(
            kind="statistics",
            scope="region",
            query="statistic",
            query_measure="median_days_to_assessment",
        ),
    )

    assert milestone.status_code == no_measure.status_code == median.status_code == 200
    assert "cannot be counted from this source" in milestone.context["form"].errors["kind"][0]
    assert list(no_measure.context["form"].errors) == ["query_measure"]
    assert "A median is not summed" in median.context["form"].errors["scope"][0]
    indicator.refresh_from_db()
    assert indicator.source == Indicator.Source.MANUAL


def test_a_viewer_cannot_make_an_indicator_counted(client_for, viewer, coordinator_b, programme_a):
    indicator = Indicator.objects.get(action__programme=programme_a)

    assert (
        client_for(viewer).post(edit_url(indicator), posted(query="volunteers")).status_code == 403
    )
    assert (
        client_for(coordinator_b).post(edit_url(indicator), posted(query="volunteers")).status_code
        == 404
    )
    indicator.refresh_from_db()
    assert indicator.query == ""


# -- where it comes from -----------------------------------------------------------------------


def grid(place="101", period="2024") -> str:
    return f"/en/programmes/programme-a/values/{period}/{place}/"


def test_the_counted_url_filters_each_list_to_the_records_counted(
    programme_a, action_a, municipality_a1
):
    year = periods.parse("2024")
    here = Place(code="101", municipality=municipality_a1, name="A-stad")
    region = Place(code="region", municipality=None, name="Region A")
    friends = create(action_a, query=Query.VOLUNTEERS)
    employed = create(action_a, query=Query.PLACEMENTS, query_kinds=["work_tryout", "job"])
    every_place = create(action_a, query=Query.PLACEMENTS)

    assert counted_url(programme_a, friends, year, here) == (
        reverse("volunteers:list") + "?municipality=101&period=2024&records=all"
    )
    assert counted_url(programme_a, friends, year, region) == (
        reverse("volunteers:list") + "?period=2024&records=all"
    )
    assert counted_url(programme_a, employed, year, here) == (
        reverse("registries:placements") + "?municipality=101&period=2024&kind=job&kind=work_tryout"
    )
    assert counted_url(programme_a, every_place, year, region) == (
        reverse("registries:placements") + "?period=2024"
    )


def test_the_grid_links_a_count_of_placements_to_the_placements_counted(
    client_for, coordinator_region, region_a, programme_a, action_a
):
    f.OrganisationFactory(region=region_a, key="hemtjansten")
    employed = create(action_a, query=Query.PLACEMENTS, query_kinds=["job"])
    for kind, people in (("job", 3), ("work_tryout", 5)):
        placement_record(
            actor=None,
            region=region_a,
            municipality="101",
            unit="hemtjansten",
            kind=kind,
            period="2024H1",
            people=people,
        )

    client = client_for(coordinator_region)

    page = client.get(grid()).text

    link = reverse("registries:placements") + "?municipality=101&amp;period=2024&amp;kind=job"
    assert f'<a href="{link}">from the placements' in page
    assert "Counted: <strong>3</strong>" in page
    # The link lists exactly what was counted: the jobs, not the work try-out.
    listed = client.get(link.replace("&amp;", "&"))
    assert "1 placement, 3 people in all" in listed.text
    assert employed.query_kinds == ["job"]


def test_the_grid_links_a_count_of_friend_persons_to_the_friend_persons_counted(
    client_for, coordinator_region, programme_a, action_a
):
    from hemma.volunteers.services import volunteer_create

    create(action_a, query=Query.VOLUNTEERS)
    # Two active in 2024 in A1; one from 2025, one in A2: not counted.
    for name, code, active_from in (
        ("Aino", "101", datetime.date(2024, 2, 1)),
        ("Bertil", "101", datetime.date(2024, 11, 1)),
        ("Cecilia", "101", datetime.date(2025, 1, 7)),
        ("David", "102", datetime.date(2024, 2, 1)),
    ):
        volunteer_create(
            actor=None,
            fields={
                "municipality": code,
                "name": name,
                "consent_on": datetime.date(2024, 1, 10),
                "recruited_on": datetime.date(2024, 1, 10),
                "active_from": active_from,
            },
        )
    client = client_for(coordinator_region)

    page = client.get(grid()).text

    link = reverse("volunteers:list") + "?municipality=101&amp;period=2024&amp;records=all"
    assert f'<a href="{link}">the friend persons counted' in page
    assert "Counted: <strong>2</strong>" in page
    listed = client.get(link.replace("&amp;", "&"))
    assert "2 friend persons" in listed.text


def test_a_viewer_sees_the_count_of_friend_persons_without_a_link_to_them(
    client_for, viewer, programme_a, action_a
):
    create(action_a, query=Query.VOLUNTEERS)

    page = client_for(viewer).get(grid()).text

    assert "Counted: <strong>" in page
    assert "the friend persons counted" not in page


def test_the_grids_queries_do_not_grow_with_the_friend_persons_and_placements(
    client_for, coordinator_region, region_a, programme_a, action_a
):
    from hemma.volunteers.services import volunteer_create

    create(action_a, query=Query.VOLUNTEERS)
    create(action_a, query=Query.PLACEMENTS)
    client = client_for(coordinator_region)
    made = 0

    def add(size: int) -> int:
        nonlocal made
        for _n in range(size):
            made += 1
            volunteer_create(
                actor=None,
                fields={
                    "municipality": "101",
                    "name": f"Person {made}",
                    "consent_on": datetime.date(2024, 1, 10),
                    "recruited_on": datetime.date(2024, 1, 10),
                    "active_from": datetime.date(2024, 3, 1),
                },
            )
            f.OrganisationFactory(region=region_a, key=f"unit-{made}")
            placement_record(
                actor=None,
                region=region_a,
                municipality="101",
                unit=f"unit-{made}",
                kind="job",
                period="2024",
                people=2,
            )
        client.get(grid())  # warm: sessions, caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(grid())
        assert response.status_code == 200
        return len(captured)

    assert add(1) == add(5)
