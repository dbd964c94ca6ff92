"""Turn an uploaded file into a programme document (a dict), or say what is wrong with it."""

import datetime
import json
from pathlib import PurePath
from typing import IO, Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from hemma.lib.problems import Problem, ProblemsFound

STRUCTURED = {".json", ".yaml", ".yml"}
TABULAR = {".xlsx", ".csv"}


def read_bytes(stream: IO[bytes], *, name: str) -> bytes:
    """The file's bytes, refusing one over the size limit before reading it all."""
    limit = settings.HEMMA_MAX_IMPORT_BYTES
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ProblemsFound(
            [
                Problem(
                    _("The file is larger than %(limit)s MB.")
                    % {"limit": f"{limit / 1024 / 1024:g}"},
                    file=name,
                )
            ]
        )
    return data


def suffix_of(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in STRUCTURED | TABULAR:
        raise ProblemsFound(
            [
                Problem(
                    _("Hemma reads .yaml, .yml, .json, .xlsx and .csv files, not “%(suffix)s”.")
                    % {"suffix": suffix or name},
                    file=name,
                )
            ]
        )
    return suffix


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: an alias can expand a small file into gigabytes."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(None, None, "aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)


def _plain(value: Any) -> Any:
    """YAML's dates as ISO text, so that YAML and JSON documents are checked alike."""
    if isinstance(value, dict):
        return {str(k) if isinstance(k, datetime.date) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _yaml_problem(error: yaml.YAMLError, *, name: str) -> Problem:
    """A YAML syntax error in the user's language, at the line where the trouble began.

    PyYAML's own words are English and technical; the common ones are said again here.
    An unclosed quote or bracket is reported where it was opened (the "context"), not at
    the end of the file where the parser noticed.
    """
    problem = getattr(error, "problem", None) or ""
    mark = getattr(error, "problem_mark", None)
    unclosed = "end of stream" in problem or "<stream end>" in problem
    if unclosed:
        mark = getattr(error, "context_mark", None) or mark
    if "aliases" in problem:
        explained = _("aliases (*name) are not allowed")
    elif unclosed:
        explained = _("the file ends inside a quote or a bracket that is not closed")
    elif "mapping values are not allowed" in problem:
        explained = _("a colon where it is not allowed: put text that holds “: ” in quotes")
    elif "could not find expected ':'" in problem:
        explained = _("a line is missing its “:”")
    elif "cannot start any token" in problem:
        explained = _("a character that cannot start a value here (a tab?): indent with spaces")
    elif "expected <block end>" in problem or "did not find expected" in problem:
        explained = _("the indentation does not match the lines above")
    elif "escape" in problem:
        explained = _("an unknown escape (\\) in quoted text")
    else:
        explained = _("the YAML syntax is broken here")
    return Problem(
        _("This is not valid YAML: %(error)s") % {"error": explained},
        file=name,
        row=mark.line + 1 if mark else None,
        column=str(mark.column + 1) if mark else "",
    )


def parse_structured(data: bytes, *, name: str) -> dict:
    """A YAML or JSON document as a dict; a syntax error is a problem with its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProblemsFound([Problem(_("The file is not UTF-8 text."), file=name)]) from None
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix == ".json":
            document = json.loads(text)
        else:
            document = _plain(yaml.load(text, Loader=_NoAliasLoader))  # noqa: S506 - safe loader
    except json.JSONDecodeError as error:
        raise ProblemsFound(
            [
                Problem(
                    _("This is not valid JSON: %(error)s") % {"error": error.msg},
                    file=name,
                    row=error.lineno,
                    column=str(error.colno),
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise ProblemsFound([_yaml_problem(error, name=name)]) from None
    except RecursionError:
        raise ProblemsFound([Problem(_("The document is nested too deeply."), file=name)]) from None
    if not isinstance(document, dict):
        raise ProblemsFound(
            [Problem(_("The document must be a mapping with “format” and “programme”."), file=name)]
        )
    return document
