""" "Make this area available offline": download the tiles of the cluster circle or the current
view for chosen zooms into an MBTiles pack, with an estimate first, progress, cancel and resume.

Only usable with an online tile source (a URL template the user set; off by default): without
one the dialog says so and Start stays disabled. The download runs in a QThread; the
downloader is polite (2 requests/s, Retry-After) and resumes by skipping tiles already in the
pack, so "Start" on the same file after a lost connection continues where it stopped.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.text.tiles_text import tile_error, tile_progress
from cluster_desk.tiles.downloader import (
    MAX_TILES,
    Area,
    Downloader,
    DownloadError,
    Estimate,
    Progress,
    TileSource,
    estimate,
)
from cluster_desk.ui.i18n import ui_text

translate = QCoreApplication.translate


class _Worker(QObject):
    """Runs estimate or download off the UI thread; reports through queued signals."""

    progressed = Signal(int, int, str)  # done, total, message
    estimated = Signal(object)  # Estimate
    finished = Signal(object)  # Progress
    failed = Signal(str)

    def __init__(self, downloader: Downloader, mode: str) -> None:
        super().__init__()
        self.downloader = downloader
        self.mode = mode

    @Slot()
    def run(self) -> None:
        d = self.downloader
        try:
            if self.mode == "estimate":
                self.estimated.emit(estimate(d.area, d.target, sample=d.fetch, sample_size=4))
            else:
                text = ui_text()  # read on the GUI side's language, once
                d.progress_cb = lambda p: self.progressed.emit(p.done, p.total, tile_progress(p, text))
                self.finished.emit(d.run())
        except (DownloadError, OSError, ValueError) as e:
            self.failed.emit(tile_error(e, ui_text()))


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


class OfflineAreaDialog(QDialog):
    """``source`` None: no online tile source is enabled (the dialog explains, Start disabled).
    ``refused``: why the source may not be bulk-downloaded (shown instead; Start disabled).
    ``circle`` (lat, lon, radius_km) and/or ``view_bbox`` (west, south, east, north)."""

    packReady = Signal(str)  # path of the written pack (the window may add it as a basemap)

    def __init__(
        self,
        source: TileSource | None,
        circle: tuple[float, float, float] | None,
        view_bbox: tuple[float, float, float, float] | None,
        target: str | Path = "",
        parent: QWidget | None = None,
        *,
        rate: float = 2.0,
        use_system_proxy: bool = True,
        refused: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("OfflineArea", "Make this area available offline"))
        self._source, self._circle, self._bbox = source, circle, view_bbox
        self._rate, self._proxy = rate, use_system_proxy
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self.last_estimate: Estimate | None = None
        self.last_progress: Progress | None = None

        self.circle_btn = QRadioButton(translate("OfflineArea", "The cluster circle"))
        self.view_btn = QRadioButton(translate("OfflineArea", "The current view"))
        group = QButtonGroup(self)
        group.addButton(self.circle_btn)
        group.addButton(self.view_btn)
        self.circle_btn.setEnabled(circle is not None)
        self.view_btn.setEnabled(view_bbox is not None)
        (self.circle_btn if circle is not None else self.view_btn).setChecked(True)
        self.min_zoom = QSpinBox(minimum=0, maximum=19, value=8)
        self.max_zoom = QSpinBox(minimum=0, maximum=19, value=13)
        self.target = QLineEdit(str(target))
        browse = QPushButton(translate("OfflineArea", "Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.target)
        row.addWidget(browse)
        self.info = QLabel(wordWrap=True)
        self.bar = QProgressBar()
        self.estimate_btn = QPushButton(translate("OfflineArea", "Estimate"))
        self.start_btn = QPushButton(translate("OfflineArea", "Start"))
        self.cancel_btn = QPushButton(translate("OfflineArea", "Cancel download"))
        self.close_btn = QPushButton(translate("OfflineArea", "Close"))
        self.estimate_btn.clicked.connect(self.start_estimate)
        self.start_btn.clicked.connect(self.start_download)
        self.cancel_btn.clicked.connect(self.cancel)
        self.close_btn.clicked.connect(self.reject)
        self.cancel_btn.setEnabled(False)

        form = QFormLayout()
        form.addRow(translate("OfflineArea", "Area:"), self.circle_btn)
        form.addRow("", self.view_btn)
        form.addRow(translate("OfflineArea", "From zoom:"), self.min_zoom)
        form.addRow(translate("OfflineArea", "To zoom:"), self.max_zoom)
        form.addRow(translate("OfflineArea", "Save to:"), row)
        buttons = QHBoxLayout()
        for b in (self.estimate_btn, self.start_btn, self.cancel_btn, self.close_btn):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.info)
        lay.addWidget(self.bar)
        lay.addLayout(buttons)
        attribution = source.attribution if source else ""
        if refused:  # the source's terms forbid bulk downloading (tile_presets.bulk_refusal_text)
            self._source = None
            self.info.setText(refused)
        elif source is None:
            self.info.setText(
                translate(
                    "OfflineArea",
                    "Downloading needs an online tile source. Turn one on in the settings "
                    "(a tile URL template such as https://tile.example.org/{z}/{x}/{y}.png), then "
                    "come back here.",
                )
            )
        elif attribution:
            self.info.setText(translate("OfflineArea", "Tiles: %1").replace("%1", attribution))
        for w in (self.min_zoom, self.max_zoom, self.circle_btn, self.view_btn):
            (w.valueChanged if isinstance(w, QSpinBox) else w.toggled).connect(self._invalidate)
        self.target.textChanged.connect(self._invalidate)
        self._update_buttons()

    # -- state --

    def area(self) -> Area:
        lo, hi = sorted((self.min_zoom.value(), self.max_zoom.value()))
        zooms = tuple(range(lo, hi + 1))
        if self.circle_btn.isChecked() and self._circle is not None:
            return Area(zooms=zooms, circle=self._circle)
        return Area(zooms=zooms, bbox=self._bbox)

    def _busy(self) -> bool:
        return self._thread is not None

    def _update_buttons(self) -> None:
        ready = self._source is not None and bool(self.target.text().strip()) and not self._busy()
        self.estimate_btn.setEnabled(ready)
        # The estimate must come first: it is what the user agrees to.
        self.start_btn.setEnabled(
            ready and self.last_estimate is not None and self.last_estimate.tiles <= MAX_TILES
        )
        self.cancel_btn.setEnabled(self._busy())
        self.close_btn.setEnabled(not self._busy())

    def _invalidate(self, *_a: object) -> None:
        self.last_estimate = None
        self._update_buttons()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.windowTitle(),
            self.target.text(),
            "MBTiles (*.mbtiles)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # an existing pack is resumed, not replaced
        )
        if path:
            self.target.setText(path if path.endswith(".mbtiles") else path + ".mbtiles")

    # -- work --

    def _downloader(self) -> Downloader:
        assert self._source is not None
        return Downloader(
            self._source,
            self.area(),
            Path(self.target.text().strip()),
            rate=self._rate,
            use_system_proxy=self._proxy,
        )

    def _run(self, mode: str) -> None:
        worker = _Worker(self._downloader(), mode)
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.estimated.connect(self._on_estimated)
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        for sig in (worker.estimated, worker.finished, worker.failed):
            sig.connect(thread.quit)
        thread.finished.connect(self._on_thread_done)
        self._thread, self._worker = thread, worker
        self._update_buttons()
        thread.start()

    def start_estimate(self) -> None:
        if self._source is None or self._busy():
            return
        self.info.setText(translate("OfflineArea", "Counting tiles and sampling a few…"))
        self._run("estimate")

    def start_download(self) -> None:
        if self._source is None or self._busy() or self.last_estimate is None:
            return
        self.bar.setRange(0, max(1, self.last_estimate.tiles))
        self.bar.setValue(0)
        self._run("download")

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.downloader.cancel()

    def _on_estimated(self, est: Estimate) -> None:
        number = ui_text().number
        self.last_estimate = est
        if est.tiles > MAX_TILES:
            text = translate("OfflineArea", "%1 tiles is too many (at most %2): choose fewer zoom levels.")
            self.info.setText(text.replace("%1", number(est.tiles)).replace("%2", number(MAX_TILES)))
            return
        text = translate("OfflineArea", "%1 tiles, %2 to download (about %3). %4 already in the pack.")
        self.info.setText(
            text.replace("%1", number(est.tiles))
            .replace("%2", number(est.missing))
            .replace("%3", human_bytes(est.total_bytes))
            .replace("%4", number(est.tiles - est.missing))
        )

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        if message:
            self.info.setText(message)

    def _on_finished(self, p: Progress) -> None:
        number = ui_text().number
        self.last_progress = p
        if p.message == "cancelled":
            text = translate("OfflineArea", "Cancelled: %1 tiles kept. Start again to resume.")
        else:
            text = translate("OfflineArea", "Done: %1 tiles downloaded.")
            self.packReady.emit(self.target.text().strip())
        self.info.setText(text.replace("%1", number(p.fetched + p.skipped)))
        self.last_estimate = None if p.message == "done" else self.last_estimate

    def _on_failed(self, message: str) -> None:
        self.info.setText(message)

    def _on_thread_done(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None
        self._update_buttons()

    def reject(self) -> None:
        if self._busy():  # closing with Esc while downloading: cancel first, then close
            self.cancel()
            if self._thread is not None:
                self._thread.wait(30_000)
        super().reject()
