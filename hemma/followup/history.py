"""What a follow-up audit event is about, in words, for a programme's history.

The follow-up's services record their events with the programme's id, so the programme's
history lists them among its own. An event names its target by type and id only; this reads
the targets of a page of events at once (a query per kind of target, whatever their number)
and says each as a person would: "Value of Joint meetings, Jakobstad, 2025", "Reporting round
2025", "Reporter Kommunen (Jakobstad), 2025", "Reporting link for Anna Svensson",
"Assessment of Joint meetings, Jakobstad, 2024". A target since removed is said from what its
events recorded.
"""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from hemma.audit.models import AuditEvent
from hemma.followup.models import Assessment, Assignment, Measurement, ReportingLink, Round
from hemma.lib import periods
from hemma.lib.texts import pick
from hemma.programmes.models import Action, Programme

MEASUREMENT = Measurement._meta.label_lower
ROUND = Round._meta.label_lower
ASSIGNMENT = Assignment._meta.label_lower
LINK = ReportingLink._meta.label_lower
ASSESSMENT = Assessment._meta.label_lower
TARGETS = (MEASUREMENT, ROUND, ASSIGNMENT, LINK, ASSESSMENT)


def _period(code: str) -> str:
    try:
        return str(periods.parse(code))
    except periods.InvalidPeriod:
        return code


def _ids(events: list[AuditEvent], target_type: str) -> set[int]:
    return {
        int(e.target_id) for e in events if e.target_type == target_type and e.target_id.isdigit()
    }


class _Words:
    def __init__(self, programme: Programme, municipalities: Mapping[str, str]):
        self.programme = programme
        self.municipalities = municipalities

    def text(self, value: dict | None, fallback: str = "") -> str:
        return pick(value, fallback=self.programme.language) or fallback

    def place(self, municipality) -> str:
        if municipality is None:
            return str(_("the region as a whole"))
        return self.municipalities.get(municipality.code) or self.text(
            municipality.name, municipality.code
        )

    def place_of_code(self, code: str | None) -> str:
        if not code:
            return str(_("the region as a whole"))
        return self.municipalities.get(code, code)


def event_subjects(
    events: Iterable[AuditEvent], *, programme: Programme, municipalities: Mapping[str, str]
) -> dict[int, str]:
    """Each follow-up event's subject in words, by the event's id (others are left out)."""
    events = [e for e in events if e.target_type in TARGETS]
    if not events:
        return {}
    words = _Words(programme, municipalities)
    said: dict[tuple[str, str], str] = {}

    ids = _ids(events, MEASUREMENT)
    if ids:
        for m in Measurement.objects.filter(
            pk__in=ids, indicator__action__programme=programme
        ).select_related("indicator", "municipality"):
            said[MEASUREMENT, str(m.pk)] = _("Value of %(indicator)s, %(place)s, %(period)s") % {
                "indicator": words.text(m.indicator.name, m.indicator.key),
                "place": words.place(m.municipality),
                "period": _period(m.period),
            }

    ids = _ids(events, ROUND)
    if ids:
        for r in Round.objects.filter(pk__in=ids, programme=programme):
            said[ROUND, str(r.pk)] = _("Reporting round %(period)s") % {"period": _period(r.period)}

    ids = _ids(events, ASSIGNMENT)
    if ids:
        for a in Assignment.objects.filter(pk__in=ids, round__programme=programme).select_related(
            "round", "municipality"
        ):
            said[ASSIGNMENT, str(a.pk)] = _("Reporter %(name)s (%(place)s), %(period)s") % {
                "name": a.name,
                "place": words.place(a.municipality),
                "period": _period(a.round.period),
            }

    ids = _ids(events, ASSESSMENT)
    if ids:
        for s in Assessment.objects.filter(pk__in=ids, action__programme=programme).select_related(
            "action", "municipality"
        ):
            said[ASSESSMENT, str(s.pk)] = _("Assessment of %(action)s, %(place)s, %(period)s") % {
                "action": words.text(s.action.title, s.action.key),
                "place": words.place(s.municipality),
                "period": _period(s.period),
            }

    for e in events:
        if e.target_type == LINK:  # a link's name is its recipient's
            said[LINK, e.target_id] = _("Reporting link for %(recipient)s") % {
                "recipient": e.target_repr
            }

    gone = [e for e in events if (e.target_type, e.target_id) not in said]
    if gone:
        said.update(_gone(gone, words))
    return {e.pk: said.get((e.target_type, e.target_id), "") for e in events}


def _gone(events: list[AuditEvent], words: _Words) -> dict[tuple[str, str], str]:
    """Targets no longer stored: said from what their creation recorded.

    Two queries at most: the creation events of removed values and assessments, and the
    titles of the actions those name.
    """
    said: dict[tuple[str, str], str] = {}
    recorded: dict[tuple[str, str], dict] = {}
    wanted = {
        (e.target_type, e.target_id) for e in events if e.target_type in (MEASUREMENT, ASSESSMENT)
    }
    if wanted:
        created = AuditEvent.objects.filter(
            programme_id=words.programme.pk,
            verb=AuditEvent.Verb.CREATE,
            target_type__in=[MEASUREMENT, ASSESSMENT],
            target_id__in={target_id for _type, target_id in wanted},
        ).only("target_type", "target_id", "changes")
        recorded = {(e.target_type, e.target_id): e.changes for e in created}
    keys = {
        changes.get("action", [None, None])[1]
        for (kind, _id), changes in recorded.items()
        if kind == ASSESSMENT
    } - {None}
    titles = (
        {
            a.key: words.text(a.title, a.key)
            for a in Action.objects.filter(programme=words.programme, key__in=keys)
        }
        if keys
        else {}
    )
    for event in events:
        key = (event.target_type, event.target_id)
        new = {name: pair[1] for name, pair in recorded.get(key, {}).items()}
        # Else the last word of the target's name (its model's __str__) is its period.
        period = _period(str(new.get("period") or event.target_repr.rsplit(" ", 1)[-1]))
        if event.target_type == MEASUREMENT:
            said[key] = _("Value for %(place)s, %(period)s") % {
                "place": words.place_of_code(new.get("municipality")),
                "period": period,
            }
        elif event.target_type == ASSESSMENT:
            action = new.get("action") or ""
            said[key] = _("Assessment of %(action)s, %(place)s, %(period)s") % {
                "action": titles.get(action, action) or "?",
                "place": words.place_of_code(new.get("municipality")),
                "period": period,
            }
        elif event.target_type == ROUND:
            said[key] = _("Reporting round %(period)s") % {"period": period}
        elif event.target_type == ASSIGNMENT:
            said[key] = _("Reporter %(name)s") % {"name": event.target_repr}
    return said
