"""The circles Fit Smallest Circle shows on the map (issue 13): the smallest circle holding every
located participant and the one holding 90 % of them, drawn by resources/web/fitcircles.js apart
from the cluster's norm circle (which they never move or replace), with two legend entries that
give their radii. Once shown they follow each assessment (the concentration check carries both
circles) until another project is opened or closed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from cluster_desk.core.check_facts import ConcentrationFacts
from cluster_desk.core.geodesy import circle_outline
from cluster_desk.ui.map.legend import Legend
from cluster_desk.ui.map.view import MapView

Circle = tuple[float, float, float]  # lat, lon, radius_km


class FitCircles(QObject):
    def __init__(
        self, session: Any, map_view: MapView, legend: Legend, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.map = map_view
        self.legend = legend
        self.circles: tuple[Circle, Circle] | None = None  # shown now (smallest, 90 %)
        session.assessed.connect(self._assessed)
        session.changed.connect(lambda change: self.hide() if change.reset else None)
        map_view.replay_hooks.append(self._draw)  # a reloaded page gets them back

    def show(self, smallest: Circle, smallest90: Circle) -> None:
        self.circles = (smallest, smallest90)
        self._draw()

    def hide(self) -> None:
        if self.circles is not None:
            self.circles = None
            self.map.send_command("clearFitCircles")
            self.legend.show_fit_circles(None, None)

    def _assessed(self, results: list[Any]) -> None:
        if self.circles is None:
            return
        facts = next((r.facts for r in results if r.id == "concentration"), None)
        if not isinstance(facts, ConcentrationFacts) or facts.smallest is None or facts.smallest90 is None:
            self.hide()
            return
        if (facts.smallest, facts.smallest90) != self.circles:
            self.show(facts.smallest, facts.smallest90)

    def _draw(self) -> None:
        if self.circles is None:
            return
        payload = []
        for style, (lat, lon, radius) in zip(("smallest", "smallest90"), self.circles, strict=True):
            ring = circle_outline(lat, lon, max(radius, 0.001))
            payload.append({"style": style, "ring": [[a, b] for a, b in ring]})
        self.map.send_command("setFitCircles", circles=payload)
        self.legend.show_fit_circles(self.circles[0][2], self.circles[1][2])
