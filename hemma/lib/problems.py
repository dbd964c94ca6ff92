"""Problems found in a file a user gave us, each saying where.

A bad file is answered with a list of problems (file, row or path, column, field, message),
never a traceback, and nothing is changed. Messages are translated where they are made.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    message: str
    file: str = ""
    path: str = ""  # where in a document: programme.themes[2].goals[0].title
    row: int | None = None  # where in a sheet (1-based, as the spreadsheet shows it)
    column: str = ""  # the column's letter or heading
    field: str = ""

    @property
    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        if self.path:
            parts.append(self.path)
        if self.field and not self.path.endswith(self.field):
            parts.append(_("field “%(field)s”") % {"field": self.field})
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "path": self.path,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class ProblemsFound(Exception):
    """Raised with every problem found; the caller shows them all and changes nothing."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems
