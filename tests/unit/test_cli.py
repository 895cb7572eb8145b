"""The command line as a user meets it: help, errors on stderr, clean stdout."""


import pytest

from pmweek.cli import main
from pmweek.services import open_services
from tests.cli import run


def make_db(path) -> str:
    open_services(f"sqlite:///{path}").close()
    return str(path)




@pytest.mark.parametrize("args", [["--help"], ["export", "--help"], ["export", "week", "--help"]])
def test_every_command_has_help(args):
    result = run(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: pmweek")
    assert result.stderr == ""


def test_help_follows_the_language():
    assert "数据库" in run("--lang", "zh", "--help").stdout


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "pmweek add churn: error: unrecognized argument: --reason; did you mean --churn-reason?"),
    ("zh", "pmweek add churn：错误：无法识别的参数：--reason；是不是想用 --churn-reason？"),
])
def test_a_flag_the_command_does_not_know_is_named_with_the_one_meant(capsys, tmp_path, lang, said):
    """A flag another table takes (--reason is an opportunity's) is refused by the
    command it was given to, in one line, with the flag that table calls it."""
    with pytest.raises(SystemExit) as leaving:
        main(["--db", str(tmp_path / "pm.db"), "--lang", lang, "add", "churn", "--reason", "price"])
    assert leaving.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(said) and err.count("\n") == 1
    assert not (tmp_path / "pm.db").exists()


def test_argparse_s_own_words_follow_the_language_too(capsys, monkeypatch):
    """usage:, the headings and argparse's errors, in Chinese when the PM asks; the
    environment the process was given is left as it was."""
    monkeypatch.setenv("LANGUAGE", "fr")
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "export", "report", "--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("用法：pmweek export report") and "位置参数" in shown and "显示此帮助并退出" in shown
    with pytest.raises(SystemExit) as leaving:
        main(["--lang", "zh", "export", "report", "bogus"])
    assert leaving.value.code == 2
    assert capsys.readouterr().err == ("pmweek export report：错误：参数 plan|week|month|quarter|year：无效的选择："
                                       "'bogus'（可选：'plan', 'week', 'month', 'quarter', 'year'）\n")
    with pytest.raises(SystemExit):
        main(["--lang", "en", "export", "report", "bogus"])
    assert capsys.readouterr().err.startswith("pmweek export report: error: argument plan|week|month|quarter|year: "
                                              "invalid choice: 'bogus'")
    import os

    assert os.environ["LANGUAGE"] == "fr"


def test_export_week_prints_markdown_to_stdout(tmp_path, capsys):
    rc = main(["--db", make_db(tmp_path / "pm.db"), "--date", "2026-11-25", "export", "week"])
    out, err = capsys.readouterr()
    assert rc == 0 and err == ""
    assert out.startswith("# Week 2026-W48 (2026-11-23 – 2026-11-27)\n")


def test_export_week_by_iso_week(tmp_path, capsys):
    assert main(["--db", make_db(tmp_path / "pm.db"), "export", "week", "--week", "2027-W01"]) == 0
    out = capsys.readouterr().out
    assert "## Monday 2027-01-04" in out and "## Friday 2027-01-08" in out


def test_database_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PMWEEK_DB", str(tmp_path / "env.db"))
    assert main(["add", "campaigns", "--campaign", "from env"]) == 0
    assert (tmp_path / "env.db").exists()
    assert main(["export", "table", "campaigns"]) == 0
    assert "from env" in capsys.readouterr().out


def test_export_never_creates_a_database(tmp_path):
    typo = tmp_path / "tpyo" / "pm.db"
    result = run("--db", str(typo), "export", "week")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no pmweek database" in result.stderr
    assert not typo.parent.exists()


def test_output_file_is_written_and_never_overwritten_without_force(tmp_path, capsys):
    target = tmp_path / "week.md"
    args = ["--db", make_db(tmp_path / "pm.db"), "--date", "2026-11-23", "export", "week", "-o", str(target)]
    assert main(args) == 0
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Week 2026-W48")
    assert capsys.readouterr().out == ""  # stdout stays clean
    target.write_text("mine", encoding="utf-8")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert main([*args, "--force"]) == 0
    assert target.read_text(encoding="utf-8") == first


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--date", "2026-02-30", "export", "week"], "2026-02-30"),
        (["export", "week", "--week", "2025-W53"], "2025-W53"),
        (["--lang", "fr", "export", "week"], "fr"),
        (["export", "nonsense"], "nonsense"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, args, needle):
    result = run("--db", str(tmp_path / "pm.db"), *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and needle in result.stderr
    assert not (tmp_path / "pm.db").exists()


def test_garbage_database_gives_one_line_and_is_left_alone(tmp_path):
    path = tmp_path / "pm.db"
    path.write_bytes(b"\x00garbage" * 64)
    for args in (["export", "week"], []):  # the export and the app itself
        result = run("--db", str(path), *args)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and "not an SQLite database" in result.stderr
        assert "Traceback" not in result.stderr
    assert path.read_bytes() == b"\x00garbage" * 64


def test_a_database_in_a_directory_that_cannot_be_created(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run("--db", str(tmp_path / "file" / "sub" / "pm.db"))  # the app itself
    assert result.returncode == 1
    assert result.stderr.startswith("pmweek: cannot create database")
    assert result.stderr.count("\n") == 1


def test_errors_follow_the_language(tmp_path):
    path = tmp_path / "pm.db"
    path.write_text("not a database")
    result = run("--lang", "zh", "--db", str(path), "export", "week")
    assert "不是 SQLite 数据库" in result.stderr


@pytest.mark.parametrize(
    ("argv", "opens"),
    [
        ([], True),
        (["--db", "x.db", "--date", "2026-11-23", "--lang=zh"], True),
        (["--db", "export"], True),  # a database file named "export"
        (["export", "week"], False),
        (["--help"], False),
        (["--db", "x.db", "add", "revenue"], False),
    ],
)
def test_the_app_path_skips_building_the_commands(argv, opens):
    from pmweek.cli import _opens_app

    assert _opens_app(argv) is opens


def test_showing_the_calendar_creates_no_database(tmp_path):
    result = run("--db", str(tmp_path / "pm.db"), "calendar")
    assert result.returncode == 1 and "no pmweek database" in result.stderr
    assert not (tmp_path / "pm.db").exists()
    assert run("--db", str(tmp_path / "pm.db"), "calendar", "--set", "cn").returncode == 0
    assert "mainland China" in run("--db", str(tmp_path / "pm.db"), "calendar").stdout


def test_the_app_leaves_non_zero_when_changes_could_not_be_saved(tmp_path, monkeypatch, capsys):
    """Ticks queued before the data layer opened, which then cannot be saved: the exit
    code says so as well as the line."""
    import pmweek.tui.app as app_module
    from pmweek.cli import main

    class QuitsAtOnce(app_module.PmWeekApp):
        def run(self, **_):
            return None

        def finish_saving(self) -> None:
            self.failure = "2 changes made since the start were not saved: database is locked"

    monkeypatch.setattr(app_module, "PmWeekApp", QuitsAtOnce)
    assert main(["--db", str(tmp_path / "pm.db")]) == 1
    assert capsys.readouterr().err == "pmweek: 2 changes made since the start were not saved: database is locked\n"


@pytest.mark.parametrize("args", [["--help"], ["export", "report", "--help"], ["add", "risks", "--help"],
                                  ["calendar", "--help"]])
def test_chinese_help_fits_80_columns_and_breaks_where_chinese_breaks(args, capsys, monkeypatch):
    import unicodedata

    from pmweek.cli import CLOSING, OPENING

    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(["--lang", "zh", *args])
    lines = capsys.readouterr().out.splitlines()
    cells = [sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines]
    assert max(cells) <= 80, lines[cells.index(max(cells))]
    assert not [ln for ln in lines if ln.strip()[:1] in CLOSING or ln.rstrip()[-1:] in OPENING]


def test_wrapping_by_cells_keeps_every_word():
    from pmweek.cli import wrap_cells

    text = "哪种报告：week（周报）、month（月度总结）、quarter（季度汇报） and some English words here"
    for width in range(12, 60):
        lines = wrap_cells(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(sum(2 if ord(c) > 0x2e80 else 1 for c in line) <= width for line in lines), width
