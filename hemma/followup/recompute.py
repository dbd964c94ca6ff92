"""Statuses given again when what they were computed against changes.

A value's status is computed when the value is recorded (hemma.followup.services), against
the indicator's target, kind and period as they were then. When a coordinator changes those
(on the web or by importing the programme), the stored statuses are computed again here with
the same rules, so that the dashboard never shows a status judged against an old target.
Statuses are derived from the values and the target, both of which are audited, so writing
them again is not audited itself.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from hemma.followup.models import Measurement
from hemma.followup.services import _status_of
from hemma.followup.status import Recorded
from hemma.lib import periods
from hemma.programmes.models import Indicator

# The indicator's fields a status depends on: a change to any of them recomputes its values.
STATUS_FIELDS = frozenset(
    {
        "kind",
        "period",
        "target_type",
        "target_min",
        "target_max",
        "target_direction",
        "target_years",
    }
)


def statuses_recompute(*, indicators: Iterable[Indicator]) -> int:
    """Compute the status of every stored value of `indicators` again; how many changed.

    Reads the indicators as stored now (so call it after saving them), their values in one
    query, and writes only the statuses that changed, in one `bulk_update` (one query per
    few hundred changed values on SQLite, whose statements take a limited number of
    parameters). The number of queries does not grow with the number of values.
    """
    ids = {indicator.pk for indicator in indicators if indicator.pk is not None}
    if not ids:
        return 0
    with transaction.atomic():
        current = {
            i.pk: i
            for i in Indicator.objects.filter(pk__in=ids).select_related("action__programme")
        }
        # Locked as the recording service locks a series, so that a value recorded meanwhile
        # is judged against the new target or waits for this to finish.
        values = Measurement.objects.filter(indicator_id__in=current).select_for_update()
        series: dict[tuple[int, int | None], dict[str, Measurement]] = defaultdict(dict)
        for value in values.order_by("pk"):
            series[(value.indicator_id, value.municipality_id)][value.period] = value

        changed = []
        for (indicator_id, _municipality_id), by_period in series.items():
            indicator = current[indicator_id]
            programme = indicator.action.programme
            for code, value in by_period.items():
                try:
                    period = periods.parse(code)
                except periods.InvalidPeriod:  # not written by the services; left as it is
                    continue
                status = _status_of(indicator, programme, period, Recorded.of(value), by_period)
                if status != value.status:
                    value.status = status
                    changed.append(value)
        if changed:
            Measurement.objects.bulk_update(changed, ["status"])
    return len(changed)


def status_fields_changed(changes: Iterable[str]) -> bool:
    """Whether a change to these indicator fields changes the statuses of its values."""
    return not STATUS_FIELDS.isdisjoint(changes)
