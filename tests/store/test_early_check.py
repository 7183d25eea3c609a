"""``fileguard.early_check``: ``check`` starts the file's quick_check before numpy and the
project's modules load (issue 17), and ``Project.open`` takes that check over. It must start only
where the open would run it anyway: never on a file with a journal or WAL beside it (the open plays
back its own journal, sets a stray one aside), nor on a file of an older format (upgraded and
checked first) or not ours; and a file the open refuses is cancelled and left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from file_tamper import BYPASS, tamper

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.store import Project, ProjectError, fileguard

FORMAT5 = Path(__file__).parent / "fixtures" / "format5.cdesk"


def _project(path: Path) -> Path:
    with Project.create(path, name="Early") as p:
        p.add_members([Member(f"Firm {i}", MemberKind.FIRM, lat=55.8, lon=49.1) for i in range(3)])
    return path


def test_a_sound_file_is_opened_with_the_check_started_before(tmp_path: Path) -> None:
    path = _project(tmp_path / "p.cdesk")
    early = fileguard.early_check(path)
    assert early is not None and early.started
    with Project.open(path, check_later=True, integrity=early) as p:
        assert p.integrity is early
        p.integrity.wait()  # no verdict against it
        assert p.meta()["name"] == "Early"


def test_a_damaged_file_is_found_by_the_early_check(tmp_path: Path) -> None:
    path = _project(tmp_path / "p.cdesk")
    tamper(path, BYPASS, "UPDATE members SET lat = 123.0")
    early = fileguard.early_check(path)
    assert early is not None
    with Project.open(path, check_later=True, integrity=early) as p:
        with pytest.raises(ProjectError, match=r"damaged.*CHECK") as e:
            p.integrity.wait()
        assert e.value.code == "damaged_check"


@pytest.mark.parametrize("suffix", ["-journal", "-wal"])
def test_nothing_starts_beside_a_journal_or_wal(tmp_path: Path, suffix: str) -> None:
    """The open looks at those first (plays back its own journal, sets a stray aside): SQLite must
    not read the file before it has."""
    path = _project(tmp_path / "p.cdesk")
    beside = path.with_name(path.name + suffix)
    beside.write_bytes(b"not this file's" * 100)
    assert fileguard.early_check(path) is None
    assert beside.read_bytes() == b"not this file's" * 100


def test_nothing_starts_on_an_older_format_or_a_file_not_ours(tmp_path: Path) -> None:
    old = tmp_path / "old.cdesk"
    shutil.copyfile(FORMAT5, old)
    assert fileguard.early_check(old) is None  # upgraded, then checked, by the open
    other = tmp_path / "notes.cdesk"
    other.write_text("a text file")
    assert fileguard.early_check(other) is None
    assert fileguard.early_check(tmp_path / "missing.cdesk") is None


def test_a_file_the_open_refuses_cancels_the_early_check_and_is_left_as_it_was(tmp_path: Path) -> None:
    path = _project(tmp_path / "p.cdesk")
    before = tamper(path, "CREATE TRIGGER evil AFTER INSERT ON members BEGIN DELETE FROM links; END")
    early = fileguard.early_check(path)
    assert early is not None
    with pytest.raises(ProjectError, match="triggers or views"):
        Project.open(path, check_later=True, integrity=early)
    assert early.cancelled
    with pytest.raises(ProjectError, match="closed"):
        early.wait()  # (its thread over, its connection closed, before the file is compared)
    assert path.read_bytes() == before


def test_an_open_that_checks_first_cancels_the_early_check(tmp_path: Path) -> None:
    """Without ``check_later`` the open runs the check itself before anything is read."""
    path = _project(tmp_path / "p.cdesk")
    early = fileguard.early_check(path)
    assert early is not None
    with Project.open(path, integrity=early) as p:
        assert p.integrity is None and early.cancelled
