"""SQL helpers shared by the member and link halves of the record API (store.edits, store.link_edits)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from cluster_desk.core.model import LINK_FIELDS
from cluster_desk.store.changes import diff

#: Added records are remembered as "known" only in small batches (a window's edits): an import
#: streaming 100k members must not keep them all alive. Unknown records are written whole.
_KNOWN_ADDS = 1000

_LINK_COLS: tuple[str, ...] = ("id", *LINK_FIELDS)
_SEP = "\x1f"  # unit separator; a value that contains it is noticed by the count (see _split)


def _cols(cols: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def _split(text: str | None, count: int) -> list[str] | None:
    """group_concat's text back as a list, or None if it does not split into ``count`` values."""
    if not count:
        return []
    values = (text or "").split(_SEP) if text is not None else []
    return values if len(values) == count else None


def _update_sql(table: str, names: Iterable[str]) -> str:
    return f"UPDATE {table} SET {', '.join(f'{_cols([n])} = ?' for n in names)} WHERE id = ?"


def _merge_fields(
    fields: tuple[str, ...], known: tuple[Any, ...] | None, mine: tuple[Any, ...], stored: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The record to store: the caller's values for the fields it changed, the file's for the rest."""
    if known is None:
        return mine  # the caller's record is not one we handed out: it replaces the stored one
    changed, _ = diff(fields, known, mine)
    return tuple(m if f in changed else s for f, m, s in zip(fields, mine, stored, strict=True))


#: Text written into SQL as a literal: plain ASCII words and codes (empty text, enum values,
#: "29.10"), nothing a quote, a NUL or an encoding could surprise.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_.\- ]*")


def _literal(value: Any) -> str | None:
    """``value`` as an SQL literal that stores exactly what binding it stores, or None."""
    if value is None:
        return "NULL"
    kind = type(value)
    if kind is int and -(2**63) <= value < 2**63:
        return str(value)
    if kind is str and len(value) <= 40 and _PLAIN_TEXT.fullmatch(value):
        return f"'{value}'"
    return None  # floats and other text are bound (SQLite's own number parsing is not exact)


def constant_literals(columns: Sequence[Sequence[Any]], *, exact_types: bool = False,
                      ) -> tuple[str | None, ...]:
    """Per column of rows given as columns, the SQL literal of the one plain value every row holds
    (an empty text, a default, NULL: ``_literal``), or None where the column is bound. The first
    column (the id) is always bound, so there is a row to insert for every row given.

    ``exact_types``: the caller checked that every value is None or of its column's one exact type
    (``rows.member_columns_checked``): values equal to the first are then that same value, and the
    look at every value's type (~85 % of this function's time on a 100,000-member import) is left
    out. Without it, 0, 0.0 and False are equal but not stored alike."""
    n = len(columns[0]) if columns else 0
    fixed: list[str | None] = []
    for i, column in enumerate(columns):
        literal = None
        if n > 1 and i:
            first = column[0]
            # A cheap look at three rows first: most columns that vary show it there.
            if first == column[-1] and first == column[n // 2] and column.count(first) == n \
                    and (exact_types or len(set(map(type, column))) == 1):
                literal = _literal(first)
        fixed.append(literal)
    return tuple(fixed)


def insert_columns(table: str, names: Sequence[str], columns: Sequence[Sequence[Any]],
                   literals: Sequence[str | None] | None = None) -> tuple[str, list[Sequence[Any]]]:
    """The INSERT of rows given as columns and the columns to bind: a column holding one plain
    value in every row (an empty text, a default, NULL) is written into the statement instead
    (``constant_literals``, or ``literals`` when the caller found them already). Imported rosters
    leave many columns at their defaults, and each value bound costs the sqlite3 module a call
    per row (a 100,000-member import: ~15 % of the insert)."""
    fixed = tuple(literals) if literals is not None else constant_literals(columns)
    return _insert_sql(table, tuple(names), fixed), [c for c, f in zip(columns, fixed, strict=True)
                                                     if f is None]


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, names: tuple[str, ...], fixed: tuple[str | None, ...]) -> str:
    values = ", ".join("?" if f is None else f for f in fixed)
    return f"INSERT INTO {table} ({_cols(names)}) VALUES ({values})"
