"""Changing a project file behind the store's back (another program, a hand edit): shared by
the store's tests of what the open refuses and what its integrity check finds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: Lets a statement store what the tables' CHECK constraints refuse (a crafted file's values).
BYPASS = "PRAGMA ignore_check_constraints = ON"


def tamper(path: Path, *statements: str) -> bytes:
    """Run ``statements`` on ``path`` with plain sqlite3; the file's bytes after."""
    c = sqlite3.connect(path)
    for sql in statements:
        c.execute(sql)
    c.commit()
    c.close()
    return path.read_bytes()
