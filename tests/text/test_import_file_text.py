"""A file an import cannot read as a whole says so in Russian, for every code the readers raise."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cluster_desk
from cluster_desk.io.errors import ImportFileError
from cluster_desk.text import text_for
from cluster_desk.text.import_file_text import import_file_error

RU = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
#: A value for every param a reader gives (ASCII: any Cyrillic in a line comes from the catalogue).
SAMPLE = {"line": 7, "row": 9, "detail": "Permission denied", "missing": True, "format": "dbf",
          "encoding": "cp1251", "byte": "0xFF", "root": "html", "rows": 3, "limit": 100000,
          "crs": "EPSG:3857", "srs": "3857", "sheet": "Roster", "sheets": "Sheet1", "columns": "a, b",
          "column": "Company", "field": "colour", "fields": "name, inn", "reason": "max_rows"}  # fmt: skip


def _raised() -> list[tuple[str, str, tuple[str, ...]]]:
    """(where, code, param names) of every ImportFileError the code makes."""
    root = Path(cluster_desk.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "ImportFileError" not in source:  # (no call can be in it: parse only the ~20 that name it)
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ImportFileError":
                given = node.args[1] if len(node.args) > 1 else None
                code = given.value if isinstance(given, ast.Constant) else ""
                names = tuple(k.arg or "**" for k in node.keywords)
                found.append((f"{path.relative_to(root)}:{node.lineno}", code, names))
    return found


RAISED = _raised()


def test_every_reader_error_names_a_code() -> None:
    assert len(RAISED) > 60
    assert not [where for where, code, _ in RAISED if code in ("", "file")]


@pytest.mark.parametrize(("where", "code", "names"), RAISED, ids=[r[0] for r in RAISED])
def test_every_reader_error_speaks_russian(where: str, code: str, names: tuple[str, ...]) -> None:
    params = {n: SAMPLE[n] for n in names if n != "**"}
    if "**" in names:  # reading stopped: the reason and its figures
        params = {"reason": "max_rows", "limit": 100000}
    error = ImportFileError("roster.x: the English line", code, **params)
    ru = import_file_error(error, text_for("ru"), "roster.x")
    assert ru.startswith("roster.x") and RU & set(ru.lower()), ru
    assert "\n" not in ru
    assert import_file_error(error, text_for("en"), "roster.x") == "roster.x: the English line"


def test_location_and_untrusted_names_stay_as_given() -> None:
    error = ImportFileError("x", "not_json", line=12, detail="Expecting ',' %2")
    assert (import_file_error(error, text_for("ru"), "карта.geojson")
            == "карта.geojson, строка 12: некорректный GeoJSON (Expecting ',' %2)")


def test_a_point_put_on_a_shape_says_its_coordinates_apart_in_russian() -> None:
    """Two decimal numbers with decimal commas are set apart by a semicolon in Russian."""
    from cluster_desk.text.import_problems import ImportProblemText

    said = ImportProblemText(text_for("ru")).message("point_on_surface", {"lat": 55.7, "lon": 49.1}, False)
    assert said.endswith("(55,70000; 49,10000)"), said
    said = ImportProblemText(text_for("en")).message("point_on_surface", {"lat": 55.7, "lon": 49.1}, False)
    assert said.endswith("(55.70000, 49.10000)"), said
