"""Text (a language + a translate function), Phrase (a translated template) and Speaker."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cluster_desk.text import dates, numbers

#: ``QCoreApplication.translate``'s signature: (context, source, disambiguation, n) -> text.
Translate = Callable[[str, str, "str | None", int], str]
SUPPORTED = ("en", "ru")
_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class Text:
    """Everything a renderer needs to speak one language: the language code (number formats)
    and the translate function (the catalogue). Pass it down; never look a language up globally."""

    lang: str
    translate: Translate

    def number(self, x: float, digits: int = 0) -> str:
        """Grouped by thousands, ``digits`` decimals: "1 234,5" / "1,234.5"."""
        return numbers.number(x, self.lang, digits)

    def plain(self, x: float) -> str:
        """A setting as the user typed it: "200", "150,5"."""
        return numbers.plain(x, self.lang)

    def percent(self, share: float | None, digits: int = 0) -> str:
        """A share 0..1: "19 %"; "—" when unknown."""
        return numbers.percent(share, self.lang, digits)

    def day(self, iso: str | None) -> str:
        """An ISO day as the language writes it: "01.09.2016" / "2016-09-01" ("" for none)."""
        return dates.day(iso, self.lang)

    def moment(self, when: datetime | str, *, today_as_time: bool = False) -> str:
        """A local time to the minute: "03.12.2026 14:05" / "2026-12-03 14:05" (``dates.moment``)."""
        return dates.moment(when, self.lang, today_as_time=today_as_time)


class Phrase(str):
    """A translated template; ``arg`` fills %1..%9 in one pass (like QString.arg), so a member
    name that contains "%2" stays as it is. ints are grouped by thousands; format floats with
    Text.number / Text.percent first (the number of decimals is a choice of the sentence)."""

    text: Text

    def __new__(cls, value: str, text: Text) -> Phrase:
        phrase = super().__new__(cls, value)
        phrase.text = text
        return phrase

    def arg(self, *values: object) -> str:
        def fill(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            if i >= len(values):
                return m.group(0)
            v = values[i]
            if isinstance(v, bool):
                return str(v)
            if isinstance(v, int):
                return self.text.number(v)
            if isinstance(v, float):
                return self.text.plain(v)
            return str(v)

        return _PLACEHOLDER.sub(fill, str(self))


class Speaker:
    """Base of every class that writes user text. ``self.tr(source, disambiguation, n)`` looks
    ``source`` up in the context named after the class, which is what ``pyside6-lupdate`` records
    for a ``self.tr(...)`` call inside a class: so subclass Speaker once per context and do not
    inherit speaking methods. Pass ``n`` (positionally, as lupdate needs it) for plural forms and
    write the count itself as %1 in the source, so the renderer formats it for the language.
    Renaming a Speaker class renames its context: run `make translations` and move the entries."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def tr(self, source: str, disambiguation: str | None = None, n: int = -1) -> Phrase:
        return Phrase(self.text.translate(type(self).__name__, source, disambiguation, n), self.text)


def system_language(environ: dict[str, str] | None = None) -> str:
    """The language of the user's locale (LC_ALL, LC_MESSAGES, LANG) when we ship it, else English."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            lang = value.split("_")[0].split(".")[0].lower()
            return lang if lang in SUPPORTED else "en"
    return "en"
