"""Errors that say what went wrong and where (file and line for data)."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """Bad input data: carries the file and 1-based line (and column, for a document's text) it
    comes from."""

    def __init__(
        self, path: Path | str, line: int | None, message: str, column: int | None = None
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        if self.line and self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class DataErrors(Exception):
    """Several data errors found in one pass, reported together."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class ValidationFailed(Exception):
    """The SHACL gate found violations: nothing is published."""
