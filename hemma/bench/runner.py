"""`hemma bench`: the operations of issue 8 timed against their floors (docs/performance.md).

Each operation runs once to warm up (its queries are counted then, with
CaptureQueriesContext), then `repeat` times timed with time.perf_counter; its floor, the raw
SQL that fetches the same rows through the same connection, is timed the same way in the same
run, right after it. The figures are the median and the 95th percentile (nearest rank) of
the runs, and the ratio of the operation's median to its floor's.

What is measured is chosen deterministically: the first bench region (by key), its first
approved programme, that programme's first municipality (by code), the first yearly indicator
followed up in each municipality, and the first one counted from activities. Pages go through
the Django test client as the region's coordinator (a user "bench-coordinator" made for it),
the API with that user's token: the whole request, middleware and templates included, without
a network. The years: the latest year of the programme without an approved round (where the
work happens: its grid is editable, its computed values are counted again; an approved period
is left as it was) and the latest approved year (the reports and the open data).
"""

import datetime
import gc
import json
import math
import os
import platform
import statistics
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation

from hemma.accounts.models import ApiToken, Membership, User
from hemma.accounts.services import token_create
from hemma.followup.models import Measurement, Round
from hemma.lib import periods
from hemma.organisations.models import Municipality, Region
from hemma.programmes.models import Action, Indicator, Programme
from hemma.programmes.policies import EVERYTHING
from hemma.public import opendata
from hemma.registries.computing import computed_values_refresh
from hemma.registries.models import Activity
from hemma.reports.building import ReportSpec, build

# The regions `hemma bench-data` makes (hemma/bench/data.py).
BENCH_PREFIX = "bench-"
COORDINATOR = "bench-coordinator"
TOKEN_NAME = "bench"  # noqa: S105 - the token's name, not its secret
# Reports and the national file take seconds a run: they run this many times at most.
HEAVY_REPEAT = 5
API_PAGE = 500

# The targets of issue 8 (on its 2-core machine, PostgreSQL).
PAGE_RATIO = 2.0
PAGE_P95 = 0.200
COMPUTED_RATIO = 2.0
PDF_P95 = 5.0
CSV_P95 = 30.0
# The national file's peak memory for all programmes against half of them: flat, not double.
CSV_MEMORY_GROWTH = 1.5


class NoBenchData(Exception):
    """The database has nothing to measure (no bench region, or no approved programme)."""


# -- statistics ------------------------------------------------------------------------------


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile by nearest rank: the smallest sample at or above 95 % of them."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(0.95 * len(ordered)), 1) - 1]


def timed(run: Callable[[], Any], *, repeat: int) -> list[float]:
    """The seconds each of `repeat` runs took."""
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        found.append(time.perf_counter() - start)
    return found


def counted(run: Callable[[], Any]) -> tuple[int, Any]:
    """(the number of queries, what it gave) of one run: the warm-up."""
    with CaptureQueriesContext(connection) as queries:
        given = run()
    return len(queries), given


# -- what is measured ------------------------------------------------------------------------


@dataclass
class Subject:
    region: Region
    programme: Programme
    municipality: Municipality
    indicator: Indicator  # its history across the municipalities
    computed: Indicator | None  # counted from the activities
    national: list[Indicator]  # the same indicator in every programme
    work_year: int  # the latest year without an approved round
    approved_year: int | None  # the latest approved year
    coordinator: User
    token: str

    def describe(self) -> dict[str, Any]:
        return {
            "region": self.region.key,
            "programme": self.programme.slug,
            "municipality": self.municipality.code,
            "indicator": f"{self.indicator.action.key}/{self.indicator.key}",
            "computed": (
                f"{self.computed.action.key}/{self.computed.key}" if self.computed else None
            ),
            "computed_programmes": len(self.national),
            "work_year": self.work_year,
            "approved_year": self.approved_year,
        }


def _table_order(queryset):
    return queryset.order_by(
        "action__goal__theme__position",
        "action__goal__position",
        "action__position",
        "action_id",
        "position",
        "id",
    )


def subject_pick(*, prefix: str = BENCH_PREFIX) -> Subject:
    """What the operations read (module docstring); regions whose key starts with `prefix`
    ("" for any region: the demo, a test). Makes the bench coordinator and a new token."""
    programme = (
        Programme.objects.filter(region__key__startswith=prefix, status=Programme.Status.APPROVED)
        .select_related("region")
        .order_by("region__key", "slug")
        .first()
    )
    if programme is None:
        raise NoBenchData("no approved programme in a region whose key starts with " + prefix)
    municipality = programme.municipalities.order_by("code").first()
    if municipality is None:
        raise NoBenchData(f"the programme {programme.slug} covers no municipality")
    yearly = Indicator.objects.filter(
        action__programme=programme,
        period=Indicator.Period.YEAR,
        scope=Indicator.Scope.MUNICIPALITY,
    ).select_related("action")
    indicator = _table_order(yearly).first()
    if indicator is None:
        raise NoBenchData(f"the programme {programme.slug} has no yearly indicator")
    counting = dict(
        source=Indicator.Source.REGISTRY,
        query=Indicator.Query.ACTIVITIES,
        scope=Indicator.Scope.MUNICIPALITY,
        period=Indicator.Period.YEAR,
    )
    # Of the programme's indicators counting activities, the one most programmes have (by its
    # action's key and its own): the national figure of one indicator.
    everywhere = Counter(
        Indicator.objects.filter(
            **counting, action__programme__status=Programme.Status.APPROVED
        ).values_list("action__key", "key")
    )
    candidates = list(_table_order(yearly.filter(**counting)))
    computed = max(candidates, key=lambda i: everywhere[(i.action.key, i.key)], default=None)
    national = []
    if computed is not None:
        # That indicator in every approved programme, where it counts the same kinds.
        national = [
            i
            for i in Indicator.objects.filter(
                **counting,
                action__key=computed.action.key,
                key=computed.key,
                action__programme__status=Programme.Status.APPROVED,
            ).select_related("action__programme")
            if sorted(i.query_kinds or []) == sorted(computed.query_kinds or [])
        ]
    approved = [
        periods.parse(code)
        for code in Round.objects.filter(
            programme=programme, state=Round.State.APPROVED
        ).values_list("period", flat=True)
    ]
    years = range(programme.period_start, programme.period_end + 1)
    locked = {y for y in years for p in approved if p.start.year <= y <= p.end.year}
    open_years = [y for y in years if y not in locked]
    coordinator = _coordinator(programme.region)
    ApiToken.objects.filter(user=coordinator, name=TOKEN_NAME).delete()
    _token, secret = token_create(user=coordinator, name=TOKEN_NAME)
    return Subject(
        region=programme.region,
        programme=programme,
        municipality=municipality,
        indicator=indicator,
        computed=computed,
        national=national,
        work_year=open_years[-1] if open_years else programme.period_end,
        approved_year=max(locked) if locked else None,
        coordinator=coordinator,
        token=secret,
    )


def _coordinator(region: Region) -> User:
    user, made = User.objects.get_or_create(username=COORDINATOR)
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, role=Membership.Role.REGION_COORDINATOR, region=region
    )
    return user


# -- the floors: raw SQL of the same rows ----------------------------------------------------


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _values_of_actions(programme_id: int, period: str, where: str, params: Sequence) -> list:
    """The programme's actions and indicators with their values of `period` (LEFT JOIN)."""
    # Table names from the models; every value a parameter.
    sql = f"""
        SELECT a.id, a.key, a.title, i.id, i.key, i.name, i.kind, i.period, i.scope, i.unit,
               i.target_type, i.target_min, i.target_max, m.id, m.municipality_id, m.number,
               m.participants, m.done, m.done_on, m.languages, m.comment, m.status,
               m.version, m.source
        FROM {_table(Action)} a
        JOIN {_table(Indicator)} i ON i.action_id = a.id
        LEFT JOIN {_table(Measurement)} m ON m.indicator_id = i.id AND m.period = %s {where}
        WHERE a.programme_id = %s
        ORDER BY a.position, a.id, i.position, i.id
    """  # noqa: S608
    return _fetch(sql, [period, *params, programme_id])


def floor_grid(subject: Subject) -> Callable[[], list]:
    return lambda: _values_of_actions(
        subject.programme.pk,
        str(subject.work_year),
        "AND m.municipality_id = %s",
        [subject.municipality.pk],
    )


def floor_dashboard(subject: Subject) -> Callable[[], list]:
    return lambda: _values_of_actions(subject.programme.pk, str(subject.work_year), "", [])


def floor_history(subject: Subject) -> Callable[[], list]:
    # Table names from the models; every value a parameter.
    sql = f"""
        SELECT m.id, mu.code, m.period, m.number, m.participants, m.done, m.done_on,
               m.status, m.source, m.comment
        FROM {_table(Measurement)} m
        LEFT JOIN {_table(Municipality)} mu ON mu.id = m.municipality_id
        WHERE m.indicator_id = %s
    """  # noqa: S608
    return lambda: _fetch(sql, [subject.indicator.pk])


def floor_counts(indicators: Sequence[Indicator], year: int, *, municipality_id=None):
    """One GROUP BY over the activities serving the indicators' actions, of their regions and
    kinds, overlapping `year`: (action, municipality, activities, participants)."""
    first = indicators[0]
    actions = sorted({i.action_id for i in indicators})
    regions = sorted({i.action.programme.region_id for i in indicators})
    kinds = list(first.query_kinds or [])
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    through = Activity.actions.through
    places = Activity.municipalities.through
    where = [
        f"aa.action_id IN ({_marks(actions)})",
        f"a.region_id IN ({_marks(regions)})",
        "a.starts_on <= %s",
        "(a.ends_on >= %s OR (a.ends_on IS NULL AND a.starts_on >= %s))",
    ]
    params: list[Any] = [*actions, *regions, end, start, start]
    if kinds:
        where.append(f"a.kind IN ({_marks(kinds)})")
        params += kinds
    if municipality_id is not None:
        where.append("am.municipality_id = %s")
        params.append(municipality_id)
    # Table names from the models; every value a parameter.
    sql = f"""
        SELECT aa.action_id, am.municipality_id, COUNT(*), SUM(a.participants)
        FROM {_table(Activity)} a
        JOIN {_table(through)} aa ON aa.activity_id = a.id
        JOIN {_table(places)} am ON am.activity_id = a.id
        WHERE {" AND ".join(where)}
        GROUP BY aa.action_id, am.municipality_id
    """  # noqa: S608
    return lambda: _fetch(sql, params)


def floor_api(subject: Subject, page: int) -> Callable[[], list]:
    """The API's page: the count of the programme's values, and `page` of them in its order."""
    joins = f"""
        FROM {_table(Measurement)} m
        JOIN {_table(Indicator)} i ON i.id = m.indicator_id
        JOIN {_table(Action)} a ON a.id = i.action_id
        JOIN {_table(Programme)} p ON p.id = a.programme_id
    """
    count = f"SELECT COUNT(*) {joins} WHERE p.id = %s"
    rows = f"""
        SELECT m.id, p.slug, a.key, i.key, mu.code, m.period, m.number, m.participants,
               m.done, m.done_on, m.languages, m.comment, m.source, m.status, m.version,
               u.username, m.updated_at
        {joins}
        LEFT JOIN {_table(Municipality)} mu ON mu.id = m.municipality_id
        LEFT JOIN {_table(User)} u ON u.id = m.entered_by_id
        WHERE p.id = %s
        ORDER BY p.slug, a.position, a.id, i.position, i.id, mu.code NULLS FIRST, m.period, m.id
        LIMIT %s
    """

    def run() -> list:
        _fetch(count, [subject.programme.pk])
        return _fetch(rows, [subject.programme.pk, page])

    return run


# -- the operations --------------------------------------------------------------------------


@dataclass
class Operation:
    name: str
    title: str
    run: Callable[[], Any]
    floor: Callable[[], Any] | None = None
    # "page" (within PAGE_RATIO of its floor and under PAGE_P95), "computed", "pdf", "csv"
    # or "" (no target: absolute time only).
    target: str = ""
    heavy: bool = False
    # What the number a run gives counts, kept in the notes ("rows", "written").
    gives: str = "rows"
    # Measured once after the runs, added to the result's notes (the CSV's peak memory).
    extra: Callable[[], dict[str, Any]] | None = None


@dataclass
class Result:
    name: str
    title: str
    runs: int
    median: float
    p95: float
    queries: int
    floor_median: float | None = None
    floor_p95: float | None = None
    floor_queries: int | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    notes: dict[str, Any] = field(default_factory=dict)


class BenchFailed(Exception):
    """An operation did not do what it measures (an error page, no rows)."""


def _ok(response, name: str):
    if response.status_code != 200:
        raise BenchFailed(f"{name}: {response.status_code} from {response.request['PATH_INFO']}")
    return response


def operations(subject: Subject) -> list[Operation]:
    client = Client()
    client.force_login(subject.coordinator, backend="django.contrib.auth.backends.ModelBackend")
    api = Client(headers={"Authorization": f"Bearer {subject.token}"})
    programme, year = subject.programme, subject.work_year
    with translation.override(programme.language):
        grid_url = reverse(
            "followup:grid", args=[programme.slug, str(year), subject.municipality.code]
        )
        dashboard_url = reverse("followup:dashboard", args=[programme.slug, str(year)])
        frame_url = reverse("accounts:me")
        history_url = reverse(
            "followup:indicator",
            args=[programme.slug, subject.indicator.action.key, subject.indicator.key],
        )
    found = [
        Operation(
            "frame",
            "The smallest staff page (the user's own page): the request's middleware, "
            "session, login and base template, for comparison with the pages",
            lambda: _ok(client.get(frame_url), "frame"),
        ),
        Operation(
            "grid",
            "Programme table with statuses, one municipality and year (grid page)",
            lambda: _ok(client.get(grid_url), "grid"),
            floor_grid(subject),
            target="page",
        ),
        Operation(
            "dashboard",
            "Status matrix of the programme for a year (follow-up page)",
            lambda: _ok(client.get(dashboard_url), "dashboard"),
            floor_dashboard(subject),
            target="page",
        ),
        Operation(
            "history",
            "An indicator's history across the region's municipalities (indicator page)",
            lambda: _ok(client.get(history_url), "history"),
            floor_history(subject),
            target="page",
        ),
    ]
    computed = subject.computed
    if computed is not None:
        one = subject.municipality
        found.append(
            Operation(
                "computed-one",
                "A computed indicator counted again, one municipality and year",
                lambda: computed_values_refresh(
                    indicators=[computed], municipalities=[one], periods=[str(year)]
                ),
                floor_counts([computed], year, municipality_id=one.pk),
                target="computed",
                gives="written",
            )
        )
        national = subject.national
        found.append(
            Operation(
                "computed-national",
                f"The same computed indicator for every municipality ({len(national)} "
                "programmes), one year",
                lambda: computed_values_refresh(indicators=national, periods=[str(year)]),
                floor_counts(national, year),
                target="computed",
                gives="written",
            )
        )

    def api_page() -> list:
        query: dict[str, str | int] = {"programme": programme.slug, "limit": API_PAGE}
        return _ok(api.get("/api/v1/values", query), "api-values").json()["items"]

    # The floor fetches as many rows as the API gives (it may cap the page below API_PAGE).
    page = len(api_page())
    found.append(
        Operation(
            "api-values",
            f"API value listing, one page (asked {API_PAGE}, given {page})",
            api_page,
            floor_api(subject, page),
            target="page",
        )
    )
    approved = subject.approved_year
    if approved is not None:
        for format, target in (("pdf", "pdf"), ("xlsx", "")):
            found.append(
                Operation(
                    f"report-{format}",
                    f"Yearly report of the region's programme, {format.upper()}",
                    _report(ReportSpec(programme=programme, period=str(approved), format=format)),
                    target=target,
                    heavy=True,
                )
            )
        csv_url = reverse("opendata:national_file", args=[approved])
        public = Client()
        found.append(
            Operation(
                "csv-national",
                f"National open-data CSV of {approved}, streamed",
                lambda: _consumed(_ok(public.get(csv_url), "csv-national")),
                target="csv",
                heavy=True,
                extra=lambda: csv_memory(approved),
            )
        )
    return found


def _report(spec: ReportSpec) -> Callable[[], bytes]:
    """The report built as `hemma report` builds it (reading everything)."""
    return lambda: build(spec, reader=EVERYTHING)


def _consumed(response) -> int:
    """The rows of a streamed CSV, read to its end as a client would."""
    return sum(chunk.count(b"\r\n") for chunk in response.streaming_content) - 1


def csv_memory(year: int) -> dict[str, Any]:
    """The national file's peak memory (tracemalloc) for half of the programmes and for all:
    two sizes of data in one run. Flat when the stream holds one programme at a time."""
    plan = opendata.national_year(year)
    found: dict[str, Any] = {}
    for label, part in (("half", plan[: len(plan) // 2]), ("all", plan)):
        if not part:
            continue
        gc.collect()
        tracemalloc.start()
        try:
            rows = sum(chunk.count(b"\r\n") for chunk in opendata.national_values_csv(part)) - 1
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        if label == "half":
            found["rows_half"] = rows
        found[f"peak_kib_{label}"] = round(peak / 1024)
    return found


# -- measuring -------------------------------------------------------------------------------


def measure(operation: Operation, *, repeat: int) -> Result:
    runs = min(repeat, HEAVY_REPEAT) if operation.heavy else repeat
    queries, given = counted(operation.run)
    times = timed(operation.run, repeat=runs)
    result = Result(
        name=operation.name,
        title=operation.title,
        runs=runs,
        median=median(times),
        p95=p95(times),
        queries=queries,
        target=operation.target,
    )
    size = _size(given)
    if size is not None:
        result.notes[operation.gives] = size
    if operation.floor is not None:
        floor_queries, floor_rows = counted(operation.floor)
        floor_times = timed(operation.floor, repeat=runs)
        result.floor_median = median(floor_times)
        result.floor_p95 = p95(floor_times)
        result.floor_queries = floor_queries
        result.ratio = result.median / result.floor_median if result.floor_median else None
        result.notes["floor_rows"] = len(floor_rows)
    if operation.extra is not None:
        result.notes.update(operation.extra())
    result.met = judged(result)
    return result


def _size(given: Any) -> int | None:
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    if isinstance(given, list):
        return len(given)
    return None


def judged(result: Result) -> bool | None:
    """Whether the result meets its target (None: it has none)."""
    if result.target == "page":
        return result.ratio is not None and result.ratio <= PAGE_RATIO and result.p95 < PAGE_P95
    if result.target == "computed":
        return result.ratio is not None and result.ratio <= COMPUTED_RATIO
    if result.target == "pdf":
        return result.p95 < PDF_P95
    if result.target == "csv":
        met = result.p95 < CSV_P95
        half, full = result.notes.get("peak_kib_half"), result.notes.get("peak_kib_all")
        if half and full:
            met = met and full <= CSV_MEMORY_GROWTH * half
        return met
    return None


TARGETS = {
    "page": f"≤{PAGE_RATIO:g}× floor, p95 <{PAGE_P95 * 1000:.0f} ms",
    "computed": f"≤{COMPUTED_RATIO:g}× GROUP BY",
    "pdf": f"p95 <{PDF_P95:g} s",
    "csv": f"p95 <{CSV_P95:g} s, flat memory",
    "": "",
}


def bench_run(
    *,
    repeat: int = 20,
    only: Sequence[str] = (),
    prefix: str = BENCH_PREFIX,
    progress: Callable[[str], None] | None = None,
) -> tuple[Subject, list[Result]]:
    """Pick the subject, then measure each operation (or those named in `only`)."""
    # The test client's requests name the host "testserver".
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        subject = subject_pick(prefix=prefix)
        chosen = [op for op in operations(subject) if not only or op.name in only]
        results = []
        for operation in chosen:
            if progress is not None:
                progress(operation.name)
            results.append(measure(operation, repeat=repeat))
    frame_compared(results)
    return subject, results


def frame_compared(results: Sequence[Result]) -> None:
    """Note each page's median as a multiple of the frame's (the smallest staff page): what
    a page costs beyond what any page costs, beside its ratio to the raw SQL."""
    frame = next((r for r in results if r.name == "frame"), None)
    if frame is None:
        return
    for result in results:
        if result.target == "page" and result.name != "api-values":
            result.notes["frame_ratio"] = round(result.median / frame.median, 1)


# -- output ----------------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:.1f}"


def table(results: Sequence[Result]) -> str:
    """The results for people: one line an operation, the target and ✓/✗ beside it."""
    head = ("operation", "runs", "median ms", "p95 ms", "queries", "floor ms", "ratio", "target")
    lines = [head]
    for r in results:
        mark = {True: "✓", False: "✗", None: ""}[r.met]
        lines.append(
            (
                r.name,
                str(r.runs),
                _ms(r.median),
                _ms(r.p95),
                str(r.queries),
                _ms(r.floor_median),
                "" if r.ratio is None else f"{r.ratio:.2f}×",
                f"{mark} {TARGETS[r.target]}".strip(),
            )
        )
    widths = [max(len(line[c]) for line in lines) for c in range(len(head))]
    text = [
        "  ".join(
            cell.ljust(width) if c in (0, 7) else cell.rjust(width)
            for c, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in lines
    ]
    text.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r.name}: {_notes(r.notes)}" for r in results if r.notes]
    return "\n".join(text + (["", *notes] if notes else []))


def _notes(notes: dict[str, Any]) -> str:
    return ", ".join(f"{key} {value}" for key, value in notes.items())


def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    server = ""
    if connection.vendor == "postgresql":
        server = _fetch("SHOW server_version", [])[0][0]
    return {
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": connection.vendor,
        "database_version": server,
    }


def as_json(subject: Subject, results: Sequence[Result], *, repeat: int) -> str:
    """The results for machines."""
    return json.dumps(
        {
            "taken_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "repeat": repeat,
            "subject": subject.describe(),
            "targets": {k: v for k, v in TARGETS.items() if k},
            "results": [asdict(r) for r in results],
        },
        ensure_ascii=False,
        indent=1,
    )
