"""Project-file errors and notices as sentences (store.errors: ProjectError, Notice).

The store gives facts (``code``, ``params``); this says them in the user's language. Errors
without a code (older messages) are shown as their English ``str()``.
"""

from __future__ import annotations

from typing import Any, Protocol

from cluster_desk.text.speech import Speaker, Text


class _Fact(Protocol):
    code: str
    params: dict[str, Any]


class ProjectErrorText(Speaker):
    def cause(self, p: dict[str, Any]) -> str:
        code = p.get("cause", "")
        if code == "disk_full":
            return self.tr("the disk is full")
        if code == "read_only":
            return self.tr(
                "the file or its folder is read-only (the folder must be writable too: "
                "a journal is written beside the project while it saves)"
            )
        if code == "busy":
            return self.tr("the project is busy (import in progress in another window or program)")
        if code == "io_error":
            return self.tr("the disk reported an error while writing (is it full or removed?)")
        if code == "cant_open":
            return self.tr("the file or its folder cannot be opened for writing")
        return str(p.get("detail", ""))

    def reason(self, code: str) -> str:
        if code == "page_size":
            return self.tr("its page size is not the project's")
        if code == "pages_differ":
            return self.tr("its pages are not this project's")
        if code == "other_program":
            return self.tr("it belongs to a database of another program")
        if code == "other_copy":
            return self.tr("it belongs to another copy of the project")
        if code == "would_damage":
            return self.tr("played back, it would damage the project")
        if code == "not_wal_mode":
            return self.tr("the project is not in WAL mode, so the WAL is another database's")
        if code == "unreadable":
            return self.tr("it cannot be read")
        raise KeyError(code)

    def change(self, label: str) -> str:
        """The bulk change a backup was made for (store.backups labels)."""
        if label == "import":
            return self.tr("import")
        if label == "merge":
            return self.tr("merge")
        if label == "sync":
            return self.tr("synchronisation")
        return label

    def say(self, code: str, p: dict[str, Any]) -> str:
        if code == "busy":
            return self.tr(
                "%1: the project is busy (import in progress in another window or program); "
                "the change was not saved, try again when it has finished."
            ).arg(p["path"])
        if code == "not_saved":
            return self.tr("%1: the change was not saved: %2.").arg(p["path"], self.cause(p))
        if code == "copy_failed":
            return self.tr("Could not save a copy to %1: %2.").arg(p["path"], self.cause(p))
        if code == "record_gone":
            if p["what"] == "link":
                return self.tr(
                    "%1: the link «%2» was deleted in another window or program; the change was not saved."
                ).arg(p["path"], p["name"])
            return self.tr(
                "%1: the member «%2» was deleted in another window or program; the change was not saved."
            ).arg(p["path"], p["name"])
        if code == "stray_set_aside":
            return self.tr("%1: %2 beside it was not its own (%3); it was set aside as %4 and not used.").arg(
                p["path"], p["file"], self.reason(p["reason"]), p["aside"]
            )
        if code == "stray_stuck":
            return self.tr(
                "%1: %2 beside it is not its own (%3) and could not be set aside (%4); "
                "move it away, then open the project again."
            ).arg(p["path"], p["file"], self.reason(p["reason"]), p["detail"])
        if code == "backup_failed":
            return self.tr("%1: the automatic copy before the %2 could not be made (%3).").arg(
                p["path"], self.change(p["reason"]), self.cause(p)
            )
        raise KeyError(code)


def project_message(fact: BaseException | str, text: Text) -> str:
    """The user's line for a ProjectError or a Notice, in ``text``'s language."""
    code = getattr(fact, "code", "")
    params = getattr(fact, "params", None)
    if not code or not isinstance(params, dict):
        return str(fact)
    return ProjectErrorText(text).say(code, params)
