"""Parse arguments, call one core function, map errors to exit codes; nothing else."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from generator import __version__
from generator.config import Config, load_config
from generator.errors import InterludeError
from generator.skeletons import DEFAULT_TYPE, types_help
from generator.words import counted, listed, plural

Command = Callable[[argparse.Namespace], int]


def _config(args: argparse.Namespace) -> Config:
    """Options → Config, with the documented defaults for anything not given."""
    templates = (
        args.templates
        if getattr(args, "templates", None)
        else (Path("templates") if Path("templates").is_dir() else None)
    )
    config_file = (
        args.config
        if getattr(args, "config", None)
        else (Path("journal.yaml") if Path("journal.yaml").is_file() else None)
    )
    return load_config(args.entries, getattr(args, "output", Path("output")), templates, config_file)


def _show_problems(problems: Sequence[InterludeError]) -> None:
    for problem in problems:
        print(problem.show(), file=sys.stderr)


def _passphrase() -> str:
    """The lock's passphrase: $INTERLUDE_PASSPHRASE, else asked twice on the terminal."""
    import getpass

    from generator.errors import LockError
    from generator.lock import check_passphrase

    given = os.environ.get("INTERLUDE_PASSPHRASE")
    if given:
        return given
    if not sys.stdin.isatty():
        raise LockError("no passphrase: set INTERLUDE_PASSPHRASE, or run interlude build --lock in a terminal")
    first = getpass.getpass("Passphrase to lock the site with: ")
    check_passphrase(first)
    if getpass.getpass("The same passphrase again: ") != first:
        raise LockError("the two passphrases differ; nothing was built")
    return first


def cmd_build(args: argparse.Namespace) -> int:
    """interlude build."""
    from generator.build import build

    if args.lock:
        from generator.lock import build_locked

        report = build_locked(_config(args), _passphrase())
    else:
        report = build(_config(args), progress=True)
    _show_problems(report.problems)
    written = report.written
    changed = f", {written.written} written" if written else ""
    locked = ", locked" if args.lock else ""
    print(
        f"Built {counted(report.entries, 'entry')} into {args.output}/ ({report.pages} files{changed}{locked}) "
        f"in {report.seconds:.1f} s. Open {args.output / 'index.html'} in your browser."
    )
    if written and written.kept:
        print(written.kept_note(args.output))
    if report.problems:
        print(
            f"{counted(len(report.problems), 'problem')} listed above; the rest of the journal was built.",
            file=sys.stderr,
        )
    return report.exit_code


def cmd_watch(args: argparse.Namespace) -> int:
    """interlude watch."""
    from generator.watch import watch

    try:
        watch(
            _config(args),
            report=lambda line: print(line, flush=True),
            templates=args.templates or Path("templates"),
            settings=args.config or Path("journal.yaml"),
        )
    except KeyboardInterrupt:
        pass
    print("Stopped watching.")
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    """interlude share."""
    from generator.share import Scope, share

    scope = Scope("all") if args.all else Scope("since", args.since) if args.since else Scope("agenda")
    report = share(_config(args), scope, single=args.single_file)
    _show_problems(report.problems)
    private = (
        f"; {report.private_left_out} private {plural(report.private_left_out, 'entry')} left out"
        if report.private_left_out
        else ""
    )
    print(
        f"Shared {counted(report.entries, 'entry')} into {args.output}/{private}. "
        f"Open {report.open_path} to read it through before you send it."
    )
    return report.exit_code


def _day(text: str) -> date:
    """A --since date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as 2024-03-05") from None


def cmd_check(args: argparse.Namespace) -> int:
    """interlude check."""
    from generator.build import check

    journal = check(_config(args))
    _show_problems(journal.problems)
    print(
        f"Checked {args.entries}/: {counted(len(journal.entries), 'entry')} read, "
        f"{counted(len(journal.problems), 'problem')}."
    )
    return 1 if journal.problems else 0


def cmd_new(args: argparse.Namespace) -> int:
    """interlude new."""
    from generator.scaffold import new_entry, open_in_editor

    path = new_entry(_config(args), args.type, args.title, args.date)
    print(path)
    if not args.no_edit:
        open_in_editor(path)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """interlude init."""
    from generator.scaffold import init_journal

    made = init_journal(args.folder)
    print(
        f"Made a new journal in {args.folder}: {', '.join(made)}.\n"
        f"Next: cd {shlex.quote(str(args.folder))} && interlude new && interlude build"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """interlude import."""
    from generator.importers import import_journal

    report = import_journal(
        args.source,
        args.path,
        args.entries,
        dry_run=args.dry_run,
        with_location=args.with_location,
        timeformat=args.timeformat,
        progress=True,
    )
    if args.dry_run:
        for name in report.written:
            print(f"would write {args.entries / name}")
    for skipped in report.skipped:
        print(skipped.show(str(args.path)), file=sys.stderr)
    for warned in report.warnings:
        print(warned.show(str(args.path)), file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    entries = len(report.written)
    done = "Would import" if args.dry_run else "Imported"
    parts = [counted(entries, "entry"), counted(report.photos, "photo")]
    if report.files:
        parts.append(f"{report.files} other {plural(report.files, 'file')}")
    if not entries and report.already:
        every = "the one entry" if report.already == 1 else f"all {report.already} entries"
        summary = f"Nothing new: {every} of {args.path} {plural(report.already, 'was')} imported before"
    else:
        summary = f"{done} {listed(parts)} into {args.entries}/"
        if report.already:
            summary += f"; {report.already} imported before were left as they are"
    if report.skipped:
        summary += f"; {counted(len(report.skipped), 'record')} skipped (listed above)"
    if report.warnings:
        summary += f"; {counted(len(report.warnings), 'warning')} (listed above)"
    print(summary + ("; nothing was written." if args.dry_run else "."))
    return report.exit_code


def _folder_options(parser: argparse.ArgumentParser, output: bool = True, default_output: str = "output") -> None:
    parser.add_argument(
        "--entries",
        type=Path,
        default=Path("entries"),
        metavar="DIR",
        help="folder of Markdown entries (default: ./entries)",
    )
    if output:
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(default_output),
            metavar="DIR",
            help=f"folder the site is written to (default: ./{default_output})",
        )
    parser.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="templates overriding the default theme, file by file (default: ./templates if present)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="journal settings (default: ./journal.yaml if present)"
    )


def make_parser() -> argparse.ArgumentParser:
    """The whole command line: one subcommand per job."""
    parser = argparse.ArgumentParser(
        prog="interlude", description="Interlude: a private journal, built as a website you open from disk."
    )
    parser.add_argument("--version", action="version", version=f"interlude {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show full tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    build = sub.add_parser(
        "build", help="build the site from your entries", description="Build the site into the output folder."
    )
    _folder_options(build)
    build.add_argument(
        "--lock",
        action="store_true",
        help="encrypt the site with a passphrase ($INTERLUDE_PASSPHRASE, else asked twice)",
    )
    build.set_defaults(run=cmd_build)

    share = sub.add_parser(
        "share",
        help="make a separate copy to share with your therapist",
        description="Build a separate, self-contained copy of what you choose to share: by default "
        "the entries marked `discuss: true` since your last session. Private entries are "
        "never included.",
    )
    _folder_options(share, default_output="share")
    which = share.add_mutually_exclusive_group()
    which.add_argument("--since", type=_day, metavar="DATE", help="every entry from DATE (YYYY-MM-DD) on")
    which.add_argument("--all", action="store_true", help="every entry")
    share.add_argument("--single-file", action="store_true", help="one printable HTML file with everything inside")
    share.set_defaults(run=cmd_share)

    watch = sub.add_parser(
        "watch",
        help="build, then rebuild on every save",
        description="Build, then rebuild whenever an entry, template or journal.yaml changes. "
        "Open pages refresh themselves. Ctrl-C stops.",
    )
    _folder_options(watch)
    watch.set_defaults(run=cmd_watch)

    check = sub.add_parser(
        "check",
        help="check every entry, write nothing",
        description="Read and validate every entry without writing anything.",
    )
    _folder_options(check, output=False)
    check.set_defaults(run=cmd_check)

    new = sub.add_parser(
        "new",
        help="start a new entry from a skeleton",
        description="Create entries/YYYY-MM-DD-slug.md from a skeleton and open it in $VISUAL or $EDITOR.",
    )
    new.add_argument(
        "type",
        nargs="?",
        default=DEFAULT_TYPE,
        help=types_help(),
    )
    new.add_argument("--title", help="the entry's title")
    new.add_argument("--date", help="its date, e.g. 2024-03-05 or '2024-03-05 21:40' (default: now)")
    new.add_argument("--no-edit", action="store_true", help="do not open an editor")
    _folder_options(new, output=False)
    new.set_defaults(run=cmd_new)

    imports = sub.add_parser(
        "import",
        help="bring in a journal from Day One, jrnl or Daylio",
        description="Write the entries of another app's export into the entries folder as ordinary entry files. "
        "Running it again adds only what is new; no file is ever overwritten.",
    )
    imports.add_argument("source", choices=["dayone", "jrnl", "daylio"], help="the app the export comes from")
    imports.add_argument(
        "path",
        type=Path,
        help="Day One: the exported .zip or its folder; jrnl: the journal file "
        "or `jrnl --export json` output; Daylio: the CSV export",
    )
    imports.add_argument(
        "--entries",
        type=Path,
        default=Path("entries"),
        metavar="DIR",
        help="the entries folder to write into (default: ./entries)",
    )
    imports.add_argument("--dry-run", action="store_true", help="say what would be written; write nothing")
    imports.add_argument(
        "--with-location",
        action="store_true",
        help="keep where entries and photos were made (left out unless asked for)",
    )
    imports.add_argument(
        "--timeformat",
        metavar="FORMAT",
        help="jrnl: the time form of its [date] lines, as jrnl's timeformat setting "
        "(default: %%Y-%%m-%%d %%H:%%M or %%Y-%%m-%%d %%I:%%M:%%S %%p)",
    )
    imports.set_defaults(run=cmd_import)

    init = sub.add_parser(
        "init",
        help="make a new, empty journal folder",
        description="Make a journal folder: entries/, journal.yaml and a .gitignore.",
    )
    init.add_argument("folder", type=Path, help="the folder to make (it may exist but must not hold a journal)")
    init.set_defaults(run=cmd_init)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors become one line on stderr and an exit code."""
    args = make_parser().parse_args(argv)
    run: Command = args.run
    try:
        return run(args)
    except InterludeError as error:
        if args.verbose:
            traceback.print_exc()
        print(f"interlude: {error.show()}", file=sys.stderr)
        return error.exit_code if error.exit_code != 1 else 2
    except KeyboardInterrupt:
        print("interlude: stopped.", file=sys.stderr)
        return 130
    except Exception as error:
        if args.verbose:
            traceback.print_exc()
        print(f"interlude: unexpected error: {error!r}. Run again with --verbose and report it.", file=sys.stderr)
        return 2
