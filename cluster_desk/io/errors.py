"""What importers report: per-row problems and notes, and whole-file errors.

Every problem is one line naming the file, the row (as a spreadsheet user counts it: the
header is row 1) and the field. Besides the English ``message`` it carries a stable ``code``
and its ``params`` (facts), so a renderer can say the same thing in another language.
Text echoed from the file (value, file name, member name) is cleaned of control characters and
newlines before it is shown: a hostile cell cannot split a report line or drive a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cluster_desk.core.model import Member
from cluster_desk.io.names import NameKeys
from cluster_desk.io.notes import Notes

__all__ = ["ImportFileError", "ImportProblem", "ImportResult", "clean_echo"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
ECHO_CHARS = 80


def clean_echo(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` safe to print on one line: control characters, newlines and bidi overrides become
    one space, undecodable bytes become U+FFFD, and it is cut to ``limit`` characters."""
    if not text.isprintable() or len(text) > limit:
        text = _CONTROL.sub(" ", _SURROGATE.sub("\ufffd", text[: limit * 4]))
        if len(text) > limit:
            text = text[: limit - 3] + "..."
    return text


class ImportFileError(ValueError):
    """The file as a whole cannot be read (no name column, not JSON, ...). str() names the file.

    ``code`` and ``params`` are the facts behind the English message (for a translated text).
    """

    def __init__(self, message: str, code: str = "file", **params: Any) -> None:
        super().__init__(clean_echo(message, 400))
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem with a row, located the way a spreadsheet user finds it (header is row 1).

    In ``ImportResult.problems`` the row was not imported; in ``warnings`` it was (maybe
    without the field named here). Row 0 means the file as a whole.
    """

    file: str  # file name as shown to the user
    row: int  # 1-based spreadsheet row; for GeoJSON the 1-based feature number
    field: str  # member field ("lat"), or "" when the problem is about the whole row
    value: str  # the offending cell text as read
    message: str  # English, completes "'<value>' ..." when a field is named
    unit: str = "row"  # "row" for CSV/XLSX, "feature" for GeoJSON/GeoPackage, "placemark" for KML
    #: The coordinates look swapped: importing again with swap_flagged=True swaps this row.
    swap_offered: bool = False
    code: str = ""  # stable id of the message ("inn_check_digit", "coord_unreadable", ...)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    member: str = ""  # the member's name, when the row has one

    def __post_init__(self) -> None:
        for name in ("file", "value", "member"):
            text = getattr(self, name)
            if not text.isprintable() or len(text) > ECHO_CHARS:
                object.__setattr__(self, name, clean_echo(text))
        if not self.message.isprintable():
            object.__setattr__(self, "message", clean_echo(self.message, 400))

    def where(self) -> str:
        if self.row <= 0:
            return self.file
        who = f" ({self.member})" if self.member else ""
        return f"{self.file}, {self.unit} {self.row}{who}"

    def __str__(self) -> str:
        if self.field:
            return f"{self.where()}, field '{self.field}': '{self.value}' {self.message}"
        return f"{self.where()}: {self.message}"


@dataclass(slots=True)
class ImportResult:
    members: list[Member] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    encoding: str = ""  # the encoding the file was read with ("utf-8-sig", "cp1251", ...)
    delimiter: str = ""  # CSV only
    columns: dict[str, str] = field(default_factory=dict)  # file header -> member field
    ignored_columns: list[str] = field(default_factory=list)  # headers matched to no field
    #: Rows that were imported but deserve a look (suspected or requested swaps, same names,
    #: a field that could not be read and was left empty), in the order filed (``Notes``: the
    #: many alike ones made when read).
    warnings: Notes = field(default_factory=Notes)
    format: str = ""  # "csv", "xlsx", "geojson", "kml", "gpkg"
    #: Why reading stopped before the end of the file ("" when it was read to the end).
    stopped: str = ""
    #: Name keys of the rows read so far (the reader makes them a batch at a time for matching).
    name_keys: NameKeys = field(default_factory=NameKeys, repr=False, compare=False)

    @property
    def rows_skipped(self) -> int:
        return len({p.row for p in self.problems})
