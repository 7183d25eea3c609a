"""Words the exports write: column headers and kind/status/industry values, in English or Russian.

Every word here is one the importer reads back (``csv_roster.FIELD_SYNONYMS`` and the value
synonyms), so an exported roster re-imports unchanged in either language; a test holds that.
The importer owns the full vocabulary of accepted spellings; this table only picks, per field,
the one spelling an export writes.
"""

from __future__ import annotations

from typing import Final

from cluster_desk.core.model import MEMBER_FIELDS, Industry, Member, MemberKind, Status

__all__ = ["EXPORT_LANGS", "TABLE_FIELDS", "header", "kind_word", "normalise_lang", "table_header",
           "table_values", "value_word"]

EXPORT_LANGS: Final = ("en", "ru")
#: Column order of table exports (CSV, TSV, XLSX): the roster's fields, the id last.
TABLE_FIELDS: Final[tuple[str, ...]] = (*MEMBER_FIELDS, "id")

_HEADERS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "name": "Name", "kind": "Kind", "status": "Status", "sector": "Sector",
        "industry": "Industry", "employees": "Employees", "lat": "Latitude", "lon": "Longitude",
        "address": "Address", "inn": "INN", "website": "Website", "contact": "Contact",
        "joined": "Joined", "left": "Left", "notes": "Notes", "id": "ID",
    },
    "ru": {
        "name": "Наименование", "kind": "Тип участника", "status": "Статус", "sector": "ОКВЭД",
        "industry": "Отрасль кластера", "employees": "Численность сотрудников",
        "lat": "Широта", "lon": "Долгота", "address": "Адрес", "inn": "ИНН", "website": "Сайт",
        "contact": "Контакты", "joined": "Дата вступления", "left": "Дата выхода",
        "notes": "Примечания", "id": "Идентификатор",
    },
}  # fmt: skip

_KINDS: Final[dict[str, dict[MemberKind, str]]] = {
    "en": {
        MemberKind.FIRM: "Firm", MemberKind.RESEARCH: "Research centre",
        MemberKind.EDUCATION: "Education", MemberKind.FINANCE: "Finance",
        MemberKind.AUTHORITY: "Authority", MemberKind.CLUSTER_ORG: "Cluster organisation",
        MemberKind.PARTNER_CLUSTER: "Partner cluster", MemberKind.INFRASTRUCTURE: "Infrastructure",
        MemberKind.FOREIGN_PARTNER: "Foreign partner",
    },
    "ru": {
        MemberKind.FIRM: "Предприятие", MemberKind.RESEARCH: "Научная организация",
        MemberKind.EDUCATION: "Образовательная организация",
        MemberKind.FINANCE: "Финансовая организация", MemberKind.AUTHORITY: "Орган власти",
        MemberKind.CLUSTER_ORG: "Кластерная организация",
        MemberKind.PARTNER_CLUSTER: "Партнёрский кластер",
        MemberKind.INFRASTRUCTURE: "Инфраструктура",
        MemberKind.FOREIGN_PARTNER: "Иностранный партнёр",
    },
}  # fmt: skip

_STATUSES: Final[dict[str, dict[Status, str]]] = {
    "en": {Status.MEMBER: "Member", Status.CANDIDATE: "Candidate", Status.FORMER: "Former"},
    "ru": {Status.MEMBER: "Участник", Status.CANDIDATE: "Кандидат", Status.FORMER: "Бывший участник"},
}
_INDUSTRIES: Final[dict[str, dict[Industry, str]]] = {
    "en": {Industry.CORE: "Core", Industry.RELATED: "Related", Industry.UNSPECIFIED: ""},
    "ru": {Industry.CORE: "Основная", Industry.RELATED: "Смежная", Industry.UNSPECIFIED: ""},
}


def normalise_lang(lang: str | None) -> str:
    """"ru", "ru_RU", "ru-RU.UTF-8" -> "ru"; anything not Russian -> "en"."""
    return "ru" if (lang or "").lower().startswith("ru") else "en"


def header(field: str, lang: str) -> str:
    return _HEADERS[normalise_lang(lang)][field]


def kind_word(kind: MemberKind, lang: str) -> str:
    return _KINDS[normalise_lang(lang)][kind]


def value_word(field: str, value: object, lang: str) -> object:
    """Kind, status and industry as words; any other value unchanged."""
    lang = normalise_lang(lang)
    if field == "kind":
        return _KINDS[lang][MemberKind(value)]
    if field == "status":
        return _STATUSES[lang][Status(value)]
    if field == "industry":
        return _INDUSTRIES[lang][Industry(value)]
    return value


def table_header(lang: str) -> list[str]:
    """The header row of a table export, in ``lang``."""
    return [header(fld, lang) for fld in TABLE_FIELDS]


def table_values(member: Member, lang: str) -> list[object]:
    """One member as a table row: None, int, float or str (kind, status, industry as words)."""
    return [value_word(fld, getattr(member, fld), lang) for fld in TABLE_FIELDS]
