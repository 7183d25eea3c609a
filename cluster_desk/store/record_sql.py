"""SQL helpers shared by the member and link halves of the record API (store.edits, store.link_edits)."""

from __future__ import annotations

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
