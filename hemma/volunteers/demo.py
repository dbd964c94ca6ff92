"""Made-up friend persons for the demo: about 25 of them over a programme's municipalities.

So that the seed's "Antal vänpersoner per år" has records to count and the friend persons'
pages have something to show: volunteers recruited in 2023–2025, most trained, active in
2024–2025 (some still), matched with newcomer households (a reference such as "H-2025-014"
and a size, never a name), speaking Swedish or Finnish and often another language. One has
been inactive since 2022, so that `hemma volunteers-anonymise` has work to do.

The people are plainly fictional (a first name and a surname drawn apart, e-mail addresses at
example.org, phone numbers made up). Every record goes through the
services, so the audit trail and the computed values come out of the real code. The same
records every time: the choices come from a `random.Random` with a fixed seed.
"""

import datetime
import random
import unicodedata
from typing import Any

from django.db import transaction

from hemma.followup.demo import DEFAULT_POPULATION, POPULATION
from hemma.programmes.models import Programme
from hemma.volunteers.models import Volunteer
from hemma.volunteers.services import match_add, period_add, volunteer_create

SEED = 20240301
HOW_MANY = 25
NOTE = "Demodata: påhittad vänperson."

FIRST_NAMES = (
    "Anna", "Johan", "Maria", "Mikael", "Sofia", "Erik", "Emma", "Jukka", "Aino", "Matti",
    "Leena", "Kristian", "Linnea", "Heikki", "Ida", "Tuomas", "Elsa", "Pekka", "Sara", "Ville",
    "Hanna", "Niklas", "Tiina", "Oskar", "Marja", "Greta",
)  # fmt: skip
SURNAMES = (
    "Holmström", "Virtanen", "Granqvist", "Mäkelä", "Björklund", "Korhonen", "Sundqvist",
    "Nieminen", "Lindholm", "Heikkinen", "Forsblom", "Laine", "Westerlund", "Koskinen",
    "Åkerman", "Rantanen", "Nyman", "Salonen", "Backlund", "Lehtonen", "Storbacka", "Hirvonen",
    "Ekholm", "Peltola", "Sjöberg", "Kallio",
)  # fmt: skip
# Languages beside Swedish and Finnish that some of them speak.
OTHER_LANGUAGES = ("en", "en", "en", "ar", "ru", "uk", "so", "fa")


def demo_volunteers_load(*, programme: Programme) -> int:
    """Record the demo's friend persons over `programme`'s municipalities, unless its region
    has friend persons already; how many. A second run adds nothing."""
    region = programme.region
    if Volunteer.objects.filter(region=region).exists():
        return 0
    municipalities = list(programme.municipalities.order_by("code"))
    if not municipalities:
        return 0
    rng = random.Random(SEED)
    weights = [POPULATION.get(m.code, DEFAULT_POPULATION) for m in municipalities]
    firsts = rng.sample(FIRST_NAMES, HOW_MANY)
    surnames = rng.sample(SURNAMES, HOW_MANY)
    with transaction.atomic():
        for number in range(HOW_MANY):
            municipality = (
                municipalities[number]
                if number < len(municipalities)  # every municipality has one at least
                else rng.choices(municipalities, weights=weights)[0]
            )
            person = _person(firsts[number], surnames[number], rng)
            if number == HOW_MANY - 1:
                _inactive_since_2022(municipality, person)
            else:
                _active(municipality, person, number, rng)
    return HOW_MANY


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.lower()


def _person(first: str, surname: str, rng: random.Random) -> dict[str, Any]:
    languages = [rng.choice(("sv", "sv", "fi"))]
    if rng.random() < 0.5:
        languages.append("fi" if languages[0] == "sv" else "sv")
    if rng.random() < 0.55:
        languages.append(rng.choice(OTHER_LANGUAGES))
    return {
        "name": f"{first} {surname}",
        "email": f"{_ascii(first)}.{_ascii(surname)}@example.org",
        "phone": f"+358 40 000 {rng.randint(1000, 9999)}",
        "languages": languages,
        "note": NOTE,
    }


def _day(rng: random.Random, year: int, months: tuple[int, int] = (1, 12)) -> datetime.date:
    return datetime.date(year, rng.randint(*months), rng.randint(1, 28))


def _active(municipality, person: dict[str, Any], number: int, rng: random.Random) -> Volunteer:
    """A friend person recruited in 2023–2025, active in 2024–2025 (a third still are), with
    up to two matches."""
    recruited = _day(rng, rng.choice((2023, 2024, 2024, 2025)), (1, 9))
    trained = recruited + datetime.timedelta(days=rng.randint(14, 70))
    volunteer = volunteer_create(
        actor=None,
        fields={
            **person,
            "municipality": municipality,
            "consent_on": recruited,
            "recruited_on": recruited,
            "training_completed_on": trained if rng.random() < 0.8 else None,
        },
    )
    starts = max(trained, datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 200)))
    ends: datetime.date | None
    if number % 3 == 0:
        ends = None  # still active
    else:
        # Ended in 2025, after 6–18 months (so none is due to be made anonymous yet).
        ends = max(
            datetime.date(2025, 1, 15),
            min(
                starts + datetime.timedelta(days=rng.randint(180, 540)), datetime.date(2025, 12, 20)
            ),
        )
    period_add(actor=None, volunteer=volunteer, fields={"starts_on": starts, "ends_on": ends})
    last = ends or datetime.date(2025, 12, 31)
    day = starts + datetime.timedelta(days=rng.randint(7, 40))
    count = rng.choice((0, 1, 1, 1, 2))
    for n in range(count):
        if day >= last:
            break
        ended = min(last, day + datetime.timedelta(days=rng.randint(90, 300)))
        match_add(
            actor=None,
            volunteer=volunteer,
            fields={
                "household_reference": f"H-{day.year}-{rng.randint(1, 120):03}",
                "household_size": rng.randint(1, 6),
                "starts_on": day,
                # A friend person still active is still matched with their last household.
                "ends_on": None if ends is None and n == count - 1 else ended,
            },
        )
        day = ended + datetime.timedelta(days=rng.randint(10, 40))
    return volunteer


def _inactive_since_2022(municipality, person: dict[str, Any]) -> Volunteer:
    """Recruited in 2021, active and matched until the spring of 2022, not since: due to be
    made anonymous."""
    volunteer = volunteer_create(
        actor=None,
        fields={
            **person,
            "municipality": municipality,
            "consent_on": datetime.date(2021, 3, 8),
            "recruited_on": datetime.date(2021, 3, 8),
            "training_completed_on": datetime.date(2021, 4, 20),
        },
    )
    period_add(
        actor=None,
        volunteer=volunteer,
        fields={"starts_on": datetime.date(2021, 5, 1), "ends_on": datetime.date(2022, 5, 31)},
    )
    match_add(
        actor=None,
        volunteer=volunteer,
        fields={
            "household_reference": "H-2021-007",
            "household_size": 4,
            "starts_on": datetime.date(2021, 6, 1),
            "ends_on": datetime.date(2022, 5, 31),
        },
    )
    return volunteer
