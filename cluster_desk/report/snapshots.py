"""Year-end snapshots: "the assessment as of 31 December" frozen into the project file, with the
day it was made, so next year's passport shows the change since.

Kept in the project's ``meta`` table (key ``snapshot:YYYY-MM-DD``, value JSON: day, made, and the
checks as ``cluster-desk check --json`` prints them in English): application keys there need no
new table and no format change, and a file with snapshots still opens in older releases.
Qt-free; takes the store's Project (its ``meta``/``set_meta``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from cluster_desk.core.check_facts import CheckResult
from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.core.timeline import assess_on
from cluster_desk.report.data import Snapshot
from cluster_desk.text import text_for
from cluster_desk.text.checks import check_json

PREFIX = "snapshot:"


class MetaStore(Protocol):
    def meta(self) -> dict[str, str]: ...
    def set_meta(self, values: dict[str, str]) -> None: ...


def last_year_end(today: str | None = None) -> str:
    """31 December of the year before ``today`` (ISO)."""
    year = int((today or date.today().isoformat())[:4])
    return f"{year - 1}-12-31"


def freeze(project: MetaStore, members: Sequence[Member], links: Sequence[Link], settings: ClusterSettings,
           day: str, made: str | None = None) -> Snapshot:
    """Assess the cluster on ``day`` and store it (replacing an earlier snapshot of that day)."""
    return keep(project, day, checks_of(assess_on(members, links, settings, day)), made)


def checks_of(results: Sequence[CheckResult]) -> list[dict[str, Any]]:
    """The checks as a snapshot keeps them: ``check --json``'s, in English."""
    text = text_for("en")
    return [check_json(r, text) for r in results]


def keep(project: MetaStore, day: str, checks: list[dict[str, Any]], made: str | None = None) -> Snapshot:
    """Store the checks assessed on ``day`` as that day's snapshot (one small write: the window
    assesses off the GUI thread, then keeps the result here)."""
    snap = Snapshot(day=day, made=made or date.today().isoformat(), checks=checks)
    project.set_meta({PREFIX + day: json.dumps({"day": snap.day, "made": snap.made, "checks": snap.checks},
                                               ensure_ascii=False, allow_nan=False)})
    return snap


def snapshots(project: MetaStore) -> list[Snapshot]:
    """Every stored snapshot, oldest first; unreadable entries are skipped (a hand-edited file)."""
    return snapshots_in(project.meta())


def snapshots_in(meta: dict[str, str]) -> list[Snapshot]:
    """``snapshots`` of a project's ``meta`` as read (a worker's read-only connection)."""
    out = []
    for key, value in meta.items():
        if not key.startswith(PREFIX):
            continue
        try:
            raw = json.loads(value)
            snap = Snapshot(day=str(raw["day"]), made=str(raw["made"]), checks=list(raw["checks"]))
        except (ValueError, KeyError, TypeError):
            continue
        if all(isinstance(c, dict) and "id" in c for c in snap.checks):
            out.append(snap)
    return sorted(out, key=lambda s: s.day)


def latest_before(project: MetaStore, day: str) -> Snapshot | None:
    """The newest snapshot of a day before ``day`` (what "the change since" compares with)."""
    return latest_in(project.meta(), day)


def latest_in(meta: dict[str, str], day: str) -> Snapshot | None:
    """``latest_before`` of a project's ``meta`` as read."""
    earlier = [s for s in snapshots_in(meta) if s.day < day]
    return earlier[-1] if earlier else None
