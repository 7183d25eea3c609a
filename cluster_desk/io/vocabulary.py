"""The words of a roster file: column headers and field values, in English and Russian.

One table serves both directions. Exporters write ``header(field, lang)`` and
``value_word(field, value, lang)`` (human words in the interface language, the id column last:
``export_fields()``); importers read any of the words back (``field_of_header``,
``value_of``), together with the synonyms people type in their own spreadsheets («Вид», «Тип
участника», «Вуз», «Министерство», ...). Matching ignores case, spaces, punctuation and ё/е.

A word that could mean two fields is in neither list; ``tests/io/test_vocabulary.py`` checks
that no spelling belongs to two fields or two values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from cluster_desk.core.model import MEMBER_FIELDS, Industry, MemberKind, SizeClass, SpecialTerritory, Status

__all__ = [
    "DERIVED_FIELDS",
    "FIELDS",
    "IMPORT_FIELDS",
    "VALUES",
    "Words",
    "export_fields",
    "field_of_header",
    "header",
    "norm",
    "value_of",
    "value_word",
]

LANGS = ("en", "ru")


@dataclass(frozen=True, slots=True)
class Words:
    en: str  # what an English export writes
    ru: str  # what a Russian export writes
    synonyms: tuple[str, ...] = ()  # what else is read (both languages)

    def word(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en

    def spellings(self) -> tuple[str, ...]:
        return (self.en, self.ru, *self.synonyms)


def norm(text: str) -> str:
    """Header/value key: lower case, ё = е, letters and digits only ("Тип участника" -> "типучастника")."""
    return "".join(ch for ch in text.lower().replace("ё", "е") if ch.isalnum())


#: Member field -> its header words. "latlon" is one "lat, lon" cell; "size_class" is derived
#: (exports write it, imports recognise and ignore it).
FIELDS: dict[str, Words] = {
    "name": Words("Name", "Наименование", (
        "name", "наименование", "название", "название организации", "наименование организации",
        "полное наименование", "краткое наименование", "сокращенное наименование",
        "наименование участника", "участник", "организация", "юридическое лицо", "предприятие",
        "organisation", "organization", "organisation name", "organization name", "company",
        "company name", "member", "member name", "participant")),
    "kind": Words("Kind", "Вид участника", (
        "kind", "type", "вид", "тип", "тип участника", "вид участника", "category", "категория",
        "категория участника", "тип организации", "вид организации", "роль", "роль в кластере",
        "role", "member type", "participant type", "organisation type", "organization type",
        "kind of member")),
    "status": Words("Status", "Статус", (
        "status", "статус", "статус участия", "статус участника", "участие", "membership",
        "membership status", "participation")),
    "sector": Words("Sector", "ОКВЭД", (
        "sector", "okved", "okved2", "оквэд", "оквэд 2", "оквэд2", "код оквэд", "основной оквэд",
        "код по оквэд", "nace", "nace code", "отрасль", "вид деятельности", "сфера деятельности",
        "activity", "activity code", "industry code")),
    "industry": Words("Core/related", "Основная/смежная", (
        "industry", "core/related", "core or related", "основная/смежная", "основная или смежная",
        "тип отрасли", "отрасль кластера", "профильность", "core industry")),
    "employees": Words("Employees", "Численность", (
        "employees", "staff", "headcount", "number of employees", "employee count", "численность",
        "сотрудники", "число сотрудников", "численность сотрудников", "численность работников",
        "работники", "число работников", "количество сотрудников", "количество работников",
        "кол-во сотрудников", "кол-во работников", "среднесписочная численность", "штат")),
    "lat": Words("Latitude", "Широта", ("lat", "latitude", "широта", "геоширота")),
    "lon": Words("Longitude", "Долгота", ("lon", "lng", "long", "longitude", "долгота", "геодолгота")),
    "latlon": Words("Coordinates", "Координаты", (
        "coordinates", "coords", "lat, lon", "lat/lon", "latlon", "lat lon", "координаты",
        "широта, долгота", "широта/долгота", "gps", "gps координаты", "геокоординаты")),
    "address": Words("Address", "Адрес", (
        "address", "адрес", "юридический адрес", "фактический адрес", "почтовый адрес",
        "адрес площадки", "место нахождения", "местонахождение", "postal address")),
    "inn": Words("INN", "ИНН", ("inn", "инн", "tax id", "taxpayer id", "инн организации")),
    "website": Words("Website", "Сайт", (
        "website", "web", "site", "url", "web site", "homepage", "www", "сайт", "веб-сайт",
        "интернет-сайт", "официальный сайт")),
    "contact": Words("Contact", "Контакт", (
        "contact", "contacts", "contact person", "контакт", "контакты", "контактное лицо",
        "контактные данные")),
    "joined": Words("Joined", "Дата вступления", (
        "joined", "joined date", "date joined", "joined on", "member since", "дата вступления",
        "дата включения", "дата входа")),
    "left": Words("Left", "Дата выхода", (
        "left", "left date", "date left", "left on", "дата выхода", "дата исключения")),
    "notes": Words("Notes", "Примечание", (
        "notes", "note", "comment", "comments", "remarks", "примечание", "примечания",
        "комментарий", "комментарии")),
    "output": Words("Output, roubles", "Объём производства, руб.", (
        "output", "industrial output", "yearly output", "annual output", "output rub", "выпуск",
        "объем производства", "объем производства руб", "выпуск продукции", "объем выпуска",
        "объем промышленного производства", "годовой объем производства")),
    "special_territory": Words("Special territory", "Особая территория", (
        "special territory", "special_territory", "особая территория", "моногород")),
    "organising_production": Words("Organising production", "Организует производство", (
        "organising production", "organizing production", "organising_production",
        "организует производство", "организация производства")),
    "size_class": Words("Size class", "Размер", (
        "size", "size class", "размер", "размер предприятия", "категория мсп", "категория субъекта мсп")),
    "id": Words("Id", "Идентификатор", ("id", "uuid", "идентификатор", "ид", "guid")),
}

#: Fields an import can set (the id included); "size_class" follows from employees.
IMPORT_FIELDS: tuple[str, ...] = ("id", *MEMBER_FIELDS, "latlon")
DERIVED_FIELDS: frozenset[str] = frozenset({"size_class"})

#: Field -> enum value -> its words.
VALUES: dict[str, dict[StrEnum, Words]] = {
    "kind": {
        MemberKind.FIRM: Words("Firm", "Предприятие", (
            "firm", "company", "business", "enterprise", "sme", "startup", "manufacturer",
            "supplier", "фирма", "компания", "предприятие", "бизнес", "мсп", "стартап",
            "производитель", "поставщик", "промышленное предприятие", "коммерческая организация")),
        MemberKind.RESEARCH: Words("Research centre", "Научный центр", (
            "research", "r&d", "research centre", "research center", "research institute",
            "laboratory", "нии", "научный центр", "научная организация",
            "научно-исследовательский институт", "научно-исследовательская организация",
            "ниокр", "лаборатория", "исследовательский центр", "инжиниринговый центр")),
        MemberKind.EDUCATION: Words("Education", "Образование", (
            "education", "university", "college", "school", "vocational school", "academy",
            "вуз", "образование", "университет", "колледж", "техникум", "академия", "училище",
            "образовательная организация", "учебное заведение", "учебный центр",
            "профессиональная образовательная организация", "образовательное учреждение")),
        MemberKind.FINANCE: Words("Finance", "Финансы", (
            "finance", "bank", "fund", "investor", "venture fund", "leasing", "банк", "фонд",
            "инвестор", "финансы", "финансовая организация", "венчурный фонд", "фонд развития",
            "лизинговая компания", "микрофинансовая организация", "мфо")),
        MemberKind.AUTHORITY: Words("Authority", "Орган власти", (
            "authority", "government", "ministry", "agency", "municipality", "орган власти",
            "министерство", "администрация", "власть", "органы власти", "правительство",
            "ведомство", "госорган", "государственный орган", "орган местного самоуправления",
            "муниципалитет", "агентство")),
        MemberKind.CLUSTER_ORG: Words("Cluster organisation", "Кластерная организация", (
            "cluster_org", "cluster organisation", "cluster organization", "cluster management",
            "кластерная организация", "ук", "управляющая компания", "специализированная организация",
            "центр кластерного развития", "цкр")),
        MemberKind.INFRASTRUCTURE: Words("Infrastructure", "Инфраструктура", (
            "infrastructure", "technopark", "technology park", "incubator", "industrial park",
            "special economic zone", "технопарк", "инфраструктура", "бизнес-инкубатор",
            "инкубатор", "оэз", "особая экономическая зона", "индустриальный парк",
            "промышленный парк", "центр коллективного пользования", "цкп",
            "инфраструктурная организация")),
        MemberKind.PARTNER_CLUSTER: Words("Partner cluster", "Кластер-партнёр", (
            "partner_cluster", "partner cluster", "кластер-партнер", "партнерский кластер",
            "другой кластер")),
        MemberKind.FOREIGN_PARTNER: Words("Foreign partner", "Зарубежный партнёр", (
            "foreign_partner", "foreign partner", "иностранный партнер", "зарубежный партнер",
            "иностранная компания")),
    },
    "status": {
        Status.MEMBER: Words("Member", "Участник", ("member", "участник", "член", "действующий")),
        Status.CANDIDATE: Words("Candidate", "Кандидат", ("candidate", "кандидат", "претендент")),
        Status.FORMER: Words("Former", "Бывший участник", (
            "former", "former member", "бывший", "бывший участник", "вышел", "вышедший",
            "исключен")),
        Status.DRAFT: Words("Draft", "Черновик", ("draft", "черновик", "проект участника")),
    },
    "industry": {
        Industry.CORE: Words("Core", "Основная", ("core", "основная", "ядро", "профильная")),
        Industry.RELATED: Words("Related", "Смежная", ("related", "смежная", "сопутствующая", "связанная")),
    },
    "special_territory": {
        # A plain «да»/"yes" (the yes/no column of a Russian template) means a single-industry
        # town, the commonest of the three; «нет» and an empty cell mean none.
        SpecialTerritory.NONE: Words("", "", ("none", "no", "нет", "false", "0")),
        SpecialTerritory.SINGLE_INDUSTRY_TOWN: Words("Single-industry town", "Моногород", (
            "single_industry_town", "single-industry town", "monotown", "моногород",
            "монопрофильное муниципальное образование", "да", "yes", "true", "1")),
        SpecialTerritory.INDIVIDUAL_PROGRAMME: Words(
            "Individual programme region", "Регион с индивидуальной программой развития", (
                "individual_programme", "individual programme", "ипр")),
        SpecialTerritory.GEOSTRATEGIC: Words("Geostrategic territory", "Геостратегическая территория", (
            "geostrategic", "геостратегическая")),
    },
    "size_class": {
        SizeClass.MICRO: Words("Micro", "Микро", ("micro", "микро", "микропредприятие")),
        SizeClass.SMALL: Words("Small", "Малое", ("small", "малое", "малое предприятие")),
        SizeClass.MEDIUM: Words("Medium", "Среднее", ("medium", "среднее", "среднее предприятие")),
        SizeClass.LARGE: Words("Large", "Крупное", ("large", "крупное", "крупное предприятие")),
    },
}


# --- lookups -----------------------------------------------------------------------------------

_FIELD_OF: dict[str, str] = {norm(s): f for f, w in FIELDS.items() for s in w.spellings()}
_VALUE_OF: dict[str, dict[str, StrEnum]] = {
    f: {norm(s): v for v, w in table.items() for s in w.spellings()} for f, table in VALUES.items()
}


def export_fields(*, size_class: bool = False) -> tuple[str, ...]:
    """Column order of a human export: the member fields, (the size class,) the id last."""
    return (*MEMBER_FIELDS, *(("size_class",) if size_class else ()), "id")


def header(field: str, lang: str = "en") -> str:
    """The column header an export writes for ``field`` in ``lang`` ("en" or "ru")."""
    return FIELDS[field].word(lang)


def value_word(field: str, value: object, lang: str = "en") -> str:
    """A field value in words ("education" -> "Education" / "Образование"); other values as text.

    An empty enum value (industry not set, size unknown) is "".
    """
    if isinstance(value, bool):  # organising production
        return ("да" if value else "нет") if lang == "ru" else ("yes" if value else "no")
    table = VALUES.get(field)
    if table is not None and isinstance(value, StrEnum):
        words = table.get(value)
        return words.word(lang) if words is not None else str(value.value)
    if table is not None and isinstance(value, str):
        for enum_value, words in table.items():
            if enum_value.value == value:
                return words.word(lang)
    return "" if value is None else str(value)


@lru_cache(maxsize=4096)
def field_of_header(text: str) -> str | None:
    """The field a header (or GeoJSON/KML property name) stands for, if any."""
    return _FIELD_OF.get(norm(text))


@lru_cache(maxsize=4096)  # few distinct values per roster
def value_of(field: str, text: str) -> StrEnum | None:
    """The enum value a word stands for ("Вуз" -> MemberKind.EDUCATION), None if unknown."""
    return _VALUE_OF[field].get(norm(text))


def accepted_values(field: str, lang: str = "en") -> str:
    """The words of a field's values, for a message ("Firm, Research centre, ...")."""
    return ", ".join(w.word(lang) for w in VALUES[field].values())
