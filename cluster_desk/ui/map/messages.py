"""What crosses the map bridge, as data: page messages parsed and validated (known shapes,
finite in-range numbers, no duplicate keys, no NaN), and the member/town payloads sent to the page
as compact JSON columns. No Qt widgets here; see ``bridge.py`` for the slots that use it."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Sequence
from typing import Any

from cluster_desk.core.model import Member

log = logging.getLogger(__name__)

MODES = ("browse", "place")
#: Page messages are tiny; anything longer is not from our page.
MAX_MESSAGE_CHARS = 4096
MAX_RADIUS_KM = 20_000.0
#: The towns layer's columns (``places.towns``), in this order.
TOWN_FIELDS = ("lat", "lon", "name", "pop")


# ---- validation of page messages -----------------------------------------------------------


class BadMessage(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise BadMessage(f"non-finite number {name}")  # json.loads would accept NaN/Infinity


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise BadMessage(f"duplicate key {k!r}")
        out[k] = v
    return out


def parse_message(text: object) -> dict[str, Any]:
    """A page message as a dict, or BadMessage."""
    if not isinstance(text, str):
        raise BadMessage(f"not a string: {type(text).__name__}")
    if len(text) > MAX_MESSAGE_CHARS:
        raise BadMessage(f"too long ({len(text)} characters)")
    try:
        obj = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except (ValueError, RecursionError) as e:
        raise BadMessage(f"not JSON: {e}") from None
    if not isinstance(obj, dict):
        raise BadMessage("not a JSON object")
    return obj


def number_field(obj: dict[str, Any], key: str, lo: float, hi: float, *, open_low: bool = False) -> float:
    v = obj.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise BadMessage(f"{key} is not a number: {v!r}")
    f = float(v)
    if not math.isfinite(f) or f > hi or f < lo or (open_low and f == lo):
        raise BadMessage(f"{key} out of range: {f!r}")
    return f


def lat_lon(obj: dict[str, Any]) -> tuple[float, float]:
    return number_field(obj, "lat", -90.0, 90.0), number_field(obj, "lon", -180.0, 180.0)


#: What the page gets about a member (no notes, no contacts), in this order.
PAYLOAD_FIELDS = ("id", "name", "kind", "status", "lat", "lon")
PayloadRow = tuple[str, str, str, str, float, float]


def payload_row(m: Member) -> PayloadRow | None:
    """The member's payload fields, or None if it is not on the map."""
    if m.lat is None or m.lon is None:
        return None
    lat, lon = float(m.lat), float(m.lon)
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # NaN and infinities fail too
        log.warning("map: member %s has invalid coordinates %r, %r", m.id, m.lat, m.lon)
        return None
    return (m.id, m.name, str(m.kind), str(m.status), lat, lon)


def payload_columns(rows: Iterable[PayloadRow], outside: set[str]) -> dict[str, list[Any]]:
    """Members as columns: much less JSON to build, send and parse than one object each."""
    rows = list(rows)
    cols: dict[str, list[Any]] = {k: [r[j] for r in rows] for j, k in enumerate(PAYLOAD_FIELDS)}
    cols["outside"] = [1 if i in outside else 0 for i in cols["id"]]
    return cols


def b64(array: Any) -> str:
    """A numeric array as base64 of its bytes (little-endian): the page reads it into a typed
    array without parsing a number per element (links.js/map.js ``typed``)."""
    import base64

    return base64.b64encode(memoryview(array).cast("B")).decode("ascii")


def to_json(obj: dict[str, Any]) -> str:
    # Raw UTF-8 rather than \uXXXX escapes: a Cyrillic name is a third of the size, and
    # 100,000 of them are parsed twice on the page (QWebChannel's envelope, then ours).
    text = json.dumps(obj, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: Qt would drop it; escape it instead
            text = json.dumps(obj, allow_nan=False, separators=(",", ":"))
    return text


class TownsPayload:
    """The towns layer's columns (``places.towns``: ``lat``, ``lon``, ``name``, ``pop`` of equal
    length, largest first), validated and encoded as JSON once. Pure Python and no Qt: build it
    in a worker thread (``ui.offline.controller.TownsLayer`` does) so the GUI thread only sends it.
    Rows with a bad value (no name, coordinates out of range, NaN) are dropped."""

    def __init__(self, columns: dict[str, Sequence[Any]]) -> None:
        if not isinstance(columns, dict) or any(
            not isinstance(columns.get(k), Sequence) or isinstance(columns.get(k), str) for k in TOWN_FIELDS
        ):
            raise ValueError(f"towns need the columns {', '.join(TOWN_FIELDS)}")
        lat, lon, name, pop = (columns[k] for k in TOWN_FIELDS)
        if not len(lat) == len(lon) == len(name) == len(pop):
            raise ValueError("towns: columns of different lengths")
        ok = [
            i for i, (a, o, n, p) in enumerate(zip(lat, lon, name, pop, strict=True))
            if isinstance(n, str) and n and isinstance(a, int | float) and isinstance(o, int | float)
            and isinstance(p, int | float) and not isinstance(p, bool)
            and -90 <= a <= 90 and -180 <= o <= 180 and math.isfinite(p) and p >= 0
        ]
        if len(ok) == len(lat):
            cols: dict[str, list[Any]] = {k: list(columns[k]) for k in TOWN_FIELDS}
        else:
            cols = {k: [columns[k][i] for i in ok] for k in TOWN_FIELDS}
        self.count = len(ok)
        self.json = to_json(cols)
