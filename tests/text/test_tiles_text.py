"""Tile pack and download errors speak Russian: every code the tiles code raises has a sentence."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cluster_desk
from cluster_desk.text import text_for
from cluster_desk.text.tiles_text import tile_error
from cluster_desk.tiles.downloader import DownloadError
from cluster_desk.tiles.mbtiles import MBTiles, MBTilesError

SAMPLE = {"path": "/maps/kazan.mbtiles", "detail": "file is not a database", "format": "pbf",
          "url": "https://tiles.example/1/2/3.png", "tile": "1/2/3", "limit": 2000000, "status": "403",
          "tries": 5, "reason": "TimeoutError", "name": "OpenStreetMap", "terms": "https://osm.example/terms",
          "count": 250000}  # fmt: skip


def _raised() -> list[tuple[str, str, str, tuple[str, ...]]]:
    root = Path(cluster_desk.__file__).parent / "tiles"
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(getattr(node, "func", None), "id", "")
            if isinstance(node, ast.Call) and name in ("MBTilesError", "DownloadError"):
                given = node.args[1] if len(node.args) > 1 else None
                code = given.value if isinstance(given, ast.Constant) else ""
                names = tuple(k.arg or "" for k in node.keywords)
                found.append((f"{path.name}:{node.lineno}", name, code, names))
    return found


RAISED = _raised()


@pytest.mark.parametrize(("where", "kind", "code", "names"), RAISED, ids=[r[0] for r in RAISED])
def test_every_tile_error_speaks_russian(where: str, kind: str, code: str, names: tuple[str, ...]) -> None:
    assert code, f"{where}: {kind} without a code"
    kinds = {"MBTilesError": MBTilesError, "DownloadError": DownloadError}
    error = kinds[kind]("English", code, **{n: SAMPLE[n] for n in names})
    ru = tile_error(error, text_for("ru"))
    assert any("а" <= ch <= "я" for ch in ru.lower()) and "\n" not in ru, ru
    assert tile_error(error, text_for("en")) == "English"


def test_a_real_non_pack_is_said_in_russian(tmp_path: Path) -> None:
    fake = tmp_path / "карта.mbtiles"
    fake.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(MBTilesError) as e:
        MBTiles(fake)
    assert tile_error(e.value, text_for("ru")).startswith(f"{fake}: это не пакет MBTiles (")
    assert tile_error(OSError("disk"), text_for("ru")) == "disk"  # not a tile fact: its own words


def test_retry_progress_speaks_the_dialog_language() -> None:
    from cluster_desk.text.tiles_text import tile_progress
    from cluster_desk.tiles.downloader import Progress

    facts = {"reason": "HTTP 503", "wait": 4}
    p = Progress(message="HTTP 503: retrying in 4 s", code="retrying", params=facts)
    assert tile_progress(p, text_for("en")) == "HTTP 503: retrying in 4 s"
    russian = tile_progress(p, text_for("ru"))
    assert russian != p.message and "HTTP 503" in russian and "4" in russian
    assert tile_progress(Progress(message="done"), text_for("ru")) == "done"
