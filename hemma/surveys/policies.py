"""Who may see, build and read the answers of a programme's surveys.

- Whoever may see the programme (hemma.programmes.policies) sees its surveys and their
  results as counts and shares; a survey of a programme they may not see does not exist for
  them (404).
- The region's coordinator (who changes the programme) builds, opens and closes its surveys,
  imports them, makes invitation codes, and reads every answer, free texts included.
- A municipal coordinator reads the free-text answers that came through their municipality's
  link, and exports their municipality's answers; they build nothing (403).
- A viewer reads results only, small counts hidden as "< 5" (hemma/lib/suppression.py): the
  counts leave the coordinators' screens there. No free text, no export (403).
- Nobody reads who answered: nothing of that is kept (hemma/surveys/models.py).
"""

from django.db.models import QuerySet

from hemma.accounts.roles import roles_of
from hemma.organisations.models import Municipality
from hemma.programmes.policies import can_edit_programme, programmes_visible
from hemma.surveys.models import Survey


def surveys_visible(user) -> QuerySet[Survey]:
    return Survey.objects.filter(programme__in=programmes_visible(user))


def can_build(user, survey_or_programme) -> bool:
    programme = getattr(survey_or_programme, "programme", survey_or_programme)
    return can_edit_programme(user, programme)


def answer_municipalities(user, survey: Survey) -> set[int] | None:
    """The municipalities whose answers (free texts, exports) the user reads in full: None for
    all of them (the region's coordinator), else their coordinated municipalities the
    programme covers (empty: none)."""
    if not user.is_authenticated:
        return set()
    if can_build(user, survey):
        return None
    own = roles_of(user).coordinated_municipalities
    if not own:
        return set()
    covered = set(survey.programme.municipalities.values_list("pk", flat=True))
    return set(own) & covered


def reads_answers(user, survey: Survey, municipality: Municipality | None = None) -> bool:
    """May the user read the answers in full (free texts, exports), of `municipality` if
    given, else of at least one municipality?"""
    allowed = answer_municipalities(user, survey)
    if allowed is None:
        return True
    if municipality is None:
        return bool(allowed)
    return municipality.pk in allowed


def sees_small_counts(user, survey: Survey) -> bool:
    """Whether results are shown to the user unsuppressed: to the coordinators only."""
    return reads_answers(user, survey)
