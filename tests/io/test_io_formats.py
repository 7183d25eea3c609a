"""Every format in and out, coordinates, duplicates, re-import, the HTML map, streaming memory."""

from __future__ import annotations

import csv
import sqlite3
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Member
from cluster_desk.io import ImportOptions, export_roster, import_into, read_roster
from cluster_desk.io import keyindex as keyindex_module
from cluster_desk.io.coords import CoordError, parse_coordinate, parse_pair
from cluster_desk.io.names import name_key
from cluster_desk.store.project import Project


@pytest.fixture(scope="module")
def demo():
    members, links, _ = demo_cluster()
    return members, links


def no_contact(ms):
    return [replace(m, contact="") for m in ms]


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".geojson", ".kml", ".gpkg"])
def test_round_trip_every_format(tmp_path, demo, suffix):
    members, links = demo
    out = tmp_path / f"roster{suffix}"
    assert export_roster(members, links, out) == len(members)
    back = read_roster(out)
    assert not back.problems, back.problems[:3]
    if suffix in (".geojson", ".kml"):  # map formats leave the contact person out (GeoJSON) / keep it
        assert {m.id: replace(m, contact="") for m in back.members} == {m.id: m for m in no_contact(members)}
    else:
        assert back.members == members


def test_gpkg_is_a_geopackage(tmp_path, demo):
    out = tmp_path / "r.gpkg"
    export_roster(demo[0], None, out)
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10200
    assert conn.execute("SELECT srs_id FROM gpkg_geometry_columns").fetchone()[0] == 4326
    blob = conn.execute("SELECT geom FROM members WHERE geom IS NOT NULL").fetchone()[0]
    assert blob[:2] == b"GP" and blob[4:8] == (4326).to_bytes(4, "little")
    conn.close()


@pytest.mark.parametrize(
    "text,axis,expected",
    [
        ("55.7963", "lat", 55.7963),
        ("55,7963", "lat", 55.7963),
        ("-33.9", "lat", -33.9),
        ("55°47′46″N", "lat", 55 + 47 / 60 + 46 / 3600),
        ("55°47'46\"", "lat", 55 + 47 / 60 + 46 / 3600),
        ("49° 6' 32\" E", "lon", 49 + 6 / 60 + 32 / 3600),
        ("S 33°52′", "lat", -(33 + 52 / 60)),
        ("49°06,5′ в.д.", "lon", 49 + 6.5 / 60),
        ("37°37′W", "lon", -(37 + 37 / 60)),
        ("55°47′46″ с. ш.", "lat", 55 + 47 / 60 + 46 / 3600),  # (Russian Wikipedia's spacing)
        ("33°52′ Ю. Ш.", "lat", -(33 + 52 / 60)),
        ("74°00′\u00a0з.\u00a0д.", "lon", -74.0),
    ],
)
def test_coordinates_parse(text, axis, expected):
    assert parse_coordinate(text, axis) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["nan", "inf", "١٢", "55°61′", "N55", "abc", "55.1.2"])
def test_coordinates_refuse(text):
    with pytest.raises(CoordError):
        parse_coordinate(text, "lon" if text == "N55" else "lat")


@pytest.mark.parametrize(
    "text",
    ["55.79, 49.11", "55,79; 49,11", "55.79 49.11", "55,79, 49,11", "55°47′N, 49°6.6′E", "55°47′N 49°6.6′E",
     "55°47′24″ с. ш. 49°06′36″ в. д."],
)
def test_coordinate_pairs(text):
    lat, lon = parse_pair(text)
    assert lat == pytest.approx(55.79, abs=0.01) and lon == pytest.approx(49.11, abs=0.01)


def test_single_column_and_swaps_flagged_not_silent(tmp_path):
    rows = ["Наименование\tКоординаты"] + [f"Фирма {i}\t55.{70 + i}, 49.{10 + i}" for i in range(8)]
    rows += ["Перепутанная\t49.12, 55.78", "Невозможная\t135.0, 48.5"]
    f = tmp_path / "r.tsv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = read_roster(f)
    by_name = {m.name: m for m in res.members}
    assert by_name["Фирма 0"].lat == pytest.approx(55.70)
    assert by_name["Перепутанная"].lat == 49.12  # imported as given ...
    # ... and flagged; the impossible one is imported unlocated, flagged too
    assert sorted(w.row for w in res.warnings if w.swap_offered) == [10, 11]
    assert not by_name["Невозможная"].located and not res.problems
    swapped = read_roster(f, ImportOptions(swap_flagged=True))
    by_name = {m.name: m for m in swapped.members}
    assert (by_name["Перепутанная"].lat, by_name["Невозможная"].lat) == (55.78, 48.5)
    assert not swapped.problems


def test_swap_distance_flag_shortcut_changes_no_answer():
    # swap_distance_flag skips the haversine for rows certainly nearer than SWAP_FAR_KM; the
    # answers must be those of the full computation, near the threshold and across the globe.
    import math
    import random

    from cluster_desk.io import coords

    def full(lat, lon, centre):
        if not -90.0 <= lon <= 90.0:
            return None
        given = coords._km(lat, lon, *centre)
        if given < coords.SWAP_FAR_KM:
            return None
        swapped = coords._km(lon, lat, *centre)
        return (given, swapped) if swapped <= coords.SWAP_NEAR_KM and swapped * 4 < given else None

    rnd = random.Random(5)
    for _ in range(20_000):
        centre = (rnd.uniform(-89.0, 89.0), rnd.uniform(-180.0, 180.0))
        km = rnd.choice([rnd.uniform(0, 600), rnd.uniform(495, 505), rnd.uniform(0, 20_000)])
        bearing = rnd.uniform(0, 2 * math.pi)
        lat = max(-90.0, min(90.0, centre[0] + math.degrees(km / 6371.0) * math.cos(bearing)))
        lon = centre[1] + math.degrees(km / 6371.0) * math.sin(bearing) / max(
            0.05, math.cos(math.radians(lat))
        )
        lon = (lon + 180.0) % 360.0 - 180.0
        assert coords.swap_distance_flag(lat, lon, centre) == full(lat, lon, centre)
        assert coords.swap_distance_flag(lon, lat, centre) == full(lon, lat, centre)


def test_name_key():
    assert name_key("ООО «Кама»") == name_key('ooo "KАMA"') == name_key("  ООО   'кама' ")
    assert name_key("ООО Кама") != name_key("ООО Камаз")


def test_reimport_updates_and_duplicates(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(
        "Наименование,ИНН,Численность,Примечание\n"
        "ООО «Кама»,1650000001,10,первая\n"
        "АО Тест,1650000002,,\n"
        "ООО Кама-2,1650000001,5,тот же ИНН\n"  # row 4: duplicate INN
        "АО Тест,,7,\n",
        encoding="utf-8",
    )  # row 5: same name as row 3, matches no one new
    with Project.create(tmp_path / "p.cdesk") as p:
        r1 = import_into(p, f)
        assert (r1.added, r1.updated) == (3, 0)
        assert [(x.row, x.field) for x in r1.problems] == [(4, "inn")]
        assert any(w.row == 5 for w in r1.warnings)
        kama = next(m for m in p.members() if m.inn == "1650000001")
        p.update_member(replace(kama, website="kama.ru", notes="edited in the app"))
        f.write_text('name,inn,employees,notes\nooo "KAMA",1650000001,12,\n', encoding="utf-8")
        r2 = import_into(p, f)
        assert (r2.added, r2.updated) == (0, 1)
        kama = p.member(kama.id)
        # updated from the file; empty cells did not blank the app's edits
        assert (kama.employees, kama.website, kama.notes) == (12, "kama.ru", "edited in the app")
        assert len(p.members()) == 3
        r3 = import_into(p, f)
        assert (r3.added, r3.updated, r3.unchanged) == (0, 0, 1)


@pytest.mark.parametrize("spill", [None, 3])
def test_duplicates_found_with_keys_in_memory_or_spilled_to_disk(tmp_path, monkeypatch, spill):
    if spill is not None:  # the 1,000,000-row path: keys move to hashed arrays after the third
        monkeypatch.setattr(keyindex_module.KeyIndex, "SPILL_KEYS", spill)
    f = tmp_path / "r.csv"
    f.write_text(
        "name,inn\n"
        "Альфа,1650000001\nБета,1650000002\nГамма,1650000003\nДельта,1650000004\n"
        "Альфа-2,1650000001\n"  # row 6: INN of row 2 (a key seen before the spill)
        "Дельта-2,1650000004\n"  # row 7: INN of row 5 (seen after it)
        "альфа,\n",  # row 8: the name of row 2 (a warning; imported)
        encoding="utf-8",
    )
    with Project.create(tmp_path / "p.cdesk") as p:
        report = import_into(p, f)
    assert report.added == 5
    assert [(x.row, x.field, x.message) for x in report.problems] == [
        (6, "inn", "is the same INN as row 2; not imported twice"),
        (7, "inn", "is the same INN as row 5; not imported twice"),
    ]
    assert [(w.row, w.message) for w in report.warnings if w.code != "inn_check_digit"] == [
        (8, "has the same name as row 2 (imported; check it is not a duplicate)")
    ]


def test_import_is_one_transaction(tmp_path, monkeypatch):
    f = tmp_path / "r.csv"
    f.write_text("name\n" + "".join(f"m{i}\n" for i in range(12000)), encoding="utf-8")
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members([Member("keep")])
        before = p.path.read_bytes()
        calls = []

        def progress(n):
            calls.append(n)
            if n >= 10000:
                raise KeyboardInterrupt  # the user pressed Cancel

        with pytest.raises(KeyboardInterrupt):
            import_into(p, f, progress=progress)
        assert calls and len(p.members()) == 1 and p.path.read_bytes() == before
        report = import_into(p, f, dry_run=True)
        assert report.added == 12000 and len(p.members()) == 1


def test_csv_injection_neutralised_in_csv_and_xlsx(tmp_path):
    from openpyxl import load_workbook

    ms = [Member("=cmd|'/c calc'!A1", notes="@SUM(1)", address="+7", contact="-2", website="\tx")]
    export_roster(ms, None, tmp_path / "r.csv")
    row = next(csv.DictReader((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert all(row[k].startswith("'") for k in ("Name", "Notes", "Address", "Contact", "Website"))
    export_roster(ms, None, tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx").active
    cells = next(iter(ws.iter_rows(min_row=2, max_row=2)))
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
    assert read_roster(tmp_path / "r.csv").members == ms
    # Import strips surrounding whitespace; the XLSX cell keeps "\tx" as typed text.
    assert read_roster(tmp_path / "r.xlsx").members == [replace(ms[0], website="x")]


def test_utf16_unicode_text(tmp_path):
    f = tmp_path / "r.txt"
    f.write_bytes("Наименование\tШирота\tДолгота\r\nООО «Ю»\t55,1\t49,2\r\n".encode("utf-16"))
    res = read_roster(f)
    assert res.encoding == "utf-16" and res.members[0].lat == 55.1


def valid_inn(n: int) -> str:
    """A 10-digit INN with a right check digit (wrong ones are flagged: bulk tests avoid them)."""
    head = f"{160000000 + n:09d}"
    digit = sum(int(d) * w for d, w in zip(head, (2, 4, 10, 3, 5, 9, 4, 6, 8), strict=True)) % 11 % 10
    return head + str(digit)


def _big_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("name,inn,lat,lon,employees,notes\n")
        for i in range(rows):
            f.write(
                f"ООО «Участник {i}»,{valid_inn(i)},{55 + (i % 1000) / 10000},{49 + (i % 997) / 10000},"
                f"{i % 500},примечание {i}\n"
            )


def test_streaming_import_bounded_memory(tmp_path, monkeypatch):
    # tracemalloc slows every allocation ~10x: 30k rows keep this test at a few seconds; the
    # 1,000,000-row run is in bench/bench_io.py. The keys seen so far stay in a dict up to
    # SPILL_KEYS (300,000: ~45 MB), then their hashes stay in arrays and their text goes to a
    # temporary file (keyindex._HashedKeys); a low limit shows that path is bounded.
    monkeypatch.setattr(keyindex_module.KeyIndex, "SPILL_KEYS", 4_000)
    rows = 30_000
    f = tmp_path / "big.csv"
    _big_csv(f, rows)
    with Project.create(tmp_path / "p.cdesk") as p:
        tracemalloc.start()
        try:
            report = import_into(p, f)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert report.added == rows and not report.problems
        # 30k Members held in a list take ~15 MB (measured: 10.1 MB for 20k); the streaming
        # import holds one chunk (5,000) and its duplicate-key index.
        assert peak < 10 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
        assert p._c().execute("SELECT count(*) FROM members").fetchone()[0] == rows
