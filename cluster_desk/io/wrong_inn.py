"""The note on a row whose INN fails its check digit (the row is imported as given).

A roster whose INNs mostly fail the check (a synthetic one, an old register) gets one a row. The
row readers file a batch's such notes as one ``notes.NoteRun`` (``file_inn_notes``): the rows,
INNs and names as columns; each note is made, as ``inn_note`` makes it, only when it is read.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress
from typing import Any

from cluster_desk.io.errors import ECHO_CHARS, ImportProblem, ImportResult, clean_echo
from cluster_desk.io.notes import NoteRun

__all__ = ["INN_CODE", "INN_NOTE", "RUN_MIN", "file_inn_notes", "inn_note", "inn_notes"]

#: The note on a row whose INN fails its check digit (the row is imported).
INN_NOTE = "has a wrong check digit (a typo?); imported as given"
INN_CODE = "inn_check_digit"
#: Fewer notes than this are filed as notes, not as a run (a run's arrays cost ~0.5 KB).
RUN_MIN = 8


class _NoteInMaking:
    """An ImportProblem's slots, writable: a note is filled in here, then made an ImportProblem
    by changing its class (the same slots, so Python allows it; the note is frozen from then on).
    Plain attribute stores cost a fraction of the frozen dataclass's ``__init__`` (or of calling
    each slot's ``__set__``): see ``inn_note``."""

    __slots__ = ImportProblem.__slots__
    file: str
    row: int
    field: str
    value: str
    message: str
    unit: str
    swap_offered: bool
    code: str
    params: dict[str, Any]
    member: str


def _echo(text: str) -> str:
    """``text`` as ImportProblem.__post_init__ keeps it."""
    return text if text.isprintable() and len(text) <= ECHO_CHARS else clean_echo(text)


def inn_note(file_name: str, number: int, unit: str, inn: str, member: str) -> ImportProblem:
    """The warning ``rows._report`` files for an ``inn_check_digit`` issue, made directly. The
    note equals ``ImportProblem(file_name, number, "inn", inn, INN_NOTE, unit, False,
    "inn_check_digit", {}, member)`` (tests/io/test_inn_notes.py) at ~a fifth of its cost: the
    frozen dataclass's ``__init__`` and ``__post_init__`` were a tenth of such an import
    (``_NoteInMaking``; ~1 µs a note where setting each slot through its descriptor took ~3)."""
    return _clean_inn_note(_echo(file_name), number, unit, inn, member)


def _clean_inn_note(file: str, number: int, unit: str, inn: str, member: str) -> ImportProblem:
    """``inn_note`` with the file name already as a note keeps it (``_echo``)."""
    note = _NoteInMaking()
    note.file = file
    note.row = number
    note.field = "inn"
    note.value = inn if inn.isprintable() and len(inn) <= ECHO_CHARS else clean_echo(inn)
    note.message = INN_NOTE  # printable: kept as it is
    note.unit = unit
    note.swap_offered = False
    note.code = INN_CODE
    note.params = {}
    note.member = member if member.isprintable() and len(member) <= ECHO_CHARS else clean_echo(member)
    note.__class__ = ImportProblem  # type: ignore[assignment]
    return note  # type: ignore[return-value]


def _maker(file: str, unit: str) -> Callable[[int, str, str], ImportProblem]:
    """A run's note maker: (row, INN, name) -> the note ``inn_note`` makes."""
    def make(row: int, inn: str, member: str) -> ImportProblem:
        return _clean_inn_note(file, row, unit, inn, member)
    return make


def file_inn_notes(result: ImportResult, file_name: str, unit: str, rows: list[int], inns: list[str],
                   names: list[str]) -> None:
    """File the notes of ``rows`` (in order, with their INNs and names) after the others."""
    file = _echo(file_name)
    if len(rows) < RUN_MIN:
        n = len(rows)
        result.warnings.extend(map(_clean_inn_note, [file] * n, rows, [unit] * n, inns, names))
        return
    result.warnings.add_run(NoteRun(_maker(file, unit), INN_CODE, rows, inns, names))


def inn_notes(result: ImportResult, file_name: str, unit: str, wrong: list[bool], numbers: list[int],
              inns: list[Any], names: list[Any]) -> None:
    """``inn_note`` for the rows of a batch's columns where ``wrong`` is true, in order."""
    file_inn_notes(result, file_name, unit, list(compress(numbers, wrong)), list(compress(inns, wrong)),
                   list(compress(names, wrong)))


class PendingInnNotes:
    """A batch's wrong-INN notes while its rows are walked one by one (some read carefully, which
    may file notes of their own): filed as one run, each note still in its row's place."""

    __slots__ = ("file_name", "inns", "names", "result", "rows", "unit")

    def __init__(self, result: ImportResult, file_name: str, unit: str) -> None:
        self.result, self.file_name, self.unit = result, file_name, unit
        self.rows: list[int] = []
        self.inns: list[str] = []
        self.names: list[str] = []

    def add(self, row: int, inn: str, name: str) -> None:
        self.rows.append(row)
        self.inns.append(inn)
        self.names.append(name)

    def before(self, mark: int) -> None:
        """The notes from ``mark`` on were filed after the rows waiting here: these go first."""
        warnings = self.result.warnings
        if self.rows and len(warnings) > mark:
            later = warnings[mark:]
            del warnings[mark:]
            self.file()
            warnings.extend(later)

    def file(self) -> None:
        if self.rows:
            file_inn_notes(self.result, self.file_name, self.unit, self.rows, self.inns, self.names)
            self.rows, self.inns, self.names = [], [], []
