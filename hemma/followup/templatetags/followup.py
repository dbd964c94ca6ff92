"""Template helpers of the follow-up's pages (`{% load followup %}`)."""

from django import template
from django.utils.html import format_html

from hemma.followup import policies
from hemma.followup.statuses import ROLLUP_RULE
from hemma.lib.texts import pick
from hemma.programmes.models import Indicator, Programme

register = template.Library()


@register.simple_tag(takes_context=True)
def may_record_any(context, programme: Programme) -> bool:
    """Whether the page's user records values of `programme` anywhere: a viewer never does,
    so the grid tells them they can only read (no query for a viewer or a region coordinator)."""
    request = context.get("request")
    return policies.can_record_any(getattr(request, "user", None), programme)


def names_its_kind(indicator: Indicator, language: str) -> bool:
    """Whether the indicator's name, as shown, already ends with its kind in parentheses, as
    "Sysselsättningsgrad bland unga (statistik)" does."""
    name = pick(indicator.name, fallback=language).strip().casefold()
    return name.endswith(f"({indicator.kind_label})".casefold())


@register.simple_tag
def indicator_kind(indicator: Indicator, language: str = "sv") -> str:
    """The indicator's kind in parentheses after its name, unless the name already ends
    with it."""
    if names_its_kind(indicator, language):
        return ""
    return format_html(' <span class="indicator-kind">({})</span>', indicator.kind_label.lower())


@register.simple_tag
def rollup_rule() -> str:
    """The roll-up rule in words, the same sentence wherever a roll-up is shown."""
    return str(ROLLUP_RULE)
