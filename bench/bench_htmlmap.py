"""The standalone HTML map: export time, file size, and headless chromium's load to drawn.

.venv/bin/python bench/bench_htmlmap.py [--members 1000 10000 100000]

Needs Debian's chromium (scripts/system-deps.sh). "Open" is from navigation to the load event
(our script draws synchronously before it), measured over the DevTools pipe.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import bench_io  # same folder: run as a script
from bench_core import emit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "io"))
from headless_chromium import HeadlessChromium

from cluster_desk.io import export_roster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp, HeadlessChromium() as browser:
        for n in args.members:
            roster = bench_io.synthetic(n)
            out = Path(tmp) / f"map{n}.html"
            t0 = time.perf_counter()
            export_roster(roster, None, out, title=f"{n} members")
            exported = time.perf_counter() - t0
            t0 = time.perf_counter()
            log = browser.open(out)
            opened = time.perf_counter() - t0
            drawn = browser.evaluate("document.documentElement.getAttribute('data-cd-drawn')")
            print(f"{n:>7,} members: export {exported:6.2f} s, {out.stat().st_size / 1e6:6.1f} MB; "
                  f"chromium load to drawn {opened:6.2f} s ({drawn} drawn, "
                  f"{len(log.exceptions)} errors, {len(log.requests)} request)")
            emit("html map: export", n, exported)
            emit("html map: file size", n, out.stat().st_size / 1e6, unit="MB")
            emit("html map: chromium load -> drawn", n, opened)


if __name__ == "__main__":
    main()
