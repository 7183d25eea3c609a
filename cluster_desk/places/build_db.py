"""Build ``maps/places/places.sqlite`` (the place index the app opens read-only) from
``maps/places/places.tsv.gz`` (built by ``scripts/build_places.py`` from GeoNames cities500).
Run at build time (``make setup``, ``make dist``); 49 MB, so not kept in git:

    python -m cluster_desk.places.build_db [SOURCE.tsv.gz] [OUT.sqlite]

Tables (written with sqlite-utils; the FTS5 and R*Tree tables with plain SQL):
    place(id, name, name_ru, lat, lon, population, country, feature)   id = order in the source
    name_key(id, key, place)        folded search keys, id = sorted key order; B-tree on key
    name_key_fts                    FTS5 trigram index of name_key.key (detail=none: queried as
                                    an AND of trigrams, then checked with instr): substrings
    place_rtree(id, min_lat, max_lat, min_lon, max_lon)                 nearest place
    meta(key, value)                source_sha256, content_sha256, counts
``content_sha256`` is a digest of the rows (independent of SQLite's page layout), so a rebuild
on another SQLite version can be checked against the shipped file (tests/offline).
"""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from cluster_desk.paths import map_data

SOURCE = map_data("places", "places.tsv.gz")
OUT = map_data("places", "places.sqlite")
SCHEMA_VERSION = "1"


def read_source(path: Path) -> tuple[list[dict], list[dict]]:
    places: list[dict] = []
    keys: list[dict] = []
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").split("\n"):
        if line.startswith("P\t"):
            _, n, ru, la, lo, po, cc, fc = line.split("\t")
            places.append({"id": len(places), "name": n, "name_ru": ru, "lat": float(la), "lon": float(lo),
                           "population": int(po), "country": cc, "feature": fc})
        elif line.startswith("K\t"):
            _, k, i = line.split("\t")
            keys.append({"id": len(keys), "key": k, "place": int(i)})
    return places, keys


def content_digest(rows: Iterator[tuple]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(repr(tuple(row)).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def db_content_digest(conn: sqlite3.Connection) -> str:
    """Digest of the place and key rows as stored (what the app reads)."""
    places = conn.execute("SELECT id, name, name_ru, lat, lon, population, country, feature "
                          "FROM place ORDER BY id")
    keys = conn.execute("SELECT id, key, place FROM name_key ORDER BY id")
    return content_digest(iter([*places, ("--",), *keys]))


def build(source: Path = SOURCE, out: Path = OUT) -> dict[str, str]:
    import sqlite_utils  # build time only: the app reads the file with plain sqlite3

    places, keys = read_source(source)
    tmp = out.with_name(out.name + ".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    db.execute("PRAGMA page_size = 4096")
    db.execute("PRAGMA journal_mode = OFF")  # a scratch file, renamed into place when complete
    db.execute("PRAGMA synchronous = OFF")
    db["place"].insert_all(places, pk="id", batch_size=20_000)
    db["name_key"].insert_all(keys, pk="id", batch_size=20_000)
    db["name_key"].create_index(["key"])
    db["place"].create_index(["population"])
    with db.conn:
        db.execute("CREATE VIRTUAL TABLE name_key_fts USING fts5(key, content='name_key', "
                   "content_rowid='id', tokenize='trigram', detail='none', columnsize=0)")
        db.execute("INSERT INTO name_key_fts(rowid, key) SELECT id, key FROM name_key")
        db.execute("INSERT INTO name_key_fts(name_key_fts) VALUES ('optimize')")
        db.execute("CREATE VIRTUAL TABLE place_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)")
        db.execute("INSERT INTO place_rtree SELECT id, lat, lat, lon, lon FROM place")
    meta = {
        "schema_version": SCHEMA_VERSION,
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "content_sha256": db_content_digest(db.conn),
        "places": str(len(places)),
        "keys": str(len(keys)),
    }
    db["meta"].insert_all([{"key": k, "value": v} for k, v in meta.items()], pk="key")
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    return meta


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    out = Path(argv[2]) if len(argv) > 2 else OUT
    meta = build(source, out)
    print(f"{out}: {meta['places']} places, {meta['keys']} keys, {out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
