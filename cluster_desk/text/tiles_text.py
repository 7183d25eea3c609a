"""Tile packs that cannot be opened (tiles.mbtiles.MBTilesError) and downloads that stopped
(tiles.downloader.DownloadError) as one line in a language. English is the tiles code's own line;
an error without facts (an OSError) is shown as its ``str()``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cluster_desk.text.speech import Speaker, Text


class TileErrorText(Speaker):
    def say(self, code: str, p: Mapping[str, Any]) -> str:
        line = self.pack(code, p) or self.download(code, p)
        if not line:
            raise KeyError(code)
        return line

    def pack(self, code: str, p: Mapping[str, Any]) -> str:
        if code == "no_file":
            return self.tr("%1: no such file").arg(p["path"])
        if code == "cant_open":
            return self.tr("%1: cannot open: %2").arg(p["path"], p["detail"])
        if code == "not_mbtiles":
            return self.tr("%1: not an MBTiles pack (%2)").arg(p["path"], p["detail"])
        if code == "no_tiles_table":
            return self.tr("%1: not an MBTiles pack (no “tiles” table)").arg(p["path"])
        if code == "not_raster":
            return self.tr("%1: tile format “%2” is not a raster image").arg(p["path"], p["format"])
        return ""

    def download(self, code: str, p: Mapping[str, Any]) -> str:
        if code == "not_web_address":
            return self.tr("not a web address: %1").arg(p["url"])
        if code == "tile_too_large":
            return self.tr("tile %1 is larger than %2 bytes").arg(p["tile"], p["limit"])
        if code == "not_image":
            return self.tr("tile %1 is not an image (is the URL template right?)").arg(p["tile"])
        if code == "refused":
            return self.tr("the tile server refused %1: HTTP %2").arg(p["url"], p["status"])
        if code == "no_answer":
            return self.tr("the tile server did not answer after %1 tries (%2); start again to resume").arg(
                p["tries"], p["reason"]
            )
        if code == "forbidden":
            return self.tr("%1's tile usage policy forbids bulk downloading (%2)").arg(p["name"], p["terms"])
        if code == "too_many":
            return self.tr("%1 tiles is too many (at most %2): choose fewer zooms").arg(
                p["count"], p["limit"]
            )
        return ""


def tile_error(error: BaseException, text: Text) -> str:
    """The line for a tile pack or download error in ``text``'s language."""
    code = getattr(error, "code", "")
    params = getattr(error, "params", None)
    if text.lang == "en" or not code or not isinstance(params, dict):
        return str(error)
    return TileErrorText(text).say(code, params)


class TileProgressText(Speaker):
    def say(self, code: str, p: Mapping[str, Any]) -> str:
        if code == "retrying":
            return self.tr("%1: retrying in %2 s").arg(p["reason"], p["wait"])
        return ""


def tile_progress(progress: Any, text: Text) -> str:
    """A download's progress line (tiles.downloader.Progress) in ``text``'s language."""
    code = getattr(progress, "code", "")
    params = getattr(progress, "params", None)
    if code and isinstance(params, dict):
        return TileProgressText(text).say(code, params) or str(progress.message)
    return str(progress.message)
