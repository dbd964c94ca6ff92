"""Problems found in a file a user gave us, each saying where.

A bad file is answered with a list of problems (file, row or path, column, field, message),
never a traceback, and nothing is changed. Messages are translated where they are made.
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    message: str
    file: str = ""
    path: str = ""  # where in a document: programme.themes[2].goals[0].title
    row: int | None = None  # where in a sheet (1-based, as the spreadsheet shows it)
    last_row: int | None = None  # the same problem in every row from `row` to this one
    column: str = ""  # the column's letter or heading
    field: str = ""

    @property
    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.row is not None and self.last_row is not None:
            parts.append(_("rows %(row)s–%(last)s") % {"row": self.row, "last": self.last_row})
        elif self.row is not None:
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


def grouped_by_rows(problems: list[Problem]) -> list[Problem]:
    """The same problem in consecutive rows said once, with the rows: "rows 2–22".

    The same problem is the same message in the same file, column and field (a locked period
    refuses each of a whole sheet's rows alike). `problems` are in the order of their rows.
    """
    result: list[Problem] = []
    last: dict[tuple, int] = {}  # a problem's key → its place in `result`
    for problem in problems:
        key = (problem.message, problem.file, problem.column, problem.field, problem.path)
        index = last.get(key)
        if problem.row is not None and index is not None:
            run = result[index]
            end = run.last_row or run.row
            if end is not None and problem.row in (end, end + 1):
                result[index] = replace(
                    run, last_row=problem.row if problem.row != run.row else None
                )
                continue
        last[key] = len(result)
        result.append(problem)
    return result


class ProblemsFound(Exception):
    """Raised with every problem found; the caller shows them all and changes nothing."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems
