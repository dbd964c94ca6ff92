"""Three years (2023–2025) of made-up placements for the demo's seed programme.

So that the placements' pages have something to show, and an indicator counting placements
(the seed's "Sysselsatta inom enheterna", "Antalet sysselsatta inom enheterna") has records to
count: for each of the programme's municipalities, the region's municipal units (those of the
municipality itself first, then the region's shared ones that offer such places: the
municipal units, basic education, leisure and culture, JobCenter...) offer work try-outs (per
half-year), and wage-subsidy places, apprenticeship places and jobs (per year). No unit is
created: a region without municipal units gets no placements.

How many follows the municipality's size (hemma.followup.demo.POPULATION), so that Jakobstad
has more than Larsmo and the small ones have numbers under the suppression threshold (5). The
same placements every time: the numbers come from a `random.Random` with a fixed seed. A
period within an approved reporting round is left out (the service would refuse it): load
the placements before the rounds are approved.
"""

import random
from typing import Any

from django.db import transaction

from hemma.followup.demo import DEFAULT_POPULATION, POPULATION
from hemma.followup.locks import locked_periods, locking_period
from hemma.lib import periods
from hemma.organisations.models import Organisation
from hemma.programmes.models import Programme
from hemma.registries.models import Placement
from hemma.registries.services import placements_record_many

SEED = 20230615
YEARS = (2023, 2024, 2025)
NOTE = "Demodata: påhittad placering för att visa registret."
# The region's shared units that offer places, most likely first (the seed's keys); a unit of
# the municipality itself comes before them all.
UNITS = (
    "kommunens-enheter",
    "grundlaggande-utbildning",
    "fritid-och-kultur",
    "jobcenter",
    "fritidssektorn",
    "welcome-office",
)
Kind = Placement.Kind


def demo_placements_load(*, programme: Programme) -> int:
    """Record three years of made-up placements for `programme`'s municipalities, unless the
    region has placements already; how many. A second run adds nothing. Recorded through
    `placements_record_many` as the system, so the indicators counting placements get their
    values from the real counting code."""
    region = programme.region
    if Placement.objects.filter(region=region).exists():
        return 0
    units = list(
        Organisation.objects.filter(region=region, kind=Organisation.Kind.MUNICIPAL_UNIT).order_by(
            "key"
        )
    )
    rank = {key: index for index, key in enumerate(UNITS)}
    shared = sorted(
        (u for u in units if u.municipality_id is None and u.key in rank),
        key=lambda u: rank[u.key],
    ) or [u for u in units if u.municipality_id is None]
    locked = locked_periods(programme)
    rng = random.Random(SEED)
    items: list[dict[str, Any]] = []
    for municipality in programme.municipalities.order_by("code"):
        size = POPULATION.get(municipality.code, DEFAULT_POPULATION) / 10_000
        offering = [u for u in units if u.municipality_id == municipality.pk] + shared
        # A bigger municipality has more units offering places: two to five.
        offering = offering[: min(len(offering), 2 + round(size * 1.5))]
        for year in YEARS:
            for index, unit in enumerate(offering):
                # The first unit (the municipality's own, or its units together) offers most.
                weight = size * (1.6 if index == 0 else 0.8)
                figures: list[tuple[str, str, int]] = [
                    (Kind.WORK_TRYOUT, f"{year}H{half}", round(rng.uniform(0.5, 3.2) * weight))
                    for half in (1, 2)
                ]
                figures += [
                    (Kind.WAGE_SUBSIDY, str(year), round(rng.uniform(0.4, 2.6) * weight)),
                    (Kind.APPRENTICESHIP, str(year), round(rng.uniform(0.0, 1.4) * weight)),
                    (Kind.JOB, str(year), round(rng.uniform(0.0, 1.2) * weight)),
                ]
                items.extend(
                    {
                        "municipality": municipality,
                        "unit": unit,
                        "kind": kind,
                        "period": code,
                        "people": people,
                        "note": NOTE,
                    }
                    for kind, code, people in figures
                    # Nobody in such a place: no record. An approved period: refused.
                    if people > 0 and locking_period(periods.parse(code), locked) is None
                )
    if not items:
        return 0
    with transaction.atomic():
        placements_record_many(actor=None, region=region, items=items)
    return len(items)
