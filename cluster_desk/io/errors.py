"""What importers report: per-row problems (the row is skipped) and whole-file errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from cluster_desk.core.model import Member


class ImportFileError(ValueError):
    """The file as a whole cannot be read (no name column, not JSON, ...). str() names the file."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One rejected row, located the way a spreadsheet user finds it (header is row 1)."""

    file: str  # file name as shown to the user
    row: int  # 1-based spreadsheet row; for GeoJSON the 1-based feature number
    field: str  # member field ("lat"), or "" when the problem is about the whole row
    value: str  # the offending cell text as read
    message: str
    unit: str = "row"  # "row" for CSV, "feature" for GeoJSON
    #: The coordinates look swapped: importing again with swap_flagged=True swaps this row.
    swap_offered: bool = False

    def __str__(self) -> str:
        where = f"{self.file}, {self.unit} {self.row}"
        value = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        if self.field:
            return f"{where}, field '{self.field}': '{value}' {self.message}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ImportResult:
    members: list[Member] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    encoding: str = ""  # the encoding the file was read with ("utf-8-sig", "cp1251", ...)
    delimiter: str = ""  # CSV only
    columns: dict[str, str] = field(default_factory=dict)  # file header -> member field
    ignored_columns: list[str] = field(default_factory=list)  # headers matched to no field
    #: Rows that were imported but deserve a look (suspected or requested swaps, same names).
    warnings: list[ImportProblem] = field(default_factory=list)
    format: str = ""  # "csv", "xlsx", "geojson", "kml", "gpkg"

    @property
    def rows_skipped(self) -> int:
        return len({p.row for p in self.problems})
