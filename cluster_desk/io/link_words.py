"""The words of a links table: column headers and kinds of link, in English and Russian.

Like ``io.vocabulary`` for members: exports write ``header(field, lang)``; imports read any
spelling back (``link_field_of_header``, ``link_kind_of``). A file is a links table when two of
its headers name the two ends (``is_links_table``).
"""

from __future__ import annotations

from functools import lru_cache

from cluster_desk.core.model import LINK_KIND_NAMES, LinkKind
from cluster_desk.io.vocabulary import Words, norm

__all__ = [
    "EXPORT_LINK_FIELDS",
    "LINK_FIELD_WORDS",
    "header",
    "is_links_table",
    "kind_word",
    "link_field_of_header",
    "link_kind_of",
]

#: Link column -> words. source/target hold a name, an INN or a member id; the *_inn and *_id
#: columns pin the end down exactly (exports write all three).
LINK_FIELD_WORDS: dict[str, Words] = {
    "source": Words(
        "Member 1 (supplier)",
        "Участник 1 (поставщик)",
        (
            "поставщик",
            "участник 1",
            "from",
            "source",
            "supplier",
            "seller",
            "продавец",
            "исполнитель",
            "member 1",
            "сторона 1",
            "organisation 1",
            "организация 1",
        ),
    ),
    "target": Words(
        "Member 2 (buyer)",
        "Участник 2 (покупатель)",
        (
            "покупатель",
            "участник 2",
            "to",
            "target",
            "buyer",
            "customer",
            "заказчик",
            "member 2",
            "сторона 2",
            "organisation 2",
            "организация 2",
        ),
    ),
    "source_inn": Words(
        "INN 1",
        "ИНН участника 1",
        ("инн поставщика", "source inn", "supplier inn", "инн 1", "source_inn", "from inn"),
    ),
    "target_inn": Words(
        "INN 2",
        "ИНН участника 2",
        ("инн покупателя", "target inn", "buyer inn", "инн 2", "target_inn", "to inn"),
    ),
    "source_id": Words("Member 1 id", "Идентификатор участника 1", ("source_id", "source id", "from id")),
    "target_id": Words("Member 2 id", "Идентификатор участника 2", ("target_id", "target id", "to id")),
    "kind": Words(
        "Kind of link",
        "Вид связи",
        (
            "kind",
            "link kind",
            "kind of link",
            "type",
            "link type",
            "тип связи",
            "вид",
            "тип",
            "вид договора",
            "тип договора",
        ),
    ),
    "start": Words(
        "Start",
        "Дата начала",
        ("start", "start date", "date from", "since", "дата начала", "начало", "дата заключения"),
    ),
    "end": Words(
        "End",
        "Дата окончания",
        (
            "end",
            "end date",
            "date to",
            "until",
            "дата окончания",
            "окончание",
            "дата завершения",
            "срок действия",
        ),
    ),
    "volume": Words(
        "Volume, roubles",
        "Объём, руб.",
        (
            "volume",
            "amount",
            "value",
            "contract value",
            "volume rub",
            "yearly volume",
            "сумма договора",
            "сумма",
            "объем",
            "объем руб",
            "объем поставок",
            "стоимость",
            "объем в год",
        ),
    ),
    "contract": Words(
        "Contract",
        "Договор",
        (
            "contract",
            "contract no",
            "contract number",
            "договор",
            "номер договора",
            "реквизиты договора",
            "№ договора",
        ),
    ),
    "notes": Words("Notes", "Примечание", ("notes", "note", "comment", "примечание", "комментарий")),
    "share": Words("Share of output", "Доля выпуска", ("share", "доля")),
    "id": Words("Link id", "Идентификатор связи", ("link id", "link_id", "id связи", "id")),
    "source_name": Words("Name 1", "Наименование 1", ("source_name", "source name")),
    "target_name": Words("Name 2", "Наименование 2", ("target_name", "target name")),
}

#: Column order of a links export.
EXPORT_LINK_FIELDS: tuple[str, ...] = (
    "source",
    "source_inn",
    "target",
    "target_inn",
    "kind",
    "start",
    "end",
    "volume",
    "contract",
    "notes",
    "share",
    "id",
    "source_id",
    "target_id",
)

_KIND_SYNONYMS: dict[LinkKind, tuple[str, ...]] = {
    LinkKind.SUPPLY: ("supply", "поставка", "поставки", "поставка продукции", "sale", "продажа"),
    LinkKind.PRODUCTION_SERVICES: (
        "production_services",
        "services",
        "works",
        "услуги",
        "работы",
        "работы/услуги",
        "услуги производственного характера",
        "subcontract",
        "субподряд",
    ),
    LinkKind.IMPORT_SUBSTITUTION: ("import_substitution", "импортозамещение", "import substitution"),
    LinkKind.SPECIAL_INVESTMENT: (
        "special_investment",
        "спик",
        "special investment contract",
        "специальный инвестиционный контракт",
    ),
    LinkKind.RND: ("rnd", "r&d", "ниокр", "research", "joint research", "совместные исследования"),
    LinkKind.EDUCATION: (
        "education",
        "training",
        "обучение",
        "стажировки",
        "стажировка",
        "образование",
        "подготовка кадров",
        "internship",
    ),
    LinkKind.FINANCE: ("finance", "investment", "финансирование", "инвестиции", "кредит", "loan", "финансы"),
    LinkKind.GOVERNMENT: (
        "government",
        "government support",
        "господдержка",
        "субсидия",
        "поддержка",
        "государственная поддержка",
    ),
    LinkKind.JOINT_PROJECT: (
        "joint_project",
        "joint project",
        "совместный проект",
        "экспорт",
        "маркетинг",
        "закупки",
        "совместные закупки",
        "export",
        "marketing",
        "procurement",
    ),
    LinkKind.OTHER: ("other", "другое", "прочее", "иное"),
}
_KIND_OF: dict[str, LinkKind] = {}
for _kind, (_en, _ru) in LINK_KIND_NAMES.items():
    for _word in (_en, _ru, *_KIND_SYNONYMS[_kind]):
        _KIND_OF[norm(_word)] = _kind
_FIELD_OF: dict[str, str] = {norm(s): f for f, w in LINK_FIELD_WORDS.items() for s in w.spellings()}


def header(field: str, lang: str = "en") -> str:
    return LINK_FIELD_WORDS[field].word(lang)


def kind_word(kind: LinkKind, lang: str = "en") -> str:
    en, ru = LINK_KIND_NAMES[kind]
    return ru if lang == "ru" else en


@lru_cache(maxsize=1024)
def link_field_of_header(text: str) -> str | None:
    return _FIELD_OF.get(norm(text))


@lru_cache(maxsize=1024)
def link_kind_of(text: str) -> LinkKind | None:
    return _KIND_OF.get(norm(text))


def accepted_kinds(lang: str = "en") -> str:
    return ", ".join(kind_word(k, lang) for k in LinkKind)


def is_links_table(headers: list[str]) -> bool:
    """Two headers name the two ends of a link (поставщик/покупатель, участник 1/2, from/to, ...)."""
    fields = {link_field_of_header(h) for h in headers}
    return {"source", "target"} <= fields or {"source_id", "target_id"} <= fields
