"""Pick the interface language and install Qt's own and our translations (Picard's i18n/qt.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from cluster_desk.paths import resource

SUPPORTED = ("en", "ru")
_current = "en"


def current_language() -> str:
    """The language installed by install_translators ("en" before that)."""
    return _current


def choose_language(preference: str = "", locale: QLocale | None = None) -> str:
    """The preference if set, else the system locale's language when we ship it, else English."""
    if preference in SUPPORTED:
        return preference
    name = (locale or QLocale.system()).name()  # "ru_RU"
    lang = name.split("_")[0]
    return lang if lang in SUPPORTED else "en"


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Load qtbase_<lang> and cluster_desk_<lang>; returns them (keep them alive)."""
    global _current
    _current = lang
    installed: list[QTranslator] = []
    # Numbers and dates in spin boxes follow the interface language, not a third locale.
    QLocale.setDefault(QLocale(QLocale.Language.Russian if lang == "ru" else QLocale.Language.English))
    if lang == "en":
        return installed  # the source strings are English
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{lang}", qt_dir), (f"cluster_desk_{lang}", str(resource("translations")))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for t in translators:
        app.removeTranslator(t)
