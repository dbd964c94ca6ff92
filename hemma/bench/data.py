"""The national-scale synthetic data set the benchmark runs against (`hemma bench-data`).

What it makes, deterministically for a seed (every part draws from its own
random.Random("<seed>:<part>:<n>"), so a part does not shift when another changes):

- the municipalities ("Kommun 001" / "Kunta 001") grouped into regions "bench-01"… of about
  4–5 municipalities, a tenth of the regions a municipality alone;
- per region the seed programme's organisations and one approved programme cloned from the
  seed (examples/integrationsprogram-2023-2025.yaml, read through the real importer in a
  transaction that is rolled back), grown to 25–60 actions and 40–80 indicators by cloning
  the seed's actions and indicators, covering the region's municipalities and the last
  `years` years up to this one;
- the registries: activities (with their actions and municipalities), friend persons with
  active periods and matches, service statistics per municipality, year and measure;
- a value for every indicator, place (a municipality, or the region for a region-scope
  indicator) and period up to now: typed-in indicators get values of their kind's fields
  with the status of hemma.followup.services.measurement_status; computed indicators are
  counted from the records by hemma.registries.computing.computed_values_refresh (the real
  rule, so the values agree with the records by construction);
- a reporting round per programme and year, approved for every year but this one (after the
  counting: a refresh leaves approved periods alone).

The seed's indicators counted from a survey or from the information pages are made typed-in
indicators of the same kind here: the bench makes no surveys and no information sites.
Everything is written with bulk_create in large batches. Only ever run on a database that
holds nothing but bench data: `bench_data` refuses otherwise (unless forced, which erases it).
"""

import datetime
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from hemma.followup.models import Measurement, Round
from hemma.followup.services import WHOLE_KINDS, measurement_status
from hemma.followup.status import Recorded
from hemma.lib import periods
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.interchange.files import document_from_file
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.models import Action, ActionParty, Goal, Indicator, Programme, Theme
from hemma.registries.computing import computed_values_refresh
from hemma.registries.models import Activity, ServiceStatistic
from hemma.volunteers.models import ActivePeriod, Match, Volunteer

SEED_FILE = Path(settings.BASE_DIR) / "examples" / "integrationsprogram-2023-2025.yaml"
PREFIX = "bench-"
BATCH = 5000
Kind = Indicator.Kind

# The queries the bench has records for; an indicator of the seed counted otherwise (a
# survey, the information pages) is typed in here.
COUNTED = {
    Indicator.Query.ACTIVITIES,
    Indicator.Query.STATISTIC,
    Indicator.Query.VOLUNTEERS,
    Indicator.Query.PLACEMENTS,
}
INDICATOR_FIELDS = (
    "key",
    "name",
    "kind",
    "unit",
    "period",
    "target_type",
    "target_min",
    "target_max",
    "target_direction",
    "target_years",
    "source",
    "query",
    "query_kinds",
    "query_survey",
    "query_question",
    "scope",
    "counts_people",
    "position",
)
ACTION_FIELDS = (
    "key",
    "title",
    "responsible_per_municipality",
    "responsible_text",
    "partners_text",
    "followup",
    "position",
)
# Activities of these kinds are mostly the region's as a whole (no municipality named).
JOINT_KINDS = {Activity.Kind.JOINT_MEETING, Activity.Kind.COUNTY_MEETING}
LANGUAGES = [
    code for code in ("sv", "fi", "en", "ar", "so", "ru", "uk", "fa") if code in CONTENT_LANGUAGES
]


class Refused(Exception):
    """The database holds data that is not the bench's: nothing was changed."""


@dataclass(frozen=True)
class Scale:
    municipalities: int = 308
    years: int = 10
    activities: int = 1_000_000
    volunteers: int = 20_000
    seed: int = 1
    # The last year of the programmes (this year unless a test fixes it).
    this_year: int = field(default_factory=lambda: timezone.localdate().year)

    @property
    def first_year(self) -> int:
        return self.this_year - self.years + 1


# -- pure parts --------------------------------------------------------------------------------


def region_sizes(municipalities: int) -> list[int]:
    """How many municipalities each region has: about 4.4 on average (308 in 70), one region
    in ten a municipality alone, the rest as even as can be."""
    if municipalities < 1 or municipalities > 999:
        raise ValueError("between 1 and 999 municipalities (three-digit codes)")
    count = max(1, round(municipalities / 4.4))
    alone = count // 10
    shared = count - alone
    rest = municipalities - alone
    base, extra = divmod(rest, shared)
    return [1] * alone + [base + 1] * extra + [base] * (shared - extra)


def shares(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights`, the rounding spread so that it adds up."""
    whole = sum(weights)
    found, given, running = [], 0, 0
    for weight in weights:
        running += weight
        upto = total * running // whole
        found.append(upto - given)
        given = upto
    return found


def rng(scale: Scale, part: str, n: int | str = 0) -> random.Random:
    """The random numbers of one part (a str seed is hashed with SHA-512: the same in every
    process, whatever PYTHONHASHSEED)."""
    return random.Random(f"{scale.seed}:{part}:{n}")


def uuid_of(r: random.Random) -> uuid.UUID:
    return uuid.UUID(int=r.getrandbits(128), version=4)


def day_in(r: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=r.randint(0, max(0, (last - first).days)))


def period_list(kind: str, first: int, last: int, today: datetime.date) -> list[periods.Period]:
    """The periods of an indicator's kind within the years that have begun by `today`."""
    if kind == Indicator.Period.MULTI_YEAR:
        found = [periods.parse(f"{first}-{last}")] if last > first else []
    elif kind == Indicator.Period.HALF_YEAR:
        found = [periods.parse(f"{y}H{h}") for y in range(first, last + 1) for h in (1, 2)]
    elif kind == Indicator.Period.QUARTER:
        found = [periods.parse(f"{y}Q{q}") for y in range(first, last + 1) for q in (1, 2, 3, 4)]
    else:
        found = [periods.year(y) for y in range(first, last + 1)]
    return [p for p in found if p.start <= today]


def typed_value(r: random.Random, kind: str, period: periods.Period, before: Any) -> dict:
    """The fields of one typed-in value of `kind` (as hemma.followup.services would have
    cleaned them), near the value `before` of the same series (None at its start)."""
    if kind in (Kind.MILESTONE, Kind.ONGOING):
        done = r.random() < (0.45 if kind == Kind.MILESTONE else 0.85)
        return {"done": done, "done_on": day_in(r, period.start, period.end) if done else None}
    if kind == Kind.DELIVERABLE_LANGUAGES:
        return {"languages": [c for c in LANGUAGES if c in r.sample(LANGUAGES, r.randint(0, 4))]}
    if kind == Kind.SURVEY and r.random() < 0.3:
        return {"done": r.random() < 0.8, "done_on": None}
    if kind == Kind.FREQUENCY_BAND:
        return {"number": Decimal(r.randint(0, 6))}
    if kind in WHOLE_KINDS:
        base = int(before) if before is not None else r.randint(2, 60)
        number = max(0, round(base * r.uniform(0.8, 1.3)))
        fields: dict[str, Any] = {"number": Decimal(number)}
        if kind == Kind.COUNT_WITH_PARTICIPANTS:
            fields["participants"] = number * r.randint(3, 25)
        return fields
    low, high = (-20.0, 90.0) if kind == Kind.EXTERNAL_INDEX else (0.0, 100.0)
    middle = float(before) if before is not None else r.uniform(low, high)
    return {"number": Decimal(f"{min(high, max(low, middle + r.uniform(-8, 8))):.2f}")}


# -- the seed ----------------------------------------------------------------------------------


@dataclass
class SeedTree:
    """The seed programme as the importer makes it, in memory."""

    organisations: list[dict]
    # themes → goals → actions (each with its parties and indicators), as field dicts
    themes: list[dict]

    @property
    def actions(self) -> list[dict]:
        return [a for t in self.themes for g in t["goals"] for a in g["actions"]]


def seed_tree() -> SeedTree:
    """The seed imported through hemma.programmes.interchange, read back, and rolled back."""
    with SEED_FILE.open("rb") as stream:
        document = document_from_file(stream, name=SEED_FILE.name)
    with transaction.atomic():
        programme = programme_import(actor=None, document=document).programme
        organisations = [
            {"key": o.key, "name": o.name, "kind": o.kind}
            for o in Organisation.objects.filter(region=programme.region, municipality=None)
        ]
        themes = []
        for theme in programme.themes.order_by("position"):
            goals = []
            for goal in theme.goals.order_by("position"):
                actions = []
                for action in goal.actions.order_by("position"):
                    fields = {name: getattr(action, name) for name in ACTION_FIELDS}
                    fields["parties"] = [
                        (p.organisation.key, p.role, p.position)
                        for p in action.party_links.filter(municipality=None).select_related(
                            "organisation"
                        )
                    ]
                    fields["indicators"] = [
                        _counted_here({name: getattr(i, name) for name in INDICATOR_FIELDS})
                        for i in action.indicators.order_by("position")
                    ]
                    actions.append(fields)
                goals.append({"key": goal.key, "title": goal.title, "actions": actions})
            themes.append({"key": theme.key, "title": theme.title, "goals": goals})
        transaction.set_rollback(True)
    return SeedTree(organisations=organisations, themes=themes)


def _counted_here(fields: dict) -> dict:
    """An indicator counted from what the bench has no records of, typed in instead."""
    if fields["source"] == Indicator.Source.REGISTRY and fields["query"] not in COUNTED:
        fields.update(
            source=Indicator.Source.MANUAL,
            query="",
            query_kinds=[],
            query_survey="",
            query_question="",
        )
    return fields


# -- the run -----------------------------------------------------------------------------------


def check_bench_only(*, force: bool) -> bool:
    """Whether the database holds anything; Refused if it holds regions other than the
    bench's (unless `force`)."""
    others = Region.objects.exclude(key__startswith=PREFIX).count()
    if others and not force:
        raise Refused(
            f"The database holds {others} region(s) that are not bench data (keys not starting "
            f"with {PREFIX!r}). Use an empty database, or --force to erase everything in it."
        )
    return Region.objects.exists() or Activity.objects.exists()


def bench_data(*, scale: Scale, force: bool = False, out: Callable[[str], None] = print) -> dict:
    """Fill the database with the bench data set of `scale`; what was made, by kind of row,
    and the seconds each part took (under "seconds")."""
    began = time.perf_counter()
    if check_bench_only(force=force):
        with _timed(out, "erase the previous data"):
            call_command("flush", interactive=False, verbosity=0)
    made: dict[str, Any] = {"seconds": {}}
    maker = _Maker(scale, made, out)
    for name, part in (
        ("seed programme", maker.seed),
        ("regions and municipalities", maker.places),
        ("programmes", maker.programmes),
        ("activities", maker.activities),
        ("friend persons", maker.volunteers),
        ("service statistics", maker.statistics),
        ("typed-in values", maker.typed_values),
        ("computed values", maker.computed_values),
        ("reporting rounds", maker.rounds),
    ):
        started = time.perf_counter()
        with transaction.atomic():
            counts = part()
        seconds = time.perf_counter() - started
        made["seconds"][name] = round(seconds, 2)
        made.update(counts)
        listed = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        out(f"{name:<28} {seconds:8.1f} s   {listed}")
    # As after any large load, and as autovacuum leaves a database in use: statistics for the
    # query planner and, on PostgreSQL, the visibility map, without which an index-only scan
    # reads the table too (counting computed values took 364 ms instead of 225 before it).
    # VACUUM cannot run within a transaction (a test's): there, statistics only.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with _timed(out, "vacuum and analyze" if vacuum else "analyze"), connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
    made["seconds"]["total"] = round(time.perf_counter() - began, 2)
    out(f"{'total':<28} {made['seconds']['total']:8.1f} s")
    return made


@contextmanager
def _timed(out: Callable[[str], None], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    out(f"{name:<28} {time.perf_counter() - started:8.1f} s")


class _Maker:
    def __init__(self, scale: Scale, made: dict, out: Callable[[str], None]):
        self.scale = scale
        self.made = made
        self.out = out
        self.today = min(timezone.localdate(), datetime.date(scale.this_year, 12, 31))
        self.tree: SeedTree
        self.regions: list[Region] = []
        self.municipalities: dict[int, list[Municipality]] = {}  # by region id
        self.organisations: dict[int, list[Organisation]] = {}  # by region id
        self.programme_rows: list[Programme] = []
        self.actions: dict[int, list[Action]] = defaultdict(list)  # by programme id
        self.indicators: dict[int, list[Indicator]] = defaultdict(list)  # by programme id

    def seed(self) -> dict:
        self.tree = seed_tree()
        return {
            "seed actions": len(self.tree.actions),
            "seed indicators": sum(len(a["indicators"]) for a in self.tree.actions),
        }

    def places(self) -> dict:
        sizes = region_sizes(self.scale.municipalities)
        self.regions = Region.objects.bulk_create(
            Region(key=f"{PREFIX}{n:02d}", name={"sv": f"Region {n:02d}", "fi": f"Alue {n:02d}"})
            for n in range(1, len(sizes) + 1)
        )
        municipalities = []
        code = 0
        for region, size in zip(self.regions, sizes, strict=True):
            for _ in range(size):
                code += 1
                municipalities.append(
                    Municipality(
                        code=f"{code:03d}",
                        name={"sv": f"Kommun {code:03d}", "fi": f"Kunta {code:03d}"},
                        region=region,
                    )
                )
        for municipality in Municipality.objects.bulk_create(municipalities):
            self.municipalities.setdefault(municipality.region_id, []).append(municipality)
        organisations = Organisation.objects.bulk_create(
            Organisation(region=region, key=o["key"], name=o["name"], kind=o["kind"])
            for region in self.regions
            for o in self.tree.organisations
        )
        for organisation in organisations:
            self.organisations.setdefault(organisation.region_id, []).append(organisation)
        return {
            "regions": len(self.regions),
            "municipalities": len(municipalities),
            "organisations": len(organisations),
        }

    def programmes(self) -> dict:
        scale = self.scale
        self.programme_rows = Programme.objects.bulk_create(
            Programme(
                slug=f"{region.key}-programme",
                region=region,
                language="sv",
                title={
                    "sv": f"Integrationsprogram {region.name['sv']}",
                    "fi": f"Kotouttamisohjelma {region.name['fi']}",
                },
                kind=Programme.Kind.INTEGRATION_PROGRAMME,
                legal_basis="1386/2010 §32",
                period_start=scale.first_year,
                period_end=scale.this_year,
                status=Programme.Status.APPROVED,
            )
            for region in self.regions
        )
        Programme.municipalities.through.objects.bulk_create(
            Programme.municipalities.through(programme_id=p.pk, municipality_id=m.pk)
            for p in self.programme_rows
            for m in self.municipalities[p.region_id]
        )
        # Themes and goals as the seed's; each level in one bulk insert for every programme.
        themes = Theme.objects.bulk_create(
            Theme(programme=p, key=t["key"], title=t["title"], position=n)
            for p in self.programme_rows
            for n, t in enumerate(self.tree.themes)
        )
        theme_of = {(t.programme_id, t.key): t for t in themes}
        goals = Goal.objects.bulk_create(
            Goal(theme=theme_of[(p.pk, t["key"])], key=g["key"], title=g["title"], position=n)
            for p in self.programme_rows
            for t in self.tree.themes
            for n, g in enumerate(t["goals"])
        )
        goal_of = {(g.theme.programme_id, g.theme.key, g.key): g for g in goals}
        goal_key = {
            a["key"]: (t["key"], g["key"])
            for t in self.tree.themes
            for g in t["goals"]
            for a in g["actions"]
        }
        # The actions of each programme: the seed's, then clones up to 25–60 actions; the
        # indicators: the seed's, then clones (on the cloned actions first) up to 40–80.
        plans: list[tuple[Programme, dict, list[dict]]] = []  # (programme, action, indicators)
        for p in self.programme_rows:
            r = rng(self.scale, "programme", p.region.key)
            seed_actions = self.tree.actions
            seed_indicators = [i for a in seed_actions for i in a["indicators"]]
            n_actions = r.randint(max(25, len(seed_actions)), 60)
            n_indicators = r.randint(max(40, len(seed_indicators)), 80)
            mine = [(a, list(a["indicators"])) for a in seed_actions]
            clones: list[tuple[dict, list[dict]]] = []
            for n in range(n_actions - len(seed_actions)):
                source = seed_actions[n % len(seed_actions)]
                copy = {**source, "key": f"{source['key']}-{n // len(seed_actions) + 2}"}
                copy["position"] = source["position"] + 100 * (n // len(seed_actions) + 1)
                copy["source_key"] = source["key"]
                clones.append((copy, []))
            mine += clones
            for n in range(n_indicators - len(seed_indicators)):
                indicator = r.choice(seed_indicators)
                _action, listed = clones[n % len(clones)] if clones else r.choice(mine)
                listed.append(
                    {**indicator, "key": f"{indicator['key']}-{n + 2}", "position": 50 + n}
                )
            for action, listed in mine:
                plans.append((p, action, listed))
        actions = Action.objects.bulk_create(
            Action(
                programme=p,
                goal=goal_of[(p.pk, *goal_key[a.get("source_key", a["key"])])],
                **{name: a[name] for name in ACTION_FIELDS},
            )
            for p, a, _listed in plans
        )
        organisation_of = {
            (o.region_id, o.key): o for listed in self.organisations.values() for o in listed
        }
        parties = ActionParty.objects.bulk_create(
            ActionParty(
                action=action,
                organisation=organisation_of[(p.region_id, key)],
                role=role,
                position=position,
            )
            for action, (p, a, _listed) in zip(actions, plans, strict=True)
            for key, role, position in a["parties"]
        )
        indicators = Indicator.objects.bulk_create(
            (
                Indicator(action=action, **fields)
                for action, (_p, _a, listed) in zip(actions, plans, strict=True)
                for fields in listed
            ),
            batch_size=BATCH,
        )
        for made in actions:
            self.actions[made.programme_id].append(made)
        by_action = {made.pk: made for made in actions}
        for indicator in indicators:
            indicator.action = by_action[indicator.action_id]
            self.indicators[indicator.action.programme_id].append(indicator)
        return {
            "programmes": len(self.programme_rows),
            "actions": len(actions),
            "indicators": len(indicators),
            "action parties": len(parties),
        }

    def activities(self) -> dict:
        """About `scale.activities` activities, shared among the regions by their number of
        municipalities, mostly of the kinds and for the actions the region's indicators count."""
        counts = shares(
            self.scale.activities, [len(self.municipalities[r.pk]) for r in self.regions]
        )
        kinds = list(Activity.Kind.values)
        links = places = 0
        for region, programme, count in zip(self.regions, self.programme_rows, counts, strict=True):
            r = rng(self.scale, "activities", region.key)
            actions = self.actions[programme.pk]
            serving: dict[str, list[int]] = defaultdict(list)  # kind → actions counting it
            for indicator in self.indicators[programme.pk]:
                if indicator.query == Indicator.Query.ACTIVITIES:
                    for kind in indicator.query_kinds or kinds:
                        serving[kind].append(indicator.action_id)
            counted_kinds = sorted(serving)
            municipalities = [m.pk for m in self.municipalities[region.pk]]
            organisers = self.organisations[region.pk]
            made: list[Activity] = []
            served: list[list[int]] = []
            where: list[list[int]] = []
            for n in range(count):
                kind = (
                    r.choice(counted_kinds)
                    if counted_kinds and r.random() < 0.75
                    else r.choice(kinds)
                )
                year = r.randint(self.scale.first_year, self.scale.this_year)
                starts_on = day_in(
                    r, datetime.date(year, 1, 1), min(self.today, datetime.date(year, 12, 31))
                )
                recurrence = r.choices(Activity.Recurrence.values, weights=(70, 15, 10, 5))[0]
                ends_on = sessions = None
                if recurrence != Activity.Recurrence.ONCE:
                    ends_on = starts_on + datetime.timedelta(days=r.randint(14, 240))
                    step = 7 if recurrence == Activity.Recurrence.WEEKLY else 30
                    sessions = max(1, (ends_on - starts_on).days // step)
                action_ids = {
                    r.choice(serving[kind]) if serving.get(kind) else r.choice(actions).pk
                }
                if r.random() < 0.2:
                    action_ids.add(r.choice(actions).pk)
                if kind in JOINT_KINDS and r.random() < 0.8:
                    named: list[int] = []
                elif len(municipalities) > 1 and r.random() < 0.1:
                    named = r.sample(municipalities, 2)
                else:
                    named = [r.choice(municipalities)]
                made.append(
                    Activity(
                        code=uuid_of(r),
                        region=region,
                        kind=kind,
                        title=f"{kind.replace('_', ' ').capitalize()} {region.key}-{n + 1}",
                        organiser=r.choice(organisers) if r.random() < 0.8 else None,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        recurrence=recurrence,
                        sessions=sessions,
                        languages=r.sample(LANGUAGES, r.randint(1, 2)),
                        participants=None if r.random() < 0.05 else r.randint(2, 80),
                    )
                )
                served.append(sorted(action_ids))
                where.append(named)
            Activity.objects.bulk_create(made, batch_size=BATCH)
            through_actions = Activity.actions.through
            through_places = Activity.municipalities.through
            links += len(
                through_actions.objects.bulk_create(
                    (
                        through_actions(activity_id=a.pk, action_id=action_id)
                        for a, ids in zip(made, served, strict=True)
                        for action_id in ids
                    ),
                    batch_size=BATCH,
                )
            )
            places += len(
                through_places.objects.bulk_create(
                    (
                        through_places(activity_id=a.pk, municipality_id=m)
                        for a, ids in zip(made, where, strict=True)
                        for m in ids
                    ),
                    batch_size=BATCH,
                )
            )
        return {
            "activities": sum(counts),
            "activity-action links": links,
            "activity-municipality links": places,
        }

    def volunteers(self) -> dict:
        """Friend persons shared among the municipalities, each with one or two active periods
        and up to three matches."""
        every = [m for r in self.regions for m in self.municipalities[r.pk]]
        counts = shares(self.scale.volunteers, [1] * len(every))
        first = datetime.date(self.scale.first_year, 1, 1)
        made: list[Volunteer] = []
        spans: list[list[tuple[datetime.date, datetime.date | None]]] = []
        matches: list[list[tuple[int, datetime.date, datetime.date | None]]] = []
        number = 0
        for municipality, count in zip(every, counts, strict=True):
            r = rng(self.scale, "volunteers", municipality.code)
            for _ in range(count):
                number += 1
                recruited = day_in(r, first, self.today)
                made.append(
                    Volunteer(
                        code=uuid_of(r),
                        region_id=municipality.region_id,
                        municipality=municipality,
                        name=f"Vän {number:05d}",
                        email=f"van{number:05d}@example.org",
                        languages=r.sample(LANGUAGES, r.randint(1, 3)),
                        consent_on=recruited,
                        recruited_on=recruited,
                        training_completed_on=(
                            min(self.today, recruited + datetime.timedelta(days=r.randint(7, 90)))
                            if r.random() < 0.8
                            else None
                        ),
                    )
                )
                mine: list[tuple[datetime.date, datetime.date | None]] = []
                start = recruited + datetime.timedelta(days=r.randint(0, 60))
                while start <= self.today and len(mine) < 2:
                    until = start + datetime.timedelta(days=r.randint(90, 1500))
                    end = None if until >= self.today or r.random() < 0.3 else until
                    mine.append((start, end))
                    if end is None:
                        break
                    start = end + datetime.timedelta(days=r.randint(30, 400))
                spans.append(mine)
                paired = []
                for s, e in mine[: r.randint(0, 2)] if mine else []:
                    last = e or self.today
                    begins = day_in(r, s, last)
                    ends = day_in(r, begins, last) if e is not None or r.random() < 0.4 else None
                    paired.append((r.randint(1, 7), begins, ends))
                matches.append(paired)
        Volunteer.objects.bulk_create(made, batch_size=BATCH)
        periods_made = ActivePeriod.objects.bulk_create(
            (
                ActivePeriod(volunteer=v, starts_on=s, ends_on=e)
                for v, mine in zip(made, spans, strict=True)
                for s, e in mine
            ),
            batch_size=BATCH,
        )
        matches_made = Match.objects.bulk_create(
            (
                Match(
                    volunteer=v,
                    household_reference=f"H-{begins.year}-{n + 1:03d}",
                    household_size=size,
                    starts_on=begins,
                    ends_on=ends,
                )
                for v, paired in zip(made, matches, strict=True)
                for n, (size, begins, ends) in enumerate(paired)
            ),
            batch_size=BATCH,
        )
        return {
            "friend persons": len(made),
            "active periods": len(periods_made),
            "matches": len(matches_made),
        }

    def statistics(self) -> dict:
        """Every measure of every municipality for every year, the counts in proportion to a
        size drawn per municipality."""
        made = []
        for region in self.regions:
            for municipality in self.municipalities[region.pk]:
                r = rng(self.scale, "statistics", municipality.code)
                size = r.randint(5, 400)
                for year in range(self.scale.first_year, self.scale.this_year + 1):
                    for measure in ServiceStatistic.Measure.values:
                        if measure == ServiceStatistic.Measure.MEDIAN_DAYS_TO_ASSESSMENT:
                            value = Decimal(f"{r.uniform(10, 120):.1f}")
                        else:
                            value = Decimal(round(size * r.uniform(0.1, 1.5)))
                        made.append(
                            ServiceStatistic(
                                code=uuid_of(r),
                                region=region,
                                municipality=municipality,
                                period=str(year),
                                measure=measure,
                                value=value,
                                source="bench",
                            )
                        )
        ServiceStatistic.objects.bulk_create(made, batch_size=BATCH)
        return {"service statistics": len(made)}

    def typed_values(self) -> dict:
        """A value of every typed-in indicator, place and period, its status by the rules every
        recorder uses."""
        written = 0
        for programme in self.programme_rows:
            made: list[Measurement] = []
            mine = self.municipalities[programme.region_id]
            places: list[int | None] = [m.pk for m in mine]
            codes: dict[int | None, str] = {m.pk: m.code for m in mine}
            for indicator in self.indicators[programme.pk]:
                if indicator.source != Indicator.Source.MANUAL:
                    continue
                wanted = period_list(
                    indicator.period, programme.period_start, programme.period_end, self.today
                )
                for place in [None] if indicator.scope == Indicator.Scope.REGION else places:
                    # By natural keys, not ids: the same values whatever ids the rows get.
                    r = rng(
                        self.scale,
                        "values",
                        f"{programme.slug}:{indicator.action.key}:{indicator.key}:{codes.get(place)}",
                    )
                    series: dict[str, Measurement] = {}
                    before = None
                    for period in wanted:
                        fields = typed_value(r, indicator.kind, period, before)
                        before = fields.get("number")
                        series[period.code] = Measurement(
                            indicator=indicator,
                            municipality_id=place,
                            period=period.code,
                            source=Measurement.Source.DEMO,
                            entered_by_name="bench",
                            **fields,
                        )
                    for period in wanted:
                        value = series[period.code]
                        value.status = measurement_status(
                            indicator=indicator,
                            programme=programme,
                            period=period,
                            current=Recorded.of(value),
                            series=series,
                        )
                    made.extend(series.values())
            written += len(Measurement.objects.bulk_create(made, batch_size=BATCH))
        return {"typed-in values": written}

    def computed_values(self) -> dict:
        """The computed indicators' values, counted from the records by the real rule: one
        computed_values_refresh per programme (each a fixed number of queries)."""
        written = 0
        for programme in self.programme_rows:
            computed = [
                i for i in self.indicators[programme.pk] if i.source == Indicator.Source.REGISTRY
            ]
            written += computed_values_refresh(indicators=computed)
        return {"computed values": written}

    def rounds(self) -> dict:
        """A round per programme and year, approved (and so locked) for all but this year."""
        made = Round.objects.bulk_create(
            Round(
                programme=programme,
                period=str(year),
                deadline=datetime.date(year + 1, 2, 15),
                reminder_days=[14, 3],
                state=Round.State.APPROVED if year < self.scale.this_year else Round.State.OPEN,
                approved_at=(
                    datetime.datetime(year + 1, 2, 20, 12, tzinfo=datetime.UTC)
                    if year < self.scale.this_year
                    else None
                ),
            )
            for programme in self.programme_rows
            for year in range(programme.period_start, programme.period_end + 1)
        )
        return {"reporting rounds": len(made)}
