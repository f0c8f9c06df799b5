"""The one exception a bad source document may raise."""

from __future__ import annotations


class SourceError(ValueError):
    """A source document that cannot be read: names the file, the field and the offending value."""

    def __init__(self, file: str, field: str, value: object, problem: str) -> None:
        self.file, self.field, self.value, self.problem = file, field, value, problem
        shown = repr(value) if len(repr(value)) <= 120 else repr(value)[:117] + "..."
        super().__init__(f"{file}: field {field!r}: {problem} (value: {shown})")
