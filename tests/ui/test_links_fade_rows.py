"""The links' fade at a roster filter or a date step maps the roster's rows to member codes once,
then each mask in numpy (RosterProxy.shown_rows): the faint links are the same as by ids, and a
second filter makes no new row map. Real window, demo project, real page."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, demo_file, make_window, wait_map_synced  # noqa: E402


def _bits(sent: dict[str, Any], layer: Any) -> list[bool]:
    got = np.frombuffer(base64.b64decode(sent["fadeLinks"]["bits"]), dtype=np.uint8)
    return np.unpackbits(got, bitorder="little")[: layer._slot_count].astype(bool).tolist()


def test_the_fade_by_rows_is_the_fade_by_ids(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    layer, proxy = window.links.layer, window.roster.proxy
    sent: dict[str, Any] = {}
    send = layer.map.send_command

    def keep(op: str, **fields: Any) -> Any:
        sent[op] = fields
        return send(op, **fields)

    monkeypatch.setattr(layer.map, "send_command", keep)
    made = None
    for needle in ("Челнинский", "Казан", "ООО"):
        window.roster.filter_edit.setText(needle)
        qtbot.waitUntil(lambda: proxy.shown_rows() is not None, timeout=TIMEOUT)
        window.links.fade_now()
        by_rows = _bits(sent, layer)
        layer.fade_to(proxy.shown_set())  # (the same filter, by ids)
        assert _bits(sent, layer) == by_rows and 0 < sum(by_rows) < layer._slot_count, needle
        row_codes = layer._row_codes[4]
        assert made is None or row_codes is made  # the rows mapped once
        made = row_codes
