"""Project errors and notices speak the user's language through the text renderer."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from cluster_desk.store.errors import Notice, ProjectError, RecordGone, copy_error, save_error
from cluster_desk.text import text_for
from cluster_desk.text.store_text import project_message

P = Path("/data/Казань.cdesk")


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
    ProjectError("x", "backup_failed", _cause("read_only", reason="import")),
    Notice("x", "stray_set_aside", {"path": str(P), "file": "Казань.cdesk-journal", "reason": "other_copy",
                                    "aside": "Казань.cdesk-journal.set-aside-20260101-000000"}),
    ProjectError("x", "stray_stuck", _cause("", file="a-wal", reason="not_wal_mode", detail="EPERM")),
]  # fmt: skip


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f.code + "/" + f.params.get("cause", ""))
def test_every_store_fact_is_one_line_in_both_languages(fact: ProjectError | Notice) -> None:
    en = project_message(fact, text_for("en"))
    ru = project_message(fact, text_for("ru"))
    assert str(P) in en and str(P) in ru and "\n" not in en + ru
    assert en != ru and any("а" <= ch <= "я" for ch in ru.replace("Казань", ""))
    if not isinstance(fact, Notice) and fact.code not in ("backup_failed", "stray_stuck"):
        assert en == str(fact)  # the English line of the store and of the renderer agree


def test_names_stay_text_and_unknown_facts_fall_back_to_their_line() -> None:
    ru = project_message(FACTS[0], text_for("ru"))
    assert ru == (f"{P}: участник «ООО «Ромашка» %2» удалён в другом окне или программе; "
                  "изменение не сохранено.")  # fmt: skip
    assert project_message(ProjectError("plain old message"), text_for("ru")) == "plain old message"
    assert "проект занят" in project_message(FACTS[2], text_for("ru"))
