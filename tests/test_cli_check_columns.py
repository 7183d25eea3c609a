"""``cluster-desk check`` on the columns (cluster_desk.check_command) says byte for byte what the
records path said (every Member and Link built, ``assess``, ``planner.resolve``: the command as
it was at 8cf868d, kept here as the reference), on real project files; and a damaged file gives
one line naming it, nothing on stdout."""

from __future__ import annotations

import io
import json
import random
import sqlite3
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import replace
from pathlib import Path

import pytest

from cluster_desk import cli
from cluster_desk.core.assessment import assess
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Industry, Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.planner import resolve
from cluster_desk.store.project import Project
from cluster_desk.text import text_for
from cluster_desk.text.check_report import ProjectOverview, check_report
from cluster_desk.text.checks import check_json
from cluster_desk.text.cli_text import CommandLineText
from cluster_desk.text.plan_text import as_if_header


def records_check(path: Path, *, json_out: bool = False, lang: str = "en",
                  centre: tuple[float, float] | None = None, radius_km: float | None = None,
                  on: str | None = None, as_if: str = "") -> tuple[str, str]:
    """(stdout, error line) of the records path: the old cmd_check, record for record."""
    say = CommandLineText(text_for(lang))
    with Project.open(path) as project:
        settings = project.settings()
        members, links = project.members(), project.links()
    if centre is not None:
        settings = replace(settings, centre_lat=centre[0], centre_lon=centre[1])
    if radius_km is not None:
        settings = replace(settings, radius_km=radius_km)
    ids, missing = resolve(members, [k for k in as_if.split(",") if k.strip()])
    if missing:
        return "", say.as_if_unknown(", ".join(missing))
    status = {m.id: m.status for m in members}
    names = {m.id: m.name for m in members}
    bad = [i for i in ids if status[i] not in (Status.CANDIDATE, Status.DRAFT)]
    if bad:
        return "", say.as_if_not_candidate(", ".join(names[i] for i in bad))
    results = assess(members, links, settings, on=on, as_if=ids)
    text = text_for(lang)
    if json_out:
        out = []
        for r in results:
            obj = check_json(r, text)
            obj["members"] = [names[i] for i in r.member_ids[:200] if i in names]
            out.append(obj)
        return json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False) + "\n", ""
    counts = {s: sum(1 for m in members if m.status == s) for s in ("member", "candidate", "former")}
    c = None if settings.centre_lat is None or settings.centre_lon is None else (
        settings.centre_lat, settings.centre_lon)
    overview = ProjectOverview(settings.name or path.name, counts["member"], counts["candidate"],
                               counts["former"], len(links), c, settings.radius_km)
    report = check_report(results, text, overview)
    if ids:
        report = as_if_header([names[i] for i in ids], text) + "\n" + report
    return report + "\n", ""


def column_check(path: Path, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``cluster-desk check PATH ARGS`` run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["check", str(path), *args])
    return code, out.getvalue(), err.getvalue()


def same_as_records(path: Path, *, json_out: bool = False, lang: str = "en",
                    centre: tuple[float, float] | None = None, radius_km: float | None = None,
                    on: str | None = None, as_if: str = "") -> str:
    args = ["--lang", lang, *(["--json"] if json_out else [])]
    if centre is not None:
        args += ["--centre", f"{centre[0]},{centre[1]}"]
    if radius_km is not None:
        args += ["--radius-km", str(radius_km)]
    if on is not None:
        args += ["--on", on]
    if as_if:
        args += ["--as-if", as_if]
    code, out, err = column_check(path, *args)
    want_out, want_err = records_check(path, json_out=json_out, lang=lang, centre=centre, radius_km=radius_km,
                                       on=on, as_if=as_if)
    assert out == want_out
    if want_err:
        assert (code, err) == (cli.EXIT_ERROR, f"{cli.PROG}: {want_err}\n")
    else:
        assert (code, err) == (cli.EXIT_OK, "")
    return want_err or out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("columns") / "demo.cdesk"
    members, links, settings = demo_cluster(seed=7)
    with Project.create(path, name=settings.name) as project:
        project.set_settings(settings)
        project.add_members(members)
        project.add_links(links)
    return path


def _mixed(path: Path, *, located: bool = True, n: int = 400) -> dict[str, str]:
    """Members of every status (drafts, former ones that left, candidates sharing an INN with a
    member added after them), dated links; returns a few keys for --as-if."""
    rng = random.Random(17)
    kinds = list(MemberKind)
    members = []
    for i in range(n):
        status = [Status.MEMBER, Status.MEMBER, Status.CANDIDATE, Status.FORMER, Status.DRAFT][i % 5]
        members.append(Member(
            f"Firm {i}", kind=kinds[i % len(kinds)] if i % 3 else MemberKind.FIRM, status=status,
            id=f"m{i:04d}", sector=f"{10 + i % 20}.{i % 9}", industry=list(Industry)[i % 3],
            employees=rng.choice([None, 5, 80, 900]),
            lat=55.0 + rng.random() if located else None, lon=49.0 + rng.random() if located else None,
            inn=f"16{i % 151:08d}", joined=rng.choice([None, "2015-03-01", "2021-06-30"]),
            left="2020-01-01" if status is Status.FORMER else None, output=rng.choice([None, 1e6, 5e8])))
    links = [Link(f"m{rng.randrange(n):04d}", f"m{rng.randrange(n):04d}", kind=rng.choice(list(LinkKind)),
                  id=f"l{j}",
                  start=rng.choice([None, "2016-01-01"]), end=rng.choice([None, None, "2022-01-01"]),
                  volume=rng.choice([None, 1e5]))
             for j in range(3 * n)]
    links = [lk for lk in links if lk.source != lk.target]
    with Project.create(path, name="") as project:
        project.add_members(members)
        project.add_links(links)
    # INNs repeat every 151 members: m0003 (former), m0154 (draft) and m0305 (member) share one,
    # m0002 (candidate), m0153 (former) and m0304 (draft) another: the member added last owns it.
    return {"candidate": "m0002", "candidate_inn": members[7].inn, "member": "m0000", "draft": "m0004",
            "inn_of_a_member": members[3].inn, "inn_of_a_draft": members[2].inn}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("columns") / "mixed.cdesk"
    return path, _mixed(path)


@pytest.mark.parametrize("json_out", [False, True])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_demo_reads_as_the_records_did(demo: Path, json_out: bool, lang: str) -> None:
    same_as_records(demo, json_out=json_out, lang=lang)
    same_as_records(demo, json_out=json_out, lang=lang, on="2012-06-30")  # a past day
    same_as_records(demo, json_out=json_out, lang=lang, centre=(55.7, 49.1), radius_km=50.0)


def test_demo_as_if_by_id_and_inn_and_the_refusals(demo: Path) -> None:
    with Project.open(demo) as project:
        members = project.members()
    cands = [m for m in members if m.status is Status.CANDIDATE]
    member = next(m for m in members if m.status is Status.MEMBER)
    keys = f" {cands[0].id} ,{cands[1].inn},{cands[0].id}"
    assert "Firm" not in same_as_records(demo, as_if=keys)  # (the names: the demo's own)
    same_as_records(demo, json_out=True, as_if=keys, on="2030-01-01")
    assert "nosuch, other" in same_as_records(demo, as_if=f"nosuch,{cands[0].id},other")
    assert member.name in same_as_records(demo, as_if=f"{cands[0].id},{member.inn}")
    same_as_records(demo, as_if=", ,")  # no key at all: a plain check


def test_mixed_statuses_dates_and_a_shared_inn(mixed: tuple[Path, dict[str, str]]) -> None:
    path, keys = mixed
    for json_out in (False, True):
        same_as_records(path, json_out=json_out)
        same_as_records(path, json_out=json_out, on="2018-01-01")
        as_if = f"{keys['candidate']},{keys['draft']},{keys['candidate_inn']}"
        same_as_records(path, json_out=json_out, as_if=as_if)
    assert "Firm 305" in same_as_records(path, as_if=keys["inn_of_a_member"])  # refused: a member
    assert "Firm 304" in same_as_records(path, as_if=keys["inn_of_a_draft"])  # as if the draft joined
    assert "Firm 0" in same_as_records(path, as_if=keys["member"])


def test_no_coordinates_and_an_empty_project(tmp_path: Path) -> None:
    unplaced = tmp_path / "unplaced.cdesk"
    keys = _mixed(unplaced, located=False, n=60)
    empty = tmp_path / "empty.cdesk"
    Project.create(empty, name="Nothing yet").close()
    for json_out in (False, True):
        same_as_records(unplaced, json_out=json_out)
        same_as_records(unplaced, json_out=json_out, as_if=keys["candidate"], radius_km=30.0)
        same_as_records(empty, json_out=json_out)
        same_as_records(empty, json_out=json_out, centre=(55.0, 49.0), on="2001-01-01")
    assert "x1" in same_as_records(empty, as_if="x1")


def _one_line_error(path: Path) -> str:
    code, out, err = column_check(path)
    assert code == cli.EXIT_ERROR and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert path.name in err
    return err


def test_a_value_crafted_past_the_checks_is_refused_before_anything_is_said(
        mixed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    path = tmp_path / "crafted.cdesk"
    path.write_bytes(mixed[0].read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE members SET lat = 123.0 WHERE id = 'm0003'")  # the read itself takes it
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert "CHECK" in _one_line_error(path)  # the integrity check's finding, not a report
    assert path.read_bytes() == before


def test_damaged_pages_give_one_line_naming_the_file(mixed: tuple[Path, dict[str, str]],
                                                     tmp_path: Path) -> None:
    path = tmp_path / "torn.cdesk"
    data = bytearray(mixed[0].read_bytes())
    conn = sqlite3.connect(mixed[0])
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'links'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    start = (root - 1) * page
    data[start + 100:start + page] = bytes(range(256)) * ((page - 100) // 256) + bytes((page - 100) % 256)
    path.write_bytes(bytes(data))
    _one_line_error(path)


@pytest.mark.skipif(sys.platform == "win32", reason="the file is replaced while open")
def test_the_check_waits_for_the_integrity_verdict(mixed: tuple[Path, dict[str, str]]) -> None:
    from cluster_desk.check_command import run_check

    with Project.open(mixed[0], check_later=True) as project:
        run = run_check(project)
        assert project.integrity is not None and project.integrity.done
    assert len(run.results) == 8


def test_plan_on_the_columns_ranks_as_the_records_did(demo: Path, mixed: tuple[Path, dict[str, str]]) -> None:
    from cluster_desk.core.planner import rank_candidates

    for path in (demo, mixed[0]):
        for on in (None, "2018-01-01"):
            with Project.open(path) as project:
                want = rank_candidates(project.members(), project.links(), project.settings(), on=on)
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                code = cli.main(["plan", str(path), "--json", *(["--on", on] if on else [])])
            assert (code, err.getvalue()) == (cli.EXIT_OK, "")
            assert out.getvalue() == json.dumps([g.to_json() for g in want], ensure_ascii=False, indent=2,
                                                allow_nan=False) + "\n"
            assert any(g.draft for g in want) == (path != demo)  # (the mixed project's drafts are ranked)


def test_snapshot_on_the_columns_freezes_what_the_records_froze(mixed: tuple[Path, dict[str, str]],
                                                                tmp_path: Path) -> None:
    from cluster_desk.core.timeline import assess_on
    from cluster_desk.report.snapshots import checks_of, snapshots

    path = tmp_path / "snap.cdesk"
    path.write_bytes(mixed[0].read_bytes())
    with Project.open(path) as project:
        want = checks_of(assess_on(project.members(), project.links(), project.settings(), "2019-12-31"))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert cli.main(["snapshot", str(path), "--as-of", "2019-12-31", "--lang", "en"]) == cli.EXIT_OK
    with Project.open(path) as project:
        (snap,) = snapshots(project)
    assert snap.day == "2019-12-31" and snap.checks == want


@pytest.mark.parametrize("threaded", [False, True])
def test_the_command_reads_no_link_id(mixed: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch,
                                      threaded: bool) -> None:
    """No rule and no report reads a link's id: the command leaves them unread (a million
    members' three million ids were ~0.6 s of CPU beside the file's quick_check). What it holds
    in their place has their count and refuses to be read; the report is the records path's."""
    from cluster_desk.check_command import run_check
    from cluster_desk.store import column_read

    if threaded:  # (the links' texts read on a thread of their own, as from 50,000 links)
        monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
    path = mixed[0]
    statements: list[str] = []
    with Project.open(path, check_later=True) as project:
        count = len(project.links())
        project._c().set_trace_callback(statements.append)
        run = run_check(project, on="2019-06-30")
        project._c().set_trace_callback(None)
    assert statements and not [s for s in statements if "group_concat(id" in s and "FROM links" in s]
    assert run.link_count == len(run.arrays.links) == count > 0
    with pytest.raises(LookupError):
        run.arrays.links.ids[0]
    with pytest.raises(LookupError):
        list(run.arrays.links)
    same_as_records(path, json_out=True, on="2019-06-30")
    same_as_records(path, on="2019-06-30", as_if=mixed[1]["candidate"])
