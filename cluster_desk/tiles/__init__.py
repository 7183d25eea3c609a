"""Offline raster tiles: MBTiles packs (read and write) and a polite tile downloader. No Qt."""
