"""Pick the interface language and install Qt's own and our translations (Picard's i18n/qt.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from cluster_desk.paths import resource
from cluster_desk.text import Text

SUPPORTED = ("en", "ru")
_current = "en"


def current_language() -> str:
    """The language installed by install_translators ("en" before that)."""
    return _current


def ui_text() -> Text:
    """The text renderers' Text for the window: the interface language through Qt's translators."""
    return Text(_current, QCoreApplication.translate)


def user_message(error: BaseException | str) -> str:
    """An error or notice of the store (or any exception) as the line to show, in the interface
    language: store facts through the text renderer, anything else as its own ``str()``."""
    from cluster_desk.text.store_text import project_message
    from cluster_desk.text.team_text import is_team_error, team_message

    if is_team_error(error):
        return team_message(error, ui_text())
    return project_message(error, ui_text())


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
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # English: the source strings are English; cluster_desk_en holds only their plural forms.
    names = [(f"cluster_desk_{lang}", str(resource("translations")))]
    if lang != "en":
        names.insert(0, (f"qtbase_{lang}", qt_dir))
    for name, folder in names:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for t in translators:
        app.removeTranslator(t)
