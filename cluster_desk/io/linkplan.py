"""A links import's preview: what ``import_link_rows`` would do, planned in dictionaries.

The rules are the import's (io/linkstream.py does the same when it writes, a batch at a time;
tests/io/test_link_stream.py holds the two equal). A preview reads the first rows only, so
holding them is fine; what it must not do is read every stored link (1-1.5 s at 300,000 links,
at each refresh of the window's preview): it reads only the stored links its rows can match,
by id and by end, through the indexes (``Project.links_matching``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from cluster_desk.core.model import DIRECTED_KINDS, Link
from cluster_desk.io.errors import ImportProblem
from cluster_desk.io.linkstream import Parsed, link_of

__all__ = ["plan_link_rows"]


def _key(lk: Link) -> tuple[str, str, str, str]:
    """Same ends, kind and start: the same tie (undirected kinds ignore the order of the ends)."""
    a, b = lk.source, lk.target
    if lk.kind not in DIRECTED_KINDS and b < a:
        a, b = b, a
    return (a, b, lk.kind.value, lk.start or "")



def plan_link_rows(project: Any, parsed: list[Parsed], report: Any, file_name: str, unit: str,
                   sample_size: int, names: Callable[[str], str]) -> None:
    """What an import of ``parsed`` would do (a preview): matched against only the stored links
    its rows can match (read by id and by end, through the indexes: never all stored links)."""
    given = {row[0] for _, row, has_id, _ in parsed if row is not None and has_id}
    ends = {end for _, row, _, _ in parsed if row is not None for end in (row[1], row[2])}
    existing = project.links_matching(given, ends)
    stored = {lk.id: lk for lk in existing}
    by_id = dict(stored)
    by_key = {_key(lk): lk for lk in existing}
    del existing
    adds: dict[str, Link] = {}
    updates: dict[str, Link] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    for number, row, has_id, problems in parsed:
        if row is None:
            report.problems += [ImportProblem(file_name, number, f, v, msg, unit, code=code, params=params)
                                for f, v, msg, code, params in problems]
            continue
        link = link_of(row)
        key = _key(link)
        if key in seen:
            report.warnings.append(
                ImportProblem(
                    file_name,
                    number,
                    "",
                    "",
                    f"repeats {unit} {seen[key]} (same ends, kind and start): it updates it",
                    unit,
                    code="repeated_link",
                    params={"first": seen[key], "unit": unit},
                )
            )
        seen[key] = number
        old = by_id.get(link.id) if has_id else None
        old = old or by_key.get(key)
        if len(report.sample) < sample_size:
            report.sample.append(link if old is None else replace(link, id=old.id))
            report.names.update((end, names(end)) for end in (link.source, link.target))
        if old is None:
            if link.id in by_id:  # an id from another project that happens to exist here
                link = replace(link, id=Link(link.source, link.target).id)
            adds[link.id] = link
            by_id[link.id] = link
            by_key[key] = link
            report.added += 1
            continue
        new = replace(link, id=old.id)
        if old.id in adds:
            adds[old.id] = new
        elif new != old or old.id in updates:
            updates[old.id] = new
        else:
            report.unchanged += 1
        by_id[old.id] = new
        by_key[key] = new
    # A link a later row changed back to its stored value is unchanged, not updated.
    for lid in [lid for lid, lk in updates.items() if lk == stored[lid]]:
        del updates[lid]
        report.unchanged += 1
    report.updated = len(updates)
    report.changed_ids = [*adds, *updates]
