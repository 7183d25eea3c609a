"""The charts' layout: measured margins, solved once per draw (imported with matplotlib, on first use).

Why not matplotlib's constrained layout: it measured every text twice per draw (two solver
passes, ~0.45 s of the demo's passport). The charts here are all one axes (or a twin pair) with a
title above, and a legend and a note below, so the geometry is simple enough to set directly:
the title's and the legend's heights and the tick labels' reach past the axes are measured once,
and the axes get the rest. It runs at every draw (the charts dock resizes its figures).

Why a Figure subclass and not a matplotlib layout engine: given a layout engine, ``savefig``
draws the whole figure once with drawing switched off to run it, then again for real (a second
renderer: every text laid out and measured again); ~40 % of each chart's time. ChartFigure lays
itself out at the start of its one draw, with the renderer drawing it.

From the top: the title (the figure's suptitle), the axes with their tick labels, the legend
(``fig.legend``, centred), then any other figure text (a note, left-aligned with the title).
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

#: Space between the blocks and around the figure's edge, in points.
PAD_PT = 4.0


def lay_out(fig: Any, renderer: Any) -> None:
    """Place the notes, the legend and the axes of ``fig`` by their measured sizes."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if not axes:
        return
    width, height = fig.bbox.width, fig.bbox.height  # pixels at the dpi being drawn
    pad = PAD_PT * fig.dpi / 72
    title = getattr(fig, "_suptitle", None)
    notes = [t for t in fig.texts if t is not title and t.get_visible() and t.get_text()]
    bottom = pad
    for note in notes:  # lowest first
        note.set_y(bottom / height)
        note.set_verticalalignment("bottom")
        bottom = note.get_window_extent(renderer).y1 + pad
    for legend in fig.legends:
        legend.set_bbox_to_anchor((0.5, bottom / height), transform=fig.transFigure)
        bottom = legend.get_window_extent(renderer).y1
    top = height - pad
    if title is not None and title.get_text():
        top = title.get_window_extent(renderer).y0 - pad
    inner = Bbox.union([ax.get_window_extent(renderer) for ax in axes])
    reach = Bbox.union([ax.get_tightbbox(renderer, for_layout_only=True) for ax in axes])
    x0 = pad + max(0.0, inner.x0 - reach.x0)
    x1 = width - pad - max(0.0, reach.x1 - inner.x1)
    y0 = bottom + pad + max(0.0, inner.y0 - reach.y0)
    y1 = top - max(0.0, reach.y1 - inner.y1)
    if x1 - x0 < 10 or y1 - y0 < 10:
        return  # squeezed (a hidden or tiny dock): nothing readable to lay out
    box = [x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height]
    for ax in axes:
        ax.set_position(box)


class ChartFigure(Figure):  # type: ignore[misc]
    """A Figure; with ``measured_layout`` set, laid out by lay_out() at the start of every draw."""

    measured_layout = False

    def draw(self, renderer: Any) -> None:
        if self.measured_layout and self.get_visible():
            lay_out(self, renderer)
        super().draw(renderer)
