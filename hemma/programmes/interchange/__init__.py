"""Hemma's programme interchange format: read, check, import and export (docs/interchange-format.md)."""
