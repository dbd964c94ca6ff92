"""Three years of made-up values (2023–2025) for the demo's seed programme.

So that every view of the follow-up has something to show: values for each indicator of the
programme, for each of its municipalities (or for the region as a whole, for a joint
action), sized to each municipality, with a trend over the years and every status somewhere
(met, exceeded, partly met, not met, not due, and gaps, which are "no data"), and the 2025
round still going (some values missing). The indicators counted from the registries
(activities, friend persons, placements) get typed-in values for 2023 and 2024 only: their
2025 values are counted from the demo's records (`REGISTRY_FROM`); those that take a service
statistic or count the information sites get none, as those records cover every year.
Every value is recorded through `measurement_record_many` with the source "demo", so
statuses and the audit trail are the real ones, and its comment says "Demodata" in the
programme's language (Swedish). The same values every time: the numbers come from a
`random.Random` with a fixed seed.

Which values are the region's: those of the indicators followed up for the region as a whole
(`Indicator.scope`; in the seed, the joint meetings and the update of the programme). The
others have a value per municipality.

After loading, the values are made to look entered in the reporting round after each year
(see `_entered_in_the_round`): by "Demodata", on a day in January or February of the next
year, or in the last weeks for the year whose round is still going.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hemma.followup.models import Measurement, Round, Status
from hemma.followup.rounds import (
    assignment_ready_set,
    assignment_update,
    is_asked,
    measurements_of_round,
    round_approve,
    round_open,
)
from hemma.followup.selectors import REGION
from hemma.followup.services import ValueItem, assessment_record, measurement_record_many
from hemma.organisations.models import Municipality
from hemma.programmes.models import Action, Indicator, Programme
from hemma.registries.computing import computed_override_set

YEARS = (2023, 2024, 2025)
SEED = 20232025
# Who entered the demo values, as the grid shows it.
ENTERED_BY = "Demodata"
# Inhabitants, roughly, by official municipality code; others are taken as a small town.
POPULATION = {"598": 19_000, "599": 11_000, "440": 5_500, "893": 7_500, "288": 6_500}
DEFAULT_POPULATION = 8_000
# The year the demo's region took the activity registry into use: from then on the
# indicators counted from it (Indicator.source "registry") get their values from the records
# (hemma/registries/demo.py); the years before keep values typed in, as they were reported
# before the registry existed.
REGISTRY_FROM = 2025
# Of the values of the round still going (2025), the share not yet in.
MISSING_IN_LAST_YEAR = 0.2

Kind = Indicator.Kind

# Counts and statistics: how many per 10,000 inhabitants in 2023, and the yearly growth.
# (What is not named here takes the kind's usual figures.)
RATES: dict[str, tuple[float, float]] = {
    "integrationsplaner": (22, 0.0),
    "motesplatser": (3, 0.12),
    "antal-vanpersoner": (12, 0.1),
    "skapat-material": (5, 0.0),
    "anvant-material": (9, 0.15),
    "sysselsatta-inom-enheterna": (6, 0.1),
    "andra-inhemska-spraket": (9, 0.08),
    "antal-forelasningar": (1.2, 0.1),
    "parent-uppsokande": (14, 0.08),
    "party-ungdomsverkstaden": (8, 0.05),
    "umako-studier": (5, 0.1),
    "kurser-och-deltagare": (4, 0.1),
    "aktiviteter-och-deltagare": (6, 0.1),
    "evenemang-och-deltagare": (2, 0.1),
}
# Count with participants: participants per course, activity or event.
PARTICIPANTS = {
    "kurser-och-deltagare": (8, 14),
    "aktiviteter-och-deltagare": (6, 15),
    "evenemang-och-deltagare": (25, 60),
}
# Figures that are a share (%), not a count.
PERCENT = {"sysselsattning-unga": (58.0, 72.0)}
# Languages beyond Swedish, Finnish and English, in the order a municipality adds them.
LANGUAGES = ("ar", "uk", "ru", "so", "fa", "ckb", "ti", "kmr", "prs")

COMMENT = "Demodata: påhittat värde för att visa uppföljningen."
# The counted indicators whose demo records cover every year: they get no typed-in values.
_COUNTED_EVERY_YEAR = (
    Indicator.Query.STATISTIC,
    Indicator.Query.INFORMATION_CREATED,
    Indicator.Query.INFORMATION_USED,
)

# Why a counted indicator's value before REGISTRY_FROM is not the count of the records.
HISTORY = (
    "Demodata: registret togs i bruk 2025; värdet är det som rapporterades för året innan dess."
)
COMMENTS = {
    "not_done": "Demodata: blev inte av i år, flyttas till nästa år.",
    "milestone": "Demodata: genomgången gjord i budgeteringsskedet.",
    "update_pending": "Demodata: uppdateringen är inte aktuell ännu.",
    "update_done": "Demodata: nytt program enligt lagen 681/2023 godkänt.",
    "survey": "Demodata: andel svarande som är nöjda, från årets enkät.",
    "index": "Demodata: senaste poäng publicerad av THL.",
    "statistics": "Demodata: ur kommunens statistik.",
    "band_high": "Demodata: fler än planerat i år.",
    "band_low": "Demodata: färre än planerat i år.",
}


@dataclass
class _Where:
    municipality: Municipality | None  # None: the region as a whole
    size: float  # inhabitants / 10,000


def demo_values_load(*, programme: Programme, today: datetime.date | None = None) -> int:
    """Record the demo values of `programme`, unless it has values already; how many.

    `today` (the local date by default) dates the values of the round still going.
    """
    if Measurement.objects.filter(indicator__action__programme=programme).exists():
        return 0
    rng = random.Random(SEED)
    municipalities = [
        _Where(m, POPULATION.get(m.code, DEFAULT_POPULATION) / 10_000)
        for m in programme.municipalities.order_by("code")
    ]
    indicators = Indicator.objects.filter(action__programme=programme).select_related(
        "action__programme"
    )
    items: list[ValueItem] = []
    history: list[ValueItem] = []  # counted indicators' years before the registry
    for indicator in indicators.order_by(
        "action__goal__theme__position", "action__goal__position", "action__position", "position"
    ):
        joint = indicator.scope == Indicator.Scope.REGION
        places = [_Where(None, sum(w.size for w in municipalities))] if joint else municipalities
        for place in places:
            series = _series(indicator, place, rng)
            for year, (values, comment) in series.items():
                last = year == YEARS[-1] and place.municipality is not None
                if last and rng.random() < MISSING_IN_LAST_YEAR:
                    continue  # not reported yet: the round is still going
                item = ValueItem(
                    indicator=indicator,
                    municipality=place.municipality,
                    period=str(year),
                    values=values,
                    comment=comment,
                )
                if indicator.query in _COUNTED_EVERY_YEAR:
                    # Every year from the demo's service statistics (hemma/registries/demo.py)
                    # or information sites, used since 2023 (hemma/information/demo.py).
                    continue
                if indicator.source == Indicator.Source.REGISTRY:
                    # From REGISTRY_FROM counted from the demo's records (activities, friend
                    # persons, placements), before it typed in. (Sorted out after the
                    # draw above, so that the other values stay as they were.)
                    if year < REGISTRY_FROM:
                        history.append(item)
                    continue
                items.append(item)
    recorded = measurement_record_many(actor=None, items=items, source=Measurement.Source.DEMO)
    recorded += [_typed_in_before_the_registry(item) for item in history]
    _entered_in_the_round(recorded, today=today or timezone.localdate())
    return len(items) + len(history)


def _typed_in_before_the_registry(item: ValueItem) -> Measurement:
    """A year's figure of a counted indicator from before the registry was in use.

    The registry has no records of those years, so the count is 0; the figure reported then
    is kept as the coordinator's own number (an override, with its reason), which is also how
    a real region would carry its history over.
    """
    return computed_override_set(
        actor=None,
        indicator=item.indicator,
        municipality=item.municipality,
        period=item.period,
        number=item.values["number"],
        participants=item.values.get("participants"),
        justification=HISTORY,
    )


def _entered_in_the_round(recorded: list[Measurement], *, today: datetime.date) -> None:
    """Date each demo value in the reporting round after its year, entered by "Demodata".

    Recorded just now, every value would say it was entered today by no one. Demo data only:
    the dates and the name are set with a queryset update (bulk_update), past the recording
    service, which would stamp the time of saving; the audit trail keeps the real time of
    loading.
    """
    rng = random.Random(SEED)
    for measurement in sorted(recorded, key=lambda m: m.pk):
        year = int(measurement.period[:4])
        if year < YEARS[-1]:
            # A day in January or February of the next year.
            day = datetime.date(year + 1, 1, 8) + datetime.timedelta(days=rng.randint(0, 45))
        else:
            # The round still going: within the last three weeks.
            day = today - datetime.timedelta(days=rng.randint(1, 21))
        moment = datetime.datetime.combine(
            day, datetime.time(rng.randint(8, 15), rng.randint(0, 59))
        )
        measurement.entered_by_name = ENTERED_BY
        measurement.created_at = measurement.updated_at = timezone.make_aware(moment)
    Measurement.objects.bulk_update(
        recorded, ["entered_by_name", "created_at", "updated_at"], batch_size=500
    )


Series = dict[int, tuple[dict[str, Any], str]]


def _series(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    """The values of one indicator for one place, by year (a year left out has none)."""
    makers: dict[str, Callable[[Indicator, _Where, random.Random], Series]] = {
        Kind.MILESTONE: _milestone,
        Kind.ONGOING: _ongoing,
        Kind.FREQUENCY_BAND: _band,
        Kind.SURVEY: _survey,
        Kind.DELIVERABLE_LANGUAGES: _languages,
        Kind.EXTERNAL_INDEX: _index,
        Kind.COUNT_WITH_PARTICIPANTS: _with_participants,
    }
    return makers.get(indicator.kind, _count)(indicator, where, rng)


def _counts(indicator: Indicator, where: _Where, rng: random.Random) -> list[int]:
    """A count per year: the municipality's size times the rate, growing, with noise."""
    rate, growth = RATES.get(indicator.key, (5, 0.08))
    base = rate * where.size
    # Each municipality grows at its own pace around the indicator's; some fall back.
    pace = growth + rng.uniform(-0.12, 0.08)
    return [
        max(0, round(base * (1 + pace) ** i * rng.uniform(0.85, 1.15))) for i in range(len(YEARS))
    ]


def _count(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    if indicator.key in PERCENT:
        low, high = PERCENT[indicator.key]
        share = rng.uniform(low, high)
        series: Series = {}
        for year in YEARS:
            series[year] = ({"number": Decimal(f"{share:.1f}")}, COMMENTS["statistics"])
            share = min(100.0, max(0.0, share + rng.uniform(-2.0, 3.0)))
        return series
    comment = COMMENTS["statistics"] if indicator.kind == Kind.STATISTICS else COMMENT
    return {
        year: ({"number": number}, comment)
        for year, number in zip(YEARS, _counts(indicator, where, rng), strict=True)
    }


def _with_participants(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    low, high = PARTICIPANTS.get(indicator.key, (8, 15))
    return {
        year: ({"number": number, "participants": number * rng.randint(low, high)}, COMMENT)
        for year, number in zip(YEARS, _counts(indicator, where, rng), strict=True)
    }


def _band(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    """Mostly within the band; now and then one below it, or above it (more often in a big
    town or for the whole region, where more is going on)."""
    low = int(indicator.target_min if indicator.target_min is not None else 1)
    high = int(indicator.target_max if indicator.target_max is not None else low + 2)
    above = 0.25 if where.size >= 1.5 else 0.08
    series: Series = {}
    for year in YEARS:
        draw = rng.random()
        if draw < above:
            number = high + 1
        elif draw < above + 0.12:
            number = max(0, low - 1)
        else:
            number = rng.randint(low, high)
        comment = (
            COMMENTS["band_high"]
            if number > high
            else COMMENTS["band_low"]
            if number < low
            else COMMENT
        )
        series[year] = ({"number": number}, comment)
    return series


def _done_on(year: int, rng: random.Random) -> datetime.date:
    """A day in the autumn, when the budget is prepared."""
    return datetime.date(year, rng.choice((9, 10, 11)), rng.randint(1, 28))


def _milestone(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    years = indicator.target_years or 1
    if years > 1:
        # Done once, in the programme's last year (the next programme): not due before.
        return {
            **{year: ({"done": False}, COMMENTS["update_pending"]) for year in YEARS[:-1]},
            YEARS[-1]: (
                {"done": True, "done_on": datetime.date(YEARS[-1], 10, 20)},
                COMMENTS["update_done"],
            ),
        }
    series: Series = {}
    for year in YEARS:
        if rng.random() < 0.15:
            series[year] = ({"done": False}, COMMENTS["not_done"])
        else:
            series[year] = ({"done": True, "done_on": _done_on(year, rng)}, COMMENTS["milestone"])
    return series


def _ongoing(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    series: Series = {}
    for year in YEARS:
        done = rng.random() >= 0.12
        series[year] = ({"done": done}, COMMENT if done else COMMENTS["not_done"])
    return series


def _survey(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    """The share (%) of respondents who are satisfied, drifting from year to year."""
    share = rng.randint(55, 78)
    series: Series = {}
    for year in YEARS:
        series[year] = ({"number": share}, COMMENTS["survey"])
        share = min(100, max(0, share + rng.choice((-4, -2, 0, 2, 3, 5, 6))))
    return series


def _index(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    """A TEAviisari-like score (0–100). THL measures every second year: the score of 2023 is
    the one published then, 2024 brings a new measurement, 2025 none yet (left out)."""
    score = rng.randint(45, 72)
    return {
        YEARS[0]: ({"number": score}, COMMENTS["index"]),
        YEARS[1]: (
            {"number": min(100, score + rng.choice((-3, -1, 2, 4, 6, 8)))},
            COMMENTS["index"],
        ),
    }


def _languages(indicator: Indicator, where: _Where, rng: random.Random) -> Series:
    """Swedish, Finnish and English, and more languages the bigger the municipality."""
    count = min(len(LANGUAGES), max(1, round(where.size * 3)))
    series: Series = {}
    for year in YEARS:
        languages = ["sv", "fi", "en", *LANGUAGES[:count]]
        series[year] = ({"languages": languages}, COMMENT)
        count = min(len(LANGUAGES), max(0, count + rng.choice((-1, 0, 0, 1, 1))))
    return series


# -- rounds ------------------------------------------------------------------------------------

# Reporters' e-mail addresses in the demo: the reminders go to the console, never out.
# {code}: the municipality's code, or "region" for those who report for the region as a whole.
DEMO_EMAIL = "rapportor.{code}@example.org"
ASSESSED = ("regelbundna-traffar", "2024")


def demo_rounds_load(*, programme: Programme, actor, today: datetime.date) -> int:
    """The demo's reporting rounds, unless the programme has rounds already; how many.

    2023 and 2024 are approved (locked); 2025 is open with its deadline three weeks from
    `today`, and the reporters who have reported everything are marked ready, so that the
    overview and the dashboard show a round under way. A manual assessment of 2024 shows
    beside its computed status. `actor` is the demo's region coordinator.
    """
    if Round.objects.filter(programme=programme).exists():
        return 0
    assessed = Action.objects.filter(programme=programme, key=ASSESSED[0]).first()
    if assessed is not None:
        assessment_record(
            actor=actor,
            action=assessed,
            municipality=None,
            period=ASSESSED[1],
            status=Status.MET,
            justification=(
                "Demodata: ett av årets gemensamma möten hölls som en gemensam "
                "utbildningsdag, som vi räknar som ett möte."
            ),
        )
    opened = []
    for year in YEARS:
        deadline = (
            datetime.date(year + 1, 2, 28) if year < YEARS[-1] else today + datetime.timedelta(21)
        )
        round = round_open(actor=actor, programme=programme, period=str(year), deadline=deadline)
        opened.append(round)
    for round in opened:
        reported = measurements_of_round(round)
        assignments = list(
            round.assignments.select_related("municipality").prefetch_related("actions__indicators")
        )
        for assignment in assignments:
            code = assignment.municipality.code if assignment.municipality else REGION
            assignment_update(
                actor=actor,
                assignment=assignment,
                email=DEMO_EMAIL.format(code=code),
                name=assignment.name,
            )
            complete = all(
                (indicator.pk, assignment.municipality_id, round.period) in reported
                for action in assignment.actions.all()
                for indicator in action.indicators.all()
                if indicator.period == Indicator.Period.YEAR
                and is_asked(indicator, assignment.municipality_id)
            )
            if complete:
                assignment_ready_set(actor_or_link=actor, assignment=assignment, ready=True)
        if round.period != str(YEARS[-1]):
            round_approve(actor=actor, round=round)
    return len(opened)
