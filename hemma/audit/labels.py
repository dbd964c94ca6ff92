"""How a recorded change reads to a person, in the active language.

Each field by its translated label (the model's verbose name, else `_extra_labels`), each value
by its kind: a choice by its label, a date or time in the language's format and the active time
zone, a municipality code by the municipality's name, an organisation's or a region's key by its
name and an action ("programme-slug/action-key") by its title (`reference_names`), yes/no,
languages by name, 3 (not 3.00).

One place for every history: a programme's and an action's (hemma.programmes.selectors), a
value's in the grid (hemma.followup.grid) and an activity's (hemma.registries.views).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hemma.lib import languages, periods
from hemma.lib.texts import pick

EMPTY = "—"

# Fields whose values are municipality codes, shown by the municipality's name.
_MUNICIPALITY_FIELDS = {"municipality", "municipalities"}
# Fields whose values are keys of other records, shown by their names (`reference_names`).
_ORGANISATION_FIELDS = ("organiser", "partners")
_REGION_FIELDS = ("region",)
_ACTION_FIELDS = ("actions",)


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str
    language: str = ""  # set when the line is one language of a text


def model_of(target_type: str) -> type[models.Model] | None:
    """ "followup.measurement" → Measurement; None for a model that is gone."""
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def model_label(model: type[models.Model] | None, fallback: str = "") -> str:
    """Measurement → "Value", in the active language."""
    return capfirst(str(model._meta.verbose_name)) if model is not None else fallback


def _extra_labels() -> dict[str, str]:
    """Labels of what services record that is no field of the model (or has no verbose name)."""
    return {
        # programmes
        "responsible": _("Responsible"),
        "partners": _("Partners"),
        "parties": _("Parties"),
        "municipalities": _("Municipalities"),
        "council_decisions": _("Council decisions"),
        "file": _("File"),
        "action": _("Action"),
        "position": _("Position in its goal"),
        "goal": _("Goal"),
        # follow-up
        "municipality": _("Municipality"),
        "reason": _("Reason"),
        "ready": _("Ready"),
        "reporters": _("Reporters"),
        "reporter": _("Reporter"),
        "recipient": _("Recipient"),
        "sent_to": _("Sent to"),
        "reminders_sent": _("Reminders sent, days before the deadline"),
    }


def _keys(changes: Iterable[Mapping], names: Iterable[str]) -> set[str]:
    """Every value (old or new, one or a list) the changes record for the fields `names`."""
    found: set[str] = set()
    for each in changes:
        for name in names:
            for value in each.get(name) or ():
                values = value if isinstance(value, list | tuple) else [value]
                found.update(str(v) for v in values if v not in (None, ""))
    return found


def reference_names(
    changes: Iterable[Mapping], *, region_id: int | None, language: str
) -> dict[str, dict[str, str]]:
    """By field and stored key, the names of what the changes name: organisations (organiser,
    partners) of the region and regions in `language`, actions ("programme-slug/action-key")
    by their title in their programme's language. One query per kind, for all the changes."""
    changes = list(changes)
    references: dict[str, dict[str, str]] = {}
    keys = _keys(changes, _ORGANISATION_FIELDS)
    if keys:
        organisations = apps.get_model("organisations", "Organisation").objects.filter(
            region_id=region_id, key__in=keys
        )
        names = {o.key: pick(o.name, language, fallback="sv") or o.key for o in organisations}
        references.update({name: names for name in _ORGANISATION_FIELDS})
    keys = _keys(changes, _REGION_FIELDS)
    if keys:
        regions = apps.get_model("organisations", "Region").objects.filter(key__in=keys)
        names = {r.key: pick(r.name, language, fallback="sv") or r.key for r in regions}
        references.update({name: names for name in _REGION_FIELDS})
    keys = _keys(changes, _ACTION_FIELDS)
    if keys:
        pairs = [key.split("/", 1) for key in keys if "/" in key]
        actions = (
            apps.get_model("programmes", "Action")
            .objects.filter(
                programme__slug__in={slug for slug, _key in pairs},
                key__in={key for _slug, key in pairs},
            )
            .select_related("programme")
        )
        names = {
            f"{a.programme.slug}/{a.key}": pick(a.title, a.programme.language) or a.key
            for a in actions
        }
        references.update({name: names for name in _ACTION_FIELDS})
    return references


def field_of(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(
    model: type[models.Model] | None, name: str, municipalities: Mapping[str, str] | None = None
) -> str:
    if name.startswith("units:"):
        code = name.split(":", 1)[1]
        return _("Units named by %(municipality)s") % {
            "municipality": (municipalities or {}).get(code, code)
        }
    extra = _extra_labels()
    if name in extra:
        return str(extra[name])
    field = field_of(model, name)
    verbose = getattr(field, "verbose_name", None)
    # A verbose name Django made up from the field's name is English: only a marked one is used.
    if isinstance(verbose, Promise):
        return capfirst(str(verbose))
    return capfirst(name.replace("_", " "))


def number_text(value: Decimal | float | int) -> str:
    """A number as a person writes it: 3, not 3.00; 2.5."""
    if isinstance(value, int):
        return str(value)
    return f"{Decimal(str(value)).normalize():f}"


def _moment(value: str, field: models.Field) -> str:
    """A stored date or time ("2026-11-28 01:37:10.012830+00:00") in the page's format."""
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return value


def value_text(
    value: Any,
    field: Any = None,
    *,
    name: str = "",
    language: str = "",
    municipalities: Mapping[str, str] | None = None,
    references: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """One recorded value as a person reads it; `field` (the model's) tells its kind.
    `references` (from `reference_names`) names the keys of other records, by field."""
    name = name or getattr(field, "name", "")
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if references and name in references:
        keys = value if isinstance(value, list | tuple) else [value]
        return ", ".join(references[name].get(str(key), str(key)) for key in keys)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict):
        return pick(value, fallback=language) or EMPTY
    if name in _MUNICIPALITY_FIELDS and municipalities is not None:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(municipalities.get(str(code), str(code)) for code in codes)
    if name == "languages" and isinstance(value, list):
        return ", ".join(languages.language_name(str(code)) for code in value)
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v, language=language) for v in value) or EMPTY
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(field, models.DateField):  # and DateTimeField
        return _moment(value, field)
    if isinstance(value, Decimal | float | int):
        return number_text(value)
    if isinstance(value, str) and isinstance(field, models.DecimalField):
        try:
            return number_text(Decimal(value))
        except InvalidOperation:
            return value
    if name == "period" and isinstance(value, str):
        try:
            return str(periods.parse(value))
        except periods.InvalidPeriod:
            return value
    return str(value)


def _language_order(codes, language: str) -> list[str]:
    staff = [code for code, _name in languages.STAFF_LANGUAGES]
    return sorted(codes, key=lambda c: (c != language, staff.index(c) if c in staff else 99, c))


def change_lines(
    model: type[models.Model] | None,
    changes: dict,
    *,
    language: str,
    municipalities: Mapping[str, str] | None = None,
    references: Mapping[str, Mapping[str, str]] | None = None,
) -> list[ChangeLine]:
    """Each field's old → new; a text (a map of languages) gives one line per language changed."""
    lines = []
    for name, pair in changes.items():
        old, new = pair
        label = field_label(model, name, municipalities)
        if (
            isinstance(old, dict | type(None))
            and isinstance(new, dict | type(None))
            and (isinstance(old, dict) or isinstance(new, dict))
        ):
            old, new = old or {}, new or {}
            codes = {c for c in {*old, *new} if old.get(c, "") != new.get(c, "")}
            for code in _language_order(codes, language):
                lines.append(
                    ChangeLine(
                        label=label,
                        old=old.get(code) or EMPTY,
                        new=new.get(code) or EMPTY,
                        language=languages.language_name(code),
                    )
                )
            continue
        field = field_of(model, name)
        lines.append(
            ChangeLine(
                label=label,
                old=value_text(
                    old,
                    field,
                    name=name,
                    language=language,
                    municipalities=municipalities,
                    references=references,
                ),
                new=value_text(
                    new,
                    field,
                    name=name,
                    language=language,
                    municipalities=municipalities,
                    references=references,
                ),
            )
        )
    return lines
