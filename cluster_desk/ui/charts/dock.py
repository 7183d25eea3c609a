"""The charts dock: the passport's charts (report.charts, matplotlib) for the date the window shows,
one tab each, with the value under the mouse, Copy and Save as PNG/SVG. matplotlib is imported
when the dock is first shown, not at start-up (bench/bench_report.py: ~0.8 s cpu), and on the
worker with the figures, which also draws them (chart_image): the GUI thread shows pictures."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.ui.charts.chart_image import ChartImage, Size

if TYPE_CHECKING:
    from cluster_desk.ui.context import AppContext

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
#: Where a chart is drawn: ``(lane, draw, done, failed)`` runs ``draw()`` off the GUI thread and
#: then ``done(result)`` (or ``failed(error)``) on it, unless the lane was asked again meanwhile.
DrawElsewhere = Callable[[str, Callable[[], Any], Done, Callable[[BaseException], None]], None]

#: Pixels of chart the dock keeps however the window's docks are arranged.
MIN_CHART_HEIGHT = 240


class ChartsPanel(QWidget):
    """The charts' tabs. ``draw_elsewhere``: where the figures are drawn (the dock: the session's
    worker); without it, at once on this thread."""

    copied = Signal()  # the current chart is on the clipboard
    saved = Signal(str)  # the current chart was written to this path
    saveFailed = Signal(str, str)  # it could not be written there: the path and why

    def __init__(self, parent: QWidget | None = None, draw_elsewhere: DrawElsewhere | None = None) -> None:
        super().__init__(parent)
        self._draw_elsewhere = draw_elsewhere
        #: Every draw asked for: (chart key, size) (the tests read it).
        self.draws: list[tuple[str, Size]] = []
        self.tabs = QTabWidget()
        # Until the first figures come (~1-2 s at 100,000 members, matplotlib's import the most
        # of it): said in their place, not an empty frame.
        self.waiting = QLabel(self.tr("Counting the charts…"))
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setEnabled(False)  # (greyed, as a note)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.waiting)
        self.stack.addWidget(self.tabs)
        # Docked under the assessment the dock was given ~10 px of chart (a canvas asks for no
        # height): at least about a chart's height, the assessment above gives way.
        self.stack.setMinimumHeight(MIN_CHART_HEIGHT)
        self.hover = QLabel()
        self.hover.setTextFormat(Qt.TextFormat.PlainText)
        self.hover.setObjectName("chartHover")
        self.copy_button = QPushButton(self.tr("Copy"))
        self.save_button = QPushButton(self.tr("Save…"))
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.hover, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.stack, 1)
        box.addWidget(self.missing)
        self.missing.hide()  # (shown only with something to say: see show_data)
        box.addLayout(row)
        self.figures: dict[str, Any] = {}
        self._data: Any = None
        self.copy_button.clicked.connect(self.copy_current)
        self.save_button.clicked.connect(self.save_dialog)
        self._set_waiting(True)

    def _set_waiting(self, waiting: bool) -> None:
        self.stack.setCurrentWidget(self.waiting if waiting else self.tabs)
        self.copy_button.setEnabled(not waiting)
        self.save_button.setEnabled(not waiting)

    def show_data(self, data: Any, figures: list[tuple[str, Any]] | None = None) -> None:
        """Show the charts of a report.chart_data.ChartData (what is missing is said, not drawn):
        ``figures`` made already (``chart_figures``, on the worker), or made here."""
        from cluster_desk.text.passport_words import PassportWords

        self._data = data
        words = PassportWords(data.text)
        # What is missing first: the layout is final before a chart is sized (the label hidden
        # after made the current chart draw twice, ~60 ms each at 100,000 members).
        self.missing.setText("\n".join(words.missing(k) for k in data.missing))
        self.missing.setVisible(bool(data.missing))
        current = self.tabs.currentIndex()
        old = self._take_charts()
        for key, fig in chart_figures(data) if figures is None else figures:
            chart = ChartImage(fig, self._wants_drawing, self._hovered)
            chart.setObjectName(key)
            if key in old:  # its old picture stands in until this one is drawn (no blank flash)
                chart.stand_in(old[key])
            self.figures[key] = fig
            title = fig.texts[0].get_text().replace("\n", " ") if fig.texts else key
            self.tabs.addTab(chart, title[:28] + ("…" if len(title) > 28 else ""))
            self.tabs.setTabToolTip(self.tabs.count() - 1, title)
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)
        self._set_waiting(False)

    def clear(self) -> None:
        """No charts (another project opened, or none): "Counting the charts…" until some come."""
        self._take_charts()
        self._data = None
        self.missing.hide()
        self.hover.clear()
        self._set_waiting(True)

    def _take_charts(self) -> dict[str, ChartImage]:
        """The tabs' charts taken off, by key; deleted once the events in hand are done (a removed
        tab's page is only hidden), so their pictures can still stand in for the next ones."""
        taken = {chart.objectName(): chart for chart in self.charts()}
        self.tabs.clear()
        for chart in taken.values():
            chart.deleteLater()
        self.figures.clear()
        return taken

    def charts(self) -> list[ChartImage]:
        return [w for i in range(self.tabs.count()) if isinstance(w := self.tabs.widget(i), ChartImage)]

    def _wants_drawing(self, chart: ChartImage, size: Size) -> None:
        from cluster_desk.report.charts import figure_pixels

        key, fig = chart.objectName(), chart.figure
        self.draws.append((key, size))

        def done(drawn: tuple[bytes, int, int]) -> None:
            if chart in self.charts() and chart.figure is fig:
                chart.show_pixels(size, drawn)
                # The others ahead at this size, for a tab clicked; not those with a picture of
                # it already, their last figure's (after each edit's checks: ~0.5 s of the
                # worker's time for tabs maybe never shown), which stands in until the tab shows.
                if chart is self.tabs.currentWidget() and self.isVisible():
                    for other in self.charts():
                        if other is not chart and other.picture_at != size:
                            other.ask(size)

        def failed(error: BaseException) -> None:
            log.warning("the chart %s was not drawn at %s", key, size, exc_info=error)
            if chart in self.charts():
                chart.draw_dropped()

        def draw() -> tuple[bytes, int, int]:
            return figure_pixels(fig, *size)

        if self._draw_elsewhere is None:
            done(draw())
        else:
            self._draw_elsewhere(chart_lane(key), draw, done, failed)

    def _hovered(self, event: Any) -> None:
        """The value under the mouse, written as the axis writes it ("53 %", "1 234"): a bar's
        length along its value axis, a line's value at the mouse (the twin axis's lines too)."""
        text = ""
        for ax in event.canvas.figure.axes if event.inaxes is not None else []:
            # Bars are the patches of bar containers (which hold the legend's label); the
            # critical-mass band is a patch of its own and says nothing under the mouse.
            bars = {id(p): c for c in ax.containers if hasattr(c, "patches") for p in c.patches}
            for artist in [*(p for p in ax.patches if id(p) in bars), *ax.lines]:
                hit, _ = artist.contains(event)
                if not hit:
                    continue
                owner = bars.get(id(artist), artist)
                if getattr(owner, "orientation", "") == "horizontal":
                    value, axis = artist.get_width(), ax.xaxis
                elif id(artist) in bars:
                    value, axis = artist.get_height(), ax.yaxis
                else:
                    value, axis = ax.transData.inverted().transform((event.x, event.y))[1], ax.yaxis
                label = owner.get_label() if not str(owner.get_label()).startswith("_") else ""
                shown = axis.get_major_formatter()(value)
                text = f"{label}: {shown}" if label else shown
                break
            if text:
                break
        self.hover.setText(text)

    def current_key(self) -> str | None:
        i = self.tabs.currentIndex()
        return list(self.figures)[i] if 0 <= i < len(self.figures) else None

    def copy_current(self) -> None:
        """The chart as an image on the clipboard (at the passport's size, 200 dpi), drawn off
        the GUI thread (~70-150 ms a chart, ~0.4 s the first)."""

        def copy(png: bytes) -> None:
            from PySide6.QtGui import QImage

            QApplication.clipboard().setImage(QImage.fromData(png, "PNG"))
            self.copied.emit()

        self._render_then("png", copy)

    def save_dialog(self) -> None:
        key = self.current_key()
        if key is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Chart"), f"{key}.png",
                                              self.tr("PNG image (*.png);;SVG drawing (*.svg)"))
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> None:
        """The chart written to ``path`` (PNG, or SVG by its suffix) once drawn off the GUI thread:
        ``saved`` or ``saveFailed`` says how it went (a failed write leaves no file)."""

        def write(data: bytes) -> None:
            from cluster_desk.atomic import atomic_open

            try:
                with atomic_open(path, "wb") as f:
                    f.write(data)
            except OSError as e:
                self.saveFailed.emit(str(path), e.strerror or str(e))
            else:
                self.saved.emit(str(path))

        self._render_then("svg" if path.suffix.lower() == ".svg" else "png", write)

    def _render_then(self, fmt: str, then: Callable[[bytes], None]) -> None:
        """The current chart drawn again at the passport's size (the one on screen has the
        dock's size, which may be tiny or nothing while the tab is hidden), then ``then(bytes)``."""
        key, data = self.current_key(), self._data
        if key is None or data is None:
            return

        def render() -> bytes | None:
            from cluster_desk.report.charts import CHARTS, figure_bytes
            from cluster_desk.text.passport_words import PassportWords

            fig = dict(CHARTS)[key](data, PassportWords(data.text))
            return None if fig is None else figure_bytes(fig, fmt, dpi=200)

        def done(made: bytes | None) -> None:
            if made is not None:
                then(made)

        def failed(error: BaseException) -> None:
            log.warning("the chart %s was not drawn as %s", key, fmt, exc_info=error)

        if self._draw_elsewhere is None:
            done(render())
        else:
            self._draw_elsewhere(f"chart {fmt} {key}", render, done, failed)


def chart_lane(key: str) -> str:
    """The worker's lane a chart is drawn in (one each: a newer size replaces a waiting one)."""
    return f"chart {key}"


def chart_figures(data: Any) -> list[tuple[str, Any]]:
    """The passport's charts of a report.chart_data.ChartData as (key, matplotlib Figure), those
    with something to draw. Made on the worker (``charts_work``): with matplotlib's first import
    they held the GUI thread ~0.5-1 s when the dock was shown at 100,000 members (issue 17); only
    the Qt canvases are made there."""
    from cluster_desk.report.charts import CHARTS
    from cluster_desk.text.passport_words import PassportWords

    words = PassportWords(data.text)
    return [(key, fig) for key, draw in CHARTS if (fig := draw(data, words)) is not None]


def charts_work(roster: Callable[[Any], Any], settings: Any, lang: str, day: str | None
                ) -> Callable[[Any], Any]:
    """The charts' job for the worker (``roster``: ``session.roster_arrays()``): (data, figures),
    or ``distance_lane.AGAIN`` when another request waits before a step (~0.3 s for the figures'
    data at 100,000 members, ~0.1 s for the figures): it gives way, and is run again after it."""
    from cluster_desk.report.chart_data import chart_data
    from cluster_desk.ui.project.distance_lane import AGAIN

    def work(engine: Any) -> Any:  # on the worker thread
        if engine.yield_wanted():
            return AGAIN
        data = chart_data(roster(engine), settings, lang=lang, day=day)
        if engine.yield_wanted():
            return AGAIN
        return data, chart_figures(data)

    return work


class ChartsDock(QObject):
    """The dock and when to redraw it: on first show, after each assessment, and on a date change.
    The charts' figures are counted on the session's worker thread ("charts" lane, background)."""

    def __init__(self, ctx: AppContext, day_shown: Callable[[], str]) -> None:
        """``day_shown``: the day the window shows ("" = today); call ``refresh`` when it changes."""
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        self._day_shown = day_shown
        self.panel = ChartsPanel(draw_elsewhere=self._draw_on_worker)
        self.dock = QDockWidget(self.tr("Charts"))
        self.dock.setObjectName("charts_dock")
        self.dock.setWidget(self.panel)
        self.dock.hide()
        self.dock.visibilityChanged.connect(lambda shown: self.refresh() if shown else self._stop_drawing())
        self.panel.copied.connect(lambda: ctx.notifier.status(self.tr("Chart copied to the clipboard")))
        self.panel.saved.connect(lambda path: ctx.notifier.status(
            self.tr("Saved the chart to %1").replace("%1", path), path=path))
        self.panel.saveFailed.connect(lambda path, why: ctx.notifier.error(
            self.tr("Could not save the chart"), f"{path}: {why}"))
        ctx.session.assessed.connect(lambda _r: self.refresh())
        # Another project (or none): its charts are not the last one's.
        ctx.session.changed.connect(lambda change: self.panel.clear() if change.reset else None)

    def refresh(self) -> None:
        s = self.ctx.session
        if not self.dock.isVisible() or not s.is_open:
            return
        # The figures on the session's worker, from the engine's arrays (no record built: at
        # 100,000 members the records and the passport's data took ~3 s, issue 17), newest
        # request only, in the background: the checks of an edit go first (the dock redraws
        # after every assessment); the figures are drawn there too, when their tabs ask.
        work = charts_work(s.roster_arrays(), s.settings, self.ctx.lang, self._day_shown() or None)
        s.assessor.run("charts", work, self._arrived, background=True)

    def _arrived(self, made: tuple[Any, list[tuple[str, Any]]]) -> None:
        if self.dock.isVisible() and self.ctx.session.is_open:
            self.panel.show_data(*made)

    def _stop_drawing(self) -> None:
        """The dock hidden: its draws still waiting on the worker are dropped (the tabs drawn
        ahead took ~0.5 s of it, which a day's checks would wait behind); asked again when shown."""
        for chart in self.panel.charts():
            if chart.drawing_at is not None:
                self.ctx.session.assessor.cancel(chart_lane(chart.objectName()))
                chart.draw_dropped()

    def _draw_on_worker(self, lane: str, draw: Callable[[], Any], done: Callable[[Any], None],
                        failed: Callable[[BaseException], None]) -> None:
        """A chart drawn on the session's worker in the background (after an edit's checks)."""
        self.ctx.session.assessor.run(lane, lambda _engine: draw(), done, failed, background=True)
