"""Project errors and notices speak the user's language through the text renderer."""

from __future__ import annotations

import ast
import errno
import sqlite3
import string
from pathlib import Path

import pytest

import cluster_desk
from cluster_desk.store.errors import (
    MESSAGES,
    Notice,
    ProjectBusy,
    ProjectError,
    RecordGone,
    copy_error,
    save_error,
)
from cluster_desk.text import text_for
from cluster_desk.text.store_text import project_message

P = Path("/data/Казань.cdesk")
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def _cause(cause: str, **more: str) -> dict[str, str]:
    return {"path": str(P), "cause": cause, "detail": "", **more}


FACTS = [
    RecordGone(P, "member", "id-1", "ООО «Ромашка» %2"),
    RecordGone(P, "link", "l1", "l1"),
    save_error(P, sqlite3.OperationalError("database is locked")),
    save_error(P, sqlite3.OperationalError("database or disk is full")),
    save_error(P, sqlite3.OperationalError("attempt to write a readonly database")),
    save_error(P, sqlite3.OperationalError("something SQLite says")),
    copy_error(P, OSError(errno.ENOSPC, "No space left on device")),
    ProjectError.of("backup_failed", **_cause("read_only", reason="import")),
    Notice("x", "stray_set_aside", {"path": str(P), "file": "Казань.cdesk-journal", "reason": "other_copy",
                                    "aside": "Казань.cdesk-journal.set-aside-20260101-000000"}),
    ProjectError("x", "stray_stuck", _cause("", file="a-wal", reason="not_wal_mode", detail="EPERM")),
]  # fmt: skip

#: A value for every field of MESSAGES (ASCII, so any Cyrillic in a line comes from the catalogue).
SAMPLE: dict[str, object] = {
    "path": "/data/roster.cdesk", "detail": "disk I/O error", "size": 1234567, "expected": 2048000,
    "version": "4", "current": "3", "page_size": "1000", "names": "evil_trigger", "need": "3.35",
    "have": "3.31.1", "copy": "roster.format2.cdesk", "cause": "", "to": "3", "key": "radius_km",
    "id": "m-17", "what": "member", "name": "ACME", "reason": "import", "master": "main.cdesk",
    "cluster": "Auto-KZN",
}  # fmt: skip
CAUSES = ("", "disk_full", "read_only", "busy", "io_error", "cant_open")


def _params(code: str) -> dict[str, object]:
    fields = {f for _, f, _, _ in string.Formatter().parse(MESSAGES[code]) if f}
    if "because" in fields:
        fields = (fields - {"because"}) | {"cause", "detail"}
    return {f: SAMPLE[f] for f in fields}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_store_code_speaks_russian_and_english(code: str) -> None:
    """One line in each language; English is the store's own line; Russian is never English."""
    for cause in CAUSES if "because" in MESSAGES[code] else ("",):
        params = _params(code) | ({"cause": cause} if cause else {})
        error = ProjectError.of(code, **params)
        en = project_message(error, text_for("en"))
        ru = project_message(error, text_for("ru"))
        assert en == str(error), "the renderer's English source and store.errors.MESSAGES differ"
        assert "\n" not in en + ru and ru != en
        assert CYRILLIC & set(ru.lower()), f"{code}: falls back to English in Russian: {ru}"
        for value in ("path", "detail", "name", "cluster", "id", "key", "copy"):
            if value in params and not (value == "detail" and cause):
                assert str(params[value]) in ru and str(params[value]) in en
        if "size" in params:
            assert "1,234,567" in en and "1\u00a0234\u00a0567" in ru


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f.code + "/" + f.params.get("cause", ""))
def test_every_store_fact_is_one_line_in_both_languages(fact: ProjectError | Notice) -> None:
    en = project_message(fact, text_for("en"))
    ru = project_message(fact, text_for("ru"))
    assert str(P) in en and str(P) in ru and "\n" not in en + ru
    assert en != ru and any("а" <= ch <= "я" for ch in ru.replace("Казань", ""))
    if not isinstance(fact, Notice) and fact.code != "stray_stuck":
        assert en == str(fact)  # the English line of the store and of the renderer agree


def test_names_stay_text_and_unknown_facts_fall_back_to_their_line() -> None:
    ru = project_message(FACTS[0], text_for("ru"))
    assert ru == (f"{P}: участник «ООО «Ромашка» %2» удалён в другом окне или программе; "
                  "изменение не сохранено.")  # fmt: skip
    assert project_message(ProjectError("plain old message"), text_for("ru")) == "plain old message"
    assert "проект занят" in project_message(FACTS[2], text_for("ru"))
    assert isinstance(ProjectBusy.of("busy", path=P), ProjectBusy)


def _raised_codes() -> list[tuple[str, int, str]]:
    """(module, line, code or "") of every ProjectError / ProjectBusy made in cluster_desk."""
    root = Path(cluster_desk.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            attr_of = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            owner = func.value.id if attr_of else ""  # type: ignore[attr-defined]
            where = (str(path.relative_to(root)), node.lineno)
            if name == "of" and owner in ("ProjectError", "ProjectBusy"):
                code = node.args[0]
            elif name in ("ProjectError", "ProjectBusy") and path.name != "errors.py":
                code = node.args[1] if len(node.args) > 1 else next(
                    (k.value for k in node.keywords if k.arg == "code"), None)
            else:
                continue
            found.append((*where, code.value if isinstance(code, ast.Constant) else ""))
    return found


def test_every_project_error_in_the_code_has_a_code_the_renderer_speaks() -> None:
    """No English-only ProjectError is left: each one names a code, and each code renders."""
    raised = _raised_codes()
    assert len(raised) > 40  # the scan sees the store's errors
    spoken = set(MESSAGES) | {"stray_stuck"}
    bad = [f"{module}:{line}" for module, line, code in raised if code not in spoken]
    assert not bad, f"ProjectError without a code the renderer knows (use ProjectError.of): {bad}"
