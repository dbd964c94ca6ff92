"""A year (2025) of made-up activities for the demo's seed programme.

So that the indicators counted from the activity registry (the seed's meeting places,
courses, children's and young people's activities, events, joint events, lectures and joint
meetings: `counted_from` in examples/integrationsprogram-2023-2025.yaml) have records to
count, and the registry's pages have something to show: weekly meeting places (one record
each, with its dates and recurrence, not one per week), courses, activities for children
and young people, events, lectures, information sessions, meetings with the wellbeing
services county, network meetings and the region's joint meetings, each linked to the
seed's action(s) it serves, organised by the seed's organisations, in the languages used,
with participants (and for some a breakdown by age group or gender, never names).

Every record is created through `activity_create`, so the computed values of 2025 and their
statuses come out of the real counting code. The registry was taken into use in 2025: the
values of 2023 and 2024 stay typed in (hemma/followup/demo.py). How many records of each
kind a municipality has follows its size and, where one was typed in, last year's figure
(a little more or a little less), so the statuses against the seed's targets are a mix.
The same records every time: the numbers come from a `random.Random` with a fixed seed.

Beside them, three years (2023–2025) of service statistics per municipality
(`demo_statistics_load`), from which the seed's integration plans are counted.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from hemma.followup.demo import POPULATION, RATES
from hemma.followup.models import Measurement
from hemma.organisations.models import Municipality, Organisation
from hemma.programmes.models import Action, Programme
from hemma.registries.models import Activity, ServiceStatistic
from hemma.registries.services import activity_create, statistics_record_many

YEAR = 2025
SEED = 20250101
NOTE = "Demodata: påhittad aktivitet för att visa registret."
# Languages used beside Swedish and Finnish, the more the bigger the municipality.
LANGUAGES = ("en", "ar", "uk", "ru", "so", "fa", "ti", "ckb")
Kind = Activity.Kind
Recurrence = Activity.Recurrence


@dataclass(frozen=True)
class _Where:
    municipality: Municipality
    size: float  # inhabitants / 10,000

    @property
    def name(self) -> str:
        return self.municipality.name.get("sv") or self.municipality.code


# What the counted indicators count: indicator key → (action key, titles to choose from).
# The indicator key gives last year's typed-in figure (and the rate when there is none).
_COUNTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "motesplatser": (
        "skapa-motesplatser",
        (
            "Språkcafé",
            "Internationellt kvinnocafé",
            "Mötesplats Kompis",
            "Familjecafé",
            "Öppet hus för nya invånare",
            "Stickcafé",
            "Spelkväll för alla",
            "Promenadgruppen",
        ),
    ),
    "kurser-och-deltagare": (
        "kurser-vid-medborgarinstitut",
        (
            "Svenska för nybörjare",
            "Finska i vardagen",
            "Simkurs för vuxna",
            "Cykelkurs för kvinnor",
            "Datakunskap och e-tjänster",
            "Matlagning från världens kök",
            "Sömnad och återbruk",
            "Svenska, fortsättningskurs",
            "Digitala bankärenden",
            "Trädgårdsodling",
        ),
    ),
    "aktiviteter-och-deltagare": (
        "fritids-och-sprakaktiviteter",
        (
            "Läxhjälp och språkklubb",
            "Fotbollsskola",
            "Simskola för barn",
            "Sommarläger",
            "Bibliotekets sagostund",
            "Ungdomskväll",
            "Dansgrupp för flickor",
            "Skridskoskola",
            "Kreativ verkstad",
            "Sommarjobbsträning för unga",
            "Naturdag för familjer",
            "Musikklubb",
        ),
    ),
    "evenemang-och-deltagare": (
        "kulturella-aktiviteter",
        (
            "Mångkulturell familjefest",
            "Världens dag",
            "Filmkväll med diskussion",
            "Konsert: musik från hela världen",
            "Matfestival",
            "Självständighetsdagen tillsammans",
            "Berättarkväll",
        ),
    ),
}


def demo_activities_load(*, programme: Programme) -> int:
    """Record the demo's activities of `programme`'s region, unless it has activities
    already; how many. A second run adds nothing."""
    region = programme.region
    if Activity.objects.filter(region=region).exists():
        return 0
    rng = random.Random(SEED)
    places = [
        _Where(m, POPULATION.get(m.code, 8_000) / 10_000)
        for m in programme.municipalities.order_by("code")
    ]
    actions = {
        a.key: a for a in Action.objects.filter(programme=programme).select_related("programme")
    }
    organisations = {o.key: o for o in Organisation.objects.filter(region=region)}
    before = _typed_in(programme, str(YEAR - 1))
    records: list[dict[str, Any]] = []

    def add(**fields: Any) -> None:
        """Keep a record to create: actions and organisations by key, as objects (the
        service then reads no more of them); what the programme lacks is left out."""
        fields["actions"] = [actions[key] for key in fields["actions"] if key in actions]
        if not fields["actions"]:
            return  # a programme without the seed's action: nothing to serve
        fields["organiser"] = organisations.get(fields.get("organiser") or "")
        fields["partners"] = [
            organisations[k] for k in fields.get("partners", ()) if k in organisations
        ]
        fields.setdefault("note", NOTE)
        records.append(fields)

    every = [w.municipality for w in places]
    for where in places:
        languages = _languages(where, rng)
        for indicator_key, (action_key, titles) in _COUNTED.items():
            count = _planned(indicator_key, where, before, rng)
            for title in _titles(titles, count, rng):
                add(**_counted_record(indicator_key, action_key, title, where, languages, rng))
        # Joint events with the third sector and the parish (band 1–3 a year), beside the
        # region's integration forum below: none to three of the municipality's own.
        for n in range(rng.randint(0, 2) + (1 if where.size >= 1.5 else 0)):
            day = _day(rng, months=(3, 4, 5, 9, 10))
            add(
                kind=Kind.EVENT,
                title=(
                    "Föreningarnas integrationsdag",
                    "Träff med församlingen och föreningarna",
                    "Vänskapsmiddag",
                )[n % 3]
                + f" i {where.name}",
                municipalities=[where.municipality],
                actions=["arliga-sammankomster"],
                organiser="kommunen",
                partners=["tredje-sektorn", "forsamlingen"],
                starts_on=day,
                participants=rng.randint(30, 90),
                languages=languages,
            )
        # Lectures on diversity and inclusion for the third sector (one region-wide below).
        lectures = max(0, _planned("antal-forelasningar", where, before, rng) - 1)
        for n in range(lectures):
            add(
                kind=Kind.LECTURE,
                title=(
                    "Föreläsning: mångfald i föreningslivet",
                    "Utbildning: inkluderande ledarskap",
                    "Föreläsning: kulturmedvetenhet i vardagen",
                    "Utbildning: klarspråk för föreningar",
                )[n % 4]
                + f" ({where.name})",
                municipalities=[where.municipality],
                actions=["forelasningar-mangfald"],
                organiser="kommunen",
                partners=["tredje-sektorn"],
                starts_on=_day(rng, months=(2, 3, 4, 10, 11)),
                participants=rng.randint(12, 45),
                languages=["sv", "fi"],
            )
        # Information before the municipal elections of 13 April 2025, in several languages.
        add(
            kind=Kind.INFORMATION,
            title=f"Infotillfälle om kommunalvalet i {where.name}",
            municipalities=[where.municipality],
            actions=["medborgaraktivitet-och-valdeltagande", "aktuell-information"],
            organiser="integrationsansvariga",
            partners=["tredje-sektorn"],
            starts_on=datetime.date(YEAR, 3, rng.randint(3, 28)),
            participants=rng.randint(15, 60),
            languages=languages,
        )
        # Regular meetings with the wellbeing services county, one record for the year.
        add(
            kind=Kind.COUNTY_MEETING,
            title=f"Samverkansmöten med välfärdsområdet ({where.name})",
            municipalities=[where.municipality],
            actions=["social-och-halsovardstjanster"],
            organiser="integrationsansvariga",
            partners=["valfardsomradet"],
            starts_on=datetime.date(YEAR, 2, rng.randint(3, 20)),
            ends_on=datetime.date(YEAR, 11, rng.randint(3, 28)),
            recurrence=Recurrence.IRREGULAR,
            sessions=rng.randint(3, 5),
            languages=["sv", "fi"],
        )
        # Meetings between the municipality's units.
        add(
            kind=Kind.NETWORK_MEETING,
            title=f"Integrationsträffar mellan enheterna i {where.name}",
            municipalities=[where.municipality],
            actions=["integration-i-alla-enheter"],
            organiser="integrationsansvariga",
            partners=["kommunens-enheter"],
            starts_on=datetime.date(YEAR, 1, rng.randint(13, 31)),
            ends_on=datetime.date(YEAR, 12, rng.randint(1, 12)),
            recurrence=Recurrence.IRREGULAR,
            sessions=rng.randint(3, 6),
            languages=["sv"],
        )
        if where.size >= 1:
            add(
                kind=Kind.NETWORK_MEETING,
                title=f"Rådgivnings- och servicenätverket för unga ({where.name})",
                municipalities=[where.municipality],
                actions=["uppsokande-ungdomsarbete"],
                organiser="grundlaggande-utbildning",
                partners=["foregangarna", "jobcenter"],
                starts_on=datetime.date(YEAR, 1, 20),
                ends_on=datetime.date(YEAR, 12, 8),
                recurrence=Recurrence.MONTHLY,
                sessions=10,
                languages=["sv", "fi"],
            )
            # The youth workshop's own open days, which its reporter records (demo user
            # "forening": an organisation reporter sees and adds only these).
            add(
                kind=Kind.CHILDREN_YOUTH,
                title=f"Öppen verkstadsdag för unga nyanlända ({where.name})",
                municipalities=[where.municipality],
                actions=["uppsokande-ungdomsarbete"],
                organiser="foregangarna",
                starts_on=datetime.date(YEAR, 3, 18),
                ends_on=datetime.date(YEAR, 11, 18),
                recurrence=Recurrence.MONTHLY,
                sessions=8,
                languages=["sv", "fi", "ar"],
                participants=20 + round(where.size * 5),
            )

    # For the whole region: the joint meetings of those responsible for integration work
    # (the seed's band 2–4 a year), hosted in turn; the integration forum with the third
    # sector and the parish; a lecture; information on the health and social services.
    hosts = [w.name for w in places]
    for n, day in enumerate(
        (
            datetime.date(YEAR, 2, 12),
            datetime.date(YEAR, 5, 14),
            datetime.date(YEAR, 9, 17),
            datetime.date(YEAR, 11, 19),
        )
    ):
        add(
            kind=Kind.JOINT_MEETING,
            title=f"Regionens integrationsmöte {n + 1}/{YEAR}",
            municipalities=[],
            actions=["regelbundna-traffar"],
            organiser="kommunerna",
            partners=["sakkunniga"] if n == 2 else [],
            starts_on=day,
            participants=rng.randint(7, 12),
            languages=["sv", "fi"],
            note=f"Demodata: värd {hosts[n % len(hosts)]}.",
        )
    add(
        kind=Kind.NETWORK_MEETING,
        title=f"Integrationsforum {YEAR}",
        municipalities=every,
        actions=["arliga-sammankomster"],
        organiser="kommunerna",
        partners=["tredje-sektorn", "forsamlingen", "valfardsomradet"],
        starts_on=datetime.date(YEAR, 10, 8),
        participants=74,
        participants_by_gender={"women": 46, "men": 26, "other": 2},
        languages=["sv", "fi", "en"],
    )
    add(
        kind=Kind.LECTURE,
        title="Föreläsning: mångfald och inkludering i tredje sektorn",
        municipalities=every,
        actions=["forelasningar-mangfald"],
        organiser="kommunerna",
        partners=["tredje-sektorn"],
        starts_on=datetime.date(YEAR, 4, 23),
        participants=58,
        languages=["sv", "fi"],
    )
    add(
        kind=Kind.INFORMATION,
        title="Så fungerar social- och hälsovården: information på flera språk",
        municipalities=every,
        actions=["social-och-halsovardstjanster", "aktuell-information"],
        organiser="valfardsomradet",
        partners=["tolktjanstproducenter", "integrationsansvariga"],
        starts_on=datetime.date(YEAR, 9, 4),
        ends_on=datetime.date(YEAR, 9, 25),
        recurrence=Recurrence.WEEKLY,
        sessions=4,
        participants=96,
        languages=["sv", "fi", "ar", "uk", "so"],
    )
    add(
        kind=Kind.INFORMATION,
        title="Invånarguiden: trivsamt boende och sophantering",
        municipalities=[w.municipality for w in places if w.size >= 1],
        actions=["invanarguiden"],
        organiser="bostadsbolagen",
        partners=["kommunerna"],
        starts_on=datetime.date(YEAR, 5, 20),
        participants=41,
        languages=["sv", "ar", "uk", "ti"],
    )

    with transaction.atomic():
        for fields in records:
            activity_create(actor=None, region=region, fields=fields)
    return len(records)


def _typed_in(programme: Programme, period: str) -> dict[tuple[str, int], float]:
    """Last year's typed-in figures of the counted indicators: (indicator key, municipality
    id) → number."""
    return {
        (key, municipality_id): float(number or 0)
        for key, municipality_id, number in Measurement.objects.filter(
            indicator__action__programme=programme,
            indicator__key__in=[*_COUNTED, "antal-forelasningar"],
            municipality__isnull=False,
            period=period,
            number__isnull=False,
        ).values_list("indicator__key", "municipality_id", "number")
    }


def _planned(
    indicator_key: str, where: _Where, before: dict[tuple[str, int], float], rng: random.Random
) -> int:
    """How many records to make: about last year's figure, a little more or a little less
    (about the kind's rate for the municipality's size if none was typed in); never none."""
    last = before.get((indicator_key, where.municipality.pk))
    if last is None:
        rate, growth = RATES.get(indicator_key, (3, 0.1))
        last = rate * where.size * (1 + growth) ** 2
    return max(1, round(last) + rng.choice((-1, -1, 0, 1, 1, 2)))


def _titles(titles: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """`count` titles from the list, numbered when the list runs out ("Fotbollsskola 2")."""
    order = list(titles)
    rng.shuffle(order)
    return [
        order[n % len(order)] + (f" {n // len(order) + 1}" if n >= len(order) else "")
        for n in range(count)
    ]


def _languages(where: _Where, rng: random.Random) -> list[str]:
    extra = min(len(LANGUAGES), max(1, round(where.size * 3)))
    return ["sv", "fi", *rng.sample(LANGUAGES[: extra + 1], extra)]


def _day(rng: random.Random, *, months: Sequence[int]) -> datetime.date:
    return datetime.date(YEAR, rng.choice(months), rng.randint(1, 28))


def _counted_record(
    indicator_key: str,
    action_key: str,
    title: str,
    where: _Where,
    languages: list[str],
    rng: random.Random,
) -> dict[str, Any]:
    """One record that the indicator counts, shaped by its kind."""
    fields: dict[str, Any] = {
        "title": f"{title} i {where.name}",
        "municipalities": [where.municipality],
        "actions": [action_key],
        "languages": rng.sample(languages, k=min(len(languages), rng.randint(2, 4))),
    }
    if indicator_key == "motesplatser":
        # A weekly meeting place: all year, or one term. Participants: visits in all.
        term = rng.choice(("year", "year", "spring", "autumn"))
        starts_on, ends_on = {
            "year": (datetime.date(YEAR, 1, 8), datetime.date(YEAR, 12, 17)),
            "spring": (datetime.date(YEAR, 1, 15), datetime.date(YEAR, 5, 28)),
            "autumn": (datetime.date(YEAR, 8, 27), datetime.date(YEAR, 12, 10)),
        }[term]
        sessions = 40 if term == "year" else 17
        fields.update(
            kind=Kind.MEETING_PLACE,
            organiser=rng.choice(("tredje-sektorn", "forsamlingen", "fritid-och-kultur")),
            partners=["integrationsansvariga"],
            starts_on=starts_on,
            ends_on=ends_on,
            recurrence=Recurrence.WEEKLY,
            sessions=sessions,
            participants=sessions * rng.randint(6, 18),
        )
        if "Familjecafé" in title:
            fields["actions"].append("familjeanpassad-fritidsservice")
        return fields
    if indicator_key == "kurser-och-deltagare":
        starts_on = _day(rng, months=(1, 2, 3, 9, 10))
        weeks = rng.randint(6, 10)
        participants = rng.randint(8, 16)
        fields.update(
            kind=Kind.COURSE,
            organiser="vuxen-och-medborgarinstitut",
            partners=["fritid-och-kultur"] if rng.random() < 0.4 else [],
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(weeks=weeks - 1),
            recurrence=Recurrence.WEEKLY,
            sessions=weeks,
            participants=participants,
        )
        if rng.random() < 0.5:
            women = rng.randint(participants // 2, participants)
            fields["participants_by_gender"] = {"women": women, "men": participants - women}
        if title.startswith(("Svenska", "Finska")):
            fields["actions"].append("delta-i-befintlig-undervisning")
        return fields
    if indicator_key == "aktiviteter-och-deltagare":
        participants = rng.randint(8, 30)
        if title.startswith(("Sommarläger", "Sommarjobb", "Naturdag")):
            starts_on = datetime.date(YEAR, rng.choice((6, 7)), rng.randint(2, 20))
            days = 1 if title.startswith("Naturdag") else 5
            dates = {
                "starts_on": starts_on,
                "ends_on": starts_on + datetime.timedelta(days=days - 1) if days > 1 else None,
                "recurrence": Recurrence.ONCE,
                "sessions": days,
            }
        else:
            spring = rng.random() < 0.5
            dates = {
                "starts_on": datetime.date(YEAR, 1 if spring else 8, rng.randint(13, 28)),
                "ends_on": datetime.date(YEAR, 5 if spring else 12, rng.randint(1, 15)),
                "recurrence": Recurrence.WEEKLY,
                "sessions": rng.randint(12, 16),
            }
        fields.update(
            kind=Kind.CHILDREN_YOUTH,
            organiser=rng.choice(("fritidssektorn", "tredje-sektorn", "grundlaggande-utbildning")),
            partners=["tredje-sektorn"],
            participants=participants,
            **dates,
        )
        if rng.random() < 0.5:
            older = rng.randint(0, participants // 2)
            fields["participants_by_age"] = {"0-17": participants - older, "18-29": older}
        return fields
    # An event of a day, open to all.
    participants = rng.randint(30, 220)
    fields.update(
        kind=Kind.EVENT,
        organiser=rng.choice(("fritid-och-kultur", "tredje-sektorn", "forsamlingen")),
        partners=["tredje-sektorn"],
        starts_on=_day(rng, months=(2, 5, 6, 8, 9, 11, 12))
        if "Självständighetsdagen" not in title
        else datetime.date(YEAR, 12, 6),
        participants=participants,
    )
    if rng.random() < 0.4:
        children = rng.randint(participants // 5, participants // 2)
        adults = participants - children
        fields["participants_by_age"] = {
            "0-17": children,
            "18-29": adults // 3,
            "30-64": adults - adults // 3 - adults // 8,
            "65+": adults // 8,
        }
    return fields


# -- service statistics ----------------------------------------------------------------------

STATISTICS_YEARS = (2023, 2024, 2025)
STATISTICS_SEED = 20230101
STATISTICS_SOURCE = "Demodata: kommunens klientdatasystem"
Measure = ServiceStatistic.Measure
# A year's figures per 10,000 inhabitants, before the year's swing (a larger intake in 2023,
# after the arrivals with temporary protection, then a little lower): initial assessments,
# the share of them that led to an integration plan, the share of the plans reviewed in the
# year, the share of the assessed directed to a service within six months, and meetings with
# an interpreter.
_ASSESSMENTS_PER_10K = 21.0
_PLAN_SHARE = 0.62
_REVIEWED_SHARE = 0.38
_DIRECTED_SHARE = 0.7
_INTERPRETED_PER_10K = 64.0
_YEAR_FACTOR = {2023: 1.15, 2024: 1.0, 2025: 0.92}


def demo_statistics_load(*, programme: Programme) -> int:
    """Record three years (2023–2025) of made-up service statistics for `programme`'s
    municipalities, unless the region has statistics already; how many. A second run adds
    nothing.

    The figures follow each municipality's size (hemma.followup.demo.POPULATION), so that the
    small municipalities have some counts under the suppression threshold (5) — the plans
    reviewed in Larsmo and Kronoby — to show that they are kept in full here and left out
    where figures are published. The same figures every time (a fixed seed). Recorded through
    `statistics_record_many` as the system, so the indicators counted from a statistic get
    their values from the real counting code.
    """
    region = programme.region
    if ServiceStatistic.objects.filter(region=region).exists():
        return 0
    rng = random.Random(STATISTICS_SEED)
    items: list[dict[str, Any]] = []
    for municipality in programme.municipalities.order_by("code"):
        size = POPULATION.get(municipality.code, 8_000) / 10_000
        for year in STATISTICS_YEARS:
            swing = _YEAR_FACTOR[year] * rng.uniform(0.9, 1.1)
            assessed = max(2, round(_ASSESSMENTS_PER_10K * size * swing))
            plans = max(1, round(assessed * _PLAN_SHARE * rng.uniform(0.9, 1.1)))
            reviewed = max(1, round(plans * _REVIEWED_SHARE * rng.uniform(0.8, 1.2)))
            directed = min(assessed, round(assessed * _DIRECTED_SHARE * rng.uniform(0.85, 1.1)))
            interpreted = round(_INTERPRETED_PER_10K * size * swing * rng.uniform(0.85, 1.15))
            # Half days where the median falls between two clients' waits.
            median = Decimal(rng.randint(36, 90)) / 2
            figures = {
                Measure.INITIAL_ASSESSMENTS: assessed,
                Measure.INTEGRATION_PLANS: plans,
                Measure.PLANS_REVIEWED: reviewed,
                Measure.DIRECTED_IN_SIX_MONTHS: directed,
                Measure.MEDIAN_DAYS_TO_ASSESSMENT: median,
                Measure.INTERPRETED_MEETINGS: interpreted,
            }
            items.extend(
                {
                    "municipality": municipality,
                    "period": str(year),
                    "measure": measure,
                    "value": value,
                    "source": STATISTICS_SOURCE,
                }
                for measure, value in figures.items()
            )
    if not items:
        return 0
    with transaction.atomic():
        statistics_record_many(actor=None, region=region, items=items)
    return len(items)
