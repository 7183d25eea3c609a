"""Project-file errors and notices as sentences (store.errors: ProjectError, Notice).

The store gives facts (``code``, ``params``); this says them in the user's language. Every code
of ``store.errors.MESSAGES`` has its sentence here (the English source equals the store's line;
tests/store/test_store_text.py checks both). An exception without a code is shown as ``str()``.
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
        line = self.opening(code, p) or self.editing(code, p) or self.copies(code, p)
        if line:
            return line
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

    def opening(self, code: str, p: dict[str, Any]) -> str:
        """The file guard's refusals (store.fileguard) and failures to create or open."""
        path = p.get("path", "")
        if code == "not_found":
            return self.tr("%1 does not exist.").arg(path)
        if code == "cant_read":
            return self.tr("%1 cannot be read: %2.").arg(path, p["detail"])
        if code == "not_a_file":
            return self.tr("%1 is not a file.").arg(path)
        if code == "empty":
            return self.tr("%1 is empty (0 bytes): it is not a Cluster Desk project.").arg(path)
        if code == "zip_archive":
            return self.tr("%1 is a ZIP archive, not a Cluster Desk project.").arg(path)
        if code == "not_sqlite":
            return self.tr("%1 is not a Cluster Desk project (it is not an SQLite database).").arg(path)
        if code == "truncated":
            return self.tr("%1 is truncated (%2 bytes): the project file is damaged.").arg(path, p["size"])
        if code == "truncated_header":
            return self.tr(
                "%1 is truncated (%2 bytes; its header says %3): the project file is damaged."
            ).arg(path, p["size"], p["expected"])
        if code == "other_program":
            return self.tr(
                "%1 is an SQLite database of another program, not a Cluster Desk project."
            ).arg(path)
        if code == "newer_format":
            return self.tr(
                "%1 was saved by a newer Cluster Desk (format %2; this version reads up to %3). "
                "Please update Cluster Desk to open it."
            ).arg(path, p["version"], p["current"])
        if code == "bad_format_number":
            return self.tr("%1 is damaged (invalid format number %2).").arg(path, p["version"])
        if code == "bad_page_size":
            return self.tr("%1 is damaged (invalid page size %2).").arg(path, p["page_size"])
        if code == "damaged":
            return self.tr("%1 is damaged or not a Cluster Desk project (%2).").arg(path, p["detail"])
        if code == "damaged_check":
            return self.tr("%1 is damaged: %2.").arg(path, p["detail"])
        if code == "cant_open":
            return self.tr("%1 cannot be opened: %2.").arg(path, p["detail"])
        if code == "foreign_objects":
            return self.tr(
                "%1 contains triggers or views that Cluster Desk did not create (%2); it was not "
                "opened because they could run code when the project is edited."
            ).arg(path, p["names"])
        if code == "wrong_tables":
            return self.tr(
                "%1 does not have the tables of a Cluster Desk project (format %2); it may have "
                "been changed by another program."
            ).arg(path, p["version"])
        if code == "sqlite_too_old":
            return self.tr("Cluster Desk needs SQLite %1 or newer; this Python has %2.").arg(
                p["need"], p["have"]
            )
        if code == "upgrade_copy_failed":
            return self.tr(
                "%1 is in an older format (format %2); a copy could not be kept as %3 "
                "before upgrading it (%4), so it was not changed."
            ).arg(path, p["version"], p["copy"], p["detail"])
        if code == "exists":
            return self.tr("%1 already exists; choose another name.").arg(path)
        if code == "cant_create":
            return self.tr("%1 cannot be created: %2.").arg(path, self.cause(p))
        if code == "recovery_failed":
            return self.tr("%1 could not be recovered after a crash: %2.").arg(path, self.cause(p))
        if code == "cant_edit":
            return self.tr("%1 cannot be opened for editing: %2.").arg(path, self.cause(p))
        if code == "upgrade_failed":
            return self.tr(
                "%1 could not be upgraded from format %2 to %3: %4. "
                "The file was left at its last complete format."
            ).arg(path, p["version"], p["to"], self.cause(p))
        if code == "upgrade_incomplete":
            return self.tr("%1 does not have the expected tables after the upgrade.").arg(path)
        return ""

    def editing(self, code: str, p: dict[str, Any]) -> str:
        """Reading records and settings back, and a closed project."""
        path = p.get("path", "")
        if code == "closed":
            return self.tr("%1 is closed.").arg(path)
        if code == "setting_damaged":
            return self.tr("%1: setting “%2” is damaged (%3).").arg(path, p["key"], p["detail"])
        if code == "settings_invalid":
            return self.tr("%1: the stored settings are invalid (%2).").arg(path, p["detail"])
        if code == "changelog_damaged":
            return self.tr("%1: the change log is damaged (%2).").arg(path, p["detail"])
        if code == "members_unknown_value":
            return self.tr("%1: a member has an unknown kind, status or industry %2.").arg(path, p["detail"])
        if code == "member_unknown_value":
            return self.tr("%1: member “%2” has an unknown kind, status or industry %3.").arg(
                path, p["id"], p["detail"]
            )
        if code == "links_unknown_kind":
            return self.tr("%1: a link has an unknown kind %2.").arg(path, p["detail"])
        if code == "link_unknown_kind":
            return self.tr("%1: link “%2” has an unknown kind %3.").arg(path, p["id"], p["detail"])
        return ""

    def copies(self, code: str, p: dict[str, Any]) -> str:
        """Copies of the project: save as, field copies (store.merge), team working copies."""
        path = p.get("path", "")
        if code == "copy_is_self":
            return self.tr("%1 is the open project itself; choose another file for the copy.").arg(path)
        if code == "copy_is_master":
            return self.tr("%1 is the master project itself, not a field copy.").arg(path)
        if code == "not_field_copy":
            return self.tr(
                "%1 is not a field copy (it has no field-copy marker); only copies made with "
                "“Export field copy” can be merged."
            ).arg(path)
        if code == "other_projects_copy":
            return self.tr("%1 is a field copy of another project, not of %2.").arg(path, p["master"])
        if code == "team_settings_damaged":
            return self.tr("%1: the team server settings are damaged (%2).").arg(path, p["detail"])
        if code == "not_working_copy":
            return self.tr(
                "%1 is not a working copy of a team cluster "
                "(use `cluster-desk clone` or `cluster-desk server publish` first)."
            ).arg(path)
        if code == "already_working_copy":
            return self.tr("%1 is already a working copy of cluster «%2».").arg(path, p["cluster"])
        return ""


def project_message(fact: BaseException | str, text: Text) -> str:
    """The user's line for a ProjectError or a Notice, in ``text``'s language."""
    code = getattr(fact, "code", "")
    params = getattr(fact, "params", None)
    if not code or not isinstance(params, dict):
        return str(fact)
    return ProjectErrorText(text).say(code, params)
