"""Command line: parse arguments, open the services, run the app or print.

Stays light: the export path never imports Textual, and nothing here imports
SQLAlchemy until a command needs the database.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from pmweek import __version__, startup
from pmweek.errors import InputError, PmWeekError
from pmweek.i18n import LANGS, detect_lang, set_lang, t

# Chinese line-breaking: these never start a line, those never end one.
CLOSING = set("，。、；：！？）」』》〉】")
OPENING = set("（「『《〈【")


def _cells(ch: str) -> int:
    import unicodedata

    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells: a Chinese character takes
    two and a line may break between any two of them; other words break at spaces."""
    tokens, word = [], ""
    for ch in " ".join(text.split()):
        if ch == " " or _cells(ch) == 2:
            tokens += [word, ch] if word else [ch]
            word = ""
        else:
            word += ch
    tokens += [word] if word else []
    lines: list[str] = []
    line: list[str] = []
    for token in tokens:
        if token == " " and not line:
            continue
        if token != " " and line and _width(line) + _width([token]) > width:
            # Closing punctuation never starts a line: the token before it goes down too;
            carried: list[str] = []
            while token in CLOSING and len(line) > 1 and line[-1] != " " and (not carried or carried[0] in CLOSING):
                carried.insert(0, line.pop())
            while len(line) > 1 and line[-1] in OPENING:  # nor does opening punctuation end one
                carried.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line = carried
        line.append(token)
    return [*lines, "".join(line).rstrip()] if "".join(line).strip() else lines


def _width(tokens: list[str]) -> int:
    return sum(_cells(ch) for token in tokens for ch in token)


class _Help(argparse.HelpFormatter):
    """argparse's help, wrapped by the cells a terminal shows rather than characters."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_cells(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap_cells(text, width))

    def _expand_help(self, action: argparse.Action) -> str:
        # Help comes from the catalogue and the record declarations, never argparse's
        # %(default)s: a label with a percent sign ("Lift (%)") is shown as it is.
        return self._get_help_string(action) or ""

    def format_help(self) -> str:
        # argparse puts its own half-width colon after a section's heading ("选项:"):
        # a heading in Chinese takes the full-width one.
        return _CJK_HEADING.sub("\\1：", super().format_help())


_CJK_HEADING = re.compile(r"(?m)^(\S[^\n]*[\u3400-\u9fff]):$")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2, and help is
    wrapped to the terminal's cells."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)
        self.spells_names = False  # its first word names a table, either way spelt

    def parse_known_args(self, args=None, namespace=None):  # noqa: ANN001, ANN201 - argparse's own
        """A flag this command does not know is refused here, by the command's own name
        and with the flag it most likely meant (``pmweek add churn: --reason … did you
        mean --churn-reason?``), rather than by the top command as unrecognized."""
        if self.spells_names and args:  # reader_figures as stored, reader-figures as typed
            args = [args[0].replace("_", "-") if not args[0].startswith("-") else args[0], *args[1:]]
        namespace, extras = super().parse_known_args(args, namespace)
        if extras and self._subparsers is None:
            import difflib

            unknown = next((a for a in extras if a.startswith("-")), extras[0])
            flags = [o for o in self._option_string_actions if o.startswith("--")]
            close = difflib.get_close_matches(unknown.split("=", 1)[0], flags, n=1, cutoff=0.7)
            close = close or [f for f in flags if unknown.lstrip("-") and unknown.lstrip("-") in f][:1]
            self.error(t("cli.unknown_argument", argument=unknown)
                       + (t("cli.did_you_mean", flag=close[0]) if close else ""))
        return namespace, extras

    def error(self, message: str) -> None:  # type: ignore[override]
        one_line = message.replace("\r", "\\r").replace("\n", "\\n")
        sys.stderr.write(t("cli.usage_error", prog=self.prog, message=one_line) + "\n")
        raise SystemExit(2)


@contextmanager
def _argparse_in(lang: str) -> Iterator[None]:
    """argparse's own words (usage:, options:, its errors) in ``lang``, from the
    catalogue beside ours (locale/<lang>/LC_MESSAGES/messages.po), by the route the
    argparse howto describes: argparse asks gettext's default domain, which takes the
    language from the environment, so it is set while the parser is built and used."""
    import gettext

    from pmweek.i18n import LOCALE

    gettext.bindtextdomain("messages", str(LOCALE))
    before = os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = lang
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = before


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


def _calendar(value: str) -> str:
    from pmweek.calendars import check_name

    try:
        return check_name(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None


def _user(value: str) -> str:
    """Whose checklists, plans and rows: a name other PMs' terminals show, so no
    control characters, one line, not empty."""
    from pmweek.domain.text import check_text

    try:
        return check_text(value, "field.user", limit=64, required=True).strip()
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None


def _lang(value: str) -> str:
    if value not in LANGS:
        raise argparse.ArgumentTypeError(t("error.bad_lang", value=value))
    return value


GLOBAL_VALUES = ("--db", "--date", "--lang", "--calendar", "--user")


def _opens_app(argv: Sequence[str]) -> bool:
    """Only global options (or none): the app opens, and the commands' parsers,
    which cost tens of milliseconds to build, are not needed."""
    expect_value = False
    for arg in argv:
        if expect_value:
            expect_value = False
        elif arg in GLOBAL_VALUES:
            expect_value = True
        elif not arg.startswith(tuple(f"{o}=" for o in GLOBAL_VALUES)):
            return False
    return True


def build_parser(commands_too: bool = True) -> argparse.ArgumentParser:
    from pmweek.config import default_db_path

    parser = _Parser(prog="pmweek", description=t("cli.description"))
    parser.add_argument("--db", metavar="PATH|URL", help=t("cli.db", default=default_db_path()))
    parser.add_argument("--date", type=_date, metavar="DATE", help=t("cli.date"))
    parser.add_argument("--lang", type=_lang, metavar="en|zh", help=t("cli.lang"))
    parser.add_argument("--calendar", type=_calendar, metavar="cn|none|CC", help=t("cli.calendar"))
    parser.add_argument("--user", type=_user, metavar="NAME", help=t("cli.user"))
    parser.add_argument("--version", action="version", version=f"pmweek {__version__}", help=t("cli.version"))
    if not commands_too:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=t("cli.commands"), parser_class=_Parser)

    export = commands.add_parser("export", help=t("cli.export"), description=t("cli.export"))
    what = export.add_subparsers(dest="what", metavar="WHAT", title=t("cli.export_what"), required=True, parser_class=_Parser)
    week = what.add_parser("week", help=t("cli.export_week"), description=t("cli.export_week"))
    week.add_argument("--week", type=_week, metavar="YYYY-Www", help=t("cli.week"))
    _output_options(week)

    from pmweek.domain.sheets import BOOKS, SHEETS

    table = what.add_parser("table", help=t("cli.export_table"), description=t("cli.export_table"))
    table.add_argument("name", type=_book_name, choices=list(BOOKS), metavar="NAME", help=_book_names())
    when = table.add_mutually_exclusive_group()
    when.add_argument("--month", type=_month, metavar="YYYY-MM", help=t("cli.month"))
    when.add_argument("--from", dest="first", type=_month, metavar="YYYY-MM", help=t("cli.from"))
    table.add_argument("--to", dest="last", type=_month, metavar="YYYY-MM", help=t("cli.to"))
    table.set_defaults(formats=table.add_argument("--format", choices=("md", "csv", "xlsx"), help=t("cli.format")).choices)
    table.add_argument("--by", metavar="USER", help=t("cli.by"))
    table.add_argument("--product", metavar="NAME", help=t("cli.product"))
    _output_options(table)

    plan = what.add_parser("plan", help=t("cli.export_plan"), description=t("cli.export_plan"))
    plan.add_argument("--week", type=_week, metavar="YYYY-Www", help=t("cli.plan_week"))
    _output_options(plan)

    from pmweek.domain.documents import REPORTS

    report = what.add_parser("report", help=t("cli.export_report"), description=t("cli.export_report"))
    reports = t("weekly.comma").join(t("cli.report_choice", word=word, label=t(kind.label_key))
                                      for word, kind in REPORTS.items())
    report.add_argument("period", choices=list(REPORTS), metavar="|".join(REPORTS),
                        help=t("cli.report_period", reports=reports))
    from pmweek.domain.periods import PERIODS

    spans = dict.fromkeys(PERIODS[kind.period].metavar for kind in REPORTS.values())  # in the reports' order
    report.add_argument("at", nargs="?", metavar="|".join(spans), help=t("cli.report_at"))
    report.add_argument("--week", type=_week, metavar="YYYY-Www", help=t("cli.week"))
    report.add_argument("--for", dest="readers", metavar="READER[,READER]|all", help=t("cli.report_for"))
    report.add_argument("--sources", action="store_true", help=t("cli.report_sources"))
    report.add_argument("--full", action="store_true", help=t("cli.report_full"))
    report.add_argument("--team", action="store_true", help=t("cli.report_team"))
    report.add_argument("--charts", choices=("mermaid", "none"), default="mermaid", help=t("cli.report_charts"))
    report.set_defaults(formats=report.add_argument("--format", choices=("md", "html"), help=t("cli.report_format")).choices)
    _output_options(report)

    month = what.add_parser("month", help=t("cli.export_month"), description=t("cli.export_month"))
    month.add_argument("month", type=_month, nargs="?", metavar="YYYY-MM", help=t("cli.month"))
    month.add_argument("--by", metavar="USER", help=t("cli.by"))
    month.add_argument("--product", metavar="NAME", help=t("cli.product"))
    month.add_argument("--charts", nargs="?", const="mermaid", default="none", choices=("mermaid", "none"),
                       help=t("cli.month_charts"))
    month.set_defaults(formats=month.add_argument("--format", choices=("md", "xlsx"), help=t("cli.month_format")).choices)
    _output_options(month)

    from pmweek.domain.charts import CHARTS

    chart = commands.add_parser("chart", help=t("cli.chart"), description=t("cli.chart"))
    chart.add_argument("name", choices=list(CHARTS), metavar="|".join(CHARTS), help=t("cli.chart_name"))
    chart.add_argument("--from", dest="first", type=_month, metavar="YYYY-MM", help=t("cli.chart_from"))
    chart.add_argument("--to", dest="last", type=_month, metavar="YYYY-MM", help=t("cli.chart_to"))
    chart.add_argument("--format", choices=("plot", "md"), default="plot", help=t("cli.chart_format"))
    _output_options(chart)

    rank = commands.add_parser("rank", help=t("cli.rank"), description=t("cli.rank_long"))
    rank.add_argument("--snapshot", type=_quarter, metavar="YYYY-Qn", help=t("cli.rank_snapshot"))
    rank.add_argument("--top", type=_top, default=20, metavar="N", help=t("cli.rank_top"))
    rank.add_argument("--all", action="store_true", help=t("cli.rank_all"))
    _output_options(rank)

    add = commands.add_parser("add", help=t("cli.add"), description=t("cli.add"))
    add.spells_names = True
    sheets = add.add_subparsers(dest="sheet", metavar="NAME", title=t("cli.add_what"), required=True, parser_class=_Parser)
    for sheet in SHEETS.values():
        spelt = sheet.name.replace("_", "-")  # as a command line spells words (the stored name too: spells_names)
        sub = sheets.add_parser(spelt, help=t(sheet.label_key), description=t(sheet.label_key))
        for f in sheet.typed_fields:
            hint = t(f.label_key)
            if f.kind == "quarter":
                hint += " · " + t("cli.default_quarter")
            elif f.kind == "month" or (f.key == sheet.period_field and sheet.period == "span"):
                hint += " · " + t("cli.default_month")
            elif f.key == sheet.period_field and f.required:
                hint += " · " + t("cli.default_today")
            elif f.choices:
                hint += f" ({'|'.join(f.choices)})"
            elif f.known:
                hint += " · " + t("cli.known_values", values=", ".join(f.known))
            sub.add_argument(f.option, dest=f"field_{f.key}", metavar=_METAVARS.get(f.kind, "TEXT"), help=hint)
            if f.aliases:  # earlier names keep working in scripts, out of the help
                sub.add_argument(*f.old_options, dest=f"old_{f.key}", help=argparse.SUPPRESS)
        if sheet.one_per_month:
            sub.add_argument("--replace", action="store_true", help=t("cli.replace"))
        sub.set_defaults(sheet=sheet.name)

    cal = commands.add_parser("calendar", help=t("cli.cal"), description=t("cli.cal"))
    cal.add_argument("--set", dest="set_calendar", type=_calendar, metavar="cn|none|CC", help=t("cli.cal_set"))
    days = cal.add_mutually_exclusive_group()
    days.add_argument("--off", type=_date, metavar="DATE", help=t("cli.cal_off"))
    days.add_argument("--work", type=_date, metavar="DATE", help=t("cli.cal_work"))
    days.add_argument("--clear", type=_date, metavar="DATE", help=t("cli.cal_clear"))
    cal.add_argument("--name", default="", help=t("cli.cal_name"))

    task = commands.add_parser("task", help=t("cli.task"), description=t("cli.task_long"))
    task.add_argument("title", metavar="TITLE", help=t("cli.task_title"))
    task.add_argument("--day", type=_date, metavar="DATE", help=t("cli.task_day"))
    task.add_argument("--points", default="", metavar="TEXT", help=t("cli.task_points"))
    task.add_argument("--note", default="", metavar="TEXT", help=t("cli.task_note"))

    backup = commands.add_parser("backup", help=t("cli.backup"), description=t("cli.backup"))
    backup.add_argument("file", nargs="?", type=Path, metavar="FILE", help=t("cli.backup_file"))
    backup.add_argument("--force", action="store_true", help=t("cli.force"))
    restore = commands.add_parser("restore", help=t("cli.restore"), description=t("cli.restore"))
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--force", action="store_true", help=t("cli.restore_force"))

    demo = commands.add_parser("demo", help=t("cli.demo"), description=t("cli.demo_long"))
    demo.add_argument("--years", type=_years, default=1.0, metavar="N", help=t("cli.years"))

    imp = commands.add_parser("import", help=t("cli.import"), description=t("cli.import"))
    imp.add_argument("name", type=_book_name, choices=list(BOOKS), metavar="NAME", help=_book_names())
    imp.add_argument("file", type=Path, metavar="FILE.csv|FILE.xlsx")
    imp.add_argument("--sheet", metavar="SHEET", help=t("cli.import_sheet"))
    imp.add_argument("--replace", action="store_true", help=t("cli.replace"))
    return parser


def _top(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise argparse.ArgumentTypeError(t("error.bad_top", value=value))
    return int(value)


def _book_name(value: str) -> str:
    """A table as a command line spells it (reader-figures) or as it is stored
    (reader_figures): every command takes both."""
    return value.strip().replace("-", "_")


def _book_names() -> str:
    from pmweek.domain.sheets import BOOKS

    return t("cli.book_name", names=", ".join(name.replace("_", "-") for name in BOOKS))


def _years(value: str) -> float:
    try:
        years = float(value)
    except ValueError:
        years = -1
    if not 0 < years <= 30:
        raise argparse.ArgumentTypeError(t("error.bad_years", value=value))
    return years


_METAVARS = {"month": "YYYY-MM", "date": "YYYY-MM-DD", "int": "N", "money": "AMOUNT", "choice": "CHOICE",
             "period": "YYYY-MM|YYYY-Qn|YYYY", "quarter": "YYYY-Qn", "score": "0-1"}


def _year(value: str) -> str:
    from pmweek.domain.calendar import FIRST_YEAR, LAST_YEAR

    if not (len(value) == 4 and value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR):
        raise argparse.ArgumentTypeError(t("error.bad_year", value=value))
    return value


def _quarter(value: str) -> str:
    from pmweek.domain.calendar import parse_quarter

    try:
        return parse_quarter(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("error.bad_quarter", value=value)) from None


def _month(value: str) -> str:
    from pmweek.domain.calendar import parse_month

    try:
        return parse_month(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("error.bad_month", value=value)) from None


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help=t("cli.output"))
    parser.add_argument("--force", action="store_true", help=t("cli.force"))


def _today(args: argparse.Namespace) -> date:
    return args.date or date.today()


def _clock(args: argparse.Namespace):  # noqa: ANN202 - a clock for the services
    """The real clock, or under --date one that stamps that day, so what is recorded
    while back-filling a week is dated the day it belongs to."""
    from pmweek.domain.calendar import clock_on, utcnow

    return clock_on(args.date) if args.date else utcnow


def _write(args: argparse.Namespace, text: str, url: str | None = None) -> None:
    """Standard output, or -o FILE: written whole or not at all, never over an existing
    file without --force, never over the database or one of its files."""
    if args.output is None:
        _write_plain(text)
        return
    from pmweek.export.views import write_file

    write_file(args.output, text, url, force=args.force)
    sys.stderr.write(t("cli.wrote", path=args.output) + "\n")


# What a file named for -o is, when --format does not say: Markdown written into a file
# named .xlsx is no workbook (Excel refuses it; openpyxl calls it a bad zip).
FORMAT_OF_SUFFIX = {".xlsx": "xlsx", ".csv": "csv", ".html": "html", ".htm": "html"}


def _format_of_output(args: argparse.Namespace) -> None:
    if not hasattr(args, "format") or args.format is not None:
        return
    guessed = FORMAT_OF_SUFFIX.get(args.output.suffix.lower()) if args.output is not None else None
    args.format = guessed if guessed in args.formats else "md"


def _export(args: argparse.Namespace, url: str, lang: str) -> int:
    from pmweek.domain.calendar import Week, month_of
    from pmweek.export import views
    from pmweek.services import open_services

    today = _today(args)
    _format_of_output(args)
    if getattr(args, "format", None) == "xlsx" and args.output is None:
        raise InputError("error.xlsx_needs_file")  # a workbook is no text for a terminal or a pipe
    if args.what == "table":
        first = args.month or args.first or (None if args.last else month_of(today))
        last = args.month or args.last or (first if args.first is None else None)
        if first and last and first > last:
            raise InputError("error.month_range", first=first, last=last)
    # Exports only read: a mistyped --db must not leave a new database behind.
    services = open_services(url, lang, clock=_clock(args), create=False, calendar=args.calendar, user=args.user)
    startup.imports_done()
    try:
        if args.what == "week":
            text = views.week_text(services, args.week or Week.of(today))
        elif args.what == "report" and args.format == "html":
            from pmweek.export.html import page_html  # the charting library: only for a page

            drawn: dict = {}
            text = page_html(_report(args, services, today, lang, drawn), drawn, lang)
        elif args.what == "report":
            text = _report(args, services, today, lang)
        elif args.what == "plan":  # `export report plan` by its older name
            args.period, args.at, args.readers, args.sources, args.team, args.charts, args.full = \
                "plan", None, None, False, False, "none", False
            text = _report(args, services, today, lang)
        elif args.what == "table" and args.format == "xlsx":
            from pmweek.export.xlsx import (
                book_xlsx,  # openpyxl: only when a workbook is asked for
            )

            text = book_xlsx([services.sheets.book(args.name, first, last, today, by=args.by, product=args.product)])
        elif args.what == "table":
            text = views.table_text(services.sheets, args.name, first, last, today, csv=args.format == "csv",
                                    by=args.by, product=args.product)
        elif getattr(args, "format", None) == "xlsx":  # the month's tables, a sheet each
            from pmweek.domain.sheets import BOOKS
            from pmweek.export.xlsx import book_xlsx

            month = args.month or month_of(today)
            text = book_xlsx([services.sheets.book(name, month, month, today, by=args.by, product=args.product)
                              for name, book in BOOKS.items() if book.monthly])
        else:
            month = args.month or month_of(today)
            text = views.month_text(services, month, today, by=args.by, product=args.product)
            if args.charts == "mermaid":
                charts = views.charts_text(services, month, today, lang)
                text += f"\n## {t('monthly.section.charts')}\n\n{charts}"
    finally:
        services.close()
    if args.what == "table" and args.format == "csv" and args.output is not None:
        # A file is for Excel and WPS, which read UTF-8 only after a byte-order mark (else
        # Chinese is mojibake); standard output stays plain UTF-8 for pipes.
        text = "\ufeff" + text
    _write(args, text, url)
    return 0


def _rank(args: argparse.Namespace, url: str, lang: str) -> int:
    """The requirement pool by weighted RICE score, with each request's move since the
    last ranking kept; --snapshot keeps this quarter's ranking first."""
    from pmweek.domain.sheets import SHEETS
    from pmweek.export.markdown import pool_markdown
    from pmweek.services import open_services
    from pmweek.services.pool import OPEN

    today = _today(args)
    services = open_services(url, lang, clock=_clock(args), create=args.snapshot is not None,
                             calendar=args.calendar, user=args.user)
    startup.imports_done()
    try:
        if args.snapshot:
            services.pool.check_snapshot(args.snapshot, today)
        statuses = tuple(SHEETS["requests"].field("status").choices) if args.all else OPEN
        text = pool_markdown(services.pool.pool(today, statuses, before=args.snapshot), args.top)
        if args.output is not None:
            _write(args, text, url)  # a refused file keeps no ranking either
        if args.snapshot:
            kept = services.pool.snapshot(args.snapshot, today)
            sys.stderr.write(t("cli.rank_kept", quarter=args.snapshot, count=kept) + "\n")
    finally:
        services.close()
    if args.output is None:
        _write(args, text, url)
    return 0


def _chart(args: argparse.Namespace, url: str, lang: str) -> int:
    """One trend chart drawn in the terminal (or as Mermaid and a table with --format md)."""
    import shutil

    from pmweek.domain.calendar import months_between, shift_month
    from pmweek.services import open_services
    from pmweek.services.figures import default_range

    today = _today(args)
    first, last = default_range(today)  # the last twelve months
    if args.first or args.last:  # twelve months from --from, or up to --to, or between both
        first = args.first or shift_month(args.last, -11)
        last = args.last or shift_month(args.first, 11)
    if first > last:
        raise InputError("error.month_range", first=first, last=last)
    if len(months_between(first, last)) > MAX_CHART_MONTHS:
        raise InputError("error.chart_range", most=MAX_CHART_MONTHS)
    services = open_services(url, lang, clock=_clock(args), create=False, calendar=args.calendar, user=args.user)
    try:
        (chart,) = services.figures.charts(first, last, today, (args.name,))
    finally:
        services.close()
    if args.format == "md":
        from pmweek.domain.charts import chart_markdown

        text = chart_markdown(chart, lang)
    else:
        from pmweek.export.plot import render_text

        size = shutil.get_terminal_size((100, 24))
        to_terminal = args.output is None and sys.stdout.isatty()
        text = render_text(chart, lang, max(size.columns, 40), max(min(size.lines - 2, 30), 12), to_terminal) + "\n"
    _write(args, text, url)
    return 0


MAX_CHART_MONTHS = 240  # twenty years: more months than a terminal has columns


def _report(args: argparse.Namespace, services, today: date, lang: str,  # noqa: ANN001
            drawn: dict | None = None) -> str:
    """The report asked for: its period and readers read from the arguments; the
    Markdown is the exports' own (export.views.report_text); ``drawn`` gathers its charts."""
    from pmweek.domain.documents import REPORTS
    from pmweek.domain.periods import PERIODS
    from pmweek.export import views

    kind = REPORTS[args.period]
    span = PERIODS[kind.period]
    if args.week and kind.period != "week":
        raise InputError("error.report_week_option")
    if args.week:
        period = str(args.week)
    elif args.at:
        try:
            period = span.parse(args.at)
        except ValueError:
            raise InputError(span.error, value=args.at) from None
    else:  # the period the app opens it on (the month just ended until its summary is due,
        # the plan in force)
        period = services.documents.opening(kind.name, today)
    last = span.figures_until(period, today)
    chosen = None
    if args.readers:
        if kind.period != "week":
            raise InputError("error.readers_weekly_only")
        from pmweek.domain.documents.readers import find_reader

        readers = services.documents.readers(lang)
        keys = list(readers) if args.readers.strip() == "all" else [k.strip() for k in args.readers.split(",") if k.strip()]
        unknown = [k for k in keys if find_reader(readers, k) is None]
        if unknown or not keys:
            raise InputError("error.unknown_reader", value=",".join(unknown) or args.readers, known=", ".join(readers))
        chosen = [find_reader(readers, k) for k in keys]
    return views.report_text(services, kind, period, today, lang, chosen, args.sources, args.team,
                             charts=args.charts == "mermaid", figures_until=last, full=args.full, drawn=drawn)


def _add(args: argparse.Namespace, url: str, lang: str) -> int:
    from pmweek.domain.sheets import SHEETS
    from pmweek.services import open_services

    sheet = SHEETS[args.sheet]
    raw = {f.key: getattr(args, f"field_{f.key}") for f in sheet.typed_fields}
    for f in sheet.typed_fields:  # a column by its earlier flag name too, never two values
        old = getattr(args, f"old_{f.key}", None)
        if old is not None and raw[f.key] is not None and old != raw[f.key]:
            raise InputError("error.flag_twice", flag=f.option, old=f.old_options[0])
        raw[f.key] = raw[f.key] if raw[f.key] is not None else old
    for key, value in sheet.defaults(_today(args)).items():
        if raw[key] is None:
            raw[key] = value
    replace = getattr(args, "replace", False)
    services = open_services(url, lang, clock=_clock(args), user=args.user)
    try:
        if replace:
            row_id, changed, warned = services.sheets.correct(sheet.name, raw)
        else:
            (row_id, warned), changed = services.sheets.add(sheet.name, raw), None
        saved = services.sheets.row(sheet.name, row_id)
    finally:
        services.close()
    for key, params in warned:
        sys.stderr.write(f"pmweek: {t('warn.prefix', message=t(key, **params))}\n")
    if changed is None:
        sys.stderr.write(t("cli.added", sheet=t(sheet.label_key), id=row_id) + "\n")
    else:  # a correction says what it changed; the earlier values are in the row's history
        said = t("text.semicolon").join(t("cli.changed_field", field=t(sheet.field(k).label_key), before=b or "—", after=a or "—")
                                  for k, (b, a) in changed.items())
        sys.stderr.write(t("cli.corrected", sheet=t(sheet.label_key), id=row_id, changes=said) + "\n"
                         if changed else t("cli.unchanged", sheet=t(sheet.label_key), id=row_id) + "\n")
    from pmweek.export.markdown import record_markdown

    _write_plain(record_markdown(sheet, saved, _today(args)))  # the row as stored, to check or pipe on
    return 0


def _task(args: argparse.Namespace, url: str, lang: str) -> int:
    """One-off work on a day's list; prints it as the week's export shows it."""
    from pmweek.export.markdown import task_markdown
    from pmweek.services import open_services

    day = args.day or _today(args)
    points = args.points.replace("；", ";").replace(";", "\n")  # "a; b" on the command line
    services = open_services(url, lang, clock=_clock(args), calendar=args.calendar, user=args.user)
    try:
        task_id = services.checklist.add_task(day, args.title, points, args.note)
        saved = services.checklist.task(task_id)
    finally:
        services.close()
    sys.stderr.write(t("cli.task_added", day=day.isoformat()) + "\n")
    _write_plain(task_markdown(saved))
    return 0


def _calendar_command(args: argparse.Namespace, url: str, lang: str) -> int:
    """Change the calendar or a day if asked, then print the calendar as Markdown."""
    from pmweek.export import views
    from pmweek.services import open_services

    changes = args.set_calendar or args.off or args.work or args.clear
    # Only showing the calendar reads: it must not leave a new database behind.
    services = open_services(url, lang, clock=_clock(args), calendar=args.calendar, user=args.user, create=bool(changes))
    try:
        checklist = services.checklist
        if args.set_calendar:
            checklist.set_calendar(args.set_calendar)
        if args.off or args.work:
            checklist.set_day(args.off or args.work, workday=bool(args.work), name=args.name)
        if args.clear:
            checklist.clear_day(args.clear)
        calendar = checklist.calendar()
    finally:
        services.close()
    _write_plain(views.calendar_text(calendar))
    return 0


def _backup(args: argparse.Namespace, url: str, lang: str) -> int:
    from datetime import datetime

    from pmweek.db.engine import backup_to, make_engine
    from pmweek.db.files import sqlite_path

    engine = make_engine(url, create=False, read_only=True)
    try:
        target = args.file
        if target is None:
            source = sqlite_path(url)
            if source is None:
                from pmweek.errors import DatabaseError

                raise DatabaseError("error.backup_not_sqlite")
            target = source.with_name(f"{source.stem}-backup-{datetime.now():%Y%m%d-%H%M%S}{source.suffix}")
        backup_to(engine, target, force=args.force)
    finally:
        engine.dispose()
    # The copy's path on stdout, so a script can keep it: f=$(pmweek backup)
    _write_plain(f"{target}\n")
    return 0


def _restore(args: argparse.Namespace, url: str, lang: str) -> int:
    from pmweek.db.engine import check_backup, restore_from
    from pmweek.services import open_services

    check_backup(args.file)  # before touching the current database at all
    services = open_services(url, lang, clock=_clock(args), user=args.user)
    try:
        kept = restore_from(services.engine, args.file, force=args.force)
    finally:
        services.close()
    sys.stderr.write(t("cli.restored", source=args.file, kept=kept) + "\n")
    return 0


def _write_plain(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # `| head`: the reader has all it wanted
    except OSError as exc:  # a full disk, a closed terminal
        raise PmWeekError("error.write_stdout", reason=exc.strerror or str(exc)) from None


def _demo(args: argparse.Namespace, url: str, lang: str) -> int:
    from pmweek.services import open_services
    from pmweek.services.demo import compile_plans, fill

    live = sys.stderr.isatty()  # redraw one line on a terminal; plain lines in a log

    def progress(what: str, done: int, total: int) -> None:
        if not live and done != total:
            return
        line = t("cli.demo_progress", what=t("cli.demo_" + what), done=done, total=total)
        sys.stderr.write(f"\r{line}" if live else line)
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    services = open_services(url, lang, clock=_clock(args), user=args.user)
    try:
        counts = fill(services.engine, args.years, _today(args), lang, progress, user=services.user)
        compile_plans(services.documents, _today(args))
    finally:
        services.close()
    sys.stderr.write(t("cli.demo_done", weeks=counts["weeks"], rows=sum(counts.values()) - counts["weeks"]) + "\n")
    if getattr(args, "demo_default", False):
        sys.stderr.write(t("cli.demo_where", path=args.db) + "\n")
    return 0


def _is_workbook(path: Path) -> bool:
    """An .xlsx file (a zip archive), by its first bytes, whatever its name."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # said by the CSV reader, which names the file


def _import(args: argparse.Namespace, url: str, lang: str) -> int:
    from pmweek.domain.sheets import BOOKS
    from pmweek.export.csvio import iter_book_csv, read_csv_file
    from pmweek.services import open_services
    from pmweek.domain.sheets import SHEETS
    from pmweek.services.sheets import ImportFailed

    book = BOOKS[args.name]
    if args.replace and not any(SHEETS[s].one_per_month for s in book.sheets):
        # Only a month's one row can be told apart to correct; rows of a table that holds
        # many would be added again, not replaced.
        raise InputError("error.replace_many", table=t(book.label_key), names=t("text.list_sep").join(
            t(sheet.label_key) for sheet in SHEETS.values() if sheet.one_per_month))
    if _is_workbook(args.file):
        from pmweek.export.csvio import iter_book_rows
        from pmweek.export.xlsx import read_xlsx

        head, rows = read_xlsx(args.file, args.sheet)
        records = iter_book_rows(BOOKS[args.name], head, rows)
        live = False
    else:
        if args.sheet is not None:
            raise InputError("error.sheet_not_workbook")
        text = read_csv_file(args.file)
        records = iter_book_csv(BOOKS[args.name], text)
        live = sys.stderr.isatty() and text.count("\n") >= 5000  # a bar only where a person waits

    def progress(done: int, total: int) -> None:
        width = 30
        bar = "█" * (width * done // total) + "░" * (width - width * done // total)
        sys.stderr.write(f"\r{t('cli.import_progress', bar=bar, done=done, total=total)}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    services = open_services(url, lang, clock=_clock(args), user=args.user)
    try:
        count = services.sheets.import_records(records, replace=args.replace, progress=progress if live else None)
    except ImportFailed as exc:
        for line, error in exc.errors:
            sys.stderr.write(f"pmweek: {t('error.import_line', line=line, message=error.message())}\n")
        raise
    finally:
        services.close()
    sys.stderr.write(t("cli.imported", count=count, path=args.file) + "\n")
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

        return open_services(url, lang, clock=_clock(args), calendar=args.calendar, user=args.user)

    def peek(week, today):  # noqa: ANN001, ANN202 - today's list read before the ORM loads
        from pmweek.services import default_user
        from pmweek.services.reading import quick_morning

        user = default_user() if args.user is None else args.user
        return quick_morning(path, user, lang, args.calendar, week, today)

    app = PmWeekApp(connect, today=_today(args), lang=lang, peek=peek if path is not None else None, signals=True)
    try:
        app.run()
    finally:
        # A tick made just before quitting, or before the terminal closed (its last
        # writes may fail), is saved before the process ends.
        app.finish_saving()
    if app.failure:
        sys.stderr.write(f"pmweek: {app.failure}\n")
    return app.return_code or (1 if app.failure else 0)


def entry() -> None:
    """The `pmweek` command. Everything is written and committed when main returns, so
    the process ends at once instead of tearing down a large heap object by object."""
    code = None
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `pmweek export … | head`: the reader has all it wanted
        code = 0
    except OSError as exc:
        # The output could not be written (a full disk). When main has said so already,
        # its leftovers fail again here: the line is not repeated.
        if not code:
            sys.stderr.write(f"pmweek: {t('error.write_stdout', reason=exc.strerror or exc)}\n")
        code = code or 1
    try:
        sys.stderr.flush()
    finally:
        os._exit(code)


COMMANDS = {
    "export": _export,
    "add": _add,
    "import": _import,
    "demo": _demo,
    "calendar": _calendar_command,
    "task": _task,
    "backup": _backup,
    "restore": _restore,
    "chart": _chart,
    "rank": _rank,
}


def main(argv: Sequence[str] | None = None) -> int:
    startup.begin()
    try:
        return _main(argv)
    finally:
        startup.imports_done()


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_lang(first := _prescan_lang(argv))
    with _argparse_in(first):
        args = build_parser(commands_too=not _opens_app(argv)).parse_args(argv)
    lang = args.lang or detect_lang()
    set_lang(lang)
    from pmweek.config import ENV_DB, db_url, default_db_path

    if args.command == "demo" and not (args.db or os.environ.get(ENV_DB)):
        # Demo data never lands in the real database by accident.
        args.db = str(default_db_path().with_name("demo.db"))
        args.demo_default = True
    url = db_url(args.db)
    try:
        return COMMANDS.get(args.command, _run_app)(args, url, lang)
    except PmWeekError as exc:
        sys.stderr.write(f"pmweek: {exc.message()}\n")
        return 2 if isinstance(exc, InputError) else 1
    except KeyboardInterrupt:
        return 130
