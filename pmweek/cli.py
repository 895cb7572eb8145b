"""Command line: parse arguments, open the services, run the app or print.

Stays light: the export path never imports Textual, and nothing here imports
SQLAlchemy until a command needs the database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pmweek import __version__
from pmweek.errors import InputError, PmWeekError
from pmweek.i18n import LANGS, detect_lang, set_lang, t


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _prescan_lang(argv: Sequence[str]) -> str:
    """The --lang value, read before the parser is built so its help is translated."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        return value if value in LANGS else "en"
    return detect_lang()


def _date(value: str) -> date:
    from pmweek.domain.calendar import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("error.bad_date", value=value)) from None


def _week(value: str):
    from pmweek.domain.calendar import Week

    try:
        return Week.parse(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("error.bad_week", value=value)) from None


def _lang(value: str) -> str:
    if value not in LANGS:
        raise argparse.ArgumentTypeError(t("error.bad_lang", value=value))
    return value


def build_parser() -> argparse.ArgumentParser:
    from pmweek.config import default_db_path

    parser = _Parser(prog="pmweek", description=t("cli.description"))
    parser.add_argument("--db", metavar="PATH|URL", help=t("cli.db", default=default_db_path()))
    parser.add_argument("--date", type=_date, metavar="DATE", help=t("cli.date"))
    parser.add_argument("--lang", type=_lang, metavar="en|zh", help=t("cli.lang"))
    parser.add_argument("--version", action="version", version=f"pmweek {__version__}", help=t("cli.version"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=t("cli.commands"), parser_class=_Parser)

    export = commands.add_parser("export", help=t("cli.export"), description=t("cli.export"))
    what = export.add_subparsers(dest="what", metavar="WHAT", title=t("cli.export_what"), required=True, parser_class=_Parser)
    week = what.add_parser("week", help=t("cli.export_week"), description=t("cli.export_week"))
    week.add_argument("--week", type=_week, metavar="YYYY-Www", help=t("cli.week"))
    _output_options(week)
    return parser


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help=t("cli.output"))
    parser.add_argument("--force", action="store_true", help=t("cli.force"))


def _today(args: argparse.Namespace) -> date:
    return args.date or date.today()


def _write(args: argparse.Namespace, text: str) -> None:
    """Standard output, or -o FILE (never overwritten without --force)."""
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path: Path = args.output
    try:
        with path.open("w" if args.force else "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise InputError("error.file_exists", path=path) from None
    except OSError as exc:
        raise InputError("error.write_file", path=path, reason=exc.strerror) from None
    sys.stderr.write(t("cli.wrote", path=path) + "\n")


def _export(args: argparse.Namespace, url: str, lang: str) -> int:
    from pmweek.domain.calendar import Week
    from pmweek.export.markdown import week_markdown
    from pmweek.services import open_services

    services = open_services(url, lang)
    try:
        today = _today(args)
        week = args.week or Week.of(today)
        view = services.checklist.peek_week(week)
        _write(args, week_markdown(view))
    finally:
        services.close()
    return 0


def _run_app(args: argparse.Namespace, url: str, lang: str) -> int:
    from pmweek.db.files import check_sqlite_file, sqlite_path

    # Refuse a bad file before the screen switches to the app.
    path = sqlite_path(url)
    if path is not None:
        check_sqlite_file(path)
    from pmweek.tui.app import PmWeekApp

    def connect():
        from pmweek.services import open_services

        return open_services(url, lang)

    app = PmWeekApp(connect, today=_today(args), lang=lang)
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_lang(_prescan_lang(argv))
    args = build_parser().parse_args(argv)
    lang = args.lang or detect_lang()
    set_lang(lang)
    from pmweek.config import db_url

    url = db_url(args.db)
    try:
        if args.command == "export":
            return _export(args, url, lang)
        return _run_app(args, url, lang)
    except PmWeekError as exc:
        sys.stderr.write(f"pmweek: {exc.message()}\n")
        return 2 if isinstance(exc, InputError) else 1
    except KeyboardInterrupt:
        return 130
