"""The seed programme followed up as in the demo, for the report's tests."""

import datetime

import pytest

from hemma.accounts.models import Membership
from hemma.followup.demo import demo_rounds_load, demo_values_load
from hemma.programmes.models import Action
from hemma.tests import factories as f

TODAY = datetime.date(2026, 1, 10)


@pytest.fixture
def followed_up(seed_programme):
    """The seed programme, followed up as in the demo: 2023 and 2024 approved, 2025 open."""
    demo_values_load(programme=seed_programme, today=TODAY)
    coordinator = f.member(
        f.UserFactory(username="koordinator"),
        Membership.Role.REGION_COORDINATOR,
        region=seed_programme.region,
    )
    demo_rounds_load(programme=seed_programme, actor=coordinator, today=TODAY)
    return seed_programme


def sv_titles(programme) -> list[str]:
    return [
        a.title["sv"]
        for a in Action.objects.filter(programme=programme).order_by(
            "goal__theme__position", "goal__position", "position"
        )
    ]
