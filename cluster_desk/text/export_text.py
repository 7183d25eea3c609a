"""An export that could not be written (io.export_errors.ExportError: the destination and a cause
code) as one line in a language, for the window and the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from cluster_desk.text.speech import Speaker, Text


class _ExportFailure(Protocol):
    destination: Path
    cause: str
    detail: str


class ExportErrorText(Speaker):
    def cause(self, code: str, detail: str) -> str:
        if code == "disk_full":
            return self.tr("the disk is full")
        if code == "quota":
            return self.tr("the disk quota is exceeded")
        if code == "too_large":
            return self.tr("the file is larger than this system allows")
        if code == "read_only":
            return self.tr("the disk is read-only")
        if code == "permission":
            return self.tr("permission denied")
        if code == "no_folder":
            return self.tr("the folder does not exist")
        if code == "is_folder":
            return self.tr("it is a folder")
        return detail  # the system's own words

    def line(self, e: _ExportFailure) -> str:
        return self.tr("%1: cannot write the export (%2)").arg(e.destination, self.cause(e.cause, e.detail))


def export_failure(error: _ExportFailure, text: Text) -> str:
    """"<destination>: cannot write the export (<cause>)" in ``text``'s language."""
    return ExportErrorText(text).line(error)
