"""One text source: every sentence a user reads is written here, from facts, in a given language.

Qt-free (imports only core and paths), so the window, the command line and the PDF passport all
speak the same words. The wording lives in Speaker subclasses; translations in Qt Linguist
catalogues (resources/translations/cluster_desk_<lang>.ts, compiled to .qm for Qt).

How to use it
-------------
Get a :class:`Text` (a language and a translate function) and hand it to a renderer::

    from cluster_desk.text import text_for, merge_summary
    text = text_for("ru")                  # Qt-free: reads the .ts catalogue (command line, tests)
    line = merge_summary(report, text)     # "Объединено: добавлено 3, изменено 1, удалено 0."

In the window, use ``cluster_desk.ui.i18n.ui_text()``, which is
``Text(current_language(), QCoreApplication.translate)``: the same catalogue through Qt.

Renderers: :func:`import_summary` (io.roster.ImportReport), :func:`merge_summary`
(store.merge.MergeReport); the check renderer (core.assessment.CheckResult -> title, figure,
threshold, message, remedy, source) lives in ``cluster_desk.text.checks``; store errors in
``store_text``, merge lines in ``merge_text``, import problems in ``import_problems`` and
``import_file_text``, export, coordinate and tile errors in ``export_text``, ``coords_text`` and
``tiles_text``, the command line's own lines in ``cli_text``.

How to add user text (errors, problems, reports)
------------------------------------------------
The producing module returns facts, not prose: a stable ``code`` and JSON-safe ``params``
(numbers, names, paths), e.g. ``ImportProblem(code="inn_checksum", params={"value": "7701"})``.
Add a Speaker subclass (one class = one translation context) in a module here, one method
that turns the code + params into a sentence::

    class ProblemText(Speaker):
        def say(self, code: str, p: dict[str, Any]) -> str:
            if code == "inn_checksum":
                return self.tr("INN %1 fails its check digit").arg(p["value"])
            if code == "rows_skipped":          # plurals: pass n (positionally), count as %1
                return self.tr("%1 row(s) skipped", None, p["rows"]).arg(p["rows"])
            raise KeyError(code)                # never fall back to English silently

Rules: call ``self.tr`` with string literals only (lupdate extracts them); fill placeholders with
``.arg(...)`` (one pass, untrusted names stay text); format decimals with ``text.number`` /
``text.percent`` (ints passed to ``arg`` are grouped by thousands). Then run ``make
translations``, translate the new entries in cluster_desk_ru.ts (Qt Linguist or by hand) and the
plural forms in cluster_desk_en.ts, and run it again to compile the .qm. tests/ui/
test_translations.py fails until every entry is translated.
"""

from cluster_desk.text.catalogue import Catalogue, load_catalogue
from cluster_desk.text.reports import import_summary, merge_summary
from cluster_desk.text.speech import SUPPORTED, Phrase, Speaker, Text, Translate, system_language


def text_for(lang: str) -> Text:
    """A Qt-free Text for ``lang`` ("en", "ru"), reading the shipped catalogue."""
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r} (use one of {', '.join(SUPPORTED)})")
    return Text(lang, load_catalogue(lang).translate)


__all__ = [
    "SUPPORTED",
    "Catalogue",
    "Phrase",
    "Speaker",
    "Text",
    "Translate",
    "import_summary",
    "load_catalogue",
    "merge_summary",
    "system_language",
    "text_for",
]
