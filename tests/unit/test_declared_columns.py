"""A column reads as its own declaration says: two kinds of record may use one column
name for different things, and neither re-formats the other's cells."""

from __future__ import annotations

from pmweek.domain.sheets import SHEETS, Field, Sheet
from pmweek.export.cells import cell, choice_key, is_choice, numeric
from pmweek.i18n import set_lang


def test_one_name_two_kinds_each_read_as_declared():
    words = Sheet("notes", (Field("progress", "text"),), table="note")
    shares = Sheet("targets", (Field("progress", "confidence"),), table="target")
    assert cell(words, "progress", "half done") == "half done" and not numeric(words, "progress")
    assert cell(shares, "progress", 0.5) == "50%" and numeric(shares, "progress")


def test_a_choice_is_read_back_by_its_own_field():
    """"已完成" is a ticket's done; a deal has no such status, so it stays as typed (and
    the deal's own check refuses it), never taken from another kind's list."""
    tickets, deals = SHEETS["tickets"], SHEETS["deals"]
    assert is_choice(tickets, "status") and is_choice(deals, "status")
    set_lang("zh")
    try:
        assert choice_key(tickets, "status", "已完成") == "done"
        assert choice_key(deals, "status", "已完成") == "已完成"
        assert choice_key(deals, "status", "已上线") == "live"
    finally:
        set_lang("en")


def test_a_field_may_have_words_of_its_own():
    """``field.name`` is a release's 发布项; a kind whose "name" is something else says so
    on its field, and its tables and imports use those words."""
    from pmweek.export.cells import header, label_key

    experiments = Sheet("experiments", (Field("name", "text", label="field.campaign"),), table="experiment")
    releases = SHEETS["releases"]
    assert header(experiments, "name") == "Campaign" != header(releases, "name")
    assert label_key(experiments, "name") == experiments.field("name").label_key == "field.campaign"


def test_a_percent_sign_in_a_label_does_not_break_help(capsys, monkeypatch):
    import pytest

    from pmweek.cli import main
    from pmweek.i18n import catalogue

    monkeypatch.setitem(catalogue("en").messages, "field.target", "Revenue target (% of plan)")
    with pytest.raises(SystemExit) as done:
        main(["--lang", "en", "add", "deals", "--help"])
    assert done.value.code == 0 and "Revenue target (% of plan)" in capsys.readouterr().out
