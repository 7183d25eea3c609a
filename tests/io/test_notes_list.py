"""io.notes.Notes behaves as the list of the notes it stands for: notes filed one by one and as runs
(made when read), then read, cut back, changed, sorted; after each step it equals a plain list that
went through the same steps, at every index and slice."""

from __future__ import annotations

import random

import pytest

from cluster_desk.io.errors import ImportProblem
from cluster_desk.io.notes import NoteRun, Notes, swap_offered


def _note(row: int, value: str = "v", member: str = "m", *, swap: bool = False, code: str = "c",
          ) -> ImportProblem:
    return ImportProblem("f.csv", row, "lat", value, "is odd", "row", swap, code, {}, member)


def _maker(row: int, value: str, member: str) -> ImportProblem:
    return ImportProblem("f.csv", row, "inn", value, "run", "row", False, "inn_check_digit", {}, member)


def _run(rng: random.Random, first: int, n: int) -> tuple[NoteRun, list[ImportProblem]]:
    rows = sorted(rng.sample(range(first, first + 3 * n + 1), n))
    values = [str(rng.randrange(10**9, 10**12)) for _ in rows]
    members = [rng.choice(["", "ООО «А»", "x" * rng.randrange(0, 120), "Я\u202e", "😀b"]) for _ in rows]
    return NoteRun(_maker, "inn_check_digit", rows, values, members), list(map(_maker, rows, values, members))


def _same(notes: Notes, model: list[ImportProblem], rng: random.Random) -> None:
    n = len(model)
    assert len(notes) == n and notes == model and list(notes) == model and bool(notes) == bool(model)
    assert list(notes.rows()) == [p.row for p in model]
    for k in [0, n - 1, -1, -n, *(rng.randrange(-n, n) for _ in range(5))] if n else []:
        assert notes[k] == model[k]
    for _ in range(6):
        lo, hi = rng.randrange(-n - 2, n + 3), rng.randrange(-n - 2, n + 3)
        assert notes[lo:hi] == model[lo:hi] and notes[lo:] == model[lo:] and notes[:hi] == model[:hi]
    assert notes[::3] == model[::3] and notes[::-2] == model[::-2]
    start = rng.randrange(0, n + 1)
    assert list(notes.rows(start)) == [p.row for p in model[start:]]
    assert notes.swap_offered() == swap_offered(model) == sum(p.swap_offered for p in model)
    assert notes.any_code("inn_check_digit") == any(p.code == "inn_check_digit" for p in model)
    assert notes.any_code("latlon_order") == any(p.code == "latlon_order" for p in model)


@pytest.mark.parametrize("seed", range(12))
def test_notes_are_the_list_they_stand_for(seed):
    rng = random.Random(seed)
    notes, model = Notes(), []
    row = 2
    for _ in range(60):
        step = rng.choice(["note", "note", "run", "run", "small run", "extend", "cut", "del", "insert", "set",
                           "sort", "iadd", "pop", "remove"])
        if step == "note":
            p = _note(row, swap=rng.random() < 0.3, code=rng.choice(["c", "latlon_order"]))
            notes.append(p)
            model.append(p)
        elif step in ("run", "small run"):
            run, made = _run(rng, row, rng.randrange(1, 40 if step == "run" else 3))
            notes.add_run(run)
            model += made
            row = made[-1].row
        elif step == "extend":
            more = [_note(row + k) for k in range(rng.randrange(0, 4))]
            notes.extend(more)
            model.extend(more)
        elif step == "iadd":
            more = [_note(row)]
            notes += more
            model += more
        elif step == "cut" and model:
            lo = rng.randrange(-len(model), len(model) + 1)
            del notes[lo:]
            del model[lo:]
        elif step == "del" and model:
            k = rng.randrange(len(model))
            del notes[k]
            del model[k]
        elif step == "insert":
            k = rng.randrange(len(model) + 1)
            notes.insert(k, _note(1))
            model.insert(k, _note(1))
        elif step == "set" and model:
            k = rng.randrange(len(model))
            notes[k] = model[k] = _note(0, "set")
        elif step == "sort":
            start = rng.randrange(len(model) + 1)
            notes.sort_rows_from(start)
            model[start:] = sorted(model[start:], key=lambda p: p.row)
        elif step == "pop" and model:
            assert notes.pop() == model.pop()
        elif step == "remove" and model:
            p = rng.choice(model)
            notes.remove(p)
            model.remove(p)
        row += rng.randrange(0, 3)
        _same(notes, model, rng)
    assert notes + [_note(9)] == [*model, _note(9)]  # noqa: RUF005 (Notes + list, list + Notes)
    assert [_note(9)] + notes == [_note(9), *model]  # noqa: RUF005
    assert (model[0] in notes) if model else True
    assert repr(notes) == f"Notes({model!r})"
    notes.clear()
    assert len(notes) == 0 and notes == [] and list(notes) == []


def test_a_run_keeps_its_texts_apart():
    """Texts end to end: empty ones, astral characters, lone surrogates (bad bytes), separators."""
    values = ["", "1", "", "16\x00x", "\udc81", "😀😀", "a\x01b"]
    members = ["😀", "", "Я" * 200, "\udcff", "", "x", "\n"]
    rows = list(range(10, 10 + len(values)))
    notes = Notes([_note(1)])
    notes.add_run(NoteRun(_maker, "inn_check_digit", rows, values, members))
    notes.append(_note(99))
    assert notes[1:-1] == list(map(_maker, rows, values, members))
    assert [(p.value, p.member) for p in notes[1:-1]] == [(_maker(0, v, m).value, _maker(0, v, m).member)
                                                           for v, m in zip(values, members, strict=True)]
    assert notes.any_code("inn_check_digit") and not Notes([_note(1)]).any_code("inn_check_digit")
