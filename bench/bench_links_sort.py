"""The links table's sort at 300,000 rows (ui/links/proxy.py): the keys walked on the GUI thread
(the arrangement's slices) and the order made on the worker, CPU seconds of each, for names as
the bench projects hold them ("ООО «Компания N»", under 64 characters: the common case) and for
notes that agree on their first 195 characters (the worst case for keys cut at 64 characters).

    python bench/bench_links_sort.py [--rows 300000] [--repeat 3]

Runs the proxy of the tree it sits in (copy it into another checkout's bench/ to compare; an
older proxy's arrangement gives no cut keys, and sorts notes alike that far wrong).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster_desk.ui.links import proxy as links_proxy

try:  # (an older tree: the order was made in proxy.py, with no cut keys)
    from cluster_desk.ui.links.text_order import order_of
except ImportError:
    order_of = links_proxy._order_of  # type: ignore[attr-defined]


class Keys:
    """What the arrangement asks of the links model: the rows and each row's sort key."""

    def __init__(self, keys: list[Any]) -> None:
        self.keys = keys

    def rowCount(self) -> int:
        return len(self.keys)

    def sort_key(self, row: int, _column: int) -> Any:
        return self.keys[row]


def one_sort(keys: list[str], descending: bool) -> tuple[float, float, list[int]]:
    """CPU seconds of the keys (GUI thread, every slice) and of the order (worker), and the order."""
    sorter: Any = links_proxy.LinksProxy.__new__(links_proxy.LinksProxy)  # (no Qt object needed)
    sorter.kind, sorter.text, sorter.day, sorter.member = None, "", "", None
    sorter._sort_column = 0
    job = sorter._arrangement(Keys(keys), 1)
    c0 = time.process_time()
    try:
        while True:
            next(job)
    except StopIteration as made:
        value = made.value
    gui = time.process_time() - c0
    rows, ranked = value[1], value[2]
    cut = value[3] if len(value) > 3 else None
    c0 = time.process_time()
    order = rows[order_of(ranked, descending, cut) if cut is not None else order_of(ranked, descending)]
    return gui, time.process_time() - c0, order.tolist()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(1)
    n = args.rows
    stem = "Договор поставки комплектующих для сборочного производства, этап " * 3
    cases = {
        "names (short)": [f"ООО «Компания {rng.randrange(n)}»" for _ in range(n)],
        "notes alike for 195 characters": [stem + str(rng.randrange(10**6)) for _ in range(n)],
    }
    print(f"{n:,} rows; load {os.getloadavg()[0]:.1f}")
    for name, keys in cases.items():
        for descending in (False, True):
            gui, worker, right = [], [], True
            for _ in range(args.repeat):
                g, w, order = one_sort(keys, descending)
                gui.append(g)
                worker.append(w)
                right = right and order == sorted(range(n), key=keys.__getitem__, reverse=descending)
            print(f"  {name}, {'descending' if descending else 'ascending'}: keys (GUI thread) "
                  f"{statistics.median(gui):.3f} s CPU, order (worker) {statistics.median(worker):.3f} s CPU "
                  f"(median of {args.repeat}); order {'right' if right else 'WRONG'}; "
                  f"load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
