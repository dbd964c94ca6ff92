"""Which periods of a programme are locked: those within an approved reporting round.

Every service that changes a value or an assessment asks here first, so that a locked
period refuses changes whichever way they come (web, API, file, reporting link).
"""

from django.utils.translation import gettext as _

from hemma.followup.models import Round
from hemma.lib import periods
from hemma.programmes.models import Programme


class PeriodLocked(Exception):
    """The period lies within an approved round; nothing was saved."""

    def __init__(self, round_period: str):
        self.round_period = round_period
        super().__init__(
            _(
                "The follow-up of %(period)s is approved and locked. A region coordinator "
                "can unlock it, giving a reason."
            )
            % {"period": round_period}
        )


def locked_periods(programme: Programme) -> list[periods.Period]:
    """The periods of the programme's approved rounds (one query)."""
    codes = Round.objects.filter(programme=programme, state=Round.State.APPROVED).values_list(
        "period", flat=True
    )
    return [periods.parse(code) for code in codes]


def locking_period(period: periods.Period, locked: list[periods.Period]) -> periods.Period | None:
    """The approved round's period that `period` lies within, if any."""
    for each in locked:
        if each.start <= period.start and period.end <= each.end:
            return each
    return None


def check_unlocked(programme: Programme, period: periods.Period) -> None:
    """Raise PeriodLocked if `period` lies within an approved round of `programme`."""
    found = locking_period(period, locked_periods(programme))
    if found is not None:
        raise PeriodLocked(found.code)
