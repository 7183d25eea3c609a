"""The cluster passport: A4 PDF or one self-contained HTML file (Qt-free; ui.report_pdf prints PDFs).

    data = passport_data(members, links, settings, lang="ru", day="2024-12-31")
    write_passport(data, Path("passport.pdf"))      # or .html

report.data gathers the facts (the same assessment and words as ``cluster-desk check --json``),
report.charts and report.basemap draw with matplotlib (imported on first use), report.html builds
the page, cluster_desk.ui.report_pdf prints it with Qt WebEngine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cluster_desk.report.data import PassportData, Snapshot, passport_data

__all__ = ["PassportData", "Snapshot", "build_passport_html", "passport_data", "write_passport"]


def __getattr__(name: str) -> Any:
    """report.data (and with it the whole assessment: numpy, pyproj, shapely) on first use, not
    on ``import cluster_desk.report``: the command line imports write_passport first, and the PDF's
    data is gathered on a thread while Qt WebEngine starts (~0.3 s of overlap)."""
    if name in ("PassportData", "Snapshot", "passport_data"):
        from cluster_desk.report import data

        return getattr(data, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Charts for print: about 200 dpi on paper. As SVG (text as paths, hatches) Chromium took ~0.4 s
#: longer to print the demo's passport; the HTML passport keeps SVG (sharp when zoomed).
PRINT_CHART_DPI = 200
MAP_DPI = 220


def build_passport_html(data: PassportData, charts: str = "svg") -> str:
    """The page, with its charts and map drawn. ``charts``: "svg" (the HTML passport: charts
    as SVG, the map as PNG) or "jpeg" (the page the PDF is printed from: charts and map as
    JPEG, which Chromium's PDF writer embeds as they are; a PNG it decodes and compresses again:
    ~0.6 s of the demo's print at 1.3 MB of pictures, and ~0.2 s more to encode them here)."""
    from cluster_desk.report.basemap import map_figure
    from cluster_desk.report.charts import CHARTS, figure_bytes, set_up_matplotlib
    from cluster_desk.report.html import build_html
    from cluster_desk.text.passport_words import PassportWords

    words = PassportWords(data.text)
    set_up_matplotlib()  # before any chart's own matplotlib import (see there)
    images: dict[str, bytes] = {}
    for key, draw in CHARTS:
        fig = draw(data.charts, words)
        if fig is not None:
            images[key] = figure_bytes(fig, charts, dpi=PRINT_CHART_DPI)
    fig = map_figure(data, words)
    picture = None if fig is None else figure_bytes(fig, "jpeg" if charts == "jpeg" else "png", dpi=MAP_DPI)
    return build_html(data, images, picture)


def write_passport(data: PassportData | Callable[[], PassportData], dest: Path) -> int | None:
    """Write the passport (.pdf or .html by suffix); the number of pages of a PDF, None for HTML.
    The PDF is printed by Qt WebEngine (cluster_desk.ui.report_pdf: only the UI imports Qt).
    ``data`` may be a callable gathering it: for a PDF it then runs, with the drawing, while Qt
    WebEngine starts (report_pdf overlaps them: about a second of the demo's passport)."""

    def page(charts: str) -> str:
        return build_passport_html(data() if callable(data) else data, charts)

    if dest.suffix.lower() == ".pdf":
        import importlib

        printer = importlib.import_module("cluster_desk.ui.report_pdf")  # Qt: the UI's side
        return int(printer.html_to_pdf(lambda: page("jpeg"), dest))
    html = page("svg")
    from cluster_desk.atomic import atomic_open

    with atomic_open(dest, "w", encoding="utf-8") as f:
        f.write(html)
    return None
