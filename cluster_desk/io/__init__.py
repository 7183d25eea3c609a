"""Importers and exporters (CSV roster, GeoJSON). No Qt; the CLI and the UI share them."""

from __future__ import annotations

import os
from pathlib import Path

from cluster_desk.io.csv_roster import export_csv, import_csv
from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.geojson import export_geojson, import_geojson

__all__ = [
    "GEOJSON_SUFFIXES", "ImportFileError", "ImportProblem", "ImportResult", "export_csv",
    "export_geojson", "import_csv", "import_geojson", "import_roster",
]

GEOJSON_SUFFIXES = (".geojson", ".json")


def import_roster(path: str | os.PathLike[str], *, mapping: dict[str, str] | None = None) -> ImportResult:
    """Import by file suffix: .geojson/.json as GeoJSON, anything else as CSV."""
    if Path(path).suffix.lower() in GEOJSON_SUFFIXES:
        if mapping:
            raise ImportFileError(f"{Path(path).name}: column mapping applies to CSV files only")
        return import_geojson(path)
    return import_csv(path, mapping=mapping)
