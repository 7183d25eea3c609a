"""A Qt-free reader of our Qt Linguist catalogues (resources/translations/cluster_desk_<lang>.ts).

It gives the same answers as ``QCoreApplication.translate`` with the compiled .qm installed
(tests/text/test_catalogue.py compares them on a sample), so the command line speaks Russian
without Qt. Plural forms follow Qt's rules for the language (Russian: 1 фирма, 2 фирмы, 5 фирм).
An entry that is missing or unfinished gives the English source back, as Qt does; the
completeness test (tests/ui/test_translations.py) keeps that from happening in a release.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cluster_desk.paths import resource

#: language -> n -> index of the plural form (Qt's numerus rules, qtranslator / numerus.cpp)
PLURAL_RULES: dict[str, Callable[[int], int]] = {
    "en": lambda n: 0 if n == 1 else 1,
    "ru": lambda n: (
        0 if n % 10 == 1 and n % 100 != 11 else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2
    ),
}


@dataclass(frozen=True)
class _Entry:
    forms: tuple[str, ...]  # one text, or the plural forms in the language's order
    numerus: bool


class Catalogue:
    """The translations of one language, keyed by (context, source, disambiguation)."""

    def __init__(self, lang: str, entries: dict[tuple[str, str, str], _Entry]) -> None:
        self.lang = lang
        self._entries = entries
        self._plural = PLURAL_RULES.get(lang, PLURAL_RULES["en"])

    @classmethod
    def read(cls, path: Path, lang: str) -> Catalogue:
        entries: dict[tuple[str, str, str], _Entry] = {}
        for context in ET.parse(path).getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                source = message.findtext("source") or ""
                comment = message.findtext("comment") or ""
                tr = message.find("translation")
                if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                numerus = message.get("numerus") == "yes"
                forms = (
                    tuple("".join(f.itertext()) for f in tr.iter("numerusform"))
                    if numerus
                    else ("".join(tr.itertext()),)
                )
                if forms and all(forms):
                    entries[(name, source, comment)] = _Entry(forms, numerus)
        return cls(lang, entries)

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        """``QCoreApplication.translate``'s contract: the translation, or the source if none;
        a plural entry picks its form by ``n``; ``%n`` in the text becomes ``n``."""
        entry = self._entries.get((context, source, disambiguation or ""))
        if entry is None:
            text = source
        elif entry.numerus and n >= 0:
            text = entry.forms[min(self._plural(n), len(entry.forms) - 1)]
        else:
            text = entry.forms[0]
        return text.replace("%n", str(n)) if n >= 0 else text

    def has(self, context: str, source: str, disambiguation: str | None = None) -> bool:
        """Whether the catalogue translates this entry (tests use it to catch a missing one)."""
        return (context, source, disambiguation or "") in self._entries

    def is_plural(self, context: str, source: str, disambiguation: str | None = None) -> bool:
        entry = self._entries.get((context, source, disambiguation or ""))
        return entry is not None and entry.numerus

    def __len__(self) -> int:
        return len(self._entries)


def catalogue_path(lang: str) -> Path:
    return resource("translations", f"cluster_desk_{lang}.ts")


@cache
def load_catalogue(lang: str) -> Catalogue:
    """The shipped catalogue of ``lang``; a missing one is an error, not a silent English."""
    path = catalogue_path(lang)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the {lang} text catalogue is missing from this installation")
    return Catalogue.read(path, lang)
