"""Building a report to the council: one entry point for the command line and the web.

`build(spec, reader=…, progress=…)` returns the file's bytes. `progress(percent, step)` is
called as the work goes on (the web shows it); `step` is one of STEPS.
"""

from collections.abc import Callable
from dataclasses import dataclass

from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme

FORMATS = ("pdf", "docx", "xlsx")

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class ReportSpec:
    programme: Programme
    period: str
    format: str  # one of FORMATS
    language: str = "sv"
    # None: the whole programme, every municipality it covers.
    municipality: Municipality | None = None


def build(spec: ReportSpec, *, reader, progress: Progress | None = None) -> bytes:
    """The report's file, read as `reader` may (a user; the command line reads everything)."""
    raise NotImplementedError  # the report's helper writes this
