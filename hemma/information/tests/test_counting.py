"""The indicators counted from the information pages: "information material created" (language
versions first published) and "information material used" (views and downloads).

The rule is tested on records written straight to the models and counted with the functions
the services call (hemma/information/counting.py, hemma/registries/computing.py); keeping the
values current through the services and the task that counts the reads.
"""

import copy
import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hemma.followup.grid import Place, counted_url
from hemma.followup.models import Measurement, Round
from hemma.information import counting, services
from hemma.information.models import Page, Site, Use, Version
from hemma.information.tasks import count_information_used
from hemma.lib import periods
from hemma.programmes.forms import IndicatorForm
from hemma.programmes.interchange.validation import document_problems
from hemma.programmes.models import Indicator
from hemma.programmes.services import counting_problems, indicator_create
from hemma.registries.computing import computed_values_refresh
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
Query = Indicator.Query
HELSINKI = datetime.timezone(datetime.timedelta(hours=2))  # winter time, as on 31 December


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run at once, in the test (the deferred runs are tested with the database's)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def no_gates():
    """The recount gates are in the process's cache: each test starts without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_a2(region_a, municipality_a2):
    return Site.objects.create(
        region=region_a, municipality=municipality_a2, slug="a-by", languages=["sv", "fi"]
    )


@pytest.fixture
def counting_indicator(programme_a):
    """counting_indicator(query, kinds=(), **fields): a computed indicator of programme_a."""

    def make(query, kinds=(), **fields) -> Indicator:
        fields.setdefault("kind", Indicator.Kind.COUNT)
        fields.setdefault("target_type", "")
        indicator = f.IndicatorFactory(
            action=programme_a.actions.get(key="joint-meetings"),
            source=Indicator.Source.REGISTRY,
            query=query,
            query_kinds=list(kinds),
            **fields,
        )
        return Indicator.objects.select_related("action__programme").get(pk=indicator.pk)  # type: ignore[attr-defined]

    return make


_pages = iter(range(1_000_000))


def page_of(site: Site, owner) -> Page:
    return Page.objects.create(
        site=site, slug=f"sida-{next(_pages)}", topic=Page.Topic.HOUSING, owner=owner
    )


def published(
    site: Site,
    owner,
    when: datetime.datetime,
    *languages: str,
    state=Version.State.PUBLISHED,
) -> Page:
    """A page of `site` first published in `languages` at `when`, counted as the services
    count it."""
    page = page_of(site, owner)
    for language in languages:
        Version.objects.create(
            page=page,
            language=language,
            title="Titel",
            revision=1,
            state=state,
            first_published_at=when,
            published_at=when,
        )
    counting.material_changed(site=site, when=[timezone.localdate(when)])
    return page


def read(page: Page, language: str, day: datetime.date, views=0, downloads=0) -> Use:
    """Views and downloads of `page` on `day`, counted as the reads' task counts them."""
    use = Use.objects.create(
        page=page, language=language, day=day, views=views, downloads=downloads
    )
    counting.uses_changed(site=page.site, day=day)
    return use


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=datetime.UTC)


def number(indicator, municipality, period="2024") -> Decimal | None:
    values = Measurement.objects.filter(indicator=indicator, period=period)
    found = (
        values.filter(municipality__isnull=True)
        if municipality is None
        else values.filter(municipality=municipality)
    ).first()
    return None if found is None else found.number


# -- the rule: material created ----------------------------------------------------------------


def test_created_counts_the_language_versions_first_published_in_the_municipality_in_the_year(
    counting_indicator, site_a1, site_a2, site_b1, owner_a, municipality_a1, municipality_a2
):
    created = counting_indicator(Query.INFORMATION_CREATED)
    published(site_a1, owner_a, at(2024, 3, 1), "sv", "ar")  # one page in two languages: 2
    published(site_a1, owner_a, at(2025, 2, 1), "sv")
    published(site_a2, owner_a, at(2024, 5, 1), "sv")  # the neighbour's
    published(site_b1, owner_a, at(2024, 5, 1), "sv", "fi")  # another region's
    page_of(site_a1, owner_a).versions.create(language="en", title="Draft")  # never published
    computed_values_refresh(indicators=[created])

    assert number(created, municipality_a1, "2024") == 2
    assert number(created, municipality_a1, "2025") == 1
    assert number(created, municipality_a1, "2023") == 0  # begun, nothing published: 0
    assert number(created, municipality_a2, "2024") == 1


def test_for_the_region_as_a_whole_every_site_of_the_region_counts(
    counting_indicator, site_a1, site_a2, site_region_a, site_b1, owner_a
):
    created = counting_indicator(Query.INFORMATION_CREATED, scope=Indicator.Scope.REGION)
    published(site_a1, owner_a, at(2024, 3, 1), "sv", "ar")
    published(site_a2, owner_a, at(2024, 5, 1), "sv")
    published(site_region_a, owner_a, at(2024, 6, 1), "sv", "fi", "en")  # the region's own
    published(site_b1, owner_a, at(2024, 5, 1), "sv")  # region B: not counted

    assert number(created, None, "2024") == 6
    # A regional indicator has no municipality's values.
    assert not Measurement.objects.filter(indicator=created, municipality__isnull=False).exists()


def test_only_the_languages_named_count(counting_indicator, site_a1, owner_a, municipality_a1):
    arabic = counting_indicator(Query.INFORMATION_CREATED, kinds=["ar"])
    arabic_and_persian = counting_indicator(Query.INFORMATION_CREATED, kinds=["ar", "fa"])
    published(site_a1, owner_a, at(2024, 3, 1), "sv", "fi", "ar")
    published(site_a1, owner_a, at(2024, 4, 1), "fa")

    assert number(arabic, municipality_a1) == 1
    assert number(arabic_and_persian, municipality_a1) == 2


def test_a_version_counts_in_the_local_year_it_was_first_published(
    counting_indicator, site_a1, owner_a, municipality_a1
):
    created = counting_indicator(Query.INFORMATION_CREATED)
    # 31.12.2023 23:59 in Helsinki, and New Year's night 00:00 there (22:00 UTC the day before).
    published(site_a1, owner_a, datetime.datetime(2023, 12, 31, 23, 59, tzinfo=HELSINKI), "sv")
    published(site_a1, owner_a, datetime.datetime(2024, 1, 1, 0, 0, tzinfo=HELSINKI), "fi")
    published(site_a1, owner_a, datetime.datetime(2024, 12, 31, 23, 59, tzinfo=HELSINKI), "en")
    published(site_a1, owner_a, datetime.datetime(2025, 1, 1, 0, 0, tzinfo=HELSINKI), "ar")

    assert (number(created, municipality_a1, "2023"), number(created, municipality_a1, "2024")) == (
        1,
        2,
    )
    assert number(created, municipality_a1, "2025") == 1


def test_a_withdrawn_version_still_counts_in_the_period_it_was_published(
    counting_indicator, site_a1, owner_a, municipality_a1
):
    created = counting_indicator(Query.INFORMATION_CREATED)
    published(site_a1, owner_a, at(2024, 3, 1), "sv", "ar", state=Version.State.WITHDRAWN)

    assert number(created, municipality_a1) == 2


def test_quarters_count_the_months_within_them(
    counting_indicator, site_a1, owner_a, municipality_a1
):
    created = counting_indicator(Query.INFORMATION_CREATED, period=Indicator.Period.QUARTER)
    published(site_a1, owner_a, at(2024, 3, 31, 12), "sv")
    published(site_a1, owner_a, at(2024, 4, 1, 12), "sv", "ar")

    assert number(created, municipality_a1, "2024Q1") == 1
    assert number(created, municipality_a1, "2024Q2") == 2


# -- the rule: material used -------------------------------------------------------------------


def test_used_sums_the_views_and_downloads_of_the_days_within_the_period(
    counting_indicator, site_a1, site_a2, site_region_a, owner_a, municipality_a1
):
    used = counting_indicator(Query.INFORMATION_USED)
    regional = counting_indicator(Query.INFORMATION_USED, scope=Indicator.Scope.REGION)
    page = page_of(site_a1, owner_a)
    read(page, "sv", D(2023, 12, 31), views=100)  # the year before
    read(page, "sv", D(2024, 1, 1), views=3, downloads=1)
    read(page, "ar", D(2024, 12, 31), views=5, downloads=2)
    read(page, "sv", D(2025, 1, 1), views=50)  # the year after
    read(page_of(site_a2, owner_a), "sv", D(2024, 6, 1), views=7)
    read(page_of(site_region_a, owner_a), "fi", D(2024, 6, 1), downloads=4)

    assert number(used, municipality_a1, "2024") == 11
    assert number(used, municipality_a1, "2023") == 100
    assert number(regional, None, "2024") == 22


def test_used_counts_only_the_languages_named(
    counting_indicator, site_a1, owner_a, municipality_a1
):
    used = counting_indicator(Query.INFORMATION_USED, kinds=["ar"])
    page = page_of(site_a1, owner_a)
    read(page, "sv", D(2024, 5, 1), views=10)
    read(page, "ar", D(2024, 5, 1), views=4, downloads=1)

    assert number(used, municipality_a1) == 5


# -- kept current ------------------------------------------------------------------------------


@pytest.fixture
def on(monkeypatch):
    """on(moment): the clock stands at `moment` (the services' and the count's today)."""

    def set_clock(moment: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_clock


def test_publishing_a_language_counts_it_at_once_and_withdrawing_keeps_it(
    on, counting_indicator, page_a1, superuser, municipality_a1
):
    created = counting_indicator(Query.INFORMATION_CREATED)
    regional = counting_indicator(Query.INFORMATION_CREATED, scope=Indicator.Scope.REGION)
    # New Year's night in Helsinki, still the old year in UTC: the count is the new year's.
    on(datetime.datetime(2024, 12, 31, 22, 30, tzinfo=datetime.UTC))
    swedish = page_a1.versions.get(language="sv")

    services.version_publish(actor=superuser, version=swedish)

    assert number(created, municipality_a1, "2025") == 1
    assert number(regional, None, "2025") == 1
    assert number(created, municipality_a1, "2024") is None  # not touched

    on(datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC))
    services.version_withdraw(actor=superuser, version=swedish)
    services.version_publish(actor=superuser, version=swedish)  # again: not a new version

    assert number(created, municipality_a1, "2025") == 1


def test_reads_are_counted_at_once_each_time_with_the_immediate_backend(
    counting_indicator, site_a1, owner_a, municipality_a1
):
    used = counting_indicator(Query.INFORMATION_USED)
    page = page_of(site_a1, owner_a)
    use = read(page, "sv", D(2024, 5, 1), views=1)
    assert number(used, municipality_a1) == 1

    # A second read within the window counts too: there is no later run to wait for.
    Use.objects.filter(pk=use.pk).update(views=2, downloads=1)
    counting.uses_changed(site=site_a1, day=D(2024, 5, 1))

    assert number(used, municipality_a1) == 3


def test_with_a_worker_the_reads_are_counted_once_per_site_and_day_after_the_window(
    settings, counting_indicator, site_a1, site_a2, owner_a, municipality_a1
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEMMA_INFO_RECOUNT_SECONDS = 60
    used = counting_indicator(Query.INFORMATION_USED)
    page = page_of(site_a1, owner_a)
    Use.objects.create(page=page, language="sv", day=D(2024, 5, 1), views=2)
    before = timezone.now()

    for _read in range(3):
        counting.uses_changed(site=site_a1, day=D(2024, 5, 1))
    counting.uses_changed(site=site_a2, day=D(2024, 5, 1))  # another site: its own gate
    counting.uses_changed(site=site_a1, day=D(2024, 5, 2))  # another day: its own gate

    queued = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [task.args_kwargs["args"] for task in queued] == [
        [site_a1.pk, "2024-05-01"],
        [site_a2.pk, "2024-05-01"],
        [site_a1.pk, "2024-05-02"],
    ]
    assert all(task.run_after >= before + datetime.timedelta(seconds=60) for task in queued)
    assert number(used, municipality_a1) is None  # not counted in the request

    # What the worker runs after the window: every read of the window counted.
    Use.objects.filter(page=page).update(views=5)
    count_information_used.call(site_a1.pk, "2024-05-01")

    assert number(used, municipality_a1) == 5


def test_the_task_for_a_site_removed_since_counts_nothing(site_a1):
    site_id = site_a1.pk
    site_a1.delete()

    assert count_information_used.call(site_id, "2024-05-01") == 0


def test_a_period_of_an_approved_round_is_left_as_approved(
    counting_indicator, programme_a, site_a1, owner_a, municipality_a1
):
    created = counting_indicator(Query.INFORMATION_CREATED)
    used = counting_indicator(Query.INFORMATION_USED)
    page = published(site_a1, owner_a, at(2024, 3, 1), "sv")
    read(page, "sv", D(2024, 3, 2), views=4)
    Round.objects.create(
        programme=programme_a, period="2024", deadline=D(2025, 2, 1), state=Round.State.APPROVED
    )

    published(site_a1, owner_a, at(2024, 9, 1), "sv", "ar")
    read(page, "sv", D(2024, 9, 2), views=10)

    assert (number(created, municipality_a1), number(used, municipality_a1)) == (1, 4)


def test_making_an_indicator_count_information_fills_its_past_years(
    action_a, site_a1, owner_a, municipality_a1
):
    page = published(site_a1, owner_a, at(2023, 3, 1), "sv", "ar")
    Use.objects.create(page=page, language="sv", day=D(2024, 3, 2), views=4)

    def make(query) -> Indicator:
        return indicator_create(
            actor=None,
            action=action_a,
            name={"sv": "Material"},
            kind=Indicator.Kind.COUNT,
            source=Indicator.Source.REGISTRY,
            query=query,
        )

    created, used = make(Query.INFORMATION_CREATED), make(Query.INFORMATION_USED)

    assert number(created, municipality_a1, "2023") == 2
    assert number(used, municipality_a1, "2024") == 4
    assert number(used, municipality_a1, "2023") is None  # nothing read that year: left as it is
    assert number(created, municipality_a1, "2025") is None


def test_counting_takes_as_many_queries_whatever_the_number_of_pages_and_reads(
    counting_indicator, site_a1, site_a2, site_region_a, owner_a
):
    indicators = [
        counting_indicator(Query.INFORMATION_CREATED),
        counting_indicator(Query.INFORMATION_USED, kinds=["sv"]),
        counting_indicator(Query.INFORMATION_USED, scope=Indicator.Scope.REGION),
    ]
    sites = [site_a1, site_a2, site_region_a]

    def add(n: int) -> None:
        for i in range(n):
            page = page_of(sites[i % 3], owner_a)
            for language in ("sv", "ar"):
                Version.objects.create(
                    page=page, language=language, first_published_at=at(2023 + i % 3, 1 + i % 12, 3)
                )
                Use.objects.create(page=page, language=language, day=D(2024, 1 + i % 12, 1 + i))

    def queries() -> int:
        Measurement.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            computed_values_refresh(indicators=indicators)
        return len(captured)

    add(2)
    small = queries()
    add(20)

    assert queries() == small


def test_publishing_takes_as_many_queries_whatever_the_number_of_pages(
    counting_indicator, site_a1, owner_a
):
    counting_indicator(Query.INFORMATION_CREATED)
    counting_indicator(Query.INFORMATION_USED)

    def queries() -> int:
        # Each time from no values, so that both runs write the same way (create).
        Measurement.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            counting.material_changed(site=site_a1, when=[D(2024, 5, 1)])
        return len(captured)

    published(site_a1, owner_a, at(2024, 3, 1), "sv")
    small = queries()
    for _page in range(15):
        page = published(site_a1, owner_a, at(2024, 4, 1), "sv", "fi")
        Use.objects.create(page=page, language="sv", day=D(2024, 4, 2), views=3)

    assert queries() == small


# -- what may be counted -----------------------------------------------------------------------


def problems(**given) -> list[tuple[str, str]]:
    given.setdefault("kind", Indicator.Kind.COUNT)
    given.setdefault("scope", Indicator.Scope.MUNICIPALITY)
    given.setdefault("query_kinds", [])
    return counting_problems(**given)


@pytest.mark.parametrize("scope", [Indicator.Scope.MUNICIPALITY, Indicator.Scope.REGION])
@pytest.mark.parametrize("query", [Query.INFORMATION_CREATED, Query.INFORMATION_USED])
def test_information_may_be_counted_in_any_language_for_either_scope(query, scope):
    assert problems(query=query, scope=scope) == []
    assert problems(query=query, scope=scope, query_kinds=["ar", "ckb"]) == []


def test_created_may_be_a_frequency_band_but_used_only_a_count():
    band = Indicator.Kind.FREQUENCY_BAND
    assert problems(query=Query.INFORMATION_CREATED, kind=band) == []
    assert [p[0] for p in problems(query=Query.INFORMATION_USED, kind=band)] == ["kind"]
    for kind in (Indicator.Kind.COUNT_WITH_PARTICIPANTS, Indicator.Kind.SURVEY):
        assert [p[0] for p in problems(query=Query.INFORMATION_CREATED, kind=kind)] == ["kind"]


def test_the_kinds_of_information_must_be_language_codes():
    (form,) = problems(query=Query.INFORMATION_USED, query_kinds=["ar", "klingon"])
    (document,) = problems(
        query=Query.INFORMATION_CREATED, query_kinds=["meeting_place"], document=True
    )

    assert form == ("query_kinds", "Choose among the languages.")
    assert document[0] == "query_kinds"
    assert "“meeting_place” are not language codes" in document[1]


def test_the_services_refuse_a_kind_that_is_not_a_language(action_a):
    with pytest.raises(ValidationError) as refused:
        indicator_create(
            actor=None,
            action=action_a,
            name={"sv": "Skapat"},
            kind=Indicator.Kind.COUNT,
            source=Indicator.Source.REGISTRY,
            query=Query.INFORMATION_CREATED,
            query_kinds=["event"],
        )

    assert "query_kinds" in refused.value.message_dict
    assert not Indicator.objects.filter(query=Query.INFORMATION_CREATED).exists()


def form_data(**fields) -> dict:
    return {
        "name_sv": "Skapat material",
        "kind": "count",
        "period": "year",
        "scope": "municipality",
        "source": "registry",
        **fields,
    }


def test_the_form_counts_the_languages_ticked_for_the_information_queries(programme_a):
    # The activities' kinds left ticked from before are not the information's.
    form = IndicatorForm(
        data=form_data(
            query="information_used", query_kinds=["event"], query_languages=["ar", "so"]
        ),
        programme=programme_a,
    )

    assert form.is_valid(), form.errors
    assert form.counting() == {
        "source": "registry",
        "query": "information_used",
        "query_kinds": ["ar", "so"],
        "query_survey": "",
        "query_question": "",
    }
    assert IndicatorForm.initial_counting(
        Indicator(source="registry", query="information_created", query_kinds=["ar"])
    ) == {"source": "registry", "query": "information_created", "query_languages": ["ar"]}


def test_the_form_refuses_a_kind_of_indicator_the_query_does_not_count(programme_a):
    form = IndicatorForm(
        data=form_data(query="information_used", kind="frequency_band"), programme=programme_a
    )

    assert not form.is_valid()
    assert "kind" in form.errors
    assert "An indicator of kind “Frequency band” cannot be counted" in form.errors["kind"][0]


def test_the_form_refuses_a_language_it_does_not_know(programme_a):
    form = IndicatorForm(
        data=form_data(query="information_created", query_languages=["xx"]),
        programme=programme_a,
    )

    assert not form.is_valid()
    assert list(form.errors) == ["query_languages"]


def test_the_form_page_offers_the_languages_to_count(client_for, coordinator_region, programme_a):
    indicator = Indicator.objects.get(action__programme=programme_a)
    url = reverse(
        "programmes:indicator_edit", args=["programme-a", "joint-meetings", indicator.key]
    )

    page = client_for(coordinator_region).get(url).text

    assert "Languages counted" in page
    assert str(Query.INFORMATION_CREATED.label) in page
    assert 'value="ar"' in page and "العربية" in page


# -- the programme format ----------------------------------------------------------------------


def seed_indicator(document, key) -> tuple[str, dict]:
    for t, theme in enumerate(document["programme"]["themes"]):
        for g, goal in enumerate(theme["goals"]):
            for a, action in enumerate(goal["actions"]):
                for i, indicator in enumerate(action.get("indicators", [])):
                    if indicator["key"] == key:
                        return f"programme.themes[{t}].goals[{g}].actions[{a}].indicators[{i}]", (
                            indicator
                        )
    raise KeyError(key)


def test_the_seed_counts_its_information_material_from_the_hub(seed_document):
    _path, created = seed_indicator(seed_document, "skapat-material")
    _path, used = seed_indicator(seed_document, "anvant-material")

    assert (created["source"], created["counted_from"]) == (
        "registry",
        {"query": "information_created"},
    )
    assert (used["source"], used["counted_from"]) == ("registry", {"query": "information_used"})
    assert document_problems(seed_document) == []


def test_a_document_counts_information_in_languages_and_refuses_other_kinds(seed_document):
    document = copy.deepcopy(seed_document)
    path, used = seed_indicator(document, "anvant-material")
    used["counted_from"]["kinds"] = ["ar", "fa"]
    assert document_problems(document) == []

    used["counted_from"]["kinds"] = ["ar", "klingon"]
    (unknown,) = document_problems(document)
    assert (unknown.path, unknown.field) == (f"{path}.counted_from.kinds[1]", "kinds")
    assert "“klingon” is not allowed" in unknown.message

    used["counted_from"]["kinds"] = ["ar", "event"]  # a kind of activity, not a language
    (other_query,) = document_problems(document)
    assert other_query.path == f"{path}.counted_from"
    assert "“event” are not language codes" in other_query.message

    used["counted_from"] = {"query": "information_used"}
    used["kind"] = "frequency_band"
    (wrong_kind,) = document_problems(document)
    assert wrong_kind.path == f"{path}.counted_from"


# -- where it comes from -----------------------------------------------------------------------


def test_the_counted_url_is_the_municipality_s_information_site_or_the_list_of_sites(
    counting_indicator, programme_a, site_a1, municipality_a1, municipality_a2
):
    year = periods.parse("2024")
    created = counting_indicator(Query.INFORMATION_CREATED)
    here = Place(code="101", municipality=municipality_a1, name="A-stad")
    without_site = Place(code="102", municipality=municipality_a2, name="A-by")
    region = Place(code="region", municipality=None, name="Region A")

    assert counted_url(programme_a, created, year, here) == (
        reverse("information:site", args=["a-stad"]) + "?period=2024"
    )
    sites = reverse("information:sites") + "?period=2024"
    assert counted_url(programme_a, created, year, without_site) == sites
    assert counted_url(programme_a, created, year, region) == sites


def test_the_grid_links_a_counted_value_to_the_information_site(
    client_for, coordinator_region, counting_indicator, site_a1, owner_a
):
    counting_indicator(Query.INFORMATION_CREATED)
    published(site_a1, owner_a, at(2024, 3, 1), "sv", "ar")

    page = client_for(coordinator_region).get("/en/programmes/programme-a/values/2024/101/").text

    assert reverse("information:site", args=["a-stad"]) in page
    assert "from the information pages" in page


def test_the_site_page_shows_page_by_page_what_a_value_counts_in_its_period(
    client_for, coordinator_region, counting_indicator, site_a1, owner_a, municipality_a1
):
    created = counting_indicator(Query.INFORMATION_CREATED)
    used = counting_indicator(Query.INFORMATION_USED, kinds=["ar"])
    guide = published(site_a1, owner_a, at(2024, 3, 1), "sv", "ar")
    published(site_a1, owner_a, at(2023, 3, 1), "sv")  # another year: not in 2024's figures
    read(guide, "ar", datetime.date(2024, 6, 1), views=7, downloads=2)
    read(guide, "sv", datetime.date(2024, 6, 1), views=40)  # not in the Arabic count
    computed_values_refresh(indicators=[created, used], periods=["2024"])
    here = Place(code="101", municipality=municipality_a1, name="A-stad")
    client = client_for(coordinator_region)

    created_figures = client.get(
        counted_url(created.action.programme, created, periods.parse("2024"), here)
    )
    used_figures = client.get(counted_url(used.action.programme, used, periods.parse("2024"), here))

    figures = created_figures.context["figures"]
    assert figures.published == number(created, municipality_a1) == 2
    assert [row.page for row in figures.rows] == [guide]
    arabic = used_figures.context["figures"]
    assert arabic.used == number(used, municipality_a1) == 9
    assert "Figures for 2024" in used_figures.text
