"""Recording activities: add, change and delete, each audited and counted in one transaction.

Every recorder (the web forms, the API, imports, the demo) goes through these services, so the
checks, the access rules and the computed values (hemma/registries/computing.py) are the same
whichever way an activity comes in. `fields` holds the model's fields plus:

- `municipalities`: official codes (or Municipality objects) of the region's municipalities;
  none for the region as a whole;
- `organiser`: an organisation's key (or the Organisation) in the region, or None;
- `partners`: organisations' keys (or Organisation objects) in the region;
- `actions`: the programme actions it serves, as (programme slug, action key) pairs or Action
  objects, of the region's programmes.

Problems are a ValidationError by field, all of them at once.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hemma.audit.models import AuditEvent
from hemma.audit.services import audit_event, audit_record
from hemma.followup.locks import PeriodLocked, locking_period
from hemma.followup.models import Round
from hemma.lib import periods
from hemma.lib.languages import CONTENT_LANGUAGES
from hemma.lib.problems import Problem, ProblemsFound
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action, Programme
from hemma.registries import policies
from hemma.registries.computing import (
    ActivityState,
    PlacementState,
    StatisticState,
    activity_changed,
    placements_changed,
    statistics_changed,
)
from hemma.registries.models import Activity, Placement, ServiceStatistic

# The fields `fields` may hold; the relations are set after the row is saved.
SIMPLE_FIELDS = (
    "kind",
    "title",
    "organiser",
    "starts_on",
    "ends_on",
    "recurrence",
    "sessions",
    "languages",
    "participants",
    "participants_by_age",
    "participants_by_gender",
    "note",
)
RELATED_FIELDS = ("municipalities", "partners", "actions")
FIELDS = SIMPLE_FIELDS + RELATED_FIELDS
# What a new activity needs; the others have their defaults (none, empty, "once").
REQUIRED = ("kind", "title", "starts_on")

_MAX_TITLE: int = Activity._meta.get_field("title").max_length or 200
# A breakdown's group is a short label ("0-17", "women"), never a name.
_MAX_GROUP = 40
_MAX_COUNT = 1_000_000


def activity_create(*, actor, region: Region, fields: dict[str, Any]) -> Activity:
    """Record a new activity of `region`; its computed values are counted again.

    Raises Http404 for a region the actor may not see, PermissionDenied if they may not add
    activities there, ValidationError by field (a municipal coordinator naming another
    municipality is told so on "municipalities"). `actor=None` is the system (demo, imports
    run by a command), to which no policy applies.
    """
    if actor is not None:
        if not policies.can_view_region(actor, region):
            raise Http404
        if not policies.can_add_activity(actor, region):
            raise PermissionDenied
    missing = {
        name: _("This field is required.") for name in REQUIRED if fields.get(name) in (None, "")
    }
    simple, related = _cleaned(region, fields, missing)
    _check_places(actor, region, simple, related, current=None)
    with transaction.atomic():
        activity = Activity(region=region, **simple)
        activity.created_by = actor if actor is not None and actor.is_authenticated else None
        activity.save()
        _set_related(activity, related)
        after = _state(activity, related)
        changes = {"region": (None, region.key)}
        changes.update(
            {
                name: (None, value)
                for name, value in _audited(simple, related).items()
                if value not in (None, "", [], {})
            }
        )
        audit_record(actor=actor, verb="create", target=activity, changes=changes)
        activity_changed(before=None, after=after)
    return activity


def activity_update(*, actor, activity: Activity, fields: dict[str, Any]) -> Activity:
    """Change the fields given (the others stay); its computed values are counted again,
    where it counted before and where it counts now.

    Raises Http404 for an activity the actor may not see, PermissionDenied if they may not
    change it, ValidationError by field.
    """
    region = activity.region
    if actor is not None:
        if not policies.activities_visible(actor).filter(pk=activity.pk).exists():
            raise Http404
        if not policies.can_change_activity(actor, activity):
            raise PermissionDenied
    simple, related = _cleaned(region, fields, {}, current=activity)
    _check_places(actor, region, simple, related, current=activity)
    with transaction.atomic():
        activity, before, old = _locked(activity)
        for name, value in simple.items():
            setattr(activity, name, value)
        activity.save()
        _set_related(activity, related)
        new = _audited(
            {name: getattr(activity, name) for name in SIMPLE_FIELDS},
            {
                "municipalities": related.get(
                    "municipalities", list(activity.municipalities.all())
                ),
                "partners": related.get("partners", list(activity.partners.all())),
                "actions": related.get("actions", list(activity.actions.all())),
            },
        )
        changes = {name: (old[name], new[name]) for name in new if old[name] != new[name]}
        if changes:
            audit_record(actor=actor, verb="update", target=activity, changes=changes)
        after = _state(activity, related, before=before)
        if after != before:
            activity_changed(before=before, after=after)
    return activity


def activity_delete(*, actor, activity: Activity) -> None:
    """Delete the activity; the values it counted in are counted again without it."""
    if actor is not None:
        if not policies.activities_visible(actor).filter(pk=activity.pk).exists():
            raise Http404
        if not policies.can_change_activity(actor, activity):
            raise PermissionDenied
    with transaction.atomic():
        activity, before, old = _locked(activity)
        audit_record(
            actor=actor,
            verb="delete",
            target=activity,
            changes={
                name: (value, None)
                for name, value in old.items()
                if value not in (None, "", [], {})
            },
        )
        activity.delete()
        activity_changed(before=before, after=None)


# -- checking ----------------------------------------------------------------------------------


def _locked(activity: Activity) -> tuple[Activity, "ActivityState", dict[str, Any]]:
    """The activity read again and locked for a change, with what it counts (to recount
    from) and its fields as the audit trail writes them (to compare with)."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("region", "organiser")
        .prefetch_related("municipalities", "partners", "actions__programme")
        .get(pk=activity.pk)
    )
    old = _audited(
        {name: getattr(activity, name) for name in SIMPLE_FIELDS},
        {
            "municipalities": list(activity.municipalities.all()),
            "partners": list(activity.partners.all()),
            "actions": list(activity.actions.all()),
        },
    )
    return activity, ActivityState.of(activity), old


def _cleaned(
    region: Region,
    fields: dict[str, Any],
    errors: dict[str, str],
    current: Activity | None = None,
) -> tuple[dict[str, Any], dict[str, list]]:
    """The given fields checked and made model values: (simple fields, relations).

    `current` is the activity being changed: what is not given stays as it is.
    """
    simple: dict[str, Any] = {}
    related: dict[str, list] = {}
    for name in fields:
        if name not in FIELDS:
            errors.setdefault(name, _("Unknown field “%(field)s”.") % {"field": name})

    def check(name: str, parse) -> None:
        if name not in fields or name in errors:
            return
        try:
            simple[name] = parse(fields[name])
        except ValidationError as error:
            errors[name] = error.messages[0]

    check("kind", lambda v: _choice(v, Activity.Kind, _("Choose the kind of activity.")))
    check("title", _title)
    check("starts_on", lambda v: _date(v, required=True))
    check("ends_on", lambda v: _date(v, required=False))
    check(
        "recurrence",
        lambda v: _choice(
            v or Activity.Recurrence.ONCE, Activity.Recurrence, _("Choose how often it is held.")
        ),
    )
    check("sessions", lambda v: _count(v, _("Give the times held as a whole number.")))
    check("participants", lambda v: _count(v, _("Give the participants as a whole number.")))
    check("languages", _languages)
    check("participants_by_age", _breakdown)
    check("participants_by_gender", _breakdown)
    check("note", lambda v: (v or "").strip() if isinstance(v, str | type(None)) else _bad_text())
    check("organiser", lambda v: _organisation(region, v))

    def now(name: str):
        """The field as it will be: given, or as stored."""
        if name in simple:
            return simple[name]
        return getattr(current, name) if current is not None else None

    starts_on, ends_on = now("starts_on"), now("ends_on")
    dates_checked = not {"starts_on", "ends_on"} & errors.keys()
    if starts_on and ends_on and dates_checked and ends_on < starts_on:
        errors["ends_on"] = _("The last date is before the first.")
    participants = now("participants")
    for name in ("participants_by_age", "participants_by_gender"):
        breakdown = now(name)
        if name not in simple and "participants" not in simple:
            continue  # neither changes: as it was
        if participants is None or not breakdown:
            continue
        if sum(breakdown.values()) > participants:
            errors.setdefault(
                name,
                _("The groups add up to %(sum)s, more than the %(total)s participants.")
                % {"sum": sum(breakdown.values()), "total": participants},
            )

    if "municipalities" in fields:
        try:
            related["municipalities"] = _municipalities(region, fields["municipalities"])
        except ValidationError as error:
            errors["municipalities"] = error.messages[0]
    if "partners" in fields:
        try:
            related["partners"] = _organisations(region, fields["partners"])
        except ValidationError as error:
            errors["partners"] = error.messages[0]
    if "actions" in fields:
        try:
            related["actions"] = _actions(region, fields["actions"])
        except ValidationError as error:
            errors["actions"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return simple, related


def _check_places(
    actor,
    region: Region,
    simple: dict[str, Any],
    related: dict[str, list],
    *,
    current: Activity | None,
) -> None:
    """A municipal coordinator records activities of their own municipality only; an
    organisation reporter those their organisation organises (another organiser: 403)."""
    if actor is None:
        return
    if "municipalities" in related:
        ids = [m.pk for m in related["municipalities"]]
    elif current is None:
        ids = []  # none named: the region as a whole
    elif "organiser" not in simple:
        return  # the municipalities and the organiser stay, and the actor may change it
    else:
        ids = [m.pk for m in current.municipalities.all()]
    if "organiser" in simple:
        organiser_id = simple["organiser"].pk if simple["organiser"] is not None else None
    else:
        organiser_id = current.organiser_id if current is not None else None
    if policies.may_record_activity(actor, region, municipality_ids=ids, organiser_id=organiser_id):
        return
    if policies.records_as_reporter_only(actor, region):
        raise PermissionDenied
    raise ValidationError(
        {
            "municipalities": _(
                "You record the activities of your own municipality: name it, and no other."
            )
        }
    )


def _bad_text():
    raise ValidationError(_("Give a text."))


def _choice(value, choices, message: str) -> str:
    if value not in choices.values:
        raise ValidationError(message)
    return value


def _title(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("Give the activity a title."))
    value = value.strip()
    if len(value) > _MAX_TITLE:
        raise ValidationError(_("Keep the title within %(max)s characters.") % {"max": _MAX_TITLE})
    return value


def _date(value, *, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError(_("Give the date."))
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(_("Give the date as YYYY-MM-DD."))


def _count(value, message: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(message)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(message) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationError(message)
    if number < 0:
        raise ValidationError(_("The number cannot be below zero."))
    if number > _MAX_COUNT:
        raise ValidationError(_("The number is too large."))
    return int(number)


def _languages(value) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give the languages as a list of language codes."))
    codes = [v.strip() for v in value]
    unknown = [code for code in codes if code not in CONTENT_LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language codes: %(codes)s. Use %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(CONTENT_LANGUAGES)}
        )
    return [code for code in CONTENT_LANGUAGES if code in codes]


def _breakdown(value) -> dict[str, int]:
    """Participants by group ({"0-17": 12, "women": 9}): numbers only, never names."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(_("Give the groups and their numbers of participants."))
    cleaned = {}
    for group, number in value.items():
        if not isinstance(group, str) or not group.strip() or len(group) > _MAX_GROUP:
            raise ValidationError(
                _("Name each group in at most %(max)s characters.") % {"max": _MAX_GROUP}
            )
        count = _count(number, _("Give each group's participants as a whole number."))
        if count is None:
            continue
        cleaned[group.strip()] = count
    return cleaned


def _municipalities(region: Region, given) -> list[Municipality]:
    given = list(given or [])
    codes = [m.code if isinstance(m, Municipality) else str(m).strip() for m in given]
    found = {m.code: m for m in Municipality.objects.filter(region=region, code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError(
            _("Not a municipality of the region: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return sorted({found[code] for code in codes}, key=lambda m: m.code)


def _organisation(region: Region, given) -> Organisation | None:
    if given in (None, ""):
        return None
    return _organisations(region, [given])[0]


def _organisations(region: Region, given) -> list[Organisation]:
    given = list(given or [])
    keys = [o.key if isinstance(o, Organisation) else str(o).strip() for o in given]
    found = {o.key: o for o in Organisation.objects.filter(region=region, key__in=keys)}
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise ValidationError(
            _("Not an organisation of the region: %(keys)s.") % {"keys": ", ".join(unknown)}
        )
    unique: dict[str, Organisation] = {}
    for key in keys:
        unique.setdefault(key, found[key])
    return list(unique.values())


def _actions(region: Region, given) -> list[Action]:
    """Actions of the region's programmes, from Action objects or (slug, key) pairs."""
    pairs: list[tuple[str, str]] = []
    for each in given or []:
        if isinstance(each, Action):
            pairs.append((each.programme.slug, each.key))
        elif isinstance(each, list | tuple) and len(each) == 2:
            pairs.append((str(each[0]).strip(), str(each[1]).strip()))
        elif isinstance(each, dict) and {"programme", "action"} <= each.keys():
            pairs.append((str(each["programme"]).strip(), str(each["action"]).strip()))
        else:
            raise ValidationError(_("Name each action by its programme and its key."))
    if not pairs:
        return []
    found = {
        (a.programme.slug, a.key): a
        for a in Action.objects.filter(
            programme__region=region,
            programme__slug__in={slug for slug, _key in pairs},
            key__in={key for _slug, key in pairs},
        ).select_related("programme")
    }
    unknown = [f"{slug}/{key}" for slug, key in pairs if (slug, key) not in found]
    if unknown:
        raise ValidationError(
            _("Not an action of the region's programmes: %(actions)s.")
            % {"actions": ", ".join(unknown)}
        )
    unique: dict[tuple[str, str], Action] = {}
    for pair in pairs:
        unique.setdefault(pair, found[pair])
    return list(unique.values())


# -- writing -----------------------------------------------------------------------------------


def _set_related(activity: Activity, related: dict[str, list]) -> None:
    for name, objects in related.items():
        getattr(activity, name).set(objects)


def _state(
    activity: Activity, related: dict[str, list], before: ActivityState | None = None
) -> ActivityState:
    """Where the activity counts now, from what was set (and what stays of `before`)."""
    return ActivityState(
        region_id=activity.region_id,
        action_ids=(
            frozenset(a.pk for a in related["actions"])
            if "actions" in related
            else (before.action_ids if before else frozenset())
        ),
        municipality_ids=(
            frozenset(m.pk for m in related["municipalities"])
            if "municipalities" in related
            else (before.municipality_ids if before else frozenset())
        ),
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        kind=activity.kind,
        participants=activity.participants,
    )


def _audited(simple: dict[str, Any], related: dict[str, list]) -> dict[str, Any]:
    """Fields as the audit trail writes them: relations by code and key."""
    plain: dict[str, Any] = {}
    for name, value in simple.items():
        if name == "organiser":
            plain[name] = value.key if value is not None else None
        elif isinstance(value, datetime.date):
            plain[name] = value.isoformat()
        else:
            plain[name] = value
    if "municipalities" in related:
        plain["municipalities"] = sorted(m.code for m in related["municipalities"])
    if "partners" in related:
        plain["partners"] = sorted(o.key for o in related["partners"])
    if "actions" in related:
        plain["actions"] = sorted(f"{a.programme.slug}/{a.key}" for a in related["actions"])
    return plain


# -- service statistics ------------------------------------------------------------------------
#
# A statistic is one number per municipality, period and measure, from the national client
# systems. Recording one where one is stored replaces it (old → new in the audit trail). Every
# write counts again, in its transaction, the statistic indicators it feeds
# (hemma.registries.computing.statistics_changed); a value within an approved round stays as
# it was approved, an overridden one keeps its number.

STATISTIC_FIELDS = ("municipality", "period", "measure", "value", "source", "note", "version")
_MAX_SOURCE: int = ServiceStatistic._meta.get_field("source").max_length or 120
_MAX_NOTE = 5000
# max_digits 12 with 2 decimals.
_MAX_STATISTIC = Decimal("9999999999.99")


def statistic_version(statistic: ServiceStatistic) -> str:
    """What an editor sends back as `version` to be told of a change made meanwhile."""
    return statistic.updated_at.isoformat() if statistic.updated_at else ""


def statistic_record(
    *,
    actor,
    region: Region,
    municipality: Municipality | str,
    period: str,
    measure: str,
    value,
    source: str = "",
    note: str = "",
    version: str | None = None,
) -> ServiceStatistic:
    """Record `municipality`'s statistic `measure` for `period`: created, or replacing the
    one stored. `municipality` is one of the region's or its official code; `value` a number
    (or its text: "12", "1 200", "12,5"), whole for a count; `version` (optional) the
    `statistic_version` the editor saw: a statistic changed or removed meanwhile is refused.

    Raises Http404 for a region the actor may not see, PermissionDenied if they may not
    record for the municipality, ValidationError by field. `actor=None` is the system.
    """
    if actor is not None:
        if not policies.can_view_region(actor, region):
            raise Http404
        if not policies.can_record_statistic(actor, region, None):
            raise PermissionDenied
    item = {
        "municipality": municipality,
        "period": period,
        "measure": measure,
        "value": value,
        "source": source,
        "note": note,
        "version": version,
    }
    with transaction.atomic():
        recorded, problems = _statistics_write(actor, region, [item], single=True)
        if problems:
            raise ValidationError({name: messages for (_index, name), messages in problems.items()})
    return recorded[0]


def statistics_record_many(
    *, actor, region: Region, items: list[dict[str, Any]]
) -> list[ServiceStatistic]:
    """Record every item (a dict of `statistic_record`'s fields) or none. ProblemsFound lists
    each bad item's problems by its index (`items[3].value`); the same municipality, period
    and measure twice is a problem of the second; an item for a municipality the actor may
    not record for is a problem of that item. Http404 for a region the actor may not see,
    PermissionDenied if they may record nothing in it. A fixed number of queries, whatever the
    number of items."""
    if actor is not None:
        if not policies.can_view_region(actor, region):
            raise Http404
        if not policies.can_record_statistic(actor, region, None):
            raise PermissionDenied
    with transaction.atomic():
        recorded, problems = _statistics_write(actor, region, items, single=False)
        if problems:
            raise ProblemsFound(
                [
                    Problem(message, path=f"items[{index}].{name}", field=name)
                    for (index, name), messages in sorted(problems.items())
                    for message in messages
                ]
            )
    return recorded


def statistic_delete(*, actor, statistic: ServiceStatistic) -> None:
    """Delete the statistic; the values it counted in are counted again without it."""
    if actor is not None:
        if not policies.statistics_visible(actor).filter(pk=statistic.pk).exists():
            raise Http404
        if not policies.can_change_statistic(actor, statistic):
            raise PermissionDenied
    with transaction.atomic():
        statistic = (
            ServiceStatistic.objects.select_for_update(of=("self",))
            .select_related("municipality", "region")
            .get(pk=statistic.pk)
        )
        state = StatisticState.of(statistic)
        audit_record(
            actor=actor,
            verb="delete",
            target=statistic,
            changes={
                name: (old, None)
                for name, old in _statistic_audited(statistic).items()
                if old not in (None, "")
            },
        )
        statistic.delete()
        statistics_changed([state])


def _statistic_audited(statistic: ServiceStatistic) -> dict[str, Any]:
    return {
        "municipality": statistic.municipality.code,
        "period": statistic.period,
        "measure": statistic.measure,
        "value": statistic.value,
        "source": statistic.source,
        "note": statistic.note,
    }


def _statistics_write(
    actor, region: Region, items: list[dict[str, Any]], *, single: bool
) -> tuple[list[ServiceStatistic], dict[tuple[int, str], list[str]]]:
    """Check and write the items (inside the caller's transaction); the statistics recorded,
    or the problems by (item index, field) with nothing written."""
    problems: dict[tuple[int, str], list[str]] = {}
    municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        fields, errors = _statistic_cleaned(item, municipalities)
        for name, message in errors.items():
            problems.setdefault((index, name), []).append(message)
        cleaned.append(fields)
    keys = {
        (c["municipality"].pk, c["period"], c["measure"])
        for c in cleaned
        if {"municipality", "period", "measure"} <= c.keys()
    }
    stored: dict[tuple[int, str, str], ServiceStatistic] = {}
    if keys:
        for statistic in ServiceStatistic.objects.select_for_update(of=("self",)).filter(
            municipality_id__in={k[0] for k in keys},
            period__in={k[1] for k in keys},
            measure__in={k[2] for k in keys},
        ):
            stored[(statistic.municipality_id, statistic.period, statistic.measure)] = statistic

    allowed: dict[int, bool] = {}
    seen: dict[tuple[int, str, str], int] = {}
    plans: list[tuple[ServiceStatistic | None, dict[str, Any]]] = []
    for index, fields in enumerate(cleaned):
        if any(i == index for i, _name in problems):
            continue
        municipality = fields["municipality"]
        key = (municipality.pk, fields["period"], fields["measure"])
        if key in seen:
            problems[(index, "measure")] = [
                _("The same municipality, period and measure is already given in items[%(index)s].")
                % {"index": seen[key]}
            ]
            continue
        seen[key] = index
        if actor is not None and municipality.pk not in allowed:
            allowed[municipality.pk] = policies.can_record_statistic(actor, region, municipality)
        if actor is not None and not allowed[municipality.pk]:
            if single:
                raise PermissionDenied
            problems[(index, "municipality")] = [
                _("You may not record statistics for %(municipality)s.")
                % {"municipality": municipality}
            ]
            continue
        current = stored.get(key)
        version = fields.pop("version", None)
        if version and (current is None or statistic_version(current) != version):
            problems[(index, "version")] = [
                _("This statistic was removed meanwhile. Reload it before saving.")
                if current is None
                else _(
                    "Someone else saved this statistic meanwhile. Your change was not saved: "
                    "look at the statistic now stored and save again."
                )
            ]
            continue
        plans.append((current, fields))
    if problems:
        return [], problems

    entered_by = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    created: list[ServiceStatistic] = []
    changed: list[ServiceStatistic] = []
    recorded: list[ServiceStatistic] = []
    events: list[tuple[ServiceStatistic, AuditEvent]] = []
    states: set[StatisticState] = set()
    for current, fields in plans:
        if current is None:
            statistic = ServiceStatistic(region=region, entered_by=entered_by, **fields)
            created.append(statistic)
            events.append(_created_event(actor, region, statistic, _statistic_audited(statistic)))
        else:
            statistic = current
            statistic.municipality = fields["municipality"]
            old = _statistic_audited(statistic)
            for name in ("value", "source", "note"):
                setattr(statistic, name, fields[name])
            event = _changed_event(actor, statistic, old, _statistic_audited(statistic))
            if event is not None:
                statistic.entered_by = entered_by
                statistic.updated_at = now
                changed.append(statistic)
                events.append(event)
        recorded.append(statistic)
        if current is None or statistic in changed:
            states.add(StatisticState.of(statistic))
    _save_in_bulk(
        ServiceStatistic,
        created,
        changed,
        ["value", "source", "note", "entered_by", "updated_at"],
        events,
    )
    statistics_changed(states)
    return recorded, {}


# -- writing aggregates in bulk (statistics, placements) -----------------------------------------

_Written = TypeVar("_Written", ServiceStatistic, Placement)


def _created_event(
    actor, region: Region, record: _Written, audited: dict[str, Any]
) -> tuple[_Written, AuditEvent]:
    """A new record's audit row (its fields that have a value), to be saved in bulk."""
    changes = {"region": (None, region.key)} | {
        name: (None, value) for name, value in audited.items() if value not in (None, "")
    }
    return record, audit_event(actor=actor, verb="create", target=record, changes=changes)


def _changed_event(
    actor, record: _Written, old: dict[str, Any], new: dict[str, Any]
) -> tuple[_Written, AuditEvent] | None:
    """A changed record's audit row (old → new of what differs), to be saved in bulk; None
    when nothing differs."""
    changes = {name: (old[name], new[name]) for name in new if old[name] != new[name]}
    if not changes:
        return None
    return record, audit_event(actor=actor, verb="update", target=record, changes=changes)


def _save_in_bulk(
    model: type[_Written],
    created: list[_Written],
    changed: list[_Written],
    fields: list[str],
    events: list[tuple[_Written, AuditEvent]],
) -> None:
    """Create and update the records and write their audit rows, a query for each at most
    (audit_record writes one row a call): the ids of new records are known after
    bulk_create."""
    if created:
        model.objects.bulk_create(created)
    if changed:
        model.objects.bulk_update(changed, fields)
    if events:
        for record, event in events:
            event.target_id = str(record.pk)
            event.target_repr = str(record)[:300]
        AuditEvent.objects.bulk_create([event for _record, event in events])


def _municipality_given(
    item: dict[str, Any],
    municipalities: dict[str, Municipality],
    fields: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """An item's municipality (a Municipality or its official code) into `fields`, or its
    problem into `errors`."""
    given = item.get("municipality")
    code = given.code if isinstance(given, Municipality) else str(given or "").strip()
    if not code:
        errors["municipality"] = _("Choose the municipality.")
    elif code not in municipalities:
        errors["municipality"] = _("“%(code)s” is not a municipality of the region.") % {
            "code": code
        }
    else:
        fields["municipality"] = municipalities[code]


def _statistic_cleaned(
    item: dict[str, Any], municipalities: dict[str, Municipality]
) -> tuple[dict[str, Any], dict[str, str]]:
    """An item's fields as model values, and its problems by field."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    if not isinstance(item, dict):
        return fields, {"municipality": _("Give the statistic's fields.")}
    for name in item:
        if name not in STATISTIC_FIELDS:
            errors[name] = _("Unknown field “%(field)s”.") % {"field": name}
    _municipality_given(item, municipalities, fields, errors)
    period = str(item.get("period") or "").strip()
    if not period:
        errors["period"] = _("Give the period.")
    else:
        try:
            fields["period"] = periods.parse(period).code
        except periods.InvalidPeriod:
            errors["period"] = _(
                "“%(code)s” is not a period: write a year (2025), a half-year (2025H1) or a "
                "quarter (2025Q1)."
            ) % {"code": period}
    measure = item.get("measure")
    if measure not in ServiceStatistic.Measure.values:
        errors["measure"] = _("Choose the measure.")
    else:
        fields["measure"] = measure
    try:
        fields["value"] = clean_statistic_value(item.get("value"), measure=measure)
    except ValidationError as error:
        errors["value"] = error.messages[0]
    for name, limit in (("source", _MAX_SOURCE), ("note", _MAX_NOTE)):
        text = item.get(name)
        if text is None:
            text = ""
        if not isinstance(text, str):
            errors[name] = _("Give a text.")
            continue
        text = text.strip()
        if len(text) > limit:
            errors[name] = _("Keep it within %(max)s characters.") % {"max": limit}
            continue
        fields[name] = text
    version = item.get("version")
    fields["version"] = str(version).strip() if version not in (None, "") else None
    return fields, errors


def clean_statistic_value(value, *, measure) -> Decimal:
    """A statistic as a person or a program writes it: 12, "12", "1 200", "12,5"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("Give the value."))
    if isinstance(value, bool):
        raise ValidationError(_("Give a number."))
    text = str(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Give a number.")) from None
    if not number.is_finite():
        raise ValidationError(_("Give a number."))
    if number < 0:
        raise ValidationError(_("The value cannot be below zero."))
    if number > _MAX_STATISTIC:
        raise ValidationError(_("The number is too large."))
    if measure in ServiceStatistic.COUNTS and number != number.to_integral_value():
        raise ValidationError(_("A count is a whole number."))
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("Give at most two decimals."))
    return number.quantize(Decimal("0.01"))


# -- placements --------------------------------------------------------------------------------
#
# A placement is one number per municipality, unit, kind of place and period: how many people
# the unit had in such places. Recording one where one is stored replaces it (old → new in the
# audit trail). Periods are years, half-years and quarters; a period within an approved
# reporting round of a programme covering the municipality is refused (hemma.followup.locks):
# the follow-up of that period is approved. Every write counts again, in its transaction, the
# "placements" indicators it feeds (hemma.registries.computing.placements_changed).

PLACEMENT_FIELDS = ("municipality", "unit", "kind", "period", "people", "note", "version")
# The kinds of period a placement is recorded for (Period.kind): not a span of years.
PLACEMENT_PERIOD_KINDS = frozenset({"year", "half_year", "quarter"})
_MAX_PEOPLE = 1_000_000
# What makes a placement one: recording another with the same replaces it.
_PLACEMENT_KEY = ("municipality", "unit", "kind", "period")


def placement_version(placement: Placement) -> str:
    """What an editor sends back as `version` to be told of a change made meanwhile."""
    return placement.updated_at.isoformat() if placement.updated_at else ""


def placement_record(
    *,
    actor,
    region: Region,
    municipality: Municipality | str,
    unit: Organisation | str,
    kind: str,
    period: str,
    people,
    note: str = "",
    version: str | None = None,
    placement: Placement | None = None,
    replace: bool = True,
) -> Placement:
    """Record how many people `unit` had in places of `kind` in `municipality` in `period`:
    created, or replacing the placement stored for the same municipality, unit, kind and
    period. `municipality` is one of the region's or its official code; `unit` one of the
    region's organisations (not a unit of another municipality) or its key; `period` a year,
    half-year or quarter code; `people` a whole number (or its text).

    `placement` is the placement being changed (the edit form): its municipality, unit, kind
    and period may change too, but not onto another placement stored. `replace` False refuses
    to replace a stored placement (the add form: that one is to be edited instead). `version`
    (optional) is the `placement_version` the editor saw: one changed or removed meanwhile is
    refused.

    Raises Http404 for a region the actor may not see, PermissionDenied if they may not
    record for the municipality (or change `placement`), ValidationError by field (a period
    within an approved round on "period"). `actor=None` is the system.
    """
    if actor is not None:
        if not policies.placement_regions_visible(actor).filter(pk=region.pk).exists():
            raise Http404
        if not policies.can_record_placement(actor, region, None):
            raise PermissionDenied
        if placement is not None and not policies.can_change_placement(actor, placement):
            raise PermissionDenied
    item = {
        "municipality": municipality,
        "unit": unit,
        "kind": kind,
        "period": period,
        "people": people,
        "note": note,
        "version": version,
    }
    with transaction.atomic():
        recorded, problems = _placements_write(
            actor, region, [item], single=True, editing=placement, replace=replace
        )
        if problems:
            raise ValidationError({name: messages for (_index, name), messages in problems.items()})
    return recorded[0]


def placements_record_many(
    *, actor, region: Region, items: list[dict[str, Any]]
) -> list[Placement]:
    """Record every item (a dict of `placement_record`'s fields) or none. ProblemsFound lists
    each bad item's problems by its index (`items[3].people`); the same municipality, unit,
    kind and period twice is a problem of the second; an item for a municipality the actor may
    not record for is a problem of that item. Http404 for a region the actor may not see,
    PermissionDenied if they may record nothing in it. A fixed number of queries, whatever the
    number of items."""
    if actor is not None:
        if not policies.placement_regions_visible(actor).filter(pk=region.pk).exists():
            raise Http404
        if not policies.can_record_placement(actor, region, None):
            raise PermissionDenied
    with transaction.atomic():
        recorded, problems = _placements_write(actor, region, items, single=False)
        if problems:
            raise ProblemsFound(
                [
                    Problem(message, path=f"items[{index}].{name}", field=name)
                    for (index, name), messages in sorted(problems.items())
                    for message in messages
                ]
            )
    return recorded


def placement_delete(*, actor, placement: Placement) -> None:
    """Delete the placement; the values it counted in are counted again without it. A
    placement of a period within an approved round is kept: ValidationError on "period"."""
    if actor is not None:
        if not policies.placements_visible(actor).filter(pk=placement.pk).exists():
            raise Http404
        if not policies.can_change_placement(actor, placement):
            raise PermissionDenied
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("municipality", "unit", "region")
            .get(pk=placement.pk)
        )
        locked = _placement_locks(placement.region)
        message = _placement_locked(locked, placement.municipality_id, placement.period)
        if message:
            raise ValidationError({"period": message})
        state = PlacementState.of(placement)
        audit_record(
            actor=actor,
            verb="delete",
            target=placement,
            changes={
                name: (old, None)
                for name, old in _placement_audited(placement).items()
                if old not in (None, "")
            },
        )
        placement.delete()
        placements_changed([state])


def _placement_audited(placement: Placement) -> dict[str, Any]:
    return {
        "municipality": placement.municipality.code,
        "unit": placement.unit.key,
        "kind": placement.kind,
        "period": placement.period,
        "people": placement.people,
        "note": placement.note,
    }


def _placement_locks(region: Region) -> dict[int, list[periods.Period]]:
    """The approved rounds' periods of the region's programmes, by municipality covered (two
    queries)."""
    rounds: dict[int, list[periods.Period]] = {}
    for programme_id, code in Round.objects.filter(
        programme__region=region, state=Round.State.APPROVED
    ).values_list("programme_id", "period"):
        rounds.setdefault(programme_id, []).append(periods.parse(code))
    found: dict[int, list[periods.Period]] = {}
    if rounds:
        for programme_id, municipality_id in Programme.municipalities.through.objects.filter(
            programme_id__in=rounds
        ).values_list("programme_id", "municipality_id"):
            found.setdefault(municipality_id, []).extend(rounds[programme_id])
    return found


def _placement_locked(
    locked: dict[int, list[periods.Period]], municipality_id: int, code: str
) -> str:
    """The refusal of a placement of `code` in the municipality, if an approved round of a
    programme covering it holds the period; else ""."""
    if not locked.get(municipality_id):
        return ""
    try:
        period = periods.parse(code)
    except periods.InvalidPeriod:
        return ""
    found = locking_period(period, locked[municipality_id])
    return str(PeriodLocked(found.code)) if found is not None else ""


def _placements_write(
    actor,
    region: Region,
    items: list[dict[str, Any]],
    *,
    single: bool,
    editing: Placement | None = None,
    replace: bool = True,
) -> tuple[list[Placement], dict[tuple[int, str], list[str]]]:
    """Check and write the items (inside the caller's transaction); the placements recorded,
    or the problems by (item index, field) with nothing written. `editing` (with one item) is
    the placement the item changes."""
    problems: dict[tuple[int, str], list[str]] = {}
    municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
    units = {o.key: o for o in Organisation.objects.filter(region=region)}
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        fields, errors = _placement_cleaned(item, municipalities, units)
        for name, message in errors.items():
            problems.setdefault((index, name), []).append(message)
        cleaned.append(fields)
    keys = {
        (c["municipality"].pk, c["unit"].pk, c["kind"], c["period"])
        for c in cleaned
        if set(_PLACEMENT_KEY) <= c.keys()
    }
    stored: dict[tuple[int, int, str, str], Placement] = {}
    if keys:
        for placement in (
            Placement.objects.select_for_update(of=("self",))
            .select_related("municipality", "unit")
            .filter(
                municipality_id__in={k[0] for k in keys},
                unit_id__in={k[1] for k in keys},
                kind__in={k[2] for k in keys},
                period__in={k[3] for k in keys},
            )
        ):
            key = (placement.municipality_id, placement.unit_id, placement.kind, placement.period)
            stored[key] = placement
    edited: Placement | None = None
    if editing is not None:
        edited = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("municipality", "unit")
            .filter(pk=editing.pk)
            .first()
        )
    locked = _placement_locks(region) if keys or edited is not None else {}

    allowed: dict[int, bool] = {}
    seen: dict[tuple[int, int, str, str], int] = {}
    plans: list[tuple[Placement | None, dict[str, Any]]] = []
    for index, fields in enumerate(cleaned):
        if any(i == index for i, _name in problems):
            continue
        municipality = fields["municipality"]
        key = (municipality.pk, fields["unit"].pk, fields["kind"], fields["period"])
        if key in seen:
            problems[(index, "period")] = [
                _(
                    "The same municipality, unit, kind and period is already given in "
                    "items[%(index)s]."
                )
                % {"index": seen[key]}
            ]
            continue
        seen[key] = index
        if actor is not None and municipality.pk not in allowed:
            allowed[municipality.pk] = policies.can_record_placement(actor, region, municipality)
        if actor is not None and not allowed[municipality.pk]:
            if single:
                raise PermissionDenied
            problems[(index, "municipality")] = [
                _("You may not record placements for %(municipality)s.")
                % {"municipality": municipality}
            ]
            continue
        version = fields.pop("version", None)
        if editing is not None:
            current = edited
            other = stored.get(key)
            if current is None:
                problems[(index, "version")] = [
                    _("This placement was removed meanwhile. Nothing was saved.")
                ]
                continue
            if other is not None and other.pk != current.pk:
                problems[(index, "period")] = [_already_recorded(other)]
                continue
        else:
            current = stored.get(key)
            if current is not None and not replace:
                problems[(index, "period")] = [_already_recorded(current)]
                continue
        if version and (current is None or placement_version(current) != version):
            problems[(index, "version")] = [
                _("This placement was removed meanwhile. Reload it before saving.")
                if current is None
                else _(
                    "Someone else saved this placement meanwhile. Your change was not saved: "
                    "look at the placement now stored and save again."
                )
            ]
            continue
        message = _placement_locked(locked, municipality.pk, fields["period"])
        if not message and current is not None:
            message = _placement_locked(locked, current.municipality_id, current.period)
        if message:
            problems[(index, "period")] = [message]
            continue
        plans.append((current, fields))
    if problems:
        return [], problems

    entered_by = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    created: list[Placement] = []
    changed: list[Placement] = []
    recorded: list[Placement] = []
    events: list[tuple[Placement, AuditEvent]] = []
    states: set[PlacementState] = set()
    for current, fields in plans:
        if current is None:
            placement = Placement(region=region, entered_by=entered_by, **fields)
            created.append(placement)
            events.append(_created_event(actor, region, placement, _placement_audited(placement)))
            states.add(PlacementState.of(placement))
            recorded.append(placement)
            continue
        placement = current
        before = PlacementState.of(placement)
        old = _placement_audited(placement)
        for name, value in fields.items():
            setattr(placement, name, value)
        event = _changed_event(actor, placement, old, _placement_audited(placement))
        if event is not None:
            placement.entered_by = entered_by
            placement.updated_at = now
            changed.append(placement)
            events.append(event)
            states.update({before, PlacementState.of(placement)})
        recorded.append(placement)
    _save_in_bulk(
        Placement,
        created,
        changed,
        [*_PLACEMENT_KEY, "people", "note", "entered_by", "updated_at"],
        events,
    )
    placements_changed(states)
    return recorded, {}


def _already_recorded(placement: Placement) -> str:
    return _(
        "A placement of this unit, kind and period is already recorded for %(municipality)s "
        "(%(people)s people). Edit that one instead."
    ) % {"municipality": placement.municipality, "people": placement.people}


def _placement_cleaned(
    item: dict[str, Any], municipalities: dict[str, Municipality], units: dict[str, Organisation]
) -> tuple[dict[str, Any], dict[str, str]]:
    """An item's fields as model values, and its problems by field."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    if not isinstance(item, dict):
        return fields, {"municipality": _("Give the placement's fields.")}
    for name in item:
        if name not in PLACEMENT_FIELDS:
            errors[name] = _("Unknown field “%(field)s”.") % {"field": name}
    _municipality_given(item, municipalities, fields, errors)
    given = item.get("unit")
    key = given.key if isinstance(given, Organisation) else str(given or "").strip()
    unit = units.get(key)
    if not key:
        errors["unit"] = _("Choose the unit.")
    elif unit is None or (isinstance(given, Organisation) and given.pk != unit.pk):
        errors["unit"] = _("“%(key)s” is not an organisation of the region.") % {"key": key}
    elif (
        unit.municipality_id is not None
        and "municipality" in fields
        and unit.municipality_id != fields["municipality"].pk
    ):
        errors["unit"] = _("%(unit)s is a unit of another municipality.") % {"unit": unit}
    else:
        fields["unit"] = unit
    kind = item.get("kind")
    if kind not in Placement.Kind.values:
        errors["kind"] = _("Choose the kind of place.")
    else:
        fields["kind"] = kind
    try:
        fields["period"] = clean_placement_period(item.get("period"))
    except ValidationError as error:
        errors["period"] = error.messages[0]
    try:
        fields["people"] = clean_placement_people(item.get("people"))
    except ValidationError as error:
        errors["people"] = error.messages[0]
    note = item.get("note")
    if note is None:
        note = ""
    if not isinstance(note, str):
        errors["note"] = _("Give a text.")
    elif len(note.strip()) > _MAX_NOTE:
        errors["note"] = _("Keep it within %(max)s characters.") % {"max": _MAX_NOTE}
    else:
        fields["note"] = note.strip()
    version = item.get("version")
    fields["version"] = str(version).strip() if version not in (None, "") else None
    return fields, errors


def clean_placement_period(value) -> str:
    """A placement's period as stored: a year (2025), a half-year (2025H1) or a quarter
    (2025Q1); a span of years or anything else is refused."""
    text = str(value or "").strip()
    if not text:
        raise ValidationError(_("Give the period."))
    try:
        period = periods.parse(text)
    except periods.InvalidPeriod:
        period = None
    if period is None or period.kind not in PLACEMENT_PERIOD_KINDS:
        raise ValidationError(
            _(
                "“%(code)s” is not a period of a placement: write a year (2025), a half-year "
                "(2025H1) or a quarter (2025Q1)."
            )
            % {"code": text}
        )
    return period.code


def clean_placement_people(value) -> int:
    """The number of people as a person or a program writes it: 12, "12", "1 200"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("Give the number of people."))
    if isinstance(value, bool):
        raise ValidationError(_("Give the number of people as a whole number."))
    text = str(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Give the number of people as a whole number.")) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationError(_("Give the number of people as a whole number."))
    if number < 0:
        raise ValidationError(_("The number cannot be below zero."))
    if number > _MAX_PEOPLE:
        raise ValidationError(_("The number is too large."))
    return int(number)
