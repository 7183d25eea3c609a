"""Every interface string has a Russian translation, and the shipped .qm matches the .ts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "cluster_desk_ru.ts"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if found is None:
            pytest.skip(f"{name} is not installed")
        return found
    return str(path)


def test_every_ui_string_is_translated_into_russian(tmp_path: Path) -> None:
    # lupdate on a copy finds strings added to the code since the .ts was last updated.
    ts = tmp_path / TS.name
    shutil.copy(TS, ts)
    sources = sorted(str(p) for p in (ROOT / "cluster_desk" / "ui").rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-ts", str(ts)], check=True, capture_output=True)
    untranslated = [
        (ctx.findtext("name"), msg.findtext("source"))
        for ctx in ET.parse(ts).getroot()
        for msg in ctx.findall("message")
        if (tr := msg.find("translation")) is not None
        and (tr.get("type") == "unfinished" or not "".join(tr.itertext()).strip())
    ]
    assert untranslated == [], "run `make translations` and translate these"


def test_shipped_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    qm = tmp_path / "check.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == TS.with_suffix(".qm").read_bytes()
