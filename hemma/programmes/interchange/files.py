"""Files in and out: which reader or writer a file name or format asks for."""

from typing import IO

from hemma.programmes.interchange import exporting, reading, tabular
from hemma.programmes.models import Programme

EXPORT_FORMATS = {
    # format: (content type, file suffix)
    "json": ("application/json", "json"),
    "yaml": ("application/yaml", "yaml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


def document_from_file(stream: IO[bytes], *, name: str, programme: Programme | None = None) -> dict:
    """Read an uploaded or given file into a programme document; ProblemsFound if it is bad.

    A YAML or JSON file is a whole document. A spreadsheet (XLSX, CSV) is the action table as
    coordinators keep it, which names no programme: it is read into `programme`'s document,
    replacing its themes, goals and actions.
    """
    suffix = reading.suffix_of(name)
    data = reading.read_bytes(stream, name=name)
    if suffix in reading.STRUCTURED:
        return reading.parse_structured(data, name=name)
    base = exporting.programme_document(programme) if programme is not None else None
    return tabular.document_from_table(data, name=name, suffix=suffix, base=base)


def export_file(programme: Programme, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the programme in `fmt`."""
    content_type, suffix = EXPORT_FORMATS[fmt]
    document = exporting.programme_document(programme)
    if fmt == "json":
        content = exporting.to_json(document).encode()
    elif fmt == "yaml":
        content = exporting.to_yaml(document).encode()
    elif fmt == "xlsx":
        content = tabular.table_xlsx(document)
    else:
        content = tabular.table_csv(document)
    return content, content_type, f"{programme.slug}.{suffix}"
