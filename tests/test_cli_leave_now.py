"""``cluster-desk check`` and ``plan`` end their process as soon as they have returned
(``cli.leave_now``, from every entry point: ``python -m cluster_desk``, the ``cluster-desk`` script's
``cli.run``, the frozen app's ``packaging/entry.py``), without the interpreter's teardown (issue 17:
~0.1 s of a million members' check, freeing its objects one by one on one core after the report
was out). Their output and exit status are as before; every other command, and a command that
failed, still exits the usual way (an atexit handler runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk import cli

ROOT = Path(__file__).resolve().parents[1]
# An exit handler stands for the interpreter's teardown: it runs only if the process exits the usual way.
_WATCH = "import atexit, sys\natexit.register(lambda: print('torn down', file=sys.stderr))\n"
_ENTRIES = {
    "python -m": "import runpy\nrunpy.run_module('cluster_desk', run_name='__main__')\n",
    "script": "from cluster_desk.cli import run\nsys.exit(run())\n",
    "frozen": f"import runpy\nrunpy.run_path({str(ROOT / 'packaging' / 'entry.py')!r}, "
              "run_name='__main__')\n",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("leave") / "demo.cdesk"
    assert cli.main(["demo", str(path), "--seed", "1"]) == 0
    return path


def _run(entry: str, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # (buffered output, as a user's: not PYTHONUNBUFFERED, which CI may set)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update(CLUSTER_DESK_CACHE=str(tmp_path / "cache"), LANG="en_GB.UTF-8",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    code = f"{_WATCH}sys.argv = ['cluster-desk', *{args!r}]\n{_ENTRIES[entry]}"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def _in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(args)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("entry", sorted(_ENTRIES))
@pytest.mark.parametrize("command", [["check"], ["check", "--json"], ["plan"]])
def test_check_and_plan_leave_at_once_saying_the_same(demo: Path, tmp_path: Path, entry: str,
                                                     command: list[str],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    args = [command[0], str(demo), *command[1:]]
    done = _run(entry, args, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "torn down" not in done.stderr
    code, out = _in_process(args, capsys)
    assert code == 0 and done.stdout == out and len(out) > 100


def test_the_output_is_all_there_through_a_pipe(demo: Path, tmp_path: Path) -> None:
    """Flushed before the end: a reader of the pipe gets every byte (the report is buffered)."""
    done = _run("python -m", ["check", str(demo), "--json"], tmp_path)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("]")


@pytest.mark.parametrize("entry", sorted(_ENTRIES))
def test_other_commands_and_a_failed_check_exit_the_usual_way(demo: Path, tmp_path: Path, entry: str) -> None:
    made = _run(entry, ["demo", str(tmp_path / "new.cdesk")], tmp_path)
    assert made.returncode == 0 and "torn down" in made.stderr
    failed = _run(entry, ["check", str(demo), "--as-if", "nobody-at-all"], tmp_path)
    assert failed.returncode == cli.EXIT_ERROR and "torn down" in failed.stderr


def test_leave_now_returns_after_any_other_main(demo: Path, tmp_path: Path) -> None:
    """In a process that goes on (tests, a script calling ``main``): a check then another command
    leaves the flag down, so a later ``leave_now`` returns."""
    assert cli.main(["check", str(demo), "--json"]) == 0
    assert cli.main(["demo", str(tmp_path / "other.cdesk")]) == 0
    cli.leave_now(0)  # (would end this test process if it did not return)
