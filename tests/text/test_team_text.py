"""Team-server errors speak Russian: every code of team.messages has a sentence in both languages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cluster_desk
from cluster_desk.team.messages import MESSAGES
from cluster_desk.text import text_for
from cluster_desk.text.team_text import team_message

SAMPLE = {"detail": "connection refused", "version": 7, "known": 5, "cluster": "Kazan",
          "role": "boss", "login": "anna", "group": "analyst", "refused": 2, "total": 3}  # fmt: skip


class _Error(Exception):  # the facts of a TeamError without psycopg (the text layer needs none)
    domain = "team"

    def __init__(self, code: str) -> None:
        self.code = code
        self.params = {k: v for k, v in SAMPLE.items() if "{" + k in MESSAGES[code]}
        super().__init__(MESSAGES[code].format(**self.params))


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_team_code_speaks_both_languages(code: str) -> None:
    error = _Error(code)
    english = team_message(error, text_for("en"))
    russian = team_message(error, text_for("ru"))
    assert english == str(error)  # the renderer's English is the logged line
    assert russian != english
    assert any("а" <= ch <= "я" for ch in russian.lower())
    for key in error.params:
        if key in ("detail", "cluster", "login"):
            assert str(error.params[key]) in russian


def test_team_error_of_keeps_an_english_line_and_the_facts() -> None:
    pytest.importorskip("psycopg")
    from cluster_desk.team.server import NotAllowed

    e = NotAllowed.of("cluster_read_only", cluster="Kazan")
    assert str(e) == "not allowed: you may not edit cluster 'Kazan' (read only for you)"
    assert (e.code, e.params) == ("cluster_read_only", {"cluster": "Kazan"})
    assert "Kazan" in team_message(e, text_for("ru")) and "not allowed" not in team_message(e, text_for("ru"))


KINDS = {"TeamError", "Unreachable", "Refused", "NotAllowed", "SchemaMismatch"}


def test_every_team_error_raised_has_a_known_code() -> None:
    """No team error is built from a bare English string; every code it uses has its sentence."""
    used, bare = set(), []
    for path in sorted((Path(cluster_desk.__file__).parent / "team").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr == "of" and getattr(f.value, "id", "") in KINDS:
                used.add(node.args[0].value)  # type: ignore[attr-defined]
            elif isinstance(f, ast.Name) and f.id in KINDS:
                bare.append(f"{path.name}:{node.lineno}")
    assert not bare
    assert used and used <= set(MESSAGES)
