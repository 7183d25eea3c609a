"""The header and value words: one table, read back whatever an export writes."""

from __future__ import annotations

from collections import defaultdict

import pytest

from cluster_desk.core.model import MEMBER_FIELDS, Industry, MemberKind, Status
from cluster_desk.io.vocabulary import (
    FIELDS,
    VALUES,
    export_fields,
    field_of_header,
    header,
    norm,
    value_of,
    value_word,
)


def test_no_spelling_means_two_fields_or_two_values():
    owners: dict[str, set[str]] = defaultdict(set)
    for fld, words in FIELDS.items():
        for s in words.spellings():
            owners[norm(s)].add(fld)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    for fld, table in VALUES.items():
        seen: dict[str, set[object]] = defaultdict(set)
        for value, words in table.items():
            for s in words.spellings():
                seen[norm(s)].add(value)
        assert {k: v for k, v in seen.items() if len(v) > 1} == {}, fld


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_export_header_and_value_word_reads_back(lang):
    assert export_fields()[-1] == "id"
    assert set(export_fields()) == {*MEMBER_FIELDS, "id"}
    for fld in export_fields(size_class=True):
        assert field_of_header(header(fld, lang)) == fld
    for fld, table in VALUES.items():
        for value in table:
            assert value_of(fld, value_word(fld, value, lang)) == value


def test_russian_synonyms_people_type():
    for text in ("Вид", "Тип", "Тип участника", "Категория", "ВИД УЧАСТНИКА"):
        assert field_of_header(text) == "kind"
    kinds = {
        "Вуз": MemberKind.EDUCATION, "Университет": MemberKind.EDUCATION, "НИИ": MemberKind.RESEARCH,
        "Научная организация": MemberKind.RESEARCH, "Орган власти": MemberKind.AUTHORITY,
        "Министерство": MemberKind.AUTHORITY, "Банк": MemberKind.FINANCE, "Фонд": MemberKind.FINANCE,
        "Технопарк": MemberKind.INFRASTRUCTURE, "Кластерная организация": MemberKind.CLUSTER_ORG,
        "Кластер-партнёр": MemberKind.PARTNER_CLUSTER, "University": MemberKind.EDUCATION,
    }
    for text, kind in kinds.items():
        assert value_of("kind", text) == kind, text
    assert value_of("status", "Бывший участник") == Status.FORMER
    assert value_of("industry", "Смежная") == Industry.RELATED
    assert value_word("kind", MemberKind.RESEARCH, "ru") == "Научный центр"
    assert value_word("kind", "research", "en") == "Research centre"
    assert value_word("industry", Industry.UNSPECIFIED, "ru") == ""


def test_a_russian_file_names_kinds_statuses_and_industries_as_the_window_does() -> None:
    """What a Russian export writes (and the import preview shows) is the window's word for it:
    a firm was «Фирма» in files and «Предприятие» everywhere else."""
    from cluster_desk.text import load_catalogue

    ru = load_catalogue("ru")
    for field in ("kind", "status", "industry", "size_class"):
        for value, words in VALUES[field].items():
            window = ru.translate("Labels", words.en)
            assert ru.has("Labels", words.en), (field, value, words.en)
            assert words.ru == window, (field, value, words.ru, window)
