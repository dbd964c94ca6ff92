"""The action table as a spreadsheet (XLSX, CSV): one row per action.

Columns Tema, Mål, Åtgärd, Ansvarsinstans, Samarbetspartner, Uppföljning (Finnish and English
headings are read too). Being written by a colleague: see the interface below.
"""

from hemma.lib.problems import Problem, ProblemsFound


def document_from_table(data: bytes, *, name: str, suffix: str, base: dict | None) -> dict:
    raise ProblemsFound([Problem("not yet", file=name)])


def table_xlsx(document: dict) -> bytes:
    raise NotImplementedError


def table_csv(document: dict) -> bytes:
    raise NotImplementedError
