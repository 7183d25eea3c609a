"""``cluster-desk check``, ``plan`` and ``snapshot`` on the checks' columns: no record built.

The command used to build every record (a million members and three million links: build_links
10.6 s, build_members 6.5 s, the checks' arrays from those records 7.4 s; 33-36 s wall, 2.4 GB,
issue 17). Now it reads what the window reads: the open's columns (``Project.open_columns``:
ids, names, kinds, statuses, coordinates, link ends and kinds) and the rest of the checks'
columns beside them (``store.assess_columns.read_for_assessment``), then runs
``core.assessment.assess_arrays``. Names in the report and the JSON's "members" lists come from
the arrays' name column; ``--as-if`` keys are matched on the columns with the rules of
``core.planner.resolve`` (an id first, else the INN of the last member added with it).

No rule and no report reads a link's id: the command leaves them unread
(``open_columns(link_ids=False)``: ``core.checks.roster_rows.UnreadIds`` of their count stands
for them, and raises if anything reads one). At a million members their scan and packing were
~0.6 s of CPU on the core the quick_check runs on.

At a million members the main thread's CPU was the command's wall time (the second core idle
once the integrity check and the links' ends were done): the rest of the members' columns is
read on the open's links thread, after the links' ends, while the main thread matches those
ends (``store.assess_columns.MembersAhead``), and the members' id map is made only when an id is
looked up (issue 17: main thread ~3.0-3.3 -> ~2.4-2.7 s of CPU). The geographic checks then
run on a thread of their own beside the network's rules (``assess_arrays(geography_beside=
True)``: ~0.15 s of wall, ~20-60 MB more at the peak).

The process computes with one BLAS thread (``cli.one_blas_thread``), and its quick_check starts
before the checks' modules and pyproj are imported (``store.project`` does not import them), so
they load beside it (issue 17: a million members' check, the BLAS worker's 0.15-0.5 s of CPU
gone; its quick_check starts ~0.08 s earlier).

The file's ``quick_check`` runs on a thread of its own (``Project.open(check_later=True)``:
SQLite releases the GIL) while the columns are read and the rules run; nothing is printed
before it has passed, and any failure while reading a file the check finds damaged is reported
as the damage (one line naming the file), never as what the damaged pages made the read do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from cluster_desk.core.assessment import assess_arrays, status_counts
from cluster_desk.core.check_facts import CheckResult, names_at
from cluster_desk.core.checks.roster_rows import STATUS_CODE
from cluster_desk.core.model import ClusterSettings, Status

if TYPE_CHECKING:
    from cluster_desk.core.checks.context import Arrays
    from cluster_desk.core.planner import CandidateGain
    from cluster_desk.report.data import Snapshot
    from cluster_desk.store.project import Project

#: Names listed per check in the JSON (as before: the first 200 of its member ids).
JSON_NAMES = 200
_T = TypeVar("_T")
_CANDIDATE_CODES = (STATUS_CODE[Status.CANDIDATE], STATUS_CODE[Status.DRAFT])


class AsIfError(Exception):
    """A --as-if key the project does not hold (``missing``) or a member that is not a candidate
    or draft (``names``): the caller says it in the language."""

    def __init__(self, missing: Sequence[str] = (), names: Sequence[str] = ()) -> None:
        super().__init__(", ".join(missing or names))
        self.missing, self.names = list(missing), list(names)


@dataclass(frozen=True)
class CheckRun:
    """One ``check``: the results, the arrays they were computed on and what the report says."""

    results: list[CheckResult]
    arrays: Arrays
    settings: ClusterSettings
    as_if: list[str]  # member ids counted as if they joined, in the order given

    def names_of(self, ids: Sequence[str]) -> list[str]:
        """The names of the members ``ids`` the project holds, in that order (others skipped)."""
        rows = _rows_of(self.arrays, ids)
        return names_at(self.arrays.names, rows[rows >= 0])

    @property
    def link_count(self) -> int:
        return len(self.arrays.links)


def run_check(project: Project, *, centre: tuple[float, float] | None = None, radius_km: float | None = None,
              on: str | None = None, as_if_keys: str = "") -> CheckRun:
    """Assess ``project`` (opened with ``check_later=True``) on its columns."""
    def check(arrays: Arrays) -> CheckRun:
        settings = project.settings()
        if centre is not None:
            settings = replace(settings, centre_lat=centre[0], centre_lon=centre[1])
        if radius_km is not None:
            settings = replace(settings, radius_km=radius_km)
        wanted = [k for k in as_if_keys.split(",") if k.strip()]
        as_if = as_if_ids(arrays, wanted, project.last_with_inn) if wanted else []
        # (keep_tallies False: nothing asks again, so each tally goes once its last rule read it)
        results = assess_arrays(arrays, settings, on=on, as_if=as_if, keep_tallies=False,
                                geography_beside=True)
        return CheckRun(results, arrays, settings, as_if)

    return on_columns(project, check)


def run_plan(project: Project, *, on: str | None = None) -> list[CandidateGain]:
    """``core.planner.rank_candidates`` of ``project`` (opened with ``check_later=True``) on its
    columns: the candidates and drafts are rows of the arrays (status codes 1 and 3)."""
    from cluster_desk.core.planner import rank_candidates

    return on_columns(project, lambda a: rank_candidates((), (), project.settings(), on=on, arrays=a))


def run_snapshot(project: Project, day: str) -> Snapshot:
    """Freeze the assessment on ``day`` into ``project`` (opened with ``check_later=True``) as
    ``report.snapshots.freeze`` does from records: the same checks, one small write once the
    file's integrity check has passed."""
    from cluster_desk.report.snapshots import checks_of, keep

    results = on_columns(project, lambda arrays: assess_arrays(arrays, project.settings(), on=day))
    return keep(project, day, checks_of(results))


def on_columns(project: Project, work: Callable[[Arrays], _T]) -> _T:
    """``work`` on the checks' arrays of ``project`` (opened with ``check_later=True``) while its
    quick_check runs; returns once the check has passed. A failure while the file is found
    damaged raises the damage (one line naming the file), not what the damaged pages made the
    read do."""
    try:
        out = work(checks_arrays(project))
    except Exception:
        _wait_for_integrity(project)
        raise
    _wait_for_integrity(project)
    return out


def _wait_for_integrity(project: Project) -> None:
    if project.integrity is not None:
        project.integrity.wait()


def checks_arrays(project: Project) -> Arrays:
    """The checks' arrays as the window reads them: the open's columns (ids, names, kinds,
    statuses, coordinates, link ends and kinds; from the columns snapshot when the window left
    one), then the rest beside them (from the arrays cache when it holds the file as it is)."""
    from cluster_desk.core.tables import SharedTexts
    from cluster_desk.store.assess_columns import MembersAhead, read_for_assessment

    ahead = MembersAhead()  # (the rest of the members' columns, read on the open's links thread)
    read = project.open_columns(link_ids=False, then=ahead)  # (no rule or report reads a link's id)
    texts = SharedTexts(read.key, read.members, read.links.ids,
                        (read.links.source_index, read.links.target_index), read.links.kind_codes)
    del read  # (the arrays hold what they need of it)
    arrays, _keep = read_for_assessment(project.path, texts, ahead)  # (a command writes no cache)
    return arrays


def as_if_ids(arrays: Arrays, keys: Sequence[str],
              owners_of: Callable[[list[str]], dict[str, str]]) -> list[str]:
    """Member ids for ``keys`` (ids or INNs), as ``core.planner.resolve`` finds them in records:
    an id first, else the last member added with that INN. ``owners_of(inns)``: INN -> id of
    the last member added with it. AsIfError for keys not found, then for non-candidates."""
    stripped = [k.strip() for k in keys]
    rows = _rows_of(arrays, stripped)
    not_ids = [k for k, r in zip(stripped, rows.tolist(), strict=True) if r < 0]
    owners = owners_of(sorted(set(not_ids))) if not_ids else {}
    ids: list[str] = []
    missing: list[str] = []
    found: list[int] = []
    for key, row in zip(stripped, rows.tolist(), strict=True):
        if row < 0 and key in owners:
            row = int(arrays.index[owners[key]])
        if row < 0:
            missing.append(key)
        else:
            found.append(row)
            ids.append(str(arrays.ids[row]))
    if missing:
        raise AsIfError(missing=missing)
    bad = [r for r in found if int(arrays.status[r]) not in _CANDIDATE_CODES]
    if bad:
        raise AsIfError(names=names_at(arrays.names, np.array(bad, dtype=np.int64)))
    return ids


def _rows_of(arrays: Arrays, ids: Sequence[str]) -> np.ndarray:
    """The row of each of ``ids`` (-1: not held); a few hundred at most (the index is a dict or
    a core.id_index map: both answer ``get``)."""
    get = arrays.index.get
    return np.array([get(i, -1) for i in ids], dtype=np.int64)


def check_json_text(run: CheckRun, text: Any) -> str:
    """The JSON list of ``check --json``: each check's object with the names of its first
    JSON_NAMES members. Their rows are found in one pass over the ids (``_rows_among``), not
    through the members' id -> row map, unless a lookup of ``--as-if`` made it already."""
    from cluster_desk.text.checks import check_json

    firsts = [r.member_ids[:JSON_NAMES] for r in run.results]
    if run.as_if:  # (the map is made: each id is one lookup)
        named = [run.names_of(ids) for ids in firsts]
    else:
        rows = _rows_among(run.arrays, {i for ids in firsts for i in ids})
        named = [names_at(run.arrays.names, np.array([rows[i] for i in ids if i in rows], dtype=np.int64))
                 for ids in firsts]
    out = []
    for r, names in zip(run.results, named, strict=True):
        obj = check_json(r, text)
        obj["members"] = names
        out.append(obj)
    return json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _rows_among(arrays: Arrays, wanted: set[str]) -> dict[str, int]:
    """The row of each of ``wanted`` the arrays hold (ids are unique), in one pass over the id
    column: the JSON's names are a few thousand ids at most, and a million members' id -> row
    map, made for them alone, was ~0.15 s of CPU after the rules (issue 17; this ~0.05 s)."""
    if not wanted:
        return {}
    return {i: row for row, i in enumerate(arrays.ids.tolist()) if i in wanted}


def check_text(run: CheckRun, text: Any, project_name: str) -> str:
    """The readable report of ``check`` (with the as-if header when candidates were named)."""
    from cluster_desk.text.check_report import ProjectOverview, check_report

    counts = status_counts(run.arrays)
    s = run.settings
    centre = None if s.centre_lat is None or s.centre_lon is None else (s.centre_lat, s.centre_lon)
    overview = ProjectOverview(s.name or project_name, counts["members"], counts["candidates"],
                               counts["former"], run.link_count, centre, s.radius_km)
    report = check_report(run.results, text, overview)
    if run.as_if:
        from cluster_desk.text.plan_text import as_if_header

        report = as_if_header(run.names_of(run.as_if), text) + "\n" + report
    return report
