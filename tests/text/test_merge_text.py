"""Merge lines and conflicts, and the command line's own lines, in Russian and English."""

from __future__ import annotations

import inspect

import pytest

from cluster_desk.io.links import LinkImportReport
from cluster_desk.store.merge import DELETED, Conflict, MergeReport
from cluster_desk.store.merge_notes import NOTES, MergeNote
from cluster_desk.text import text_for
from cluster_desk.text.cli_text import CommandLineText
from cluster_desk.text.merge_text import conflict_line, merge_lines, merge_note
from cluster_desk.text.reports import link_import_summary

RU = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
PARAMS = {"name": "ACME", "fields": ["notes", "employees"], "id": "l-7", "detail": "boom"}
LABELS = {"notes": "Примечание", "employees": "Численность"}


def _note(code: str) -> MergeNote:
    fields = {f.split("}")[0] for f in NOTES[code].split("{")[1:]}
    return MergeNote(code, **{f: PARAMS[f] for f in fields})


@pytest.mark.parametrize("code", sorted(NOTES))
def test_every_merge_note_renders_in_both_languages(code: str) -> None:
    note = _note(code)
    assert merge_note(note, text_for("en")) == str(note)  # the English line is the note itself
    ru = merge_note(note, text_for("ru"), lambda f: LABELS.get(f, f))
    if code in ("member", "member_fields"):  # a member's name (and the fields named by the caller)
        assert ru.startswith("ACME")
        assert code == "member" or ru == "ACME: Примечание, Численность"
    else:
        assert RU & set(ru.lower()) and ru != str(note), ru


def test_conflicts_and_report_lines() -> None:
    field_conflict = Conflict("member", "a", "ООО «А»", "employees", 15, 12)
    gone = Conflict("member", "b", "Б", "", DELETED, {"notes": "x"})
    ru, en = text_for("ru"), text_for("en")
    assert (conflict_line(field_conflict, ru, lambda f: LABELS.get(f, f))
            == "участник «ООО «А»», Численность: основной проект — 15 / полевая копия — 12")
    assert conflict_line(field_conflict, en) == "member «ООО «А»», employees: master 15 / field copy 12"
    assert conflict_line(gone, en) == "member «Б»: master deleted it, field copy changed notes"
    assert str(gone) == "member «Б»: master deleted it, field copy changed notes"
    report = MergeReport(added=[MergeNote("link", id="l1")], deleted=[MergeNote("member", name="В")],
                         skipped=[MergeNote("settings_not_merged")])
    assert merge_lines(report, en) == report.lines()
    assert merge_lines(report, ru) == ["+ связь l1", "- В",
                                       "! не объединено: в полевой копии изменены настройки (настройки не "
                                       "объединяются)"]


def test_link_import_summary_and_every_command_line_sentence_speak_russian() -> None:
    report = LinkImportReport("links.csv", added=2, updated=1)
    assert link_import_summary(report, text_for("en")) == report.summary()
    assert link_import_summary(report, text_for("ru")) == (
        "Импортированы 3 связи из links.csv (добавлено: 2, обновлено: 1, без изменений: 0).")
    say = CommandLineText(text_for("ru"))
    for name, method in inspect.getmembers(say, inspect.ismethod):
        if name.startswith("_") or name == "tr":
            continue
        args = {"n": 5, "changes": 2, "conflicts": 1, "row": 3, "known": [".csv"], "columns": ["x"]}
        params = inspect.signature(method).parameters
        line = method(*(args.get(p, "x") for p in params))
        assert RU & set(line.lower()), f"{name}: {line}"

