"""The ``cluster-desk`` command line.

    cluster-desk [PROJECT]                      start the desktop app (optionally on PROJECT)
    cluster-desk demo PROJECT [--force]         write the demo cluster
    cluster-desk check PROJECT [--json] [--lang ru|en] [--centre LAT,LON] [--radius-km R]
                           [--on YYYY-MM-DD] [--as-if ID|INN,...]
    cluster-desk plan PROJECT [--json] [--lang ru|en] [--on YYYY-MM-DD]   rank the candidates
    cluster-desk report PROJECT OUT.pdf|OUT.html [--lang ru|en] [--as-of DATE]   the cluster passport
    cluster-desk snapshot PROJECT [--as-of DATE]    freeze the year-end assessment into the project
    cluster-desk import FILE --into PROJECT [--map COLUMN=FIELD ...] [--swap-flagged] [--dry-run]
    cluster-desk export PROJECT OUT.csv|.tsv|.xlsx|.geojson|.kml|.gpkg|.html
    cluster-desk field-copy MASTER OUT                 write a field copy for an officer
    cluster-desk merge MASTER COPY [--take mine|theirs] [--dry-run]
    cluster-desk server init DSN | server publish PROJECT DSN [--cluster NAME]   team server
    cluster-desk clone DSN CLUSTER OUT.cdesk | sync PROJECT                      team working copies
    cluster-desk --version

Exit codes: 0 done (``check`` exits 0 even when checks fail: it is a report, read its
statuses or --json); 1 an error (one line on stderr naming the file); 2 bad usage;
3 ``import`` skipped some rows (the others were imported; each skipped row is listed on stderr);
4 ``merge`` found conflicts and applied nothing (rerun with --take mine|theirs, or use the app),
or ``sync`` recorded conflicts; 5 ``sync``: the team server is unreachable or refused (edits kept);
130 interrupted. Errors never print a traceback (set CLUSTER_DESK_DEBUG=1 to see one).
Why ~750 lines: one argparse definition and one short handler per subcommand; each handler
parses, calls a library function and prints (team commands live in team/cli.py; check, plan and
snapshot read the checks' columns through check_command).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from cluster_desk import APP_NAME, PROJECT_SUFFIX, __version__

if TYPE_CHECKING:
    from cluster_desk.report import PassportData
    from cluster_desk.store.project import Project

PROG = "cluster-desk"
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_CONFLICTS = 4
COMMANDS = ("demo", "check", "plan", "report", "snapshot", "import", "export", "field-copy", "merge",
            "server", "clone", "sync")
SUPPORTED_LANGUAGES = ("en", "ru")  # cluster_desk.text.SUPPORTED (not imported: --help stays fast)
#: Problem lines printed by ``import``; the rest are counted (a 100k-row file of errors is unreadable).
MAX_PROBLEM_LINES = 200


class CliError(Exception):
    """A user-facing error: printed as one line, exit code 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line instead of argparse's usage block + message.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=f"{APP_NAME}: keep an economic cluster's roster and check it against cluster research. "
        "Without a command, starts the desktop app (on PROJECT if given).",
        epilog="Exit codes: 0 ok (check always exits 0: it is a report); 1 error; 2 bad usage; "
        "3 import skipped some rows; 4 merge found conflicts (nothing applied) or sync recorded "
        "conflicts; 5 sync: team server unreachable or refused (edits kept).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("demo", help="write the demo cluster (automotive components, Tatarstan)")
    p.add_argument("project", type=Path, help=f"project file to write (*{PROJECT_SUFFIX})")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES,
                   help="language of the messages (default: the locale's, English if not supported)")

    p = sub.add_parser("check", help="assess the cluster (exit code 0 even if checks fail)")
    p.add_argument("project", type=Path)
    p.add_argument("--json", action="store_true", help="print a JSON list of check objects (text fields in "
                   "English unless --lang is given)")
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES,
                   help="language of the report (default: the locale's, English if not supported)")
    p.add_argument("--centre", "--center", metavar="LAT,LON", type=_centre,
                   help="assess around this centre instead of the project's (not saved)")
    p.add_argument("--radius-km", metavar="R", type=_radius,
                   help="assess with this norm radius instead of the project's (not saved)")
    p.add_argument("--on", "--as-of", dest="on", metavar="YYYY-MM-DD", type=_day,
                   help="assess the participants and links of that day (default today)")
    p.add_argument("--as-if", metavar="ID|INN,...", dest="as_if", default="",
                   help="assess as if these candidates or drafts joined (ids or INNs, comma-separated)")

    p = sub.add_parser("plan", help="rank the candidates and drafts by what each would close if it joined")
    p.add_argument("project", type=Path)
    p.add_argument("--json", action="store_true", help="print the ranked list as JSON")
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES,
                   help="language of the list (default: the locale's, English if not supported)")
    p.add_argument("--on", metavar="YYYY-MM-DD", type=_day, help="the day of the assessment (default today)")

    p = sub.add_parser("report", help="write the cluster passport (A4 PDF, or one self-contained HTML file)")
    p.add_argument("project", type=Path)
    p.add_argument("out", type=Path, help="OUT.pdf or OUT.html")
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES,
                   help="language of the passport (default: the locale's, English if not supported)")
    p.add_argument("--as-of", "--on", dest="as_of", metavar="YYYY-MM-DD", type=_day,
                   help="the cluster as it was on that day (default: today)")

    p = sub.add_parser("snapshot", help="freeze the assessment as of 31 December into the project (next "
                       "year's passport shows the change since)")
    p.add_argument("project", type=Path)
    p.add_argument("--as-of", "--on", dest="as_of", metavar="YYYY-MM-DD", type=_day,
                   help="the day to freeze (default: 31 December of last year)")
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES,
                   help="language of the messages (default: the locale's, English if not supported)")

    p = sub.add_parser("import", help="import a roster (CSV/TSV, XLSX, GeoJSON, KML, GeoPackage) into a "
                       "project; rows matching a member (id, INN, name) update it")
    p.add_argument("file", type=Path)
    p.add_argument("--into", dest="project", type=Path, required=True,
                   help="project to add to (created if missing)")
    p.add_argument("--map", dest="mapping", action="append", default=[], metavar="COLUMN=FIELD",
                   help="read COLUMN as member field FIELD (repeatable), e.g. --map 'Компания=name'")
    p.add_argument("--swap-flagged", action="store_true",
                   help="swap latitude and longitude in the rows reported as swapped")
    p.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
    p.add_argument("--encoding", help="text files: read with this encoding instead of the detected one")
    p.add_argument("--sheet", help="XLSX: the sheet to read (default: the first)")
    p.add_argument("--conflicts", choices=("mine", "theirs"),
                   help="decide every conflict (a member's name with another INN): mine = keep the "
                        "project's value, theirs = the file's (default: leave those rows out)")
    p.add_argument("--links", action="store_true",
                   help="the file is a links table (found by itself when two columns name the ends)")
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES,
                   help="language of the messages (default: the locale's, English if not supported)")

    p = sub.add_parser("export", help="export the roster (format by suffix: .csv .tsv .xlsx .geojson .kml "
                       ".gpkg .html)")
    p.add_argument("project", type=Path)
    p.add_argument("out", type=Path,
                   help="OUT.csv, .tsv, .xlsx, .geojson, .kml, .gpkg or .html (offline map)")
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES, default=None,
                   help="language of headers, kinds, the map's legend and the messages (default: from the "
                   "locale)")
    p.add_argument("--links", action="store_true",
                   help="write the links table (.csv/.tsv) with both ends' names and INNs")

    p = sub.add_parser("field-copy", help="write a field copy of a project (merge it back with `merge`)")
    p.add_argument("project", type=Path, help="the master project")
    p.add_argument("out", type=Path, help=f"the copy to write (*{PROJECT_SUFFIX})")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES,
                   help="language of the messages (default: the locale's, English if not supported)")

    p = sub.add_parser("merge", help="merge a field copy's edits into the master project")
    p.add_argument("project", type=Path, help="the master project")
    p.add_argument("copy", type=Path, help="the field copy")
    p.add_argument("--take", choices=("mine", "theirs"),
                   help="resolve every conflict: mine = keep the master's value, theirs = the copy's")
    p.add_argument("--dry-run", action="store_true", help="report what would come in; write nothing")
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES,
                   help="language of the messages (default: the locale's, English if not supported)")

    from cluster_desk.team.cli import add_parsers as add_team_parsers

    add_team_parsers(sub)  # server init/publish, clone, sync (issue 16)
    return parser


def _centre(text: str) -> tuple[float, float]:
    try:
        lat_s, lon_s = text.replace(";", ",").split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not LAT,LON (e.g. 55.79,49.11)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also false for NaN
        raise argparse.ArgumentTypeError(f"'{text}' is not a position (lat -90..90, lon -180..180)")
    return lat, lon


def _radius(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of kilometres") from None
    if not 0 < value <= 20_100:  # also false for NaN; half the Earth's circumference at most
        raise argparse.ArgumentTypeError(f"'{text}' is not a radius (0 < R <= 20100 km)")
    return value


def _day(text: str) -> str:
    from cluster_desk.core.days import iso_day

    day = iso_day(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD or DD.MM.YYYY)")
    return day


def _mapping(pairs: Sequence[str], say: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        if not sep or not column.strip() or not field.strip():
            raise CliError(say.bad_mapping(pair))
        out[column.strip()] = field.strip()
    return out


# --- commands ----------------------------------------------------------------------------------

def _open(path: Path, lang: str | None = None, *, check_later: bool = False) -> Project:
    """``check_later``: the file's quick_check runs on a thread (the caller waits for it before
    it prints anything: ``Project.integrity.wait``), started before the project's modules and
    numpy load (``fileguard.early_check``); the process then keeps what it frees in its heap
    (``memory.keep_freed_blocks``: a short command's arrays reuse it, not fresh pages)."""
    from cluster_desk.store import fileguard

    early = fileguard.early_check(path) if check_later else None
    if check_later:  # (``check``, ``plan``, ``snapshot``: a short process; after the check started)
        from cluster_desk.memory import keep_freed_blocks

        keep_freed_blocks()
    from cluster_desk.store.project import Project
    from cluster_desk.text.store_text import project_message

    text = _text(lang)
    say = _say(text)
    if not path.exists():
        raise CliError(say.no_such_project(path))
    project = Project.open(path, check_later=check_later, integrity=early)
    for notice in project.notices:  # e.g. a stray journal set aside: the user should know
        print(say.warning(project_message(notice, text)), file=sys.stderr)
    return project


def one_blas_thread() -> None:
    """numpy's OpenBLAS with one thread, when numpy is not loaded yet (it reads the setting
    once, when it loads) and the user set none; every command and the window (``main``): the
    only BLAS calls are matrix-vector products (the geodesy's ``points @ axis``, the import's
    INN check digits), which a second BLAS thread does not make faster, while that thread spins
    on a core after each call. ``check`` at a million members: 0.15-0.5 s of CPU (as the load
    lets it spin) that the command's own threads (the integrity check, the reads, the rules)
    needed on a 2-core machine; the window's checks' worker makes the same products beside the
    GUI thread (issue 17)."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _text(lang: str | None) -> Any:
    """The text renderers' Text for --lang, else the locale's language."""
    from cluster_desk.text import system_language, text_for

    return text_for(lang or system_language())


def _say(text: Any) -> Any:
    from cluster_desk.text.cli_text import CommandLineText

    return CommandLineText(text)


def cmd_demo(args: argparse.Namespace) -> int:
    from cluster_desk.atomic import atomic_path
    from cluster_desk.core.demo import demo_cluster
    from cluster_desk.store.project import Project

    dest: Path = args.project
    if dest.exists() and not args.force:
        raise CliError(_say(_text(args.lang)).exists_use_force(dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    members, links, settings = demo_cluster(seed=args.seed)
    # Build next to the destination, then rename: --force never leaves a half-written project.
    with atomic_path(dest) as tmp, Project.create(tmp, name=settings.name) as project:
        project.set_settings(settings)
        project.add_members(members)
        project.add_links(links)
    print(_say(_text(args.lang)).wrote_demo(settings.name, dest, len(members), len(links)))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from cluster_desk.text import system_language, text_for

    say = _say(_text(args.lang))
    # The columns, not records (check_command); the file's quick_check runs beside the read,
    # from the open on: before the checks' modules are imported (numpy's, pyproj's: ~0.2 s of
    # the one core otherwise busy at a million members' start, issue 17).
    with _open(args.project, check_later=True) as project:
        from cluster_desk.check_command import AsIfError, check_json_text, check_text, run_check

        try:
            run = run_check(project, centre=args.centre, radius_km=args.radius_km,
                            on=getattr(args, "on", None), as_if_keys=getattr(args, "as_if", "") or "")
        except AsIfError as e:
            raise CliError(say.as_if_unknown(", ".join(e.missing)) if e.missing
                           else say.as_if_not_candidate(", ".join(e.names))) from None
    if args.json:  # scripts read these values: English unless a language is asked for
        sys.stdout.write(check_json_text(run, text_for(args.lang or "en")))
        return EXIT_OK
    print(check_text(run, text_for(args.lang or system_language()), args.project.name))
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    from cluster_desk.check_command import run_plan
    from cluster_desk.text import system_language, text_for
    from cluster_desk.text.plan_text import plan_report

    with _open(args.project, check_later=True) as project:  # (columns, as check: check_command)
        ranked = run_plan(project, on=args.on)
    if args.json:
        json.dump([g.to_json() for g in ranked], sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return EXIT_OK
    print(plan_report(ranked, text_for(args.lang or system_language())))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import date

    from cluster_desk.text import system_language

    out: Path = args.out
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise CliError(_say(_text(args.lang)).unknown_passport_format(out, suffix))
    from cluster_desk.report import write_passport  # light: the assessment is imported by gather()

    def gather() -> PassportData:  # for a PDF this runs in a thread while Qt WebEngine starts (report_pdf)
        from cluster_desk.report import passport_data
        from cluster_desk.report.snapshots import latest_before

        with _open(args.project) as project:
            members, links, settings = project.members(), project.links(), project.settings()
            snapshot = latest_before(project, args.as_of or date.today().isoformat())
        return passport_data(members, links, settings, lang=args.lang or system_language(), day=args.as_of,
                             name=args.project.stem, snapshot=snapshot)

    if not args.project.exists():
        _open(args.project)  # says so before Qt WebEngine starts
    pages = write_passport(gather, out)
    print(_say(_text(args.lang)).wrote_passport(out, pages))
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    from cluster_desk.check_command import run_snapshot
    from cluster_desk.report.snapshots import last_year_end

    day = args.as_of or last_year_end()
    with _open(args.project, check_later=True) as project:  # (columns, as check: check_command)
        snap = run_snapshot(project, day)
    print(_say(_text(args.lang)).froze_snapshot(snap.day, args.project, snap.made))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from cluster_desk.atomic import atomic_path
    from cluster_desk.io import ImportOptions, import_into
    from cluster_desk.io.with_links import import_members_and_links
    from cluster_desk.store.project import Project
    from cluster_desk.text import import_summary

    text = _text(args.lang)
    say = _say(text)
    src: Path = args.file
    if not src.is_file():
        raise CliError(say.no_such_file(src) if not src.exists() else say.not_a_file(src))
    if args.links or _is_links_file(src, args.encoding):
        return _import_links_only(args, text)
    options = ImportOptions(mapping=_mapping(args.mapping, say), swap_flagged=args.swap_flagged,
                            encoding=args.encoding, sheet=args.sheet, conflicts=args.conflicts or "skip")
    dest: Path = args.project
    with _file_errors(src, text):
        if dest.exists():
            with _open(dest, text.lang) as project:  # members and links: one transaction, one backup
                report, link_report = import_members_and_links(project, src, options, dry_run=args.dry_run)
        elif args.dry_run:  # a preview into a project that does not exist yet: an empty one, thrown away
            with tempfile.TemporaryDirectory() as folder, Project.create(Path(folder) / dest.name) as project:
                report = import_into(project, src, options, dry_run=True)
                link_report = None  # the members are not there to match the links' ends
        else:
            # A new project is built beside its name and renamed only if the import succeeds: an
            # unreadable file leaves no empty project behind.
            with atomic_path(dest) as target, Project.create(target, name=dest.stem) as project:
                report, link_report = import_members_and_links(project, src, options)
    if link_report is not None:
        _print_link_report(link_report, text)
    if report.ignored_columns:
        print(say.ignored_columns(src, report.ignored_columns), file=sys.stderr)
    for w in report.warnings[:MAX_PROBLEM_LINES]:
        print(say.warning(_problem_line(w, text, imported=True)), file=sys.stderr)
    for c in report.conflicts[:MAX_PROBLEM_LINES]:
        print(_import_conflict_line(report.file, c, text), file=sys.stderr)
    summary = import_summary(report, text)
    if not report.problems and not report.conflicts_open:
        print(summary)
        return EXIT_OK
    print(summary.rstrip(".") + ":", file=sys.stderr)
    _print_problems(report.problems, text)
    return EXIT_SKIPPED


@contextmanager
def _file_errors(src: Path, text: Any) -> Iterator[None]:
    """A file the import cannot read as a whole: its line in the language (a CliError)."""
    from cluster_desk.io.errors import ImportFileError
    from cluster_desk.text.import_file_text import import_file_error

    try:
        yield
    except ImportFileError as e:
        try:
            line = import_file_error(e, text, src.name)
        except KeyError:  # a code the renderer does not know yet: the reader's English line
            line = str(e)
        raise CliError(line) from e


def _problem_line(problem: Any, text: Any, *, imported: bool = False, links: bool = False) -> str:
    """An import problem in the language, with the field as an export's header names it."""
    from cluster_desk.io.link_words import LINK_FIELD_WORDS
    from cluster_desk.io.link_words import header as link_header
    from cluster_desk.io.vocabulary import FIELDS, header
    from cluster_desk.text.import_problems import import_problem_line

    if links:
        label = link_header(problem.field, text.lang) if problem.field in LINK_FIELD_WORDS else problem.field
    else:
        label = header(problem.field, text.lang) if problem.field in FIELDS else problem.field
    try:
        return import_problem_line(problem, text, field_label=label, imported=imported)
    except KeyError:  # a problem without a code (the links reader's): its English line
        return str(problem)


def _print_problems(problems: Sequence[Any], text: Any, *, links: bool = False) -> None:
    for problem in problems[:MAX_PROBLEM_LINES]:
        print(_problem_line(problem, text, links=links), file=sys.stderr)
    if len(problems) > MAX_PROBLEM_LINES:
        print(_say(text).more_problems(len(problems) - MAX_PROBLEM_LINES), file=sys.stderr)


def _import_conflict_line(file: str, c: Any, text: Any) -> str:
    """A row whose INN (or other deciding field) differs from the member of the same name."""
    from cluster_desk.io.errors import clean_echo
    from cluster_desk.io.vocabulary import FIELDS, header, value_word

    say = _say(text)

    def shown(field: str, value: Any) -> str:
        return f"{value_word(field, value, text.lang):.60}"

    values = "; ".join(
        say.conflict_values(header(x.field, text.lang) if x.field in FIELDS else x.field,
                            shown(x.field, x.old), shown(x.field, x.new))
        for x in c.fields if x.field in c.conflict_fields)
    return say.import_conflict(file, c.row, clean_echo(c.name), clean_echo(values, 200), c.choice)


def _is_links_file(src: Path, encoding: str | None) -> bool:
    """A links table (CSV/TSV whose header names both ends), or lines with no members (GeoJSON,
    KML, GeoPackage, a workbook with only a links sheet): the window's import decides the same."""
    from cluster_desk.io.with_links import file_parts

    return file_parts(src, encoding).links_only


def _print_link_report(report: Any, text: Any) -> None:
    from cluster_desk.text.reports import link_import_summary

    print(link_import_summary(report, text), file=sys.stderr if report.problems else sys.stdout)
    _print_problems(report.problems, text, links=True)


def _import_links_only(args: argparse.Namespace, text: Any) -> int:
    from cluster_desk.io.links import import_links

    dest: Path = args.project
    if not dest.exists():
        raise CliError(_say(text).links_need_members(dest))
    with _file_errors(args.file, text), _open(dest, text.lang) as project:
        report = import_links(project, args.file, encoding=args.encoding, dry_run=args.dry_run)
    _print_link_report(report, text)
    return EXIT_SKIPPED if report.problems else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from cluster_desk.io import EXPORT_SUFFIXES, ExportError, export_roster
    from cluster_desk.io.formats.export_words import normalise_lang

    out: Path = args.out
    suffix = out.suffix.lower()
    lang = args.lang or normalise_lang(
        os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG"))
    say = _say(_text(lang))
    if suffix not in EXPORT_SUFFIXES:
        raise CliError(say.unknown_export_format(out, suffix, EXPORT_SUFFIXES))
    with _open(args.project, lang) as project:
        members = project.members()
        links = project.links()
        title = project.settings().name
    if args.links and suffix not in (".csv", ".tsv", ".txt"):
        raise CliError(say.links_table_only(out))
    try:
        if args.links:
            from cluster_desk.io.links import export_links_csv

            print(say.exported_links(export_links_csv(members, links, out, lang=lang), out))
        else:
            print(say.exported_members(export_roster(members, links, out, title=title, lang=lang), out))
    except ExportError as e:  # the destination and the cause, in the language
        from cluster_desk.text.export_text import export_failure

        raise CliError(export_failure(e, _text(lang))) from e
    return EXIT_OK


def cmd_field_copy(args: argparse.Namespace) -> int:
    from cluster_desk.store.merge import make_field_copy

    out: Path = args.out
    if out.exists() and not args.force:
        raise CliError(_say(_text(args.lang)).exists_use_force(out))
    with _open(args.project) as project:
        make_field_copy(project, out)
    print(_say(_text(args.lang)).wrote_field_copy(out, f"{PROG} merge {args.project} {out}"))
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from cluster_desk.io.vocabulary import FIELDS, header
    from cluster_desk.store.merge import apply_merge, plan_merge
    from cluster_desk.text import merge_summary
    from cluster_desk.text.merge_text import conflict_line, merge_lines

    text = _text(args.lang)
    say = _say(text)

    def label(field: str) -> str:
        return header(field, text.lang) if field in FIELDS else field

    if not args.copy.exists():
        raise CliError(say.no_field_copy(args.copy))
    with _open(args.project, text.lang) as project:
        plan = plan_merge(project, args.copy)
        if plan.empty:
            print(say.nothing_to_merge(args.copy, args.project))
            return EXIT_OK
        if plan.conflicts and args.take is None:
            print(say.conflicts_stop(args.copy, len(plan.conflicts)), file=sys.stderr)
            for c in plan.conflicts:
                print(f"  {conflict_line(c, text, label)}", file=sys.stderr)
            print(say.take_hint(), file=sys.stderr)
            return EXIT_CONFLICTS
        if args.dry_run:
            print(say.would_merge(len(plan.ops), len(plan.conflicts), args.copy))
            return EXIT_OK
        report = apply_merge(project, plan, take=args.take)
    for line in merge_lines(report, text, label)[:MAX_PROBLEM_LINES]:
        print(line)
    print(merge_summary(report, text))
    return EXIT_OK


def cmd_app(project: str | None) -> int:
    path = Path(project) if project else None
    if path is not None and not path.exists():
        raise CliError(_say(_text(None)).no_project_to_open(
            path, f"{PROG} demo {path}", f"{PROG} import ROSTER.csv --into {path}"))
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        # Qt would abort the process with a fatal message; say it in one line instead.
        print(f"{PROG}: {_say(_text(None)).no_display()}", file=sys.stderr)
        if path is None:
            return EXIT_ERROR
        return cmd_check(argparse.Namespace(project=path, json=False, lang=None, centre=None, radius_km=None))
    # The start imports ~250 modules and makes ~90,000 objects, none of them garbage: the cyclic
    # collector would walk them again and again (~0.1 s of CPU). run_app enables it once the
    # opened project is painted (issue 17: start <= 2 s).
    gc.disable()
    try:
        from cluster_desk.ui.app import run_app
    except ImportError as e:
        gc.enable()
        # The desktop window cannot start (UI module not built yet, or Qt libraries missing):
        # say so, and still give the user something useful for a project.
        print(f"{PROG}: {_say(_text(None)).app_not_available(e)}", file=sys.stderr)
        if path is None:
            return EXIT_ERROR
        return cmd_check(argparse.Namespace(project=path, json=False, lang=None, centre=None, radius_km=None))
    return int(run_app(str(path) if path else None))


# --- entry point -------------------------------------------------------------------------------

def _error_text(e: BaseException, lang: str | None = None) -> str:
    text = str(e).strip() or type(e).__name__
    if getattr(e, "code", "") and _is_project_error(e):  # the store's facts, in the language
        from cluster_desk.text.store_text import project_message

        text = project_message(e, _text(lang))
    elif getattr(e, "domain", "") == "team" and getattr(e, "code", ""):  # team server facts, likewise
        from cluster_desk.text.team_text import team_message

        text = team_message(e, _text(lang))
    if isinstance(e, OSError) and e.filename is not None and str(e.filename) not in text:
        text = f"{e.filename}: {text}"
    elif isinstance(e, OSError) and e.filename is not None and e.strerror:
        text = f"{e.filename}: {e.strerror}"
    return " ".join(text.split())  # one line, whatever the message held


def main(argv: Sequence[str] | None = None) -> int:
    _ended[0] = False
    one_blas_thread()  # (before anything loads numpy)
    args_list = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a non-UTF-8 console must not crash on ✓ or Cyrillic
            reconfigure(errors="backslashreplace")
    if "--self-test" in args_list:  # before Qt loads; packaging/entry.py does the same when frozen
        from cluster_desk.selftest import main as self_test

        return self_test()
    lang: str | None = None  # --lang of the command, for its error line
    try:
        if not args_list or (args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
            if len(args_list) > 1:
                _build_parser().error(f"unknown command '{args_list[0]}' (commands: {', '.join(COMMANDS)})")
            return cmd_app(args_list[0] if args_list else None)
        args = _build_parser().parse_args(args_list)
        lang = getattr(args, "lang", None)
        if args.command is None:
            return cmd_app(None)
        handler = {"demo": cmd_demo, "check": cmd_check, "plan": cmd_plan, "report": cmd_report,
                   "snapshot": cmd_snapshot, "import": cmd_import, "export": cmd_export,
                   "field-copy": cmd_field_copy, "merge": cmd_merge}
        try:
            if args.command not in handler:
                from cluster_desk.team.cli import run as run_team

                code = run_team(args)
            else:
                code = handler[args.command](args)
        except Exception:
            _refresh_caches(args)  # what a command committed before it failed is in the file
            raise
        _refresh_caches(args)
        _ended[0] = args.command in LEAVE_AT_ONCE
        return code
    except KeyboardInterrupt:
        print(f"{PROG}: {_say(_text(lang)).interrupted()}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `cluster-desk check x | head`
        return EXIT_OK
    except Exception as e:
        if os.environ.get("CLUSTER_DESK_DEBUG"):
            raise
        expected = _expected_errors()
        prefix = "" if isinstance(e, expected) else "unexpected error: "
        print(f"{PROG}: {prefix}{_error_text(e, lang)}", file=sys.stderr)
        return EXIT_ERROR


#: Commands whose process has nothing left to do once they have returned (read-only, no thread
#: left, nothing to write at exit): the entry points end it then (``leave_now``).
LEAVE_AT_ONCE = frozenset({"check", "plan"})
_ended = [False]  # (the last ``main`` ran one of them to the end)


def leave_now(code: int) -> None:
    """End the process at once with ``code`` when the last ``main`` was a LEAVE_AT_ONCE command
    that returned (the entry points: ``__main__``, ``run``, the frozen app's): the interpreter's
    teardown then freed a million members' columns, names and arrays object by object on one
    core, after the report was out (issue 17: ~0.1 s of the command's wall, the other core
    idle). Output is flushed first; nothing else of ours waits for the exit (no atexit work, no
    thread: the project is closed, the integrity check over). Elsewhere: returns."""
    if not _ended[0]:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, OSError):  # (`cluster-desk check x | head`: as main says it)
            pass
    os._exit(code)


def run() -> int:
    """The ``cluster-desk`` script: ``main``, then ``leave_now``."""
    code = main()
    leave_now(code)
    return code


#: The subcommands that may change a project file, and their arguments naming those files.
_WRITES = {"demo": ("project",), "snapshot": ("project",), "import": ("project",), "merge": ("project",),
           "field-copy": ("project", "out"), "server": ("project",), "clone": ("out",), "sync": ("project",)}


def _refresh_caches(args: argparse.Namespace) -> None:
    """Bring the caches a window keeps of a project this command changed up to date now, as the
    window's close does (ui.project.loading.refresh_snapshot_later; store.snapshot.refresh: the
    columns an open reads, and the checks' arrays). Else the next open and its first assessment
    read the tables (100k members: ~1 s more, seconds at a million). Only for a file this machine
    has cached (opened in the window): a script's commands on files never opened pay nothing. A
    cache that cannot be refreshed stays stale and is never used (its key is the file's state)."""
    paths = [getattr(args, name, None) for name in _WRITES.get(args.command, ())]
    paths = [p for p in paths if isinstance(p, Path) and p.is_file()]
    if not paths:
        return
    from cluster_desk.store import arrays_cache, snapshot

    for path in paths:
        if snapshot.cache_file(path).exists() or arrays_cache.cache_file(path).exists():
            snapshot.refresh(path)


def _expected_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (CliError, ValueError, OSError, KeyError, sqlite3.Error)
    try:
        from cluster_desk.store.project import ProjectError
    except ImportError:
        return errors
    return (*errors, ProjectError)


def _is_project_error(e: BaseException) -> bool:
    try:
        from cluster_desk.store.project import ProjectError
    except ImportError:
        return False
    return isinstance(e, ProjectError)


if __name__ == "__main__":
    sys.exit(main())
