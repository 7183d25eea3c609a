"""A field officer's copy merged back into a big master roster (issue 17), as File > Merge does it.

On a copy of bench_open's project of each size (n members, 3n links): a field copy is written
(``make_field_copy``), the officer's edits made in it (100 members' notes, 20 members added with
20 links to old members, 10 links' notes, 5 links deleted), the manager's own edits made in the
master meanwhile (20 members' notes, 10 of them the copy's too: conflicts), then the merge
planned (``plan_merge``) and applied taking the field copy's side (``apply_merge``). Wall and CPU
of each, and the peak RSS of the process: the plan and the apply should not grow with the
master, only with the edits; the field copy is a copy of the file (VACUUM INTO).

    python bench/bench_merge.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_open import project_file

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.merge import apply_merge, make_field_copy, plan_merge
from cluster_desk.store.project import Project


def _timed(label: str, n: int, rows: list[dict[str, Any]], work: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    got = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows.append({"work": f"merge: {label}", "size": n, "ours": wall})
    rows.append({"work": f"merge: {label} (CPU)", "size": n, "ours": cpu})
    print(f"  {n:>9,} {label:<34} wall {wall:7.3f} s  CPU {cpu:7.3f} s", flush=True)
    return got


def measure(n: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    folder = Path(tempfile.mkdtemp(prefix="cdesk-bench-merge-"))
    try:
        master_path, copy_path = folder / "master.cdesk", folder / "field.cdesk"
        shutil.copy(project_file(n), master_path)
        with Project.open(master_path) as master:
            _timed("field copy written", n, rows, lambda: make_field_copy(master, copy_path))
            ids = [r[0] for r in master._c().execute("SELECT id FROM members ORDER BY rowid LIMIT 200")]
            link_ids = [r[0] for r in master._c().execute("SELECT id FROM links ORDER BY rowid LIMIT 15")]
        with Project.open(copy_path) as copy:
            visited = copy.members_with_ids(ids[:100])
            copy.update_members([replace(m, notes=m.notes + " (visited)") for m in visited])
            added = [Member(f"Новая фирма {i}", id=f"field-{i}", lat=55.8, lon=49.1) for i in range(20)]
            copy.add_members(added)
            copy.add_links([Link(m.id, ids[150 + i], LinkKind.SUPPLY, id=f"field-link-{i}")
                            for i, m in enumerate(added)])
            for lid in link_ids[:10]:
                copy.update_link(replace(copy.link(lid), notes="seen in the field"))
            copy.delete_links(link_ids[10:15])
        with Project.open(master_path) as master:
            called = master.members_with_ids(ids[90:110])
            master.update_members([replace(m, notes=m.notes + " (called)") for m in called])
            plan = _timed("plan (150 edits in the copy)", n, rows, lambda: plan_merge(master, copy_path))
            _timed("apply, the copy's side taken", n, rows, lambda: apply_merge(master, plan, take="theirs"))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append({"work": "merge: peak RSS of the process", "size": n, "ours": peak, "unit": "MB"})
        print(f"  {n:>9,} {len(plan.ops)} changes, {len(plan.conflicts)} conflicts; peak RSS {peak:.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def results(sizes: list[int]) -> list[dict[str, Any]]:
    """Each size in this process, smallest first (the peak RSS is then the largest size's)."""
    return [row for n in sorted(sizes) for row in measure(n)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    args = ap.parse_args()
    results([int(s) for s in args.sizes.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
