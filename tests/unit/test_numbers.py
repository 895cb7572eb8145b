"""One number parser for forms, `add` and `import`: a separator only where it groups
thousands, a clear word for too large or too small, nothing silently changed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmweek.cli import main
from pmweek.domain.sheets import MAX_NUMBER, SHEETS, format_value, parse_value
from pmweek.errors import InputError

CASH = SHEETS["revenue"].field("cash")
USERS = SHEETS["revenue"].field("users")


@given(st.integers(min_value=0, max_value=MAX_NUMBER))
def test_a_whole_number_reads_back_plain_or_grouped(n):
    assert parse_value(USERS, str(n)) == n
    assert parse_value(USERS, f"{n:,}") == n
    # As a Chinese input method types it: full-width digits and commas.
    assert parse_value(USERS, f"{n:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))) == n


@given(st.floats(min_value=0, max_value=MAX_NUMBER, allow_nan=False, allow_infinity=False))
def test_an_amount_reads_back_exactly_as_pmweek_writes_it(x):
    assert parse_value(CASH, format_value(x)) == x


@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=5), min_size=2, max_size=4))
def test_a_comma_that_does_not_group_thousands_is_refused(groups):
    text = ",".join(groups)
    well_formed = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    if well_formed:
        assert parse_value(USERS, text) == int(text.replace(",", ""))
    else:
        with pytest.raises(InputError) as err:
            parse_value(USERS, text)
        assert err.value.key == "error.field_int" and "Users" in err.value.message()


@pytest.mark.parametrize(("field", "text", "key"), [
    (CASH, "1,5", "error.field_money"),
    (USERS, "1,2,3", "error.field_int"),
    (USERS, "12.0", "error.field_int"),
    (CASH, "1e-400", "error.field_too_small"),
    (CASH, "1e30", "error.field_too_large"),
    (USERS, str(MAX_NUMBER + 1), "error.field_too_large"),
    (CASH, "-3", "error.field_negative"),
    (CASH, "nan", "error.field_money"),
    (CASH, "inf", "error.field_money"),
    (USERS, "٣", "error.field_int"),  # digits of another script are not taken for 3
    (CASH, "1_000", "error.field_money"),
])
def test_what_is_refused_says_why(field, text, key):
    with pytest.raises(InputError) as err:
        parse_value(field, text)
    assert err.value.key == key
    message = err.value.message()
    assert "\n" not in message and text in message


def test_the_shell_refuses_the_same_and_writes_nothing(tmp_path, capsys):
    db = str(tmp_path / "pm.db")
    assert main(["--db", db, "add", "revenue", "--month", "2026-10", "--cash=1,5"]) == 2
    assert "Cash: '1,5' is not a number" in capsys.readouterr().err
    assert main(["--db", db, "add", "revenue", "--month", "2026-10", "--users=1,2,3"]) == 2
    csv_file = tmp_path / "r.csv"
    csv_file.write_text('month,cash,users\n2026-10,"1,234.5","1,5"\n', encoding="utf-8")
    assert main(["--db", db, "import", "revenue", str(csv_file)]) == 2
    assert "Users: '1,5' is not a whole number" in capsys.readouterr().err
    assert main(["--db", db, "export", "table", "revenue", "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # the header only: nothing was stored
