"""The wrong-check-digit note made without the dataclass's __init__ (io/rows.py ``inn_note``) is the
note ImportProblem's own constructor makes: the same fields, the same cleaning of echoed text."""

from __future__ import annotations

import pytest

from cluster_desk.io.errors import ImportProblem, ImportResult
from cluster_desk.io.wrong_inn import INN_NOTE, inn_note, inn_notes

HOSTILE = [
    ("roster.csv", "1600000004", "ООО «Кама»"),
    ("roster.csv", "1600000004", ""),
    ("ro\nster\x1b[31m.csv", "16000\x0000004", "ООО\r\n«Кама»\u202e evil"),
    ("r" * 300, "1" * 200, "Я" * 81),
    ("bad\udc81bytes.csv", "1600000004", "bad \udcff byte"),
    ("roster.csv", "1600000004", "N" * 80),
]


def _built(file: str, row: int, unit: str, inn: str, member: str) -> ImportProblem:
    return ImportProblem(file, row, "inn", inn, INN_NOTE, unit, False, "inn_check_digit", {}, member)


@pytest.mark.parametrize(("file", "inn", "member"), HOSTILE)
def test_the_note_equals_the_one_the_constructor_makes(file, inn, member):
    made, built = inn_note(file, 7, "row", inn, member), _built(file, 7, "row", inn, member)
    assert type(made) is ImportProblem  # filled in as another class of the same slots, then made one
    assert made == built and hash(made) == hash(built) and str(made) == str(built)
    for name in ImportProblem.__slots__:
        assert getattr(made, name) == getattr(built, name), name
    assert made.member.isprintable() and made.file.isprintable() and made.value.isprintable()
    with pytest.raises(AttributeError):
        made.row = 8  # type: ignore[misc]  # still frozen


def test_notes_of_a_batch_are_in_order_with_their_own_params():
    numbers = [2, 3, 5, 8]
    inns = ["1600000004", "1600000011", "16\x0700000028", "1600000035"]
    names = ["a", "b\nc", "d", "e" * 100]
    result = ImportResult()
    inn_notes(result, "f\x1b.csv", "feature", [True, False, True, True], numbers, inns, names)
    expected = [_built("f\x1b.csv", numbers[k], "feature", inns[k], names[k]) for k in (0, 2, 3)]
    assert result.warnings == expected
    params = [w.params for w in result.warnings]
    assert all(p == {} for p in params) and len({id(p) for p in params}) == len(params)
