"""The command line's own lines for ``import``, ``export`` and ``merge`` (cluster_desk.cli), in a
language. The reports, problems and store messages they print have their own renderers
(reports, import_problems, merge_text, store_text); this holds the lines around them."""

from __future__ import annotations

from collections.abc import Sequence

from cluster_desk.text.speech import Speaker


class CommandLineText(Speaker):
    # --- import ---------------------------------------------------------------------------------
    def no_such_file(self, path: object) -> str:
        return self.tr("%1: no such file").arg(path)

    def not_a_file(self, path: object) -> str:
        return self.tr("%1: not a file").arg(path)

    def bad_mapping(self, pair: str) -> str:
        return self.tr("--map '%1' is not COLUMN=FIELD").arg(pair)

    def links_need_members(self, path: object) -> str:
        return self.tr("%1: no such project; links need their members (import the members first)").arg(path)

    def ignored_columns(self, file: object, columns: Sequence[str]) -> str:
        return self.tr("%1: ignored columns: %2").arg(file, ", ".join(columns))

    def warning(self, line: str) -> str:
        return self.tr("warning: %1").arg(line)

    def import_conflict(self, file: str, row: int, name: str, values: str, choice: str) -> str:
        if choice == "mine":
            what = self.tr("kept the project's values")
        elif choice == "theirs":
            what = self.tr("took the file's values")
        else:
            what = self.tr("left out (decide in the import dialog)")
        return self.tr("conflict: %1, row %2 (%3): %4; %5").arg(file, row, name, values, what)

    def conflict_values(self, field: str, project: str, file: str) -> str:
        return self.tr("%1: project %2, file %3").arg(field, project, file)

    def more_problems(self, n: int) -> str:
        return self.tr("... and %1 more problem(s)", None, n).arg(n)

    # --- export ---------------------------------------------------------------------------------
    def unknown_export_format(self, path: object, suffix: str, known: Sequence[str]) -> str:
        return self.tr("%1: unknown export format '%2'; use %3").arg(path, suffix, ", ".join(known))

    def links_table_only(self, path: object) -> str:
        return self.tr("%1: --links writes a .csv or .tsv table").arg(path)

    def exported_members(self, n: int, path: object) -> str:
        return self.tr("Exported %1 member(s) to %2.", None, n).arg(n, path)

    def exported_links(self, n: int, path: object) -> str:
        return self.tr("Exported %1 link(s) to %2.", None, n).arg(n, path)

    # --- merge ----------------------------------------------------------------------------------
    def no_field_copy(self, path: object) -> str:
        return self.tr("%1: no such field copy").arg(path)

    def nothing_to_merge(self, copy: object, master: object) -> str:
        return self.tr("Nothing to merge from %1: its edits are already in %2.").arg(copy, master)

    def conflicts_stop(self, copy: object, n: int) -> str:
        return self.tr("%1: %2 conflict(s); nothing was merged. Both sides changed:", None, n).arg(copy, n)

    def take_hint(self) -> str:
        return self.tr(
            "Rerun with --take mine (keep the master's values) or --take theirs (the copy's), "
            "or merge in the app to choose one by one."
        )

    def would_merge(self, changes: int, conflicts: int, copy: object) -> str:
        return self.tr("Would merge %1 and %2 from %3.").arg(
            self.tr("%1 change(s)", None, changes).arg(changes),
            self.tr("%1 conflict(s)", None, conflicts).arg(conflicts),
            copy,
        )

    # --- any command ----------------------------------------------------------------------------
    def no_such_project(self, path: object) -> str:
        return self.tr("%1: no such project file").arg(path)

    # --- demo, report, snapshot, field copy, the window -------------------------------------------
    def exists_use_force(self, path: object) -> str:
        return self.tr("%1 already exists; use --force to replace it").arg(path)

    def as_if_unknown(self, keys: str) -> str:
        return self.tr("--as-if: no member with id or INN %1").arg(keys)

    def as_if_not_candidate(self, names: str) -> str:
        return self.tr("--as-if: not a candidate or draft: %1").arg(names)

    def unknown_passport_format(self, path: object, suffix: str) -> str:
        return self.tr("%1: unknown passport format «%2»; use .pdf or .html").arg(path, suffix)

    def no_project_to_open(self, path: object, demo_command: str, import_command: str) -> str:
        return self.tr("%1: no such project file (create one with `%2` or `%3`)").arg(
            path, demo_command, import_command)

    def wrote_demo(self, name: str, path: object, members: int, links: int) -> str:
        line = self.tr("Wrote the demo cluster «%1» to %2: %3 members, %4 links.")
        return line.arg(name, path, members, links)

    def wrote_passport(self, path: object, pages: int | None) -> str:
        if pages:
            return self.tr("Wrote the cluster passport to %1 (%2 pages).").arg(path, pages)
        return self.tr("Wrote the cluster passport to %1.").arg(path)

    def froze_snapshot(self, day: object, path: object, made: object) -> str:
        return self.tr("Froze the assessment as of %1 into %2 (made %3).").arg(
            self.text.day(str(day)), path, self.text.day(str(made)))

    def wrote_field_copy(self, path: object, merge_command: str) -> str:
        return self.tr("Wrote the field copy %1; merge it back with `%2`.").arg(path, merge_command)

    def no_display(self) -> str:
        return self.tr(
            "no display to show the desktop app on (DISPLAY is not set); use the commands (see --help)"
        )

    def app_not_available(self, error: object) -> str:
        return self.tr("the desktop app is not available (%1); use the commands (see --help)").arg(error)

    def interrupted(self) -> str:
        return self.tr("interrupted")
