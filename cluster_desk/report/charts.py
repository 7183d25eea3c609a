"""The passport's charts, drawn with matplotlib (one charting library for the report and the app's
charts dock). matplotlib is imported on first use only (bench/bench_report.py measures the cost).

Every chart function takes the charts' data (report.chart_data.ChartData: a passport's ``charts``,
or the charts dock's, made from the checks' arrays) and the words, returns a matplotlib Figure or
None when its data is missing (the passport then says what is missing instead of drawing an empty
chart).
Lines and bars differ by style and hatch as well as colour, so a greyscale print stays legible.
"""

from __future__ import annotations

import gc
import io
import sys
import textwrap
import threading
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cluster_desk.core.network import GAPS
from cluster_desk.report.chart_data import FIRM_SIZES, ChartData
from cluster_desk.report.data import RUSSIAN_FIRM_SIZES
from cluster_desk.report.okved import division_label
from cluster_desk.text.check_words import CheckWords
from cluster_desk.text.passport_words import PassportWords

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Two charts side by side on A4 (180 mm of text width); wide charts take the whole width.
CHART_SIZE = (3.5, 2.45)
WIDE_SIZE = (7.2, 2.3)
#: Charts printed across the page's width (the rest go two to a row).
WIDE_CHARTS = frozenset({"sectors", "gaps"})
#: The title's left edge, in inches from the figure's edge (the same on narrow and wide charts).
TITLE_INSET = 0.06
DARK, MID, LIGHT, PALE = "#1a3d73", "#4f86c6", "#9cc0e8", "#d9e6f5"


@lru_cache(maxsize=1)
def set_up_matplotlib() -> None:
    """matplotlib's figure and Agg canvas only, not pyplot: pyplot adds import time, and keeps every
    figure in a global registry (not thread-safe: the PDF's page is drawn on a thread).

    Set up on a short thread of its own: matplotlib's font settings run pyparsing, whose caught
    exceptions leave cyclic garbage pinning every frame above them until the collector runs.
    Pinned in the caller, they were a passport job's frames holding its 100,000 members and
    300,000 links, which the collector then freed in one ~0.9 s pass holding the GIL: the window
    froze as the passport was written. The passport calls it before its first chart imports
    anything of matplotlib.

    Its ~120,000 lasting objects (modules, classes, functions) are made with the collector paused
    and frozen at once: no pass walks them. Made while a passport job had paused it, they waited
    in the youngest generation and the job's last pass walked them all holding the GIL (60-90
    ms, issue 17); made with it on, they set off a full pass (40-45 ms, more in a big window).
    The ~2,000 objects of cyclic garbage the set-up leaves (pyparsing's, of its own thread: no
    caller's frame) stay frozen with them until a project is closed (which unfreezes)."""
    from cluster_desk.core.collector import gc_paused

    failed: list[BaseException] = []
    with gc_paused():
        setup = threading.Thread(target=_set_up_here, args=(failed,), name="cd-matplotlib-setup")
        setup.start()
        setup.join()
        if failed:
            raise failed[0]
        gc.freeze()


def _set_up_here(failed: list[BaseException]) -> None:
    try:
        _import_and_configure()
    except BaseException as e:  # handed to the caller's thread
        failed.append(e)


def _import_and_configure() -> None:
    import matplotlib

    _import_figure_and_agg()
    matplotlib.rcParams.update({
        "font.family": "DejaVu Sans", "font.size": 7, "axes.titlesize": 8, "axes.titleweight": "bold",
        "axes.spines.top": False, "axes.spines.right": False, "legend.fontsize": 6.5,
        "legend.frameon": False, "svg.fonttype": "path", "pdf.fonttype": 42, "figure.dpi": 100,
        "axes.unicode_minus": True,
    })  # fmt: skip


def _import_figure_and_agg() -> None:
    """Import matplotlib.figure and the Agg canvas without two parts the passport never uses,
    ~0.15 s of the ~2.3 s CPU of the demo's passport: the 3D toolkit (matplotlib.projections
    imports mpl_toolkits.mplot3d to register a "3d" projection; blocked, it warns and goes on
    without it) and the property tables written into every artist class's ``set()`` docstring
    (matplotlib.artist.kwdoc, text for help() only: empty while these modules load, then put back).
    Nothing is skipped if matplotlib.figure was imported already (the charts dock, a test)."""
    if "matplotlib.figure" in sys.modules:
        return
    import matplotlib.artist

    kwdoc = matplotlib.artist.kwdoc
    block_3d = "mpl_toolkits.mplot3d" not in sys.modules
    matplotlib.artist.kwdoc = lambda _artist: ""
    if block_3d:
        sys.modules["mpl_toolkits.mplot3d"] = None  # type: ignore[assignment]
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Unable to import Axes3D")
            import matplotlib.backends.backend_agg
            import matplotlib.figure
    finally:
        matplotlib.artist.kwdoc = kwdoc
        if block_3d:
            del sys.modules["mpl_toolkits.mplot3d"]  # an explicit import of it later still works


def new_figure(size: tuple[float, float], measured_layout: bool = False) -> Figure:
    """A figure on an Agg canvas (the charts dock puts it on a Qt canvas instead); with
    ``measured_layout``, laid out at each draw by report.chart_layout."""
    set_up_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from cluster_desk.report.chart_layout import ChartFigure

    fig = ChartFigure(figsize=size)
    fig.measured_layout = measured_layout
    FigureCanvasAgg(fig)
    return fig


def _figure(title: str, size: tuple[float, float] = CHART_SIZE) -> tuple[Figure, Any]:
    """A figure laid out when drawn by measured margins (report.chart_layout): the legend and a
    note below the axes, tick labels and the title all get their room, at any size."""
    fig = new_figure(size, measured_layout=True)
    ax = fig.add_subplot()
    _title(fig, title)
    return fig, ax


def _title(fig: Figure, title: str) -> None:
    """The title from the figure's left edge (not the axes'), wrapped: long Russian titles fit."""
    width = fig.get_size_inches()[0]
    fig.suptitle(textwrap.fill(title, int(width * 14)), x=TITLE_INSET / width, ha="left", fontsize=8,
                 fontweight="bold")


def _legend_below(fig: Figure, handles: list[Any], labels: list[str], ncol: int = 2) -> None:
    """The legend under the axes, never over the data (a legend inside the axes covered the
    critical-mass band and the first years' bars); the layout puts it at the bottom."""
    fig.legend(handles, labels, loc="lower center", ncol=ncol, handlelength=1.8, columnspacing=1.2)


def _counts(axis: Any, d: ChartData) -> None:
    """Whole-number ticks written as the language writes numbers ("80 000", "80,000")."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    # min_n_ticks=1: with a top of 1 or 2 the locator would otherwise fall back to 0.2 steps, and
    # "0, 1, 1, 1, 1" is what whole-number labels of those look like.
    axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10], min_n_ticks=1))
    text = d.text  # (not d: see _percent)
    axis.set_major_formatter(FuncFormatter(lambda v, _p: text.number(v, 0 if float(v).is_integer() else 1)))


def _years(ax: Any, years: list[int]) -> None:
    """Every year labelled while they fit; beyond 8 years upright labels would collide: rotated."""
    ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 8 else 0,
                  ha="right" if len(years) > 8 else "center", rotation_mode="anchor")


def growth(d: ChartData, w: PassportWords) -> Figure | None:
    if not d.series:
        return None
    from matplotlib.patches import Patch

    fig, ax = _figure(w.chart("growth"))
    years = [p.year for p in d.series]
    s = d.settings
    # The band is pale (nearly white in greyscale): dashed edges carry it on a grey print.
    ax.axhspan(s.mass_min, s.mass_max, color=PALE, zorder=0, label="_band")
    for edge in (s.mass_min, s.mass_max):
        ax.axhline(edge, color=DARK, linestyle="--", linewidth=0.6, zorder=1)
    band = Patch(facecolor=PALE, edgecolor=DARK, linestyle="--", linewidth=0.6,
                 label=f"{w.chart('band')} {d.text.number(s.mass_min)}–{d.text.number(s.mass_max)}")
    counted = [p.counted_firms for p in d.series]
    ax.bar(years, counted, color=MID, edgecolor=DARK, linewidth=0.5, label=w.chart("counted"), zorder=2)
    pipeline = [p.candidates for p in d.series]
    if any(pipeline):
        ax.bar(years, pipeline, bottom=counted, color="white", edgecolor=DARK, hatch="////", linewidth=0.5,
               label=w.chart("pipeline"), zorder=2)
    participants = [p.participants for p in d.series]
    ax.plot(years, participants, color="black", marker="o", markersize=3,
            linewidth=1.2, label=w.chart("participants"), zorder=3)
    _years(ax, years)
    top = max([s.mass_max, *participants, *(c + p for c, p in zip(counted, pipeline, strict=True))])
    ax.set_ylim(0, top * 1.06)
    _counts(ax.yaxis, d)
    handles, labels = ax.get_legend_handles_labels()
    _legend_below(fig, [band, *handles], [str(band.get_label()), *labels])
    return fig


def network(d: ChartData, w: PassportWords) -> Figure | None:
    if not d.series or not any(p.links for p in d.series):
        return None
    fig, ax = _figure(w.chart("links"))
    years = [p.year for p in d.series]
    ax.bar(years, [p.links for p in d.series], color=LIGHT, edgecolor=DARK, linewidth=0.5,
           label=w.chart("link_count"))
    ax.set_ylabel(w.chart("link_count"))
    _years(ax, years)
    _counts(ax.yaxis, d)
    right = ax.twinx()
    right.spines["top"].set_visible(False)
    right.plot(years, [p.density for p in d.series], color="black", marker="s", markersize=3, linewidth=1.2,
               label=w.chart("density"))
    nan = float("nan")
    right.plot(years, [nan if p.horizontal_share is None else p.horizontal_share for p in d.series],
               color=DARK, linestyle="--", marker="^", markersize=3, linewidth=1.2,
               label=w.chart("horizontal"))
    right.set_ylim(0, 1)
    right.set_ylabel(w.chart("share"))
    right.yaxis.set_major_formatter(_percent(d))
    handles, labels = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    _legend_below(fig, handles + more[0], labels + more[1], ncol=3)
    return fig


def sectors(d: ChartData, w: PassportWords) -> Figure | None:
    mix = d.sectors.rows
    if not mix:
        return None
    fig, ax = _figure(w.chart("sectors"), WIDE_SIZE)
    total_firms = d.sectors.firms or 1
    total_emp = d.sectors.employees or 1
    labels = [division_label(row[0], d.lang) for row in mix][::-1]
    y = list(range(len(labels)))
    ax.barh([v + 0.2 for v in y], [row[1] / total_firms for row in mix][::-1], height=0.4, color=MID,
            edgecolor=DARK, linewidth=0.5, label=w.chart("by_firms"))
    ax.barh([v - 0.2 for v in y], [row[2] / total_emp for row in mix][::-1], height=0.4, color="white",
            edgecolor=DARK, hatch="////", linewidth=0.5, label=w.chart("by_employment"))
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_formatter(_percent(d))
    _legend_below(fig, *ax.get_legend_handles_labels())
    return fig


def sizes(d: ChartData, w: PassportWords) -> Figure | None:
    """Firms only: size classes say nothing of a university or a ministry (they are in the helix
    chart). Beside each class, the Russian clusters' firms (HSE mix, as shares of firms)."""
    mix = d.sizes
    if not mix.known:
        return None
    fig, ax = _figure(w.chart("sizes"))
    y = list(range(len(FIRM_SIZES)))[::-1]
    mine = [mix.shares[k] for k in FIRM_SIZES]
    russia = [RUSSIAN_FIRM_SIZES[k] for k in FIRM_SIZES]
    ours = ax.barh([v + 0.2 for v in y], mine, height=0.4, color=MID, edgecolor=DARK, linewidth=0.5,
                   label=w.chart("cluster_firms"))
    theirs = ax.barh([v - 0.2 for v in y], russia, height=0.4, color="white", edgecolor=DARK, hatch="....",
                     linewidth=0.5, label=w.chart("russia_firms"))
    for bars, values in ((ours, mine), (theirs, russia)):
        ax.bar_label(bars, [d.text.percent(v) for v in values], fontsize=6.5, padding=2)
    ax.set_xlim(0, max(*mine, *russia) * 1.2)  # room for the largest bar's figure
    ax.set_yticks(y, [w.size(f"{k}_class") for k in FIRM_SIZES])
    ax.tick_params(axis="y", length=0)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # "0 % 10 % 20 % …" every 10 % crowded the axis
    ax.xaxis.set_major_formatter(_percent(d))
    _legend_below(fig, *ax.get_legend_handles_labels())
    note = textwrap.fill(w.firm_sizes_note(mix.known, mix.unknown), int(fig.get_size_inches()[0] * 17))
    fig.text(TITLE_INSET / fig.get_size_inches()[0], 0, note, fontsize=6, color="#333333", ha="left")
    return fig


def helix(d: ChartData, w: PassportWords) -> Figure | None:
    if not d.participants:
        return None
    fig, ax = _figure(w.chart("helix"))
    mix = d.helix
    keys = ["business", "science", "government", "none"]
    bars = ax.bar([textwrap.fill(w.strand(k), 12) for k in keys], [mix[k] for k in keys],
                  color=[DARK, MID, LIGHT, "white"],
                  edgecolor=DARK, linewidth=0.5)
    for bar, hatch in zip(bars, ["", "xx", "..", "////"], strict=True):
        bar.set_hatch(hatch)
    ax.bar_label(bars, [d.text.number(mix[k]) for k in keys], fontsize=6.5, padding=1.5)
    ax.set_ylim(0, max(mix.values()) * 1.12 or 1)  # room for the tallest bar's figure
    ax.tick_params(axis="x", labelsize=6.5, length=0)
    _counts(ax.yaxis, d)
    return fig


def gaps(d: ChartData, w: PassportWords) -> Figure | None:
    if not d.gap_years:
        return None
    cw = CheckWords(d.text)
    ids = [g[0] for g in GAPS]
    years = [y for y, _ in d.gap_years]
    # cluster-cluster has no share of firms: a cell is full when any participant is linked.
    grid = [[(cov.get(g) or 0.0) for _, cov in d.gap_years] for g in ids]
    fig, ax = _figure(w.chart("gaps"), WIDE_SIZE)
    # interpolation "none": the SVG holds the grid as it is (one pixel a cell, drawn pixelated),
    # not resampled to a 200 dpi bitmap and encoded as PNG at every passport.
    ax.imshow(grid, cmap="Blues", vmin=0, vmax=1, aspect="auto", interpolation="none")
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            label = ("✓" if v else "—") if ids[i] == "cluster_cluster" else d.text.percent(v)
            ax.text(j, i, label, ha="center", va="center", fontsize=6.5,
                    color="white" if v > 0.55 else "black")
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(ids)), [cw.gap(g).split(" (")[0] for g in ids])
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig


def _percent(d: ChartData) -> Any:
    from matplotlib.ticker import FuncFormatter

    # The formatter holds the text renderer, not the data: a figure is a web of reference cycles
    # that lives until the collector runs, and a lambda over ``d`` kept the passport's 100,000
    # members and 300,000 links alive with it, freed at last in one ~0.9 s pass holding the GIL.
    text = d.text
    return FuncFormatter(lambda v, _pos: text.percent(v))


#: The passport's charts (the charts dock's tabs in this order; the page puts WIDE_CHARTS last).
CHARTS: tuple[tuple[str, Callable[[ChartData, PassportWords], Figure | None]], ...] = (
    ("growth", growth), ("network", network), ("sectors", sectors), ("sizes", sizes),
    ("helix", helix), ("gaps", gaps),
)  # fmt: skip


#: JPEG for print: at 200 dpi, quality 94 and full colour resolution (4:4:4) its edges cannot be
#: told from PNG's even at 300 % zoom; the print files are ~1 MB.
JPEG_OPTIONS = {"quality": 94, "subsampling": 0}
#: zlib level of PNGs (the HTML passport's map): 3 instead of Pillow's 6 took ~35 % less time to
#: encode the demo's 1584x858 map, and the file came out smaller (363 KB against 393 KB).
PNG_COMPRESS_LEVEL = 3


def figure_pixels(fig: Figure, width: int, height: int, ratio: float = 1.0) -> tuple[bytes, int, int]:
    """The figure drawn ``width`` x ``height`` device pixels at the dpi it was made with times
    ``ratio``, as a Qt canvas on that screen would draw it (the charts dock draws on its worker
    with this): (RGBA bytes with rows top down, the width and height drawn, which float rounding
    may leave a pixel short). The figure keeps that size and its Agg canvas (the mouse is read
    against it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if getattr(fig, "base_dpi", None) is None:
        fig.base_dpi = fig.get_dpi()  # (a draw for a denser screen changes the figure's dpi)
    dpi = fig.base_dpi * ratio
    fig.set_dpi(dpi)
    fig.set_size_inches(width / dpi, height / dpi, forward=False)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    pixels = canvas.buffer_rgba()
    return bytes(pixels), pixels.shape[1], pixels.shape[0]


def figure_bytes(fig: Figure, fmt: str = "svg", dpi: int = 200) -> bytes:
    """The figure as SVG/PNG/JPEG/PDF bytes."""
    buf = io.BytesIO()
    if fmt == "jpeg":
        fig.savefig(buf, format="jpeg", dpi=dpi, pil_kwargs=dict(JPEG_OPTIONS))
    elif fmt == "png":
        fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    else:
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()
