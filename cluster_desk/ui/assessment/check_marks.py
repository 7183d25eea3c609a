"""A check card clicked: the roster shows the check's members, the map highlights them and fades
the members (and links) the roster's filters hide, in one message the page paints once.

At 100,000 members the registry check names ~80,000. Its members are looked up once, in the
roster model's id map; the roster filters by those rows, and the map is sent rows of its page
(``ui/map/marks.py``): the highlight as those rows in the check's order, the fade as a bit per
row, the links' fade as a bit per link, all held into one batch (issue 17: the click held the GUI
thread up to ~0.1 s and the page drew three times: the highlight, the fade a 120 ms timer later,
the links' fade 150 ms after that). Clicked again, or another check, the same way.

The lookups are made ahead: once results arrive, every check's members are looked up a part at a
time on idle turns of the event loop, so that a check's first click finds its rows (registry's
~80,000 at 100,000 members: ~40 ms of the click's GUI thread, ~11 ms for a check on average),
and so are the roster's rows as the page's and their members' codes for the links' fade.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer

from cluster_desk.core.id_index import ROWS_PART, rows_of
from cluster_desk.ui.idle_parts import IdleParts
from cluster_desk.ui.map.marks import PageRows, RosterRows
from cluster_desk.ui.map.view import NamedRows

#: A check with this many members or more has its rings stamped through the page's front-to-back
#: layer (pixels.js UNDER_OVER): those are made ahead (map.js keptHighlights).
RINGS_AHEAD_FROM = 2000


def named_rows(page_of: np.ndarray, rows: np.ndarray, model: Any) -> NamedRows:
    """The roster ``model``'s ``rows`` as the map is sent them: the page's rows (``page_of`` maps
    the roster's to them), -1 for a member with no page row, and those members' ids in order."""
    order = page_of[rows]
    return order, [model._ids[r] for r in rows[order < 0].tolist()]


class CheckMarks(QObject):
    """Shows a check's members (``show``) or none (``clear``) in the roster and on the map.
    ``fade_timer``: the window's timer that fades the map after the roster's filters change
    (stopped here: the fade goes with the click's message)."""

    def __init__(self, assessment: Any, roster: Any, map_view: Any, links: Any, fade_timer: QTimer,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.assessment, self.roster, self.map, self.links = assessment, roster, map_view, links
        self._fade_timer = fade_timer
        self._clearing = False
        self.rows = RosterRows(roster.proxy.source(), map_view, self)
        # Per check: (its result, the roster's rows_version, the members' ids and rows) of the
        # last click, while both are the same (a check clicked again: its ~80,000 members
        # looked up once, not at each click: ~18-40 ms at 100,000).
        self._found: dict[str, tuple[object, int, Sequence[str], np.ndarray]] = {}
        self._ahead = IdleParts(self)  # the lookups ahead (look_ahead)
        #: Set at an open: once its first checks are looked up, the page makes the view's faint
        #: crowd and lines ahead too (MapView.prepare_check_view; not after every edit's checks:
        #: a moved member would have the page draw the crowd again each time).
        self.prepare_view_ahead = False
        self._rings_sent: tuple[PageRows, int, tuple[object, ...]] | None = None  # the page's rings ahead

    def show(self, check_id: str) -> None:
        result = self.assessment.results.get(check_id)
        if result is None:
            return
        model = self.roster.proxy.source()
        ids, rows = self._members(check_id, result, model)
        title = self.assessment.cards[check_id].title.text()
        self.roster.set_check_filter(title, ids, rows=rows)
        with self.map.held():
            made = self.rows.rows()
            if made is None:  # (no page rows yet: the page is given ids)
                self.map.highlight(ids)
            else:
                page, page_of = made
                self.map.highlight_rows(page, *named_rows(page_of, rows, model))
            self._fade(made)

    def _members(self, check_id: str, result: Any, model: Any) -> tuple[Sequence[str], np.ndarray]:
        """The ids of ``result``'s members the roster holds, and their roster rows."""
        found = self._found.get(check_id)
        if found is not None and found[0] is result and found[1] == model.rows_version:
            return found[2], found[3]
        ids = result.member_ids  # (the result's tuple: no copy of a million ids kept per check)
        return self._keep(check_id, result, model.rows_version, ids, rows_of(model._row, ids))

    def _keep(self, check_id: str, result: Any, version: int, ids: Sequence[str],
              rows: np.ndarray) -> tuple[Sequence[str], np.ndarray]:
        """The members of ``ids`` the roster holds (``rows``: theirs, -1 for none), kept."""
        held = rows >= 0
        if not held.all():
            ids = [i for i, f in zip(ids, held.tolist(), strict=True) if f]
            rows = rows[held]
        self._found[check_id] = (result, version, ids, rows)
        return ids, rows

    def look_ahead(self) -> None:
        """Every check's members looked up in the roster before a click asks (the results just
        arrived), a part at a time on idle turns of the event loop."""
        self._ahead.start(self._lookups(), then=self._looked_up)

    @property
    def looked_ahead(self) -> bool:
        """Whether the lookups ahead are all made (or given up: the results or rows changed)."""
        return not self._ahead.running

    def _looked_up(self) -> None:
        if self.prepare_view_ahead:
            self.prepare_view_ahead = False
            self.prepare_view()

    def prepare_view(self) -> None:
        """The page makes the view's faint crowd and lines for a check when idle (nothing when
        it has them for the view as it is), ahead of a click that may come: at an open's first
        checks, and when the pointer comes over the cards (after edits and moves since); and
        the highlighted rings of the checks with many members, sent again only when they changed."""
        if self.assessment.results and not self.assessment.selected:
            self.map.prepare_check_view(self._rings_ahead())

    def _rings_ahead(self) -> tuple[PageRows, list[NamedRows]] | None:
        """The checks looked up whose members' rings the page stamps through its front-to-back
        layer (RINGS_AHEAD_FROM or more), as a click names them (``show``); None when the page
        has these already or has no rows yet."""
        made = self.rows.rows()
        if made is None:
            return None
        page, page_of = made
        model = self.roster.proxy.source()
        version = model.rows_version
        found = [(found[0], found[3]) for check_id, found in self._found.items()
                 if found[1] == version and self.assessment.results.get(check_id) is found[0]
                 and len(found[3]) >= RINGS_AHEAD_FROM]
        results = tuple(result for result, _rows in found)
        last = self._rings_sent
        if (last is not None and last[0] is page and last[1] == version and len(last[2]) == len(results)
                and all(a is b for a, b in zip(last[2], results, strict=True))):
            return None
        self._rings_sent = (page, version, results)
        return page, [named_rows(page_of, rows, model) for _result, rows in found]

    def _lookups(self) -> Iterator[None]:
        """Yields after each part of ROWS_PART ids (~2-4 ms at 100,000 members); stops when the
        results or the roster's rows change meanwhile (their own look ahead follows)."""
        model = self.roster.proxy.source()
        version = model.rows_version
        for check_id, result in list(self.assessment.results.items()):
            found = self._found.get(check_id)
            if found is not None and found[0] is result and found[1] == version:
                continue
            ids = result.member_ids
            parts = []
            for lo in range(0, len(ids), ROWS_PART):
                if model.rows_version != version or self.assessment.results.get(check_id) is not result:
                    return
                parts.append(rows_of(model._row, ids[lo:lo + ROWS_PART]))
                yield None
            rows = np.concatenate(parts) if parts else np.empty(0, np.int64)
            self._keep(check_id, result, version, ids, rows)
        # What a click maps once per state of the roster's rows (after a member was added or
        # taken out: ~25 and ~20 ms of the next click at 100,000 members).
        yield None
        if model.rows_version == version:
            self.rows.rows()  # the roster's rows as the page's
        yield None
        if model.rows_version == version:
            self.links.layer.row_codes(model._ids)  # their member codes for the links' fade

    def clear(self) -> None:
        """No check shown: the roster's filter of one is removed and the map's highlight. (The
        roster says its filter was cleared, which calls this again: passed over.)"""
        if self._clearing:
            return
        self._clearing = True
        try:
            self.assessment.select("")
            self.roster.clear_check_filter()
            with self.map.held():
                self.map.highlight([])
                self._fade(self.rows.rows())
        finally:
            self._clearing = False

    def _fade(self, made: tuple[PageRows, np.ndarray] | None) -> None:
        """The fade of what the roster's filters now hide, members and links (in the held batch)."""
        self._fade_timer.stop()
        fade = self.roster.proxy.fade_rows()
        if fade is None or made is None:
            self.map.set_shown(None if fade is None else self.roster.proxy.fade_set())
        else:
            page, page_of = made
            mask, ids = fade
            kept = np.flatnonzero(mask)
            on_page = page_of[kept]
            keep = np.zeros(page.count, dtype=np.bool_)
            keep[on_page[on_page >= 0]] = True
            self.map.fade_rows(page, keep, [ids[r] for r in kept[on_page < 0].tolist()])
        self.links.fade_now()
