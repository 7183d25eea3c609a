"""Coordinates typed in the search box that cannot be used (places.coords.CoordinateError) as
a sentence in a language. English is the parser's own sentence (it names what exactly is wrong)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from cluster_desk.text.speech import Speaker, Text


class _CoordFact(Protocol):
    code: str

    @property
    def params(self) -> Mapping[str, Any]: ...


class CoordinateText(Speaker):
    def say(self, code: str, p: Mapping[str, Any]) -> str:
        if code == "not_coordinates":
            return self.tr("“%1” is not a pair of coordinates.").arg(p["text"])
        if code == "unreadable":
            return self.tr("“%1” cannot be read as coordinates (write 55.79, 49.12 or 55°47′N 49°07′E).").arg(
                p["text"]
            )
        if code == "not_finite":
            return self.tr("“%1”: coordinates must be finite numbers.").arg(p["text"])
        if code == "lat_range":
            return self.tr("Latitude %1 is out of range: it must be between -90 and 90.").arg(
                self.text.plain(float(p["value"]))
            )
        if code == "lon_range":
            return self.tr("Longitude %1 is out of range: it must be between -180 and 180.").arg(
                self.text.plain(float(p["value"]))
            )
        raise KeyError(code)


def coordinate_error(error: _CoordFact, text: Text) -> str:
    """The sentence for ``error`` in ``text``'s language."""
    if text.lang == "en":
        return str(error)
    return CoordinateText(text).say(error.code, error.params)
