"""Every user string (any package under cluster_desk/) has a Russian translation with its plural
forms, every plural entry has its English forms, and the shipped .qm files match the .ts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "cluster_desk_ru.ts"
#: catalogue -> (lupdate options, plural forms per entry: Russian one/few/many, English one/other)
CATALOGUES = {"cluster_desk_ru.ts": ([], 3), "cluster_desk_en.ts": (["-pluralonly"], 2)}
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if found is None:
            pytest.skip(f"{name} is not installed")
        return found
    return str(path)


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_every_user_string_is_translated(tmp_path: Path, name: str) -> None:
    # lupdate on a copy finds strings added to the code since the .ts was last updated.
    options, forms = CATALOGUES[name]
    ts = tmp_path / name
    shutil.copy(TS.parent / name, ts)
    sources = sorted(str(p) for p in (ROOT / "cluster_desk").rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-ts", str(ts), *options], check=True,
                   capture_output=True)
    untranslated = [
        (ctx.findtext("name"), msg.findtext("source"))
        for ctx in ET.parse(ts).getroot()
        for msg in ctx.findall("message")
        if (tr := msg.find("translation")) is not None
        and tr.get("type") not in ("vanished", "obsolete")
        and (
            tr.get("type") == "unfinished"
            or not "".join(tr.itertext()).strip()
            or (msg.get("numerus") == "yes"
                and [bool((f.text or "").strip()) for f in tr.findall("numerusform")] != [True] * forms)
        )
    ]
    assert untranslated == [], "run `make translations` and translate these (all plural forms)"


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_shipped_qm_is_compiled_from_the_ts(tmp_path: Path, name: str) -> None:
    ts = TS.parent / name
    qm = tmp_path / "check.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == ts.with_suffix(".qm").read_bytes()
