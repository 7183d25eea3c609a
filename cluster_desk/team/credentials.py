"""Passwords for the team server: the OS keyring where one exists, else asked each time.

Never written to the project file (the stored DSN has no password). ``keyring`` is optional
and has no backend on a headless Linux (NoKeyringError): then we ask.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable

from psycopg import conninfo

SERVICE = "cluster-desk team server"


def account(dsn: str) -> str:
    """user@host:port/dbname: the keyring entry for a DSN."""
    p = conninfo.conninfo_to_dict(dsn)
    return f"{p.get('user', '')}@{p.get('host', '')}:{p.get('port', '')}/{p.get('dbname', '')}"


def from_keyring(dsn: str) -> str | None:
    try:
        import keyring

        stored = keyring.get_password(SERVICE, account(dsn))
        return str(stored) if stored else None
    except Exception:  # no keyring module, or no backend (headless Linux)
        return None


def keyring_available() -> bool:
    """A keyring with a real backend (not on a headless Linux)."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:
        return False


def to_keyring(dsn: str, password: str) -> bool:
    try:
        import keyring

        keyring.set_password(SERVICE, account(dsn), password)
        return True
    except Exception:
        return False


def terminal_password(dsn: str) -> str | None:
    """The keyring's password, else asked on the terminal (None without one: fail clearly)."""
    stored = from_keyring(dsn)
    if stored:
        return stored
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Password for {account(dsn)}: ")


PasswordPrompt = Callable[[str], str | None]
