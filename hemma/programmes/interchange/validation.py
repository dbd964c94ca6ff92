"""Check a programme document against the JSON Schema and the rules the schema cannot say.

Every problem is reported with its path in the document (`programme.themes[2].title`) and a
translated message; nothing is imported while any remains.
"""

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, ValidationError

from hemma.lib.problems import Problem

if TYPE_CHECKING:
    from hemma.surveys.counting import SurveyToCount

SCHEMA_PATH = Path(__file__).with_name("programme.schema.json")
FORMAT = "hemma-programme/1"
# Slugs that are addresses of their own: /programmes/import/ is the import page.
# Addresses that are not a programme's: /api/v1/programmes/import and the national open-data
# file /data/all/<year>/values.csv (hemma/public/data_urls.py).
RESERVED_SLUGS = {"import", "all"}


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def path_text(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_TYPE_NAMES = {
    "string": lambda: _("text"),
    "number": lambda: _("a number"),
    "integer": lambda: _("a whole number"),
    "array": lambda: _("a list"),
    "object": lambda: _("a mapping"),
    "boolean": lambda: _("true or false"),
}


def _message(error: ValidationError) -> tuple[str, str]:
    """(field, translated message) for one schema error."""
    path = list(error.absolute_path)
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    validator, value, instance = error.validator, error.validator_value, error.instance
    if validator is False or error.schema is False:
        return field, _("“%(field)s” does not belong to a target of this type") % {"field": field}
    if validator == "type":
        return field, _("must be %(type)s") % {"type": _TYPE_NAMES.get(value, lambda: value)()}
    if validator in ("enum", "const"):
        choices = value if validator == "enum" else [value]
        return field, _("“%(value)s” is not allowed; use one of: %(choices)s") % {
            "value": instance,
            "choices": ", ".join(str(c) for c in choices),
        }
    if validator == "propertyNames" or (validator == "enum" and not field):
        return field, _("“%(value)s” is not a language code Hemma knows") % {"value": instance}
    if validator == "pattern":
        if "[0-9]{3}" in value:
            return field, _("must be a three-digit municipality code, e.g. “598”")
        if "[0-9]{4}-" in value:
            return field, _("must be a date written YYYY-MM-DD")
        return field, _(
            "must be lower-case letters a–z, digits, “-” and “_”, starting with a letter or digit"
        )
    if validator == "format":
        return field, _("must be a date written YYYY-MM-DD")
    if validator == "maxLength":
        return field, _("is too long (at most %(limit)s characters)") % {"limit": value}
    if validator == "minItems":
        return field, _("must have at least %(limit)s item(s)") % {"limit": value}
    if validator == "minimum":
        return field, _("must be at least %(limit)s") % {"limit": value}
    if validator == "maximum":
        return field, _("must be at most %(limit)s") % {"limit": value}
    if validator == "anyOf":
        return field, _("a band needs “min”, “max” or both")
    if validator == "uniqueItems":
        return field, _("lists the same item twice")
    return field, _("is not valid here")


def _field_problems(error: ValidationError, *, file: str) -> list[Problem] | None:
    """Missing and unknown fields, one problem each, with the field in the path."""
    where = list(error.absolute_path)
    if error.validator == "required":
        names = [name for name in error.validator_value if name not in error.instance]
        message = _("required field is missing")
    elif error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        names = sorted(str(k) for k in error.instance if k not in known)
        message = _("unknown field")
    else:
        return None
    return [
        Problem(message, file=file, path=path_text([*where, name]), field=name) for name in names
    ]


def schema_problems(document: Any, *, file: str = "") -> list[Problem]:
    problems: list[Problem] = []
    errors = sorted(
        _validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]
    )
    for error in errors:
        if (fields := _field_problems(error, file=file)) is not None:
            problems.extend(fields)
            continue
        # propertyNames errors point at the mapping; say which key is wrong.
        if error.validator == "propertyNames" or (
            error.parent is not None and error.parent.validator == "propertyNames"
        ):
            problems.append(
                Problem(
                    _("“%(value)s” is not a language code Hemma knows") % {"value": error.instance},
                    file=file,
                    path=path_text(error.absolute_path),
                )
            )
            continue
        field, message = _message(error)
        problems.append(
            Problem(message, file=file, path=path_text(error.absolute_path), field=field)
        )
    return problems


def _walk(programme: dict):
    """(kind, path, node) for every node of the tree."""
    for t, theme in enumerate(programme.get("themes", [])):
        theme_path = f"programme.themes[{t}]"
        yield "theme", theme_path, theme
        for g, goal in enumerate(theme.get("goals", [])):
            goal_path = f"{theme_path}.goals[{g}]"
            yield "goal", goal_path, goal
            for a, action in enumerate(goal.get("actions", [])):
                action_path = f"{goal_path}.actions[{a}]"
                yield "action", action_path, action
                for i, indicator in enumerate(action.get("indicators", [])):
                    yield "indicator", f"{action_path}.indicators[{i}]", indicator


_REQUIRED_TEXTS = {
    "theme": ("title",),
    "goal": ("title",),
    "action": ("title",),
    "indicator": ("name",),
}


def rule_problems(
    document: dict, *, file: str = "", surveys: "Mapping[str, SurveyToCount] | None" = None
) -> list[Problem]:
    """The rules beyond the schema: own-language texts, unique keys, references."""
    problems: list[Problem] = []
    programme = document["programme"]
    language = programme["language"]

    def problem(path: str, field: str, message: str) -> None:
        problems.append(Problem(message, file=file, path=f"{path}.{field}", field=field))

    def needs_own_language(path: str, node: dict, field: str) -> None:
        if not (node.get(field) or {}).get(language, "").strip():
            problem(
                path,
                field,
                _("the text in the programme's own language (%(language)s) is missing")
                % {"language": language},
            )

    needs_own_language("programme", programme, "title")
    if programme["slug"] in RESERVED_SLUGS:
        problem(
            "programme",
            "slug",
            _("“%(key)s” is reserved; choose another slug") % {"key": programme["slug"]},
        )
    period = programme["period"]
    if period["end"] < period["start"]:
        problem("programme", "period", _("the period ends before it starts"))

    codes = [m["code"] for m in programme["municipalities"]]
    for i, code in enumerate(codes):
        if codes.index(code) != i:
            problem(
                f"programme.municipalities[{i}]",
                "code",
                _("“%(key)s” is listed twice") % {"key": code},
            )
    for i, decision in enumerate(programme.get("council_decisions", [])):
        if decision["municipality"] not in codes:
            problem(
                f"programme.council_decisions[{i}]",
                "municipality",
                _("municipality “%(code)s” is not one of the programme's municipalities")
                % {"code": decision["municipality"]},
            )

    organisations = [o["key"] for o in programme.get("organisations", [])]
    for i, organisation in enumerate(programme.get("organisations", [])):
        if organisations.index(organisation["key"]) != i:
            problem(
                f"programme.organisations[{i}]",
                "key",
                _("“%(key)s” is listed twice") % {"key": organisation["key"]},
            )
        if organisation.get("municipality") and organisation["municipality"] not in codes:
            problem(
                f"programme.organisations[{i}]",
                "municipality",
                _("municipality “%(code)s” is not one of the programme's municipalities")
                % {"code": organisation["municipality"]},
            )

    seen_themes: set[str] = set()
    seen_actions: set[str] = set()
    goals_by_theme: dict[str, set[str]] = {}
    current_theme = ""
    for kind, path, node in _walk(programme):
        for field in _REQUIRED_TEXTS[kind]:
            needs_own_language(path, node, field)
        key = node["key"]
        if kind == "theme":
            current_theme = path
            duplicate = key in seen_themes
            seen_themes.add(key)
        elif kind == "goal":
            goals = goals_by_theme.setdefault(current_theme, set())
            duplicate = key in goals
            goals.add(key)
        elif kind == "action":
            duplicate = key in seen_actions
            seen_actions.add(key)
            indicator_keys: set[str] = set()
            for field in ("responsible", "partners"):
                for j, ref in enumerate(node.get(field, [])):
                    if ref not in organisations:
                        problem(
                            path,
                            f"{field}[{j}]",
                            _("organisation “%(key)s” is not in the document's organisations")
                            % {"key": ref},
                        )
            for j, entry in enumerate(node.get("municipal_responsible", [])):
                if entry["municipality"] not in codes:
                    problem(
                        path,
                        f"municipal_responsible[{j}]",
                        _("municipality “%(code)s” is not one of the programme's municipalities")
                        % {"code": entry["municipality"]},
                    )
                for ref in entry["organisations"]:
                    if ref not in organisations:
                        problem(
                            path,
                            f"municipal_responsible[{j}]",
                            _("organisation “%(key)s” is not in the document's organisations")
                            % {"key": ref},
                        )
        else:
            duplicate = key in indicator_keys
            indicator_keys.add(key)
            target = node.get("target") or {}
            if (
                target.get("type") == "band"
                and "min" in target
                and "max" in target
                and target["min"] > target["max"]
            ):
                problem(path, "target", _("the band's min is above its max"))
            counted_problems(path, node, problem, surveys=surveys)
        if duplicate:
            problem(path, "key", _("“%(key)s” is listed twice") % {"key": key})
    return problems


def counted_problems(
    path: str, indicator: dict, problem, *, surveys: "Mapping[str, SurveyToCount] | None" = None
) -> None:
    """An indicator's `source` and `counted_from` agree, and what it counts may be counted:
    the rules of hemma.programmes.services.counting_problems, the same as the indicator
    form's, reported at `counted_from` (or at `scope`). A survey's question and choices are
    checked against `surveys`, the programme's latest, where it has them."""
    counted = "counted_from" in indicator
    source = indicator.get("source")
    if source == "registry" and not counted:
        problem(
            path,
            "source",
            _("an indicator counted from the registries needs “counted_from”: what it counts"),
        )
    elif source == "manual" and counted:
        problem(
            path,
            "counted_from",
            _(
                "an indicator entered by people (source “manual”) counts nothing; remove "
                "“counted_from” or write “source: registry”"
            ),
        )
    if not counted:
        return
    counted_from = indicator["counted_from"]
    if counted_from["query"] != "survey" and {"survey", "question"} & set(counted_from):
        problem(
            path,
            "counted_from",
            _("“survey” and “question” name what “query: survey” counts; remove them"),
        )
    # Imported here: the services import the programme format.
    from hemma.programmes.services import counting_problems

    for field, message in counting_problems(
        kind=indicator["kind"],
        scope=indicator.get("scope", "municipality"),
        query=counted_from["query"],
        query_kinds=counted_from.get("kinds", []),
        survey=counted_from.get("survey", ""),
        question=counted_from.get("question", ""),
        surveys=surveys,
        document=True,
    ):
        problem(path, "scope" if field == "scope" else "counted_from", message)


def document_problems(
    document: Any, *, file: str = "", surveys: "Mapping[str, SurveyToCount] | None" = None
) -> list[Problem]:
    """Every problem of the document; an empty list means it can be imported. `surveys`: the
    latest surveys of the programme it is imported into, to check the survey questions its
    indicators count (None: not known, the questions are taken as given)."""
    problems = schema_problems(document, file=file)
    if problems:
        # The rules read the document's structure, which only holds once the schema does.
        return problems
    return rule_problems(document, file=file, surveys=surveys)
