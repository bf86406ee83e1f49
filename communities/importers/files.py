"""Reading CSV files line by line, reporting errors by line and column."""

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

# progress(done, total, message): bytes read of the file's size.
Progress = Callable[..., None]
PROGRESS_EVERY_ROWS = 2_000
# At most this many errors are reported: a wholly wrong file would list every line.
MAX_ERRORS = 200
# The largest count a PositiveIntegerField holds on PostgreSQL.
MAX_COUNT = 2_147_483_647


def _no_progress(*_args, **_kwargs) -> None:
    return None


class ImportFileError(Exception):
    """The file cannot be imported; nothing was written. `errors` hold line, column and
    message, one per problem found."""

    def __init__(self, errors: list[dict], message: str = "") -> None:
        count = len(errors)
        self.errors = errors
        self.message = message or (
            f"The file has {count} error{'s' if count != 1 else ''}: nothing was imported."
        )
        super().__init__(self.message)

    def describe(self) -> list[str]:
        lines = []
        for error in self.errors:
            where = []
            if error.get("line"):
                where.append(f"line {error['line']}")
            if error.get("column"):
                where.append(f"column {error['column']!r}")
            prefix = (", ".join(where) + ": ") if where else ""
            lines.append(f"{prefix}{error['message']}")
        return lines


@dataclass
class ImportResult:
    """What an import did, to print or to show on the job's page."""

    what: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        summary = {
            "imported": self.what,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
        if self.notes:
            summary["notes"] = " ".join(self.notes)
        return summary

    def lines(self) -> list[str]:
        lines = [
            f"{self.what}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped."
        ]
        lines.extend(self.notes)
        return lines


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from a binary file, for progress."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size


class CsvFile:
    """A CSV file read as rows of text with their line numbers.

    Accepts a binary or text file object, or a path. UTF-8 with or without a byte-order
    mark (as ONS and Excel write it).
    """

    def __init__(
        self, source, *, name: str = "", size: int | None = None, progress: Progress | None = None
    ) -> None:
        if isinstance(source, str | bytes):
            source = open(source, "rb")  # noqa: SIM115 - closed by close()
        self.name = name or getattr(source, "name", "") or "file"
        self.progress = progress or _no_progress
        self._source = source
        if isinstance(source, io.TextIOBase):
            self._counter = None
            self._text = source
        else:
            self._counter = _CountingReader(source)
            buffered = io.BufferedReader(self._counter)
            self._text = codecs.getreader("utf-8-sig")(buffered, errors="strict")
        self.size = size if size is not None else getattr(source, "size", None)
        self._reader = csv.reader(self._text)
        self.header: list[str] = []
        self.line = 0

    def close(self) -> None:
        close = getattr(self._source, "close", None)
        if close is not None:
            close()

    def read_header(self) -> list[str]:
        try:
            row = next(self._reader, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ImportFileError([_unreadable(1, exc)]) from None
        if row is None or not any(cell.strip() for cell in row):
            raise ImportFileError([{"line": 1, "column": "", "message": "The file is empty."}])
        self.line = self._reader.line_num
        _refuse_nul(self.line, row)
        self.header = [cell.strip().lstrip("\ufeff") for cell in row]
        repeated = repeated_columns(self.header)
        if repeated:
            raise ImportFileError(repeated)
        return self.header

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each data row with its line number; blank lines are skipped, and a row with the
        wrong number of cells is an error."""
        width = len(self.header)
        count = 0
        while True:
            try:
                row = next(self._reader, None)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise ImportFileError([_unreadable(self._reader.line_num + 1, exc)]) from None
            if row is None:
                break
            self.line = self._reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            _refuse_nul(self.line, row)
            if len(row) != width:
                raise ImportFileError(
                    [
                        {
                            "line": self.line,
                            "column": "",
                            "message": f"Expected {width} cells as in the header, found "
                            f"{len(row)}.",
                        }
                    ]
                )
            count += 1
            if count % PROGRESS_EVERY_ROWS == 0:
                self.report(f"Read {count:,} rows")
            yield self.line, row
        self.report(f"Read {count:,} rows")

    def report(self, message: str) -> None:
        done = self._counter.count if self._counter is not None else self.line
        self.progress(done, self.size, message)


def repeated_columns(header: list[str]) -> list[dict]:
    """An error for each column name the header gives twice (in any case): which of the
    two to read would be a guess."""
    first: dict[str, int] = {}
    errors = []
    for position, name in enumerate(header, start=1):
        key = name.strip().lower()
        if not key:
            continue
        if key in first:
            errors.append(
                {
                    "line": 1,
                    "column": name,
                    "message": f"Columns {first[key]} and {position} are both named {name!r}: "
                    "keep one.",
                }
            )
        else:
            first[key] = position
    return errors


def _refuse_nul(line: int, row: list[str]) -> None:
    """PostgreSQL stores no NUL character in text, nor takes one in a query."""
    if any("\x00" in cell for cell in row):
        raise ImportFileError(
            [
                {
                    "line": line,
                    "column": "",
                    "message": "The line holds a NUL character: save the file as CSV UTF-8 "
                    "and try again.",
                }
            ]
        )


def _unreadable(line: int, exc: Exception) -> dict:
    if isinstance(exc, UnicodeDecodeError):
        message = "The file is not UTF-8 text: save it as CSV UTF-8 and try again."
    else:
        message = f"The file is not valid CSV ({exc})."
    return {"line": line, "column": "", "message": message}


class ErrorList:
    """Collects errors while a file is checked, up to MAX_ERRORS."""

    def __init__(self) -> None:
        self.errors: list[dict] = []

    def add(self, line: int | None, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"line": line, "column": column, "message": message})

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportFileError(self.errors)


def parse_count(value: str) -> int | None:
    """A published count: digits, optionally with thousands separators; None if not, or if
    it is more than the database stores."""
    text = value.strip().replace(",", "")
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_COUNT)):
        return None
    count = int(text)
    return count if count <= MAX_COUNT else None
