"""Reads of recorded values, always for a user and scoped by hemma.followup.policies."""

from collections.abc import Sequence

from django.db.models import Count, F, QuerySet, Window
from django.http import Http404
from django.shortcuts import get_object_or_404

from hemma.followup import policies
from hemma.followup.models import Measurement
from hemma.programmes.models import Indicator, Programme
from hemma.programmes.policies import programmes_visible

# `municipality_code` that asks for the values of the region as a whole.
REGION = "region"


def measurement_list(
    *,
    user,
    programme: Programme | str | None = None,
    period: str | None = None,
    municipality_code: str | None = None,
    indicator: Indicator | None = None,
) -> QuerySet[Measurement]:
    """The values the user may see, in the programme's order; one query whatever their number.

    `programme` is a programme or its slug; `municipality_code` an official code, or
    "region" for the values of the region as a whole.
    """
    values = policies.measurements_visible(user).select_related(
        "indicator__action__programme", "municipality"
    )
    if isinstance(programme, Programme):
        values = values.filter(indicator__action__programme=programme)
    elif programme:
        values = values.filter(indicator__action__programme__slug=programme)
    if period:
        values = values.filter(period=period)
    if municipality_code == REGION:
        values = values.filter(municipality__isnull=True)
    elif municipality_code:
        values = values.filter(municipality__code=municipality_code)
    if indicator is not None:
        values = values.filter(indicator=indicator)
    # Stable for pagination: every key down to the row's own id. The region's values come
    # before the municipalities' on every database (SQLite and PostgreSQL sort NULL apart).
    return values.order_by(
        "indicator__action__programme__slug",
        "indicator__action__position",
        "indicator__action_id",
        "indicator__position",
        "indicator_id",
        F("municipality__code").asc(nulls_first=True),
        "period",
        "id",
    )


def measurement_page(
    values: QuerySet[Measurement], *, fields: Sequence[str], offset: int, limit: int
) -> tuple[list[tuple], int]:
    """`limit` of `values` from `offset` as rows of `fields`, and how many values there are.

    One query: the count comes with the rows, counted over the whole selection before the
    page is cut from it (a window). Only a page past the end asks for the count apart.
    """
    rows = list(
        values.annotate(total_count=Window(Count("*"))).values_list(*fields, "total_count")[
            offset : offset + limit
        ]
    )
    if not rows:
        return [], values.count() if offset else 0
    return [row[:-1] for row in rows], rows[0][-1]


def indicator_for_values(*, user, programme: str, action: str, indicator: str) -> Indicator:
    """The indicator by its programme, action and own key, if the user may see it (else 404).

    Its action and programme come with it: recording a value reads them.
    """
    return get_object_or_404(
        policies.indicators_visible(user).select_related("action__programme"),
        action__programme__slug=programme,
        action__key=action,
        key=indicator,
    )


def indicators_for_values(*, user, programmes: set[str]) -> dict[tuple[str, str, str], Indicator]:
    """The indicators of the named programmes by (slug, action key, key), in one query.

    Any programme the user may not see (or that does not exist) is a 404 for the whole: a
    list of values is refused as one record would be.
    """
    visible = set(
        programmes_visible(user).filter(slug__in=programmes).values_list("slug", flat=True)
    )
    if programmes - visible:
        raise Http404
    indicators = Indicator.objects.filter(action__programme__slug__in=visible).select_related(
        "action__programme"
    )
    return {(i.action.programme.slug, i.action.key, i.key): i for i in indicators}
