"""Benchmark team sync against a throwaway PostgreSQL on this machine (figures, not pass/fail).

Publish and clone of N members, a push of N edited members (with the server backend's CPU
time: the audit trigger logs the push in one statement per table), the pull of those edits by
another copy, and live-update latency (commit -> NOTIFY heard -> pulled and applied in the
other copy), median of 20. The machine may be shared: the load average is printed.

    python bench/bench_team.py [--members 10000]
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "team"))
from pg_throwaway import PgServer, find_bindir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_core import emit

from cluster_desk.core.model import Member
from cluster_desk.store.project import Project
from cluster_desk.team import exchange as ex
from cluster_desk.team.live import Listener
from cluster_desk.team.onboard import clone, publish
from cluster_desk.team.pull import apply_pull
from cluster_desk.team.server import connect, init_schema
from cluster_desk.team.sync import exchange_with_server, prepare, record_push, sync

CLUSTER = "bench"


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a server backend process (same machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    n = args.members
    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL is not installed (scripts/system-deps.sh)", file=sys.stderr)
        return 1
    print(f"load average before: {os.getloadavg()}")
    server = PgServer(bindir)
    try:
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE bench")
        with psycopg.connect(server.dsn("bench"), autocommit=True) as conn:
            init_schema(conn)
            for user, role in (("mary", "cdesk_manager"), ("alice", "cdesk_officer")):
                conn.execute(f"CREATE ROLE {user} LOGIN IN ROLE {role}")
        tmp = Path(tempfile.mkdtemp())
        rng = random.Random(1)
        members = [Member(f"Firm {i}", employees=rng.randint(1, 5000), lat=55 + rng.random(),
                          lon=49 + rng.random(), notes="") for i in range(n)]
        mary_path, alice_path = tmp / "mary.cdesk", tmp / "alice.cdesk"
        with Project.create(mary_path, name=CLUSTER) as p:
            p.add_members(members)
            t = time.perf_counter()
            publish(p, server.dsn("bench", "mary"), CLUSTER)
            print(f"publish {n:,} members: {time.perf_counter() - t:.2f} s")
            emit("team: publish", n, time.perf_counter() - t)
        with psycopg.connect(server.dsn("bench"), autocommit=True) as conn:
            conn.execute("INSERT INTO cdesk.assignments VALUES (%s, 'alice', 'officer')", (CLUSTER,))
        t = time.perf_counter()
        clone(server.dsn("bench", "alice"), CLUSTER, alice_path)
        print(f"clone {n:,} members: {time.perf_counter() - t:.2f} s")
        emit("team: clone", n, time.perf_counter() - t)

        with Project.open(alice_path) as p:
            edited = [replace(m, notes="visited", employees=(m.employees or 0) + 1) for m in p.members()]
            p.update_members(edited)
            t = time.perf_counter()
            batch = prepare(p)
            t_prepare = time.perf_counter() - t
            conn = connect(server.dsn("bench", "alice"))
            pid = conn.info.backend_pid
            cpu0, t = _cpu_s(pid), time.perf_counter()
            outcome = ex.push(conn, CLUSTER, batch.link.client_id, batch.base_seq, batch.upto_seq, batch.nets)
            t_push, cpu_push = time.perf_counter() - t, _cpu_s(pid) - cpu0
            conn.close()
            print(f"push {len(batch.nets):,} edited members: fold {t_prepare:.2f} s, server round trip "
                  f"{t_push:.2f} s (server backend CPU {cpu_push:.2f} s); applied {outcome.applied:,}")
            emit("team: push edited members (round trip)", n, t_push)
            emit("team: push, server backend CPU", n, cpu_push)
            record_push(p, batch, outcome)
            t = time.perf_counter()
            sync(p)  # its own pull: rows identical, nothing to apply
            print(f"pull back own {n:,} edits (no local change): {time.perf_counter() - t:.2f} s")

        with Project.open(mary_path) as p:
            batch = prepare(p)
            t = time.perf_counter()
            result = exchange_with_server(batch)
            t_net = time.perf_counter() - t
            t = time.perf_counter()
            applied = apply_pull(p, result.data)
            applying = time.perf_counter() - t
            print(f"pull {applied.changed:,} colleague edits: server {t_net:.2f} s, apply locally "
                  f"{applying:.2f} s")
            emit("team: pull colleague edits, server", n, t_net)
            emit("team: pull colleague edits, apply locally", n, applying)

        latencies, heard_only = [], []
        heard: queue.Queue[float] = queue.Queue()
        listener = Listener(server.dsn("bench", "mary"), CLUSTER, lambda _seq: heard.put(time.perf_counter()),
                            poll_s=0.2)
        try:
            with Project.open(alice_path) as alice, Project.open(mary_path) as mary:
                ids = [m.id for m in alice.members()[:20]]
                for i, mid in enumerate(ids):
                    alice.update_member(replace(alice.member(mid), notes=f"live {i}"))
                    committed: list[float] = []
                    sync(alice, step=lambda _step, out=committed: out.append(time.perf_counter()))
                    heard_only.append(heard.get(timeout=30) - committed[0])
                    sync(mary)
                    latencies.append(time.perf_counter() - committed[0])
                    assert mary.member(mid).notes == f"live {i}"
        finally:
            listener.stop()
        print(f"live update, commit -> notice heard: median {statistics.median(heard_only) * 1000:.1f} ms; "
              f"-> pulled and applied in the other copy: median {statistics.median(latencies) * 1000:.0f} ms "
              f"(max {max(latencies) * 1000:.0f} ms)")
        emit("team: live update, commit -> applied in the other copy (median of 20)", 1,
             statistics.median(latencies))
    finally:
        server.close()
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
