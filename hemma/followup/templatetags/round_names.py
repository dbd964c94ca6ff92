"""Names on the round's pages in the page's language (hemma.followup.rounds.reporter_source)."""

from django import template

from hemma.followup.rounds import reporter_source
from hemma.lib.templatetags import text

register = template.Library()


@register.simple_tag
def reporter_name(assignment, programme):
    """The reporter's name in the page's language while it is their organisation's (or their
    municipality's) name, marked with its `lang` when shown in another; else as stored."""
    source = reporter_source(assignment, programme.language)
    if source is None:
        return assignment.name
    return text(source, programme.language)
