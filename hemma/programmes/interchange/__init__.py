"""The programme interchange format: read, check, import, export (docs/interchange-format.md)."""
