"""What table exports write: headers and kind/status/industry words in the interface language.

The words come from the one roster vocabulary (``io.vocabulary``), which the importer reads back,
so an exported roster re-imports unchanged in either language. Numbers and dates stay typed
(XLSX writes numbers as numbers); only enum fields become words.
"""

from __future__ import annotations

from typing import Final

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.io import vocabulary

__all__ = ["EXPORT_LANGS", "TABLE_FIELDS", "header", "kind_word", "normalise_lang", "table_header",
           "table_values", "value_word"]

EXPORT_LANGS: Final = ("en", "ru")
#: Column order of table exports (CSV, TSV, XLSX): the roster's fields, the id last.
TABLE_FIELDS: Final[tuple[str, ...]] = vocabulary.export_fields()
_WORD_FIELDS: Final = frozenset(vocabulary.VALUES)


def normalise_lang(lang: str | None) -> str:
    """"ru", "ru_RU", "ru-RU.UTF-8" -> "ru"; anything else -> "en"."""
    return "ru" if (lang or "").lower().startswith("ru") else "en"


def header(field: str, lang: str) -> str:
    return vocabulary.header(field, normalise_lang(lang))


def kind_word(kind: MemberKind, lang: str) -> str:
    return vocabulary.value_word("kind", kind, normalise_lang(lang))


def value_word(field: str, value: object, lang: str) -> object:
    """Kind, status and industry as words; any other value unchanged (numbers stay numbers)."""
    if field in _WORD_FIELDS and value is not None:
        return vocabulary.value_word(field, value, normalise_lang(lang))
    return value


def table_header(lang: str) -> list[str]:
    """The header row of a table export, in ``lang``."""
    return [header(fld, lang) for fld in TABLE_FIELDS]


def table_values(member: Member, lang: str) -> list[object]:
    """One member as a table row: None, int, float or str (enum fields as words)."""
    return [value_word(fld, getattr(member, fld), lang) for fld in TABLE_FIELDS]
